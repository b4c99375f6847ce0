// SPDX-License-Identifier: MIT
// TimelineView's rows: the lanes of threads, processes and queues, and the labels beside them.
#include "ui/timeline/timelineview.h"

#include "ui/timeline/lanepainter.h"
#include "ui/timeline/pauseband.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using core::BlockReason;
using core::ThreadState;

namespace {

/// A padlock, body and shackle, in the square of side `s` whose top left is (left, top).
void drawPadlock(QPainter &painter, double left, double top, double s, const QColor &color)
{
    const QRectF body(left, top + s * 0.35, s, s * 0.65);
    painter.setPen(QPen(color, std::max(1.0, s * 0.14)));
    painter.setBrush(Qt::NoBrush);
    painter.drawArc(QRectF(left + s * 0.2, body.top() - s * 0.45, s * 0.6, s * 0.9), 0, 180 * 16);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRect(body);
}

/// A disclosure triangle of size s centred on c: pointing right when folded, down when open.
void drawDisclosure(QPainter &painter, QPointF c, double s, bool folded, const QColor &color)
{
    QPolygonF arrow;
    if (folded)
        arrow << c + QPointF(-s * 0.35, -s / 2) << c + QPointF(s * 0.45, 0) << c + QPointF(-s * 0.35, s / 2);
    else
        arrow << c + QPointF(-s / 2, -s * 0.35) << c + QPointF(s / 2, -s * 0.35) << c + QPointF(0, s * 0.45);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(arrow);
}

} // namespace

void TimelineView::paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const auto &rows = layout.rows;
    // The rows that intersect the plot vertically.
    const double y0 = frame.contentY(frame.plot.top());
    const double y1 = frame.contentY(frame.plot.bottom());
    auto it = std::upper_bound(rows.begin(), rows.end(), y0, [](double v, const TimelineRow &r) { return v < r.y; });
    const int first = it == rows.begin() ? 0 : int(it - rows.begin()) - 1;
    int last = first;
    while (last + 1 < int(rows.size()) && rows[size_t(last + 1)].y < y1)
        ++last;

    const QRectF full(0, frame.plot.top(), frame.bounds.width(), frame.plot.height());
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (int i = first; i <= last; ++i) {
        const TimelineRow &row = rows[size_t(i)];
        const QRectF band(0, frame.rowTop(row), frame.bounds.width(), frame.rowHeight(row));
        if (row.kind == TimelineRow::Kind::Process || row.kind == TimelineRow::Kind::QueueTitle ||
            row.kind == TimelineRow::Kind::Group)
            painter.fillRect(band, LanePainter::mix(th.background, th.muted, 0.16));
        else if (i % 2 == 1)
            painter.fillRect(band, th.laneAlternate);
    }
    paintGrid(painter, frame);

    painter.save();
    painter.setClipRect(frame.plot.intersected(full), Qt::IntersectClip);
    for (int i = first; i <= last; ++i) {
        const TimelineRow &row = rows[size_t(i)];
        switch (row.kind) {
        case TimelineRow::Kind::Thread:
            paintThread(painter, frame, row);
            break;
        case TimelineRow::Kind::Process:
            paintProcess(painter, frame, row);
            break;
        case TimelineRow::Kind::Queue:
            paintQueue(painter, frame, row);
            break;
        case TimelineRow::Kind::Lock:
            paintLock(painter, frame, row);
            break;
        case TimelineRow::Kind::InFlight:
            paintInFlight(painter, frame, row);
            break;
        case TimelineRow::Kind::Slices:
            paintSlices(painter, frame, row);
            break;
        case TimelineRow::Kind::Counter:
            if (row.index < m_data.counters().size())
                paintSeries(painter, frame, row, m_data.counters()[row.index]);
            break;
        case TimelineRow::Kind::Summary:
            paintSummary(painter, frame, layout, row);
            break;
        default:
            break;
        }
    }
    paintPhases(painter, frame);
    paintFlows(painter, frame, layout);
    paintMarks(painter, frame, layout);
    m_lost.paint(painter, frame, layout, theme());
    paintDeadlocks(painter, frame, layout);
    if (model())
        PauseBand::paint(painter, frame, *model(), th);
    paintNextSteps(painter, frame, layout);
    paintSelection(painter, frame, layout);
    painter.restore();

    paintLabels(painter, frame, layout, first, last);
}

std::function<TileStyle(uint16_t)> TimelineView::stateStyle() const
{
    const Theme &th = theme();
    const bool dark = th.id == Theme::Id::Dark;
    const bool unscheduled = m_data.unscheduled();
    return [&th, dark, unscheduled](uint16_t code) {
        TileStyle s;
        const ThreadState state = TimelineData::codeState(code);
        if (state == ThreadState::None) {
            s.skip = true;
            return s;
        }
        if (unscheduled && state == ThreadState::Running) {
            // Alive, and nothing known of when it ran: a quiet band, never the colour of running.
            s.fill = s.pattern = LanePainter::mix(th.background, th.muted, dark ? 0.3 : 0.22);
            s.style = Qt::SolidPattern;
            return s;
        }
        const QColor c = th.stateColor(state, TimelineData::codeReason(code));
        s.pattern = c;
        s.style = th.statePattern(state, TimelineData::codeReason(code));
        s.fill = s.style == Qt::SolidPattern ? c : LanePainter::mix(th.background, c, dark ? 0.45 : 0.3);
        return s;
    };
}

