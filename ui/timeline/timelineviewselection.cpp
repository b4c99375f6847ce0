// SPDX-License-Identifier: MIT
// TimelineView's selection: clicks and Shift-drags that select, hover over arrows, the keys that
// navigate (W A S D, Esc, the arrows), and the selection drawn over the lanes.
#include "ui/timeline/timelineview.h"

#include "ui/timeline/lanepainter.h"

#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

namespace {

/// A press and release closer than this (Manhattan, px) is a click, as in LaneView.
constexpr int kClickSlop = 5;

} // namespace

void TimelineView::modelChanged()
{
    m_callSites.reset();
    m_hoverFlow = -1;
    m_rangeDrag = false;
    m_clickPending = false;
    const bool had = m_selection.kind != TimelineSelection::Kind::None;
    m_selection = TimelineSelection();
    LaneView::modelChanged();
    if (had)
        Q_EMIT selectionChanged(m_selection);
}

void TimelineView::setSelection(TimelineSelection selection)
{
    m_selection = std::move(selection);
    contentChanged();
    Q_EMIT selectionChanged(m_selection);
}

void TimelineView::clearSelection()
{
    if (m_selection.kind != TimelineSelection::Kind::None)
        setSelection(TimelineSelection());
}

void TimelineView::selectSpan(uint32_t thread, int64_t t)
{
    if (!model() || thread >= model()->threadCount())
        return;
    const core::StateSpan span = model()->stateAt(thread, t);
    if (span.state == core::ThreadState::None)
        return;
    TimelineSelection s;
    s.kind = TimelineSelection::Kind::Span;
    s.thread = thread;
    s.span = span;
    if (span.end == core::kTimeMax)
        s.span.end = std::max(span.start, model()->endTime());
    m_callSites.update(*model());
    if (const std::optional<core::CallSite> site = m_callSites.lastCallSite(*model(), thread, span.start)) {
        s.file = site->file;
        s.line = site->line;
    }
    setSelection(std::move(s));
}

void TimelineView::selectRange(int64_t t0, int64_t t1)
{
    if (!model())
        return;
    const int64_t lo = model()->startTime();
    const int64_t hi = std::max(model()->endTime(), lo + 1);
    const int64_t a = std::clamp(std::min(t0, t1), lo, hi);
    const int64_t b = std::clamp(std::max(t0, t1), lo, hi);
    TimelineSelection s;
    s.kind = TimelineSelection::Kind::Range;
    s.range = core::summarizeRange(*model(), a, b);
    setSelection(std::move(s));
}

int TimelineView::flowAt(QPointF pos)
{
    const LaneFrame &f = currentFrame();
    return flowAt(f, layoutFor(f), pos);
}

void TimelineView::selectAt(QPointF pos)
{
    m_currentGroup = -1; // Enter selects again, rather than folding the header clicked before
    if (!model())
        return;
    const LaneFrame &f = currentFrame();
    const TimelineLayout &layout = layoutFor(f);
    if (const int flow = flowAt(f, layout, pos); flow >= 0) {
        TimelineSelection s;
        s.kind = TimelineSelection::Kind::Arrow;
        s.flow = m_data.flows()[size_t(flow)];
        setSelection(std::move(s));
        return;
    }
    if (std::optional<core::InstantMark> mark = markAt(f, layout, pos)) {
        TimelineSelection s;
        s.kind = TimelineSelection::Kind::Mark;
        s.mark = std::move(*mark);
        setSelection(std::move(s));
        return;
    }
    const Hit hit = hitAt(f, layout, pos);
    const bool onThread = hit.kind == Hit::Kind::State || hit.kind == Hit::Kind::Hold || hit.kind == Hit::Kind::Wait;
    if (onThread && hit.span.found && TimelineData::codeState(hit.span.code) != core::ThreadState::None)
        selectSpan(hit.index, hit.time);
    else
        clearSelection();
}

bool TimelineView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == surface() && selectionMouse(event))
        return true;
    return LaneView::eventFilter(watched, event);
}

