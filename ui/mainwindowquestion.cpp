// SPDX-License-Identifier: MIT
// MainWindow in presentation mode: the question over the views until the teacher hides it, the
// explanation on demand, and hints that name only what is on screen.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "scenarios/scenario.h"
#include "ui/application.h"
#include "ui/parameterform.h"
#include "ui/questionoverlay.h"
#include "ui/timeline/timelineview.h"

#include <QAction>
#include <QDockWidget>
#include <QStackedWidget>
#include <QTextBrowser>

namespace interleave::ui {

void MainWindow::createQuestionOverlay()
{
    m_questionOverlay = new QuestionOverlay(m_center);
    connect(m_questionOverlay, &QuestionOverlay::dismissed, this, [this] { m_questionPending = false; });
    connect(m_center, &QStackedWidget::currentChanged, this, &MainWindow::updateQuestionOverlay);
    // Presentation mode hides the Details panel; selecting something on the timeline brings it.
    if (auto *timeline = qobject_cast<TimelineView *>(view(QStringLiteral("timeline"))))
        connect(timeline, &TimelineView::selectionChanged, this, [this](const TimelineSelection &selection) {
            if (m_presentation && selection.kind != TimelineSelection::Kind::None)
                findChild<QDockWidget *>(QStringLiteral("DetailsDock"))->show();
        });
}

void MainWindow::updateQuestionOverlay()
{
    const auto *scenario = m_params->scenario();
    const QString question = scenario ? scenario->question(Application::language()) : QString();
    // The start card asks the question itself; over the views (a run, a replay) the card does.
    const bool show =
        m_presentation && m_questionPending && !question.isEmpty() && m_center->currentWidget() != m_startCard;
    if (show) {
        m_questionOverlay->setTexts(tr("Ask the class"), question,
                                    tr("Click or Esc: hide    Q: show again    E: explanation"));
        m_questionOverlay->setPixelSize(std::max(28, m_center->height() / 28));
    }
    m_questionOverlay->setVisible(show);
}

void MainWindow::toggleQuestion()
{
    m_questionPending = !m_questionOverlay->isVisible();
    updateQuestionOverlay();
}

void MainWindow::toggleExplanation()
{
    auto *dock = findChild<QDockWidget *>(QStringLiteral("ExplanationDock"));
    dock->setVisible(!dock->isVisible());
}

void MainWindow::escapePressed()
{
    // The first Esc hides the question, the next leaves presentation mode.
    if (m_questionOverlay->isVisible()) {
        m_questionOverlay->hide();
        m_questionPending = false;
        return;
    }
    m_presentAction->setChecked(false);
}

void MainWindow::presentationChanged()
{
    m_questionPending = m_presentation;
    if (m_center->currentWidget() == m_startCard)
        showStartCard(); // its hint names what is on screen
    updateQuestionOverlay();
}

QString MainWindow::startCardHint() const
{
    return m_presentation ? tr("Press Run (F9) to start it for real. E shows the explanation, Esc leaves full screen.")
                          : tr("Press Run (F9) to start it for real, with the parameters on the left.");
}

} // namespace interleave::ui
