// SPDX-License-Identifier: MIT
// DetailsPanel: the timeline's selection as a heading and tables.
#include "ui/detailspanel.h"

#include "ui/timeline/selectiontext.h"
#include "ui/timeline/timelineview.h"

#include <QEvent>
#include <QTextBrowser>

namespace interleave::ui {

DetailsPanel::DetailsPanel(TimelineView *timeline, QWidget *parent)
    : QDockWidget(parent)
    , m_timeline(timeline)
{
    setObjectName(QStringLiteral("DetailsDock"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("Details"));
    m_browser->setOpenLinks(false);
    m_browser->document()->setDocumentMargin(8);
    setWidget(m_browser);
    connect(timeline, &TimelineView::selectionChanged, this, &DetailsPanel::showSelection);
    changeEvent(nullptr);
}

QString DetailsPanel::text() const
{
    return m_browser->toPlainText();
}

void DetailsPanel::showSelection(const TimelineSelection &selection)
{
    m_selection = selection;
    m_browser->setHtml(html());
}

void DetailsPanel::changeEvent(QEvent *event)
{
    if (!event || event->type() == QEvent::LanguageChange) {
        setWindowTitle(tr("Details"));
        m_browser->setHtml(html());
    }
    if (event)
        QDockWidget::changeEvent(event);
}

QString DetailsPanel::html() const
{
    const core::TraceModel *model = m_timeline ? m_timeline->model() : nullptr;
    if (!model || m_selection.kind == TimelineSelection::Kind::None)
        return QStringLiteral("<p>") +
               tr("Click a span, an arrow or a mark on the timeline, or Shift-drag across it to select a time "
                  "range.")
                   .toHtmlEscaped() +
               QStringLiteral("</p>");
    QString out = QStringLiteral("<h3>") + SelectionText::title(m_selection).toHtmlEscaped() +
                  QStringLiteral("</h3><table cellspacing='0' cellpadding='3'>");
    for (const auto &[label, value] : SelectionText::rows(*model, m_selection))
        out += QStringLiteral("<tr><td><b>") + label.toHtmlEscaped() + QStringLiteral("</b></td><td>") +
               value.toHtmlEscaped() + QStringLiteral("</td></tr>");
    out += QStringLiteral("</table>");
    if (m_selection.kind == TimelineSelection::Kind::Range && !m_selection.range.threads.empty()) {
        out += QStringLiteral("<h4>") + tr("Per thread").toHtmlEscaped() + QStringLiteral("</h4>");
        for (const auto &[name, did] : SelectionText::threadLines(*model, m_selection.range))
            out += QStringLiteral("<p><b>") + name.toHtmlEscaped() + QStringLiteral("</b><br>") + did.toHtmlEscaped() +
                   QStringLiteral("</p>");
    }
    return out;
}

} // namespace interleave::ui
