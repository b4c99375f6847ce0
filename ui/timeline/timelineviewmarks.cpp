// SPDX-License-Identifier: MIT
// TimelineView's marks over the lanes: flow arrows, instants (fork, exec, exit, signal) and deadlocks.
#include "ui/timeline/timelineview.h"
#include "ui/timeline/timelineviewimpl.h"

#include "ui/timeline/lanepainter.h"

#include "analysis/instantmarks.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using timelinedetail::flowStyle;
using timelinedetail::signalName;

namespace {

void drawArrowHead(QPainter &painter, QPointF from, QPointF to, double size, const QColor &color)
{
    const double dx = to.x() - from.x();
    const double dy = to.y() - from.y();
    const double len = std::hypot(dx, dy);
    if (len < 1e-6)
        return;
    const double ux = dx / len;
    const double uy = dy / len;
    QPolygonF head;
    head << to << QPointF(to.x() - ux * size - uy * size * 0.5, to.y() - uy * size + ux * size * 0.5)
         << QPointF(to.x() - ux * size + uy * size * 0.5, to.y() - uy * size - ux * size * 0.5);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(head);
    painter.restore();
}

/// Where the head of a flow's arrow points from: the start of a line, halfway up an arc's last handle.
QPointF arrowTail(const QPainterPath &path)
{
    const QPointF end = path.currentPosition();
    return path.elementCount() > 2 ? (end + QPointF(path.elementAt(2))) / 2 : QPointF(path.elementAt(0));
}

double distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double u = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF q = a + ab * u - p;
    return std::hypot(q.x(), q.y());
}

/// The glyph of an instant on its row.
enum class Glyph
{
    Fork,
    Exec,
    Exit,
    Signal,
    Instant ///< an imported trace's instant: a small diamond
};

/// What the timeline draws for an instant: on which row, with which glyph and label.
struct Mark
{
    int row = -1; ///< -1: none (deadlocks are drawn on their own)
    QString text;
    Glyph glyph = Glyph::Fork;
};

/// The header row of process `pid`, or -1.
int processRow(const core::TraceModel &model, const TimelineLayout &layout, int32_t pid)
{
    const core::ProcessInfo *p = model.process(pid);
    if (!p)
        return -1;
    const auto index = size_t(p - model.processes().data());
    return index < layout.processRow.size() ? layout.processRow[index] : -1;
}

/// The thread's own row, or -1.
int threadRow(const TimelineLayout &layout, uint32_t thread)
{
    return thread < layout.threadRow.size() ? layout.threadRow[thread] : -1;
}

Mark markOf(const core::TraceModel &model, const TimelineLayout &layout, const core::InstantMark &instant)
{
    Mark m;
    switch (instant.kind) {
    case core::InstantKind::Fork:
        m.row = threadRow(layout, instant.thread);
        m.text = TimelineView::tr("fork() = %1").arg(instant.number);
        m.glyph = Glyph::Fork;
        break;
    case core::InstantKind::Exec:
        m.row = processRow(model, layout, instant.pid);
        if (m.row < 0)
            m.row = threadRow(layout, instant.thread);
        m.text = TimelineView::tr("exec %1").arg(QString::fromStdString(instant.program));
        m.glyph = Glyph::Exec;
        break;
    case core::InstantKind::Exit:
    case core::InstantKind::Killed:
        m.row = processRow(model, layout, instant.pid);
        m.text = instant.kind == core::InstantKind::Killed
                     ? TimelineView::tr("killed by %1").arg(signalName(int(instant.number)))
                     : TimelineView::tr("exit %1").arg(instant.number);
        m.glyph = Glyph::Exit;
        break;
    case core::InstantKind::Signal:
        m.row = processRow(model, layout, instant.pid);
        if (m.row < 0)
            m.row = threadRow(layout, instant.thread);
        m.text = signalName(int(instant.number));
        m.glyph = Glyph::Signal;
        break;
    case core::InstantKind::Imported:
        m.row = threadRow(layout, instant.thread);
        if (m.row < 0)
            m.row = processRow(model, layout, instant.pid);
        m.text = QString::fromStdString(instant.program);
        m.glyph = Glyph::Instant;
        break;
    }
    return m;
}