bool TimelineView::selectionMouse(QEvent *event)
{
    const auto type = event->type();
    if (type == QEvent::Leave) {
        m_pointerX = -1;
        if (m_hoverFlow >= 0) {
            m_hoverFlow = -1;
            contentChanged();
        }
        return false;
    }
    if (type != QEvent::MouseButtonPress && type != QEvent::MouseMove && type != QEvent::MouseButtonRelease)
        return false;
    auto *e = static_cast<QMouseEvent *>(event);
    const QPointF pos = e->position();
    const LaneFrame &f = currentFrame();
    const bool inPlot = f.plot.contains(pos);
    if (type == QEvent::MouseButtonPress) {
        if (e->button() != Qt::LeftButton)
            return false;
        m_clickPending = !(e->modifiers() & Qt::ShiftModifier);
        m_clickPos = pos;
        if (m_clickPending || !model() || !inPlot)
            return false;
        setFocus(Qt::MouseFocusReason);
        m_rangeDrag = true;
        m_rangeAnchor = f.map.toTime(pos.x());
        return true;
    }
    if (type == QEvent::MouseMove) {
        m_pointerX = inPlot ? pos.x() : -1;
        if (m_rangeDrag) {
            selectRange(m_rangeAnchor, f.map.toTime(pos.x()));
            return true;
        }
        if (m_clickPending && (pos - m_clickPos).manhattanLength() >= kClickSlop)
            m_clickPending = false;
        if (e->buttons() == Qt::NoButton) {
            const int hover = inPlot ? flowAt(f, layoutFor(f), pos) : -1;
            if (hover != m_hoverFlow) {
                m_hoverFlow = hover;
                contentChanged();
            }
        }
        return false;
    }
    if (e->button() != Qt::LeftButton)
        return false;
    if (m_rangeDrag) {
        m_rangeDrag = false;
        if ((pos - m_clickPos).manhattanLength() < kClickSlop)
            clearSelection(); // a Shift-click without a drag selects nothing
        else
            selectRange(m_rangeAnchor, f.map.toTime(pos.x()));
        return true;
    }
    if (m_clickPending) {
        m_clickPending = false;
        if (inPlot)
            selectAt(pos);
    }
    return false; // LaneView still moves the playhead on a click
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    if (navigationKey(event))
        event->accept();
    else
        LaneView::keyPressEvent(event);
}

bool TimelineView::navigationKey(QKeyEvent *event)
{
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    const LaneFrame &f = currentFrame();
    const double x = m_pointerX >= 0 ? m_pointerX : f.map.left + f.map.width / 2;
    const bool span = m_selection.kind == TimelineSelection::Kind::Span;
    switch (event->key()) {
    case Qt::Key_W:
        zoomAt(0.8, x);
        return true;
    case Qt::Key_S:
        zoomAt(1.25, x);
        return true;
    case Qt::Key_A:
        panBy(f.map.width * 0.1);
        return true;
    case Qt::Key_D:
        panBy(-f.map.width * 0.1);
        return true;
    case Qt::Key_Escape:
        if (m_selection.kind == TimelineSelection::Kind::None)
            return false;
        clearSelection();
        return true;
    case Qt::Key_M:
        // As Perfetto's M: the selected span's (or arrow's) time becomes the range; else the visible range.
        if (span)
            selectRange(m_selection.span.start, m_selection.span.end);
        else if (m_selection.kind == TimelineSelection::Kind::Arrow)
            selectRange(m_selection.flow.fromTime, m_selection.flow.toTime);
        else
            selectRange(f.map.t0, f.map.t1);
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        // Right after a click on a group's header, Enter folds or unfolds it again (rowKey).
        return m_currentGroup < 0 && startKeyboardSelection();
    case Qt::Key_G:
        return foldSelectedGroup();
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        return span && stepSpan(event->key());
    default:
        return false;
    }
}

bool TimelineView::startKeyboardSelection()
{
    if (!model())
        return false;
    const TimelineLayout &layout = layoutFor(currentFrame());
    for (const TimelineRow &row : layout.rows) {
        if (row.kind == TimelineRow::Kind::Thread &&
            model()->stateAt(row.index, playhead()).state != core::ThreadState::None) {
            selectSpan(row.index, playhead());
            return true;
        }
    }
    return false;
}

bool TimelineView::stepSpan(int key)
{
    const TimelineSelection &s = m_selection;
    const uint32_t thread = s.thread;
    if (key == Qt::Key_Left || key == Qt::Key_Right) {
        const int64_t t = key == Qt::Key_Left ? s.span.start - 1 : s.span.end;
        if (t < model()->thread(thread).start || t >= model()->endTime())
            return true; // the first or last span: stay
        selectSpan(thread, t);
    } else {
        const TimelineLayout &layout = layoutFor(currentFrame());
        if (thread >= layout.threadRow.size() || layout.threadRow[thread] < 0)
            return true;
        const int step = key == Qt::Key_Up ? -1 : 1;
        const auto [v0, v1] = visibleRange();
        const int64_t t = std::clamp((s.span.start + s.span.end) / 2, v0, v1 - 1);
        for (int r = layout.threadRow[thread] + step; r >= 0 && r < int(layout.rows.size()); r += step) {
            const TimelineRow &row = layout.rows[size_t(r)];
            if (row.kind == TimelineRow::Kind::Thread &&
                model()->stateAt(row.index, t).state != core::ThreadState::None) {
                selectSpan(row.index, t);
                break;
            }
        }
    }
    revealSelection();
    return true;
}