void TimelineView::paintThread(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    if (row.index >= m_data.lanes().size())
        return;
    const Theme &th = theme();
    const ThreadLane &lane = m_data.lanes()[row.index];
    const Bands b = bandsOf(frame, row);
    m_runs.clear();
    lane.states.pixelRuns(frame.map, m_runs);
    LanePainter::paintTiles(painter, m_runs, frame.map.left, b.tileTop, b.tileBottom - b.tileTop, stateStyle(),
                            frame.vector, th.lineWidth);
    auto barStyle = [](const QColor &c) {
        return [c](uint16_t code) {
            TileStyle s;
            s.skip = code == 0;
            s.fill = c;
            s.style = Qt::SolidPattern;
            return s;
        };
    };
    if (b.tileTop > b.holdTop && !lane.holds.empty()) {
        m_runs.clear();
        lane.holds.pixelRuns(frame.map, m_runs);
        LanePainter::paintTiles(painter, m_runs, frame.map.left, b.holdTop, b.tileTop - b.holdTop, barStyle(th.hold),
                                frame.vector, th.lineWidth);
    }
    if (b.waitBottom > b.tileBottom && !lane.waits.empty()) {
        m_runs.clear();
        lane.waits.pixelRuns(frame.map, m_runs);
        LockLanes::widenRuns(m_runs, LockLanes::minWaitWidth(th.lineWidth)); // a 2 µs wait still shows
        LanePainter::paintTiles(painter, m_runs, frame.map.left, b.tileBottom, b.waitBottom - b.tileBottom,
                                barStyle(th.wait), frame.vector, th.lineWidth);
    }
    paintLockNames(painter, frame, row, b.tileTop, b.tileBottom);
}

void TimelineView::paintProcess(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    const core::ProcessInfo &p = model()->processes()[row.index];
    if (p.start == core::kTimeMax)
        return;
    const Theme &th = theme();
    const int64_t end = p.exited ? p.end : model()->endTime();
    const double x0 = std::max(frame.plot.left(), frame.map.toX(p.start));
    const double x1 = std::min(frame.plot.right(), frame.map.toX(end));
    if (x1 < x0)
        return;
    // The process' life as a bar along the bottom of its header.
    const double h = frame.rowHeight(row);
    const double bar = std::max(2.0, std::round(h * 0.18));
    const double top = frame.rowTop(row) + h - bar - std::max(1.0, h * 0.1);
    painter.fillRect(QRectF(x0, top, std::max(1.0, x1 - x0), bar), th.muted);
}

void TimelineView::paintQueue(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    if (row.index < m_data.queues().size())
        paintSeries(painter, frame, row, m_data.queues()[row.index]);
}

void TimelineView::paintSeries(QPainter &painter, const LaneFrame &frame, const TimelineRow &row, const QueueSeries &q)
{
    const Theme &th = theme();
    if (q.points.empty())
        return;
    const double h = frame.rowHeight(row);
    const double bottom = frame.rowTop(row) + h - std::max(1.0, h * 0.08);
    const double usable = h * 0.8;
    const double range = q.maxDepth - q.minValue;
    const double scale = range > 0 ? usable / range : 0;
    const auto &pts = q.points;
    auto first = std::upper_bound(pts.begin(), pts.end(), frame.map.t0,
                                  [](int64_t t, const core::CounterPoint &p) { return t < p.time; });
    if (first != pts.begin())
        --first;
    // A step line; points that share a pixel column collapse into one column with its peak, so a
    // long trace costs O(pixels).
    struct Column
    {
        double x;
        double peak;
        double end;
    };
    std::vector<Column> columns;
    for (auto it = first + 1; it != pts.end(); ++it) {
        const double x = std::clamp(frame.map.toX(it->time), frame.plot.left(), frame.plot.right());
        if (!columns.empty() && int(columns.back().x) == int(x)) {
            columns.back().peak = std::max(columns.back().peak, it->value);
            columns.back().end = it->value;
        } else {
            columns.push_back({x, it->value, it->value});
        }
        if (it->time > frame.map.t1)
            break;
    }
    auto yOf = [&](double v) { return bottom - (v - q.minValue) * scale; };
    const double startX = std::clamp(frame.map.toX(first->time), frame.plot.left(), frame.plot.right());
    double value = first->value;
    QPainterPath path;
    path.moveTo(startX, bottom);
    path.lineTo(startX, yOf(value));
    double lastX = startX;
    for (const Column &c : columns) {
        path.lineTo(c.x, yOf(value));
        path.lineTo(c.x, yOf(std::max(c.peak, c.end)));
        path.lineTo(c.x, yOf(c.end));
        value = c.end;
        lastX = c.x;
    }
    const int64_t end = std::min(frame.map.t1, model()->endTime());
    const double xEnd = std::max(lastX, std::min(frame.plot.right(), frame.map.toX(end)));
    path.lineTo(xEnd, yOf(value));
    path.lineTo(xEnd, bottom);
    path.closeSubpath();
    const QColor c = th.stateColor(ThreadState::Blocked, BlockReason::Queue);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(c, std::max(1.0, th.lineWidth)));
    painter.setBrush(LanePainter::mix(th.background, c, 0.3));
    painter.drawPath(path);
    painter.restore();
}
QString TimelineView::plainLabel(const TimelineLayout &layout, const TimelineRow &row) const
{
    switch (row.kind) {
    case TimelineRow::Kind::Summary:
        return summaryLabel(layout, row.index);
    case TimelineRow::Kind::InFlight:
        return inFlightLabel(row.index);
    case TimelineRow::Kind::Slices:
        return slicesLabel(row.index);
    case TimelineRow::Kind::QueueTitle:
        return row.index == 1 ? tr("Counters") : tr("Queue depth");
    case TimelineRow::Kind::Counter:
        return counterLabel(row.index);
    case TimelineRow::Kind::Queue: {
        const QueueSeries &q = m_data.queues()[row.index];
        return tr("%1 (max %2)").arg(QString::fromStdString(model()->objectName(q.id))).arg(q.maxDepth);
    }
    default:
        return {};
    }
}