/// The glyph of an instant at x on a row from `top`, its middle at `cy`, `s` its half width.
void drawGlyph(QPainter &painter, Glyph glyph, double x, double top, double cy, double s, const Theme &th)
{
    painter.setPen(QPen(th.foreground, std::max(1.0, th.lineWidth), Qt::SolidLine, Qt::RoundCap));
    switch (glyph) {
    case Glyph::Fork: {
        QPolygonF tri;
        tri << QPointF(x - s, top + 1) << QPointF(x + s, top + 1) << QPointF(x, top + 1 + s * 1.4);
        painter.setBrush(th.foreground);
        painter.drawPolygon(tri);
        break;
    }
    case Glyph::Exec:
        painter.setBrush(th.background);
        painter.drawRect(QRectF(x - s * 0.7, cy - s * 0.7, s * 1.4, s * 1.4));
        break;
    case Glyph::Exit:
        painter.drawLine(QPointF(x - s * 0.7, cy - s * 0.7), QPointF(x + s * 0.7, cy + s * 0.7));
        painter.drawLine(QPointF(x - s * 0.7, cy + s * 0.7), QPointF(x + s * 0.7, cy - s * 0.7));
        break;
    case Glyph::Signal: {
        painter.setPen(QPen(th.deadlock, std::max(1.5, th.lineWidth * 1.2), Qt::SolidLine, Qt::RoundCap));
        QPolygonF bolt;
        bolt << QPointF(x + s * 0.3, cy - s) << QPointF(x - s * 0.3, cy) << QPointF(x + s * 0.3, cy)
             << QPointF(x - s * 0.3, cy + s);
        painter.drawPolyline(bolt);
        break;
    }
    case Glyph::Instant: {
        QPolygonF diamond;
        diamond << QPointF(x, cy - s) << QPointF(x + s * 0.7, cy) << QPointF(x, cy + s) << QPointF(x - s * 0.7, cy);
        painter.setBrush(th.foreground);
        painter.drawPolygon(diamond);
        break;
    }
    }
}

} // namespace

QPainterPath TimelineView::flowPath(const LaneFrame &frame, const TimelineLayout &layout, const core::Flow &f) const
{
    if (f.fromThread >= layout.threadRow.size() || f.toThread >= layout.threadRow.size())
        return {};
    const int ra = layout.threadRow[f.fromThread];
    const int rb = layout.threadRow[f.toThread];
    if (ra < 0 || rb < 0)
        return {};
    const TimelineRow &a = layout.rows[size_t(ra)];
    const TimelineRow &b = layout.rows[size_t(rb)];
    const QPointF p0(frame.map.toX(f.fromTime), frame.rowTop(a) + frame.rowHeight(a) / 2);
    const QPointF p1(frame.map.toX(f.toTime), frame.rowTop(b) + frame.rowHeight(b) / 2);
    QPainterPath path(p0);
    if (ra == rb) {
        // Within one lane: an arc above it.
        const double lift = frame.rowHeight(a) * 0.7;
        path.cubicTo(p0 + QPointF(0, -lift), p1 + QPointF(0, -lift), p1);
    } else {
        path.lineTo(p1);
    }
    return path;
}

bool TimelineView::paintFlow(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout,
                             const core::Flow &flow, const QPen &pen) const
{
    const QPainterPath path = flowPath(frame, layout, flow);
    if (path.isEmpty())
        return false;
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
    const double head = std::max(6.0, pen.widthF() * 4);
    drawArrowHead(painter, arrowTail(path), path.currentPosition(), head, pen.color());
    return true;
}

void TimelineView::paintFlows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const auto &flows = m_data.flows();
    if (flows.empty())
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    int drawn = 0;
    // Arrows between the same two lanes that start within a few pixels of the last one drawn
    // (a hundred forks into a folded batch) would merge into one black column: one stands for them.
    timelinedetail::Spacing arrows(3 * timelinedetail::flowWidth(th.lineWidth));
    for (const core::Flow &f : flows) {
        if (std::max(f.fromTime, f.toTime) < frame.map.t0 || std::min(f.fromTime, f.toTime) > frame.map.t1)
            continue;
        if (f.fromThread < layout.threadRow.size() && f.toThread < layout.threadRow.size()) {
            if (!arrows.take({layout.threadRow[f.fromThread], layout.threadRow[f.toThread]}, frame.map.toX(f.fromTime)))
                continue;
        }
        if (!paintFlow(painter, frame, layout, f,
                       QPen(th.flow, timelinedetail::flowWidth(th.lineWidth), flowStyle(f.kind), Qt::RoundCap)))
            continue;
        if (++drawn > 5000)
            break; // beyond this an arrow per flow is only ink; the lanes still show every state
    }
    painter.restore();
}

