// SPDX-License-Identifier: MIT
#include "ui/console/consoleview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

namespace {

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QString formatSeconds(int64_t ns)
{
    return QString::number(double(ns) / 1e9, 'f', 3) + QStringLiteral(" s");
}

QColor readableOn(const QColor &fill)
{
    const double luminance = 0.299 * fill.redF() + 0.587 * fill.greenF() + 0.114 * fill.blueF();
    return luminance > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

class ConsoleDelegate : public QStyledItemDelegate
{
public:
    explicit ConsoleDelegate(ConsoleView *view)
        : QStyledItemDelegate(view)
        , m_view(view)
    {}

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const ConsoleModel *lines = m_view->consoleModel();
        const QFontMetricsF fm(m_view->rowFont());
        const ConsoleLayout layout = ConsoleLayout::compute(fm);
        const bool after = index.row() >= lines->rowsAtPlayhead();
        painter->save();
        m_view->paintRow(*painter, QRectF(option.rect), lines->line(index.row()), layout, after,
                         after && index.row() == lines->rowsAtPlayhead() && index.row() > 0);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const override
    {
        const ConsoleLayout layout = ConsoleLayout::compute(QFontMetricsF(m_view->rowFont()));
        return QSize(int(layout.textLeft) + 200, int(std::ceil(layout.rowHeight)));
    }

private:
    ConsoleView *m_view;
};

} // namespace

ConsoleLayout ConsoleLayout::compute(const QFontMetricsF &fm)
{
    ConsoleLayout l;
    const qreal ch = fm.horizontalAdvance(QLatin1Char('0'));
    l.rowHeight = std::ceil(fm.lineSpacing() + ch * 0.5);
    l.timeLeft = ch * 0.5;
    l.timeWidth = ch * 9; // "123.456 s"
    l.tagLeft = l.timeLeft + l.timeWidth + ch;
    l.tagWidth = ch * 20; // "12345 LoopThread"
    l.streamLeft = l.tagLeft + l.tagWidth + ch * 0.5;
    l.streamWidth = ch * 6; // "stderr"
    l.textLeft = l.streamLeft + l.streamWidth + ch;
    return l;
}

int ConsoleLayout::firstRow(int count, int fit, int atPlayhead, int after)
{
    fit = std::max(1, fit);
    if (count <= fit)
        return 0;
    const int end = std::min(count, std::max(atPlayhead, 0) + std::max(after, 0));
    return std::clamp(end - fit, 0, count - fit);
}

ConsoleView::ConsoleView(QWidget *parent)
    : TraceView(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_lines = new ConsoleModel(this);
    m_list = new QListView(this);
    m_list->setModel(m_lines);
    m_list->setItemDelegate(new ConsoleDelegate(this));
    m_list->setUniformItemSizes(true); // thousands of rows: one measured, none laid out one by one
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setTextElideMode(Qt::ElideRight);
    layout->addWidget(m_list, 1);
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_empty);
    retranslate();
    themeChanged();
}

ConsoleView::~ConsoleView() = default;

QString ConsoleView::title() const
{
    return tr("Console");
}

void ConsoleView::retranslate()
{
    m_empty->setText(model() ? tr("Nothing printed yet.") : tr("No run yet."));
    m_list->setToolTip(tr("What the processes printed: time, pid and thread, stream, text. "
                          "Lines printed after the playhead are dimmed."));
}

void ConsoleView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        m_list->viewport()->update();
    }
    TraceView::changeEvent(event);
}

QFont ConsoleView::rowFont() const
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(theme().font().pointSizeF());
    return mono;
}

void ConsoleView::themeChanged()
{
    const Theme &t = theme();
    QPalette p = m_list->palette();
    p.setColor(QPalette::Base, t.background);
    p.setColor(QPalette::Text, t.foreground);
    m_list->setPalette(p);
    m_list->setFont(rowFont());
    m_empty->setFont(t.font(1.0));
    // The delegate's row height follows the font: make the list ask again.
    m_list->reset();
    m_list->viewport()->update();
}

void ConsoleView::modelChanged()
{
    m_lines->setTraceModel(model());
    m_lines->setPlayhead(playhead());
    retranslate();
    updateEmpty();
}

void ConsoleView::playheadChanged()
{
    m_lines->setPlayhead(playhead());
    // Replaying: keep the last line printed by now in view.
    if (m_lines->rowsAtPlayhead() > 0 && isVisible())
        m_list->scrollTo(m_lines->index(m_lines->rowsAtPlayhead() - 1), QAbstractItemView::EnsureVisible);
}

void ConsoleView::refresh()
{
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    sync();
}

void ConsoleView::showEvent(QShowEvent *event)
{
    TraceView::showEvent(event);
    if (m_dirty)
        sync();
}

void ConsoleView::sync()
{
    m_dirty = false;
    QScrollBar *bar = m_list->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum();
    const int before = m_lines->rowCount();
    m_lines->sync();
    m_lines->setPlayhead(playhead());
    updateEmpty();
    // A live run: follow the end, unless the user has scrolled up to read.
    const bool live = model() && runInfo().status.isEmpty();
    if (live && atEnd && m_lines->rowCount() > before)
        m_list->scrollToBottom();
}

void ConsoleView::updateEmpty()
{
    m_empty->setVisible(m_lines->rowCount() == 0);
}