void TimelineView::paintLabels(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, int first,
                               int last)
{
    const Theme &th = theme();
    painter.save();
    painter.setClipRect(frame.labels, Qt::IntersectClip);
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double pad = std::max(4.0, QFontMetricsF(frame.labelFont).height() * 0.35);
    const double width = frame.labels.width() - pad * 2;
    for (int i = first; i <= last; ++i) {
        const TimelineRow &row = layout.rows[size_t(i)];
        const double top = frame.rowTop(row);
        const double h = frame.rowHeight(row);
        if (h < 4)
            continue;
        const bool heading = row.kind == TimelineRow::Kind::Process || row.kind == TimelineRow::Kind::QueueTitle ||
                             row.kind == TimelineRow::Kind::Group;
        const QFont font = LanePainter::fitted(heading ? frame.boldFont : frame.labelFont, h);
        const QFontMetricsF m(font);
        painter.setFont(font);
        QRectF box(pad, top, width, h);
        QString text;
        switch (row.kind) {
        case TimelineRow::Kind::Thread: {
            // The thread's colour, as the cores view shows it.
            const double s = std::min(h * 0.55, m.height() * 0.75);
            painter.setPen(Qt::NoPen);
            painter.setBrush(threadColor(row.index));
            painter.drawRect(QRectF(pad, top + (h - s) / 2, s, s));
            box.setLeft(pad + s + pad * 0.6);
            text = threadLabel(row.index);
            break;
        }
        case TimelineRow::Kind::Process:
        case TimelineRow::Kind::Group: {
            const int group = layout.groupAtRow(i);
            const double s = std::min(h * 0.5, m.height() * 0.6);
            drawDisclosure(painter, QPointF(pad + s / 2, top + h / 2), s, group >= 0 && layout.folded[size_t(group)],
                           th.foreground);
            box.setLeft(pad + s + pad * 0.6);
            text = row.kind == TimelineRow::Kind::Group ? groupLabel(layout, row.index) : processLabel(row.index);
            break;
        }
        case TimelineRow::Kind::Lock: {
            const double s = std::min(h * 0.55, m.height() * 0.75);
            drawPadlock(painter, pad, top + (h - s) / 2, s, th.foreground);
            box.setLeft(pad + s + pad * 0.6);
            text = lockLabel(row.index);
            break;
        }
        case TimelineRow::Kind::InFlight:
        case TimelineRow::Kind::Slices:
            painter.setFont(LanePainter::fitted(frame.smallFont, h));
            [[fallthrough]];
        case TimelineRow::Kind::Summary:
            box.setLeft(pad * 2);
            text = plainLabel(layout, row);
            break;
        default:
            text = plainLabel(layout, row);
            break;
        }
        const bool quiet = row.kind == TimelineRow::Kind::InFlight || row.kind == TimelineRow::Kind::Slices;
        painter.setPen(quiet ? th.muted : th.foreground);
        painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, m.elidedText(text, Qt::ElideRight, box.width()));
    }
    // A rule between the labels and the lanes.
    painter.setPen(QPen(th.muted, 1));
    painter.drawLine(QPointF(frame.labels.right() - 0.5, frame.labels.top()),
                     QPointF(frame.labels.right() - 0.5, frame.labels.bottom()));
    painter.restore();
}

} // namespace interleave::ui