int TimelineView::flowAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const
{
    const double reach = std::max(5.0, theme().lineWidth * 3);
    const int64_t slack = int64_t(frame.map.nsPerPixel() * reach) + 1;
    const int64_t t = frame.map.toTime(pos.x());
    int best = -1;
    double bestDistance = reach;
    const auto &flows = m_data.flows();
    for (size_t i = 0; i < flows.size(); ++i) {
        const core::Flow &f = flows[i];
        if (t < std::min(f.fromTime, f.toTime) - slack || t > std::max(f.fromTime, f.toTime) + slack)
            continue;
        const QPainterPath path = flowPath(frame, layout, f);
        for (const QPolygonF &line : path.toSubpathPolygons()) {
            for (qsizetype k = 0; k + 1 < line.size(); ++k) {
                const double d = distanceToSegment(pos, line[k], line[k + 1]);
                if (d <= bestDistance) {
                    bestDistance = d;
                    best = int(i);
                }
            }
        }
    }
    return best;
}

std::pair<int, double> TimelineView::markPlace(const LaneFrame &frame, const TimelineLayout &layout,
                                               const core::InstantMark &mark) const
{
    return {markOf(*model(), layout, mark).row, frame.map.toX(mark.time)};
}

std::optional<core::InstantMark> TimelineView::markAt(const LaneFrame &frame, const TimelineLayout &layout,
                                                      QPointF pos) const
{
    const int row = layout.rowAt(frame.contentY(pos.y()));
    if (!model() || row < 0)
        return std::nullopt;
    const double reach =
        std::clamp(frame.rowHeight(layout.rows[size_t(row)]) * 0.32, 3.0, 12.0 * theme().fontScale) + 2;
    const int64_t slack = int64_t(frame.map.nsPerPixel() * reach) + 1;
    const int64_t t = frame.map.toTime(pos.x());
    for (const core::InstantMark &m : core::instantMarks(*model(), t - slack, t + slack, 50)) {
        const auto [r, x] = markPlace(frame, layout, m);
        if (r == row && std::abs(x - pos.x()) <= reach)
            return m;
    }
    return std::nullopt;
}

void TimelineView::paintMarks(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const double margin = frame.map.nsPerPixel() * 20;
    const std::vector<core::InstantMark> marks =
        core::instantMarks(*model(), frame.map.t0 - int64_t(margin), frame.map.t1 + int64_t(margin), 3000);
    if (marks.empty())
        return;
    const QFont font = frame.smallFont;
    const QFontMetricsF metrics(font);
    std::vector<double> labelEnd(layout.rows.size(), -1e18);
    timelinedetail::Spacing glyphs(0); // per row and glyph; the distance is the glyph's size
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const core::InstantMark &instant : marks) {
        const Mark mark = markOf(*model(), layout, instant);
        const int r = mark.row;
        if (r < 0)
            continue;
        const TimelineRow &row = layout.rows[size_t(r)];
        const double h = frame.rowHeight(row);
        const double top = frame.rowTop(row);
        if (top > frame.plot.bottom() || top + h < frame.plot.top())
            continue;
        const double x = frame.map.toX(instant.time);
        const double s = std::clamp(h * 0.32, 3.0, 12.0 * th.fontScale);
        const double cy = top + h / 2;
        if (!glyphs.take({r, int(mark.glyph)}, x, 2 * s))
            continue;
        drawGlyph(painter, mark.glyph, x, top, cy, s, th);
        // A label when the row is tall enough and the previous label of the row is out of the way.
        const QString &text = mark.text;
        const double w = metrics.horizontalAdvance(text);
        const double lx = x + s + 2;
        if (h >= metrics.height() * 0.9 && lx > labelEnd[size_t(r)] && lx + w < frame.plot.right()) {
            const QRectF box(lx, cy - metrics.height() / 2, w + 2, metrics.height());
            painter.setPen(Qt::NoPen);
            QColor bg = th.background;
            bg.setAlpha(200);
            painter.setBrush(bg);
            painter.drawRect(box);
            painter.setFont(font);
            painter.setPen(th.foreground);
            painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, text);
            labelEnd[size_t(r)] = lx + w + 6;
        }
    }
    painter.restore();
}