void ConsoleView::paintRow(QPainter &painter, const QRectF &rect, const ConsoleLine &line, const ConsoleLayout &layout,
                           bool dimmed, bool firstAfterPlayhead) const
{
    const Theme &t = theme();
    // Dimmed: every colour most of the way to the background, so the text stays legible but quiet.
    auto ink = [&](const QColor &c) { return dimmed ? blend(c, t.background, 0.62) : c; };
    const QFont mono = rowFont();
    QFont bold = mono;
    bold.setBold(true);
    const QFontMetricsF fm(mono, painter.device());
    const int64_t origin = model() ? model()->startTime() : 0;

    painter.setFont(mono);
    painter.setPen(ink(t.muted));
    painter.drawText(QRectF(rect.left() + layout.timeLeft, rect.top(), layout.timeWidth, rect.height()),
                     Qt::AlignRight | Qt::AlignVCenter, formatSeconds(line.time - origin));

    // The tag: a box in the thread's colour holding "pid thread".
    const QColor color = ink(threadColor(line.thread));
    const QRectF tag(rect.left() + layout.tagLeft, rect.top() + 2, layout.tagWidth, rect.height() - 4);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(tag, 3, 3);
    const QFontMetricsF bfm(bold, painter.device());
    const QString tagText = QStringLiteral("%1 %2").arg(line.pid).arg(line.threadName);
    painter.setFont(bold);
    painter.setPen(dimmed ? blend(readableOn(threadColor(line.thread)), color, 0.35) : readableOn(color));
    painter.drawText(tag.adjusted(fm.horizontalAdvance(QLatin1Char(' ')) / 2, 0, 0, 0),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     bfm.elidedText(tagText, Qt::ElideRight, tag.width() - fm.horizontalAdvance(QLatin1Char(' '))));

    // stderr: its own word in the error colour and the text in it too, so not by colour alone.
    const QColor textColor = ink(line.stderrStream ? t.deadlock : t.foreground);
    if (line.stderrStream) {
        painter.setFont(bold);
        painter.setPen(textColor);
        painter.drawText(QRectF(rect.left() + layout.streamLeft, rect.top(), layout.streamWidth, rect.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("stderr"));
    }
    painter.setFont(mono);
    painter.setPen(textColor);
    qreal textWidth = std::max<qreal>(0, rect.right() - (rect.left() + layout.textLeft));
    // A line printed after a pause: the times it reports include the pause, so say how long it was.
    const int64_t paused = model() ? model()->pausedBefore(line.time) : 0;
    if (paused > 0) {
        const QString note = pauseNote(paused);
        const qreal noteWidth = std::min(textWidth / 2, fm.horizontalAdvance(note));
        textWidth = std::max<qreal>(0, textWidth - noteWidth - fm.horizontalAdvance(QLatin1Char(' ')));
        painter.setPen(ink(t.muted));
        painter.drawText(QRectF(rect.right() - noteWidth, rect.top(), noteWidth, rect.height()),
                         Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(note, Qt::ElideRight, noteWidth));
        painter.setPen(textColor);
    }
    painter.drawText(QRectF(rect.left() + layout.textLeft, rect.top(), textWidth, rect.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(line.text, Qt::ElideRight, textWidth));

    if (firstAfterPlayhead) {
        painter.setPen(QPen(t.playhead, std::max<qreal>(1.5, t.lineWidth)));
        painter.drawLine(QPointF(rect.left(), rect.top() + 0.5), QPointF(rect.right(), rect.top() + 0.5));
    }
}

QString ConsoleView::pauseNote(int64_t pausedNs)
{
    return tr("(paused %1 s before this line)").arg(double(pausedNs) / 1e9, 0, 'f', 1);
}

std::vector<LegendEntry> ConsoleView::legend() const
{
    const Theme &t = theme();
    std::vector<LegendEntry> entries;
    entries.push_back({tr("stderr"), Qt::NoBrush, QPen(t.deadlock, t.lineWidth * 2)});
    entries.push_back(
        {tr("printed after the playhead (dimmed)"), QBrush(blend(t.foreground, t.background, 0.62)), QPen(t.muted, 1)});
    entries.push_back({tr("playhead"), Qt::NoBrush, QPen(t.playhead, std::max<qreal>(1.5, t.lineWidth))});
    return entries;
}

void ConsoleView::renderContent(QPainter &painter, const QSize &size)
{
    sync(); // a fresh view for an export was never shown
    const Theme &t = theme();
    painter.save();
    painter.fillRect(QRect(QPoint(), size), t.background);
    const QFontMetricsF fm(rowFont(), painter.device());
    const ConsoleLayout layout = ConsoleLayout::compute(fm);
    const int count = m_lines->rowCount();
    if (count == 0) {
        painter.setFont(t.font(1.0));
        painter.setPen(t.muted);
        painter.drawText(QRect(QPoint(), size), Qt::AlignCenter, m_empty->text());
        painter.restore();
        return;
    }
    const int fit = std::max(1, int(size.height() / layout.rowHeight));
    const int at = m_lines->rowsAtPlayhead();
    const int first = ConsoleLayout::firstRow(count, fit, at);
    painter.setClipRect(QRect(QPoint(), size));
    for (int row = first; row < count && row < first + fit; ++row) {
        const QRectF rect(0, (row - first) * layout.rowHeight, size.width(), layout.rowHeight);
        paintRow(painter, rect, m_lines->line(row), layout, row >= at, row == at && row > 0);
    }
    painter.restore();
}

} // namespace interleave::ui