void TimelineView::revealSelection()
{
    if (m_selection.kind != TimelineSelection::Kind::Span)
        return;
    const auto [v0, v1] = visibleRange();
    const int64_t a = m_selection.span.start;
    const int64_t b = m_selection.span.end;
    if (b <= v0 || a >= v1) {
        const int64_t w = v1 - v0;
        const int64_t mid = a + (std::min(b - a, w) / 2);
        setVisibleRange(mid - w / 2, mid + w - w / 2);
    }
    const LaneFrame &f = currentFrame();
    const TimelineLayout &layout = layoutFor(f);
    const uint32_t thread = m_selection.thread;
    const int r = thread < layout.threadRow.size() ? layout.threadRow[thread] : -1;
    if (r < 0)
        return;
    const TimelineRow &row = layout.rows[size_t(r)];
    if (f.rowTop(row) < f.plot.top())
        scrollBy(f.rowTop(row) - f.plot.top());
    else if (f.rowTop(row) + f.rowHeight(row) > f.plot.bottom())
        scrollBy(f.rowTop(row) + f.rowHeight(row) - f.plot.bottom());
}

// Painting ----------------------------------------------------------------------------------------

void TimelineView::paintSelection(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const double w = std::max(2.0, th.lineWidth * 1.5);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    // Two strokes, wide background under foreground, so the outline shows on any tile colour.
    const QPen under(th.background, w + 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    const QPen over(th.foreground, w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    const auto &flows = m_data.flows();
    if (m_hoverFlow >= 0 && size_t(m_hoverFlow) < flows.size())
        paintFlow(painter, frame, layout, flows[size_t(m_hoverFlow)],
                  QPen(th.flow, std::max(2.5, th.lineWidth * 2.5), Qt::SolidLine, Qt::RoundCap));
    switch (m_selection.kind) {
    case TimelineSelection::Kind::None:
        break;
    case TimelineSelection::Kind::Span: {
        const uint32_t t = m_selection.thread;
        if (t >= layout.threadRow.size() || layout.threadRow[t] < 0)
            break;
        const Bands b = bandsOf(frame, layout.rows[size_t(layout.threadRow[t])]);
        const double x0 = std::max(frame.plot.left() - w, frame.map.toX(m_selection.span.start));
        const double x1 = std::min(frame.plot.right() + w, frame.map.toX(m_selection.span.end));
        const QRectF box(x0, b.holdTop, std::max(2.0, x1 - x0), b.waitBottom - b.holdTop);
        painter.setBrush(Qt::NoBrush);
        for (const QPen &pen : {under, over}) {
            painter.setPen(pen);
            painter.drawRect(box);
        }
        break;
    }
    case TimelineSelection::Kind::Arrow:
        paintFlow(painter, frame, layout, m_selection.flow, under);
        paintFlow(painter, frame, layout, m_selection.flow, over);
        break;
    case TimelineSelection::Kind::Mark: {
        const auto [row, x] = markPlace(frame, layout, m_selection.mark);
        if (row < 0)
            break;
        const TimelineRow &r = layout.rows[size_t(row)];
        const double radius = std::max(6.0, frame.rowHeight(r) * 0.45);
        const QPointF centre(x, frame.rowTop(r) + frame.rowHeight(r) / 2);
        painter.setBrush(Qt::NoBrush);
        for (const QPen &pen : {under, over}) {
            painter.setPen(pen);
            painter.drawEllipse(centre, radius, radius);
        }
        break;
    }
    case TimelineSelection::Kind::Range:
        paintRange(painter, frame);
        break;
    }
    painter.restore();
}

void TimelineView::paintRange(QPainter &painter, const LaneFrame &frame)
{
    const Theme &th = theme();
    const core::RangeSummary &r = m_selection.range;
    const double x0 = std::max(frame.plot.left(), frame.map.toX(r.start));
    const double x1 = std::min(frame.plot.right(), frame.map.toX(r.end));
    if (x1 < frame.plot.left() || x0 > frame.plot.right())
        return;
    QColor shade = th.foreground;
    shade.setAlpha(36);
    painter.fillRect(QRectF(x0, frame.plot.top(), std::max(1.0, x1 - x0), frame.plot.height()), shade);
    painter.setPen(QPen(th.foreground, std::max(1.5, th.lineWidth), Qt::SolidLine, Qt::FlatCap));
    painter.drawLine(QPointF(x0, frame.plot.top()), QPointF(x0, frame.plot.bottom()));
    painter.drawLine(QPointF(x1, frame.plot.top()), QPointF(x1, frame.plot.bottom()));
    // The duration on a label at the top, centred on the range and kept inside the plot.
    const QString text = TimeFormat::duration(r.end - r.start);
    const QFontMetricsF m(frame.boldFont);
    const double tw = m.horizontalAdvance(text) + m.height();
    const double th2 = m.height() * 1.3;
    const double left =
        std::clamp((x0 + x1 - tw) / 2, frame.plot.left(), std::max(frame.plot.left(), frame.plot.right() - tw));
    const QRectF box(left, frame.plot.top() + th2 * 1.2, tw, th2);
    painter.setPen(QPen(th.foreground, 1));
    painter.setBrush(th.background);
    painter.drawRect(box);
    painter.setFont(frame.boldFont);
    painter.setPen(th.foreground);
    painter.drawText(box, Qt::AlignCenter, text);
}

} // namespace interleave::ui