void TimelineView::paintDeadlocks(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    if (m_data.deadlocks().empty())
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double w = std::max(3.0, th.lineWidth * 2.5);
    for (const DeadlockMark &d : m_data.deadlocks()) {
        // The threads of the cycle: their blocked spans outlined, and who waits for whom.
        for (const core::DeadlockStep &step : d.cycle) {
            if (step.thread >= layout.threadRow.size() || layout.threadRow[step.thread] < 0)
                continue;
            const TimelineRow &row = layout.rows[size_t(layout.threadRow[step.thread])];
            const Bands b = bandsOf(frame, row);
            // The wait began before the Deadlock event, which may be the last instant of the trace.
            TimelineData::Hit span = m_data.stateAt(step.thread, d.time - 1);
            if (!span.found)
                span = m_data.stateAt(step.thread, d.time);
            if (span.found) {
                const double x0 = std::max(frame.plot.left() - w, frame.map.toX(span.start));
                const double x1 = std::min(frame.plot.right() + w, frame.map.toX(span.end));
                painter.setPen(QPen(th.deadlock, w, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(x0, b.holdTop, std::max(2.0, x1 - x0), b.waitBottom - b.holdTop));
            }
            if (step.heldBy < layout.threadRow.size() && layout.threadRow[step.heldBy] >= 0) {
                const TimelineRow &to = layout.rows[size_t(layout.threadRow[step.heldBy])];
                const double x = frame.map.toX(d.time) + w * 3;
                const QPointF p0(x, frame.rowTop(row) + frame.rowHeight(row) / 2);
                const QPointF p1(x, frame.rowTop(to) + frame.rowHeight(to) / 2);
                QPainterPath path(p0);
                const double bend = std::max(12.0, std::abs(p1.y() - p0.y()) * 0.35);
                path.cubicTo(p0 + QPointF(bend, 0), p1 + QPointF(bend, 0), p1);
                painter.setPen(QPen(th.deadlock, w * 0.8, Qt::SolidLine, Qt::RoundCap));
                painter.drawPath(path);
                drawArrowHead(painter, p1 + QPointF(bend, 0), p1, std::max(8.0, w * 3), th.deadlock);
            }
        }
        const double x = frame.map.toX(d.time);
        if (x < frame.plot.left() - w || x > frame.plot.right() + w)
            continue;
        painter.setPen(QPen(th.deadlock, w, Theme::deadlockStyle, Qt::FlatCap));
        painter.drawLine(QPointF(x, frame.plot.top()), QPointF(x, frame.plot.bottom()));
        const QString text = tr("DEADLOCK");
        const QFont font = frame.boldFont;
        const QFontMetricsF m(font);
        const double tw = m.horizontalAdvance(text) + m.height();
        double left = x + w;
        if (left + tw > frame.plot.right())
            left = x - w - tw;
        const QRectF box(left, frame.plot.top() + 2, tw, m.height() * 1.2);
        painter.setPen(Qt::NoPen);
        painter.setBrush(th.deadlock);
        painter.drawRect(box);
        painter.setFont(font);
        painter.setPen(LanePainter::textOn(th.deadlock));
        painter.drawText(box, Qt::AlignCenter, text);
    }
    painter.restore();
}

void TimelineView::setNextSteps(std::vector<NextStep> steps)
{
    if (steps == m_nextSteps)
        return;
    m_nextSteps = std::move(steps);
    contentChanged();
}

void TimelineView::paintNextSteps(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    if (m_nextSteps.empty() || !model())
        return;
    const Theme &th = theme();
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const NextStep &step : m_nextSteps) {
        if (step.thread >= layout.threadRow.size() || layout.threadRow[step.thread] < 0)
            continue;
        const TimelineRow &row = layout.rows[size_t(layout.threadRow[step.thread])];
        const double h = frame.rowHeight(row);
        const double top = frame.rowTop(row);
        if (h < 6 || top > frame.plot.bottom() || top + h < frame.plot.top())
            continue;
        // Just after where the lane ends now (the thread waits there), kept inside the plot.
        const QFont font = LanePainter::fitted(frame.boldFont, h * 0.9);
        const QFontMetricsF m(font);
        const double pad = m.height() * 0.3;
        const double w = m.horizontalAdvance(step.text) + pad * 2;
        const double boxH = std::min(h - 2, m.height() + pad);
        double x = frame.map.toX(model()->endTime()) + pad;
        x = std::clamp(x, frame.plot.left(), std::max(frame.plot.left(), frame.plot.right() - w - 1));
        const QRectF box(x, top + (h - boxH) / 2, w, boxH);
        const QColor accent = threadColor(step.thread);
        painter.setPen(QPen(accent, std::max(1.0, th.lineWidth)));
        painter.setBrush(th.background);
        painter.drawRoundedRect(box, boxH * 0.25, boxH * 0.25);
        painter.setFont(font);
        painter.setPen(th.foreground);
        painter.drawText(box, Qt::AlignCenter, step.text);
    }
    painter.restore();
}

} // namespace interleave::ui
