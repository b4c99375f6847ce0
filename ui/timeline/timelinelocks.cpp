// SPDX-License-Identifier: MIT
// The timeline's lock lanes, the lock names in thread lanes, in-flight async spans and phases: the
// parts of TimelineView that draw what a scenario's explanation points at beyond thread states.
#include "ui/timeline/timelineview.h"

#include "ui/timeline/lanepainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using core::BlockReason;
using core::ThreadState;

namespace {

/// Text on a translucent box of the background, so it reads over tiles and patterns.
void boxedText(QPainter &painter, const QRectF &box, const QString &text, const Theme &th)
{
    QColor bg = th.background;
    bg.setAlpha(210);
    painter.setPen(Qt::NoPen);
    painter.setBrush(bg);
    painter.drawRect(box);
    painter.setPen(th.foreground);
    painter.drawText(box, Qt::AlignCenter, text);
}

} // namespace

QString TimelineView::lockLabel(uint32_t lock) const
{
    return QString::fromStdString(model()->objectName(lock));
}

QString TimelineView::inFlightLabel(uint32_t thread) const
{
    const InFlightLane *lane = m_data.inFlight().lane(thread);
    return tr("in flight: up to %1 at once").arg(lane ? lane->depth : 0);
}

void TimelineView::paintLock(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    const LockLane *lane = m_data.lockLanes().lane(row.index);
    if (!lane)
        return;
    const Theme &th = theme();
    const double top = frame.rowTop(row);
    const double h = frame.rowHeight(row);
    const double pad = std::max(1.0, std::round(h * 0.08));
    // Holders above, waits below: who has it, and who is queueing for it.
    const double holdTop = top + pad;
    const double holdBottom = top + std::round(h * 0.66);
    const double waitTop = holdBottom + std::max(1.0, std::round(h * 0.04));
    const double waitBottom = top + h - pad;

    m_runs.clear();
    lane->holders.pixelRuns(frame.map, m_runs);
    auto holderStyle = [&](uint16_t code) {
        TileStyle s;
        s.skip = code == 0;
        s.fill = threadColor(LockLane::codeThread(code));
        s.style = Qt::SolidPattern;
        s.pattern = s.fill;
        return s;
    };
    LanePainter::paintTiles(painter, m_runs, frame.map.left, holdTop, holdBottom - holdTop, holderStyle, frame.vector,
                            th.lineWidth);
    // The holder's name where its run has room for it.
    const QFont font = LanePainter::fitted(frame.smallFont, holdBottom - holdTop);
    const QFontMetricsF m(font);
    painter.save();
    painter.setFont(font);
    for (const PixelRun &run : m_runs) {
        if (run.code == 0)
            continue;
        const uint32_t thread = LockLane::codeThread(run.code);
        if (thread >= model()->threadCount())
            continue;
        const QString name = QString::fromStdString(model()->threadName(thread));
        const double w = m.horizontalAdvance(name) + m.height() * 0.5;
        if (run.x1 - run.x0 < w)
            continue;
        const QRectF box(frame.map.left + run.x0, holdTop, run.x1 - run.x0, holdBottom - holdTop);
        painter.setPen(LanePainter::textOn(threadColor(thread)));
        painter.drawText(box, Qt::AlignCenter, name);
    }

    // Waits: each one at least a few pixels wide, neighbours merged with their count.
    const std::vector<WaitMark> marks = LockLanes::waitMarks(*lane, frame.map, LockLanes::minWaitWidth(th.lineWidth));
    painter.setPen(Qt::NoPen);
    painter.setBrush(th.wait);
    for (const WaitMark &mark : marks)
        painter.drawRect(QRectF(mark.x0, waitTop, mark.x1 - mark.x0, waitBottom - waitTop));
    const QFont countFont = LanePainter::fitted(frame.smallFont, h * 0.6);
    const QFontMetricsF cm(countFont);
    painter.setFont(countFont);
    for (size_t i = 0; i < marks.size(); ++i) {
        if (marks[i].count < 2)
            continue;
        const QString text = tr("×%1").arg(marks[i].count);
        const double w = cm.horizontalAdvance(text) + 4;
        // Right after the mark, or inside it when the next mark leaves no room; else hovering tells.
        const double next = i + 1 < marks.size() ? marks[i + 1].x0 : frame.plot.right();
        double x = marks[i].x1 + 1;
        if (x + w > next) {
            if (marks[i].x1 - marks[i].x0 < w + 2)
                continue;
            x = marks[i].x0 + 1;
        }
        boxedText(painter, QRectF(x, waitBottom - cm.height(), w, cm.height()), text, th);
    }
    painter.restore();
}

void TimelineView::paintLockNames(QPainter &painter, const LaneFrame &frame, const TimelineRow &row, double tileTop,
                                  double tileBottom)
{
    const ThreadLane &lane = m_data.lanes()[row.index];
    if (lane.holds.empty() && lane.waits.empty())
        return;
    const Theme &th = theme();
    const QFont font = LanePainter::fitted(frame.smallFont, (tileBottom - tileTop) * 0.9);
    const QFontMetricsF m(font);
    if (m.height() > (tileBottom - tileTop) * 1.05)
        return;
    painter.save();
    painter.setFont(font);
    double labelEnd = -1e18;
    // Blocked on a lock: the lock's name at the start of the blocked tile.
    const uint16_t blockedOnLock = TimelineData::stateCode(ThreadState::Blocked, BlockReason::Lock);
    std::vector<PixelRun> runs;
    lane.states.pixelRuns(frame.map, runs);
    struct Label
    {
        double x;
        bool onHold; ///< under the hold bar, at the top of the tiles; else across their middle
        double width;
        QString text;
    };
    std::vector<Label> labels;
    for (const PixelRun &run : runs) {
        if (run.code != blockedOnLock || run.x1 - run.x0 < m.height() * 3)
            continue;
        const core::StateSpan s =
            model()->stateAt(row.index, frame.map.toTime(frame.map.left + (run.x0 + run.x1) / 2.0));
        if (s.state != ThreadState::Blocked || s.reason != BlockReason::Lock)
            continue;
        labels.push_back({frame.map.left + run.x0, false, double(run.x1 - run.x0),
                          tr("waits for %1").arg(QString::fromStdString(model()->objectName(s.object)))});
    }
    // Holds: the names of the locks held, at the start of each hold run wide enough.
    runs.clear();
    lane.holds.pixelRuns(frame.map, runs);
    for (const PixelRun &run : runs) {
        if (run.code == 0 || run.x1 - run.x0 < m.height() * 3)
            continue;
        const int64_t t = frame.map.toTime(frame.map.left + run.x0 + 1);
        QStringList names;
        for (const core::LockInterval &li : model()->lockIntervalsOfThread(row.index, t, t + 1))
            if (li.kind == core::LockInterval::Hold)
                names << QString::fromStdString(model()->objectName(li.object));
        if (!names.isEmpty())
            labels.push_back({frame.map.left + run.x0, true, double(run.x1 - run.x0),
                              tr("holds %1").arg(names.join(QStringLiteral(", ")))});
    }
    std::sort(labels.begin(), labels.end(), [](const Label &a, const Label &b) { return a.x < b.x; });
    for (const Label &l : labels) {
        const double w = m.horizontalAdvance(l.text) + m.height() * 0.4;
        // Two names at most a third of their span: the tile's pattern stays in view beside them.
        if (w * 3 > l.width)
            continue;
        const double x = l.x + 2;
        if (x < labelEnd)
            continue;
        const double y = l.onHold ? tileTop : (tileTop + tileBottom - m.height()) / 2;
        boxedText(painter, QRectF(x, y, w, m.height()), l.text, th);
        labelEnd = x + w + 4;
    }
    painter.restore();
}

void TimelineView::paintInFlight(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    const InFlightLane *lane = m_data.inFlight().lane(row.index);
    if (!lane || lane->depth == 0)
        return;
    const Theme &th = theme();
    const double top = frame.rowTop(row);
    const double h = frame.rowHeight(row);
    const double pad = std::max(1.0, std::round(h * 0.04));
    const double slotH = (h - 2 * pad) / lane->depth;
    const double barH = std::max(1.0, slotH - std::max(1.0, std::round(slotH * 0.18)));
    const QColor c = th.stateColor(ThreadState::Blocked, BlockReason::Io);
    const QFont font = LanePainter::fitted(frame.smallFont, barH);
    const QFontMetricsF m(font);
    const bool withNames = m.height() <= barH * 1.1;
    const double minW = LockLanes::minWaitWidth(th.lineWidth);
    painter.save();
    painter.setFont(font);
    for (const InFlightSpan &s : lane->spans) {
        if (s.end <= frame.map.t0 || s.start >= frame.map.t1)
            continue;
        const double x0 = std::max(frame.plot.left() - 2, frame.map.toX(s.start));
        const double x1 = std::max(x0 + minW, std::min(frame.plot.right() + 2, frame.map.toX(s.end)));
        const QRectF bar(x0, top + pad + s.slot * slotH, x1 - x0, barH);
        painter.setPen(QPen(c, std::max(1.0, th.lineWidth * 0.8)));
        painter.setBrush(LanePainter::mix(th.background, c, 0.45));
        painter.drawRect(bar);
        if (!withNames)
            continue;
        const QString name = QString::fromStdString(core::TraceModel::labelOf(model()->data().string(s.name)));
        if (m.horizontalAdvance(name) + 6 <= bar.width()) {
            painter.setPen(LanePainter::textOn(LanePainter::mix(th.background, c, 0.45)));
            painter.drawText(bar.adjusted(3, 0, -3, 0), Qt::AlignLeft | Qt::AlignVCenter, name);
        }
    }
    painter.restore();
}

void TimelineView::paintPhases(QPainter &painter, const LaneFrame &frame)
{
    const auto &phases = m_data.inFlight().phases();
    if (phases.empty())
        return;
    const Theme &th = theme();
    const QFont font = frame.smallFont;
    const QFontMetricsF m(font);
    painter.save();
    painter.setFont(font);
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (const PhaseBand &p : phases) {
        if (p.end < frame.map.t0 || p.start > frame.map.t1)
            continue;
        const double x = frame.map.toX(p.start);
        const double xEnd = std::min(frame.plot.right(), frame.map.toX(p.end));
        if (x >= frame.plot.left() - 1) {
            QColor line = th.foreground;
            line.setAlpha(150);
            painter.setPen(QPen(line, std::max(1.0, th.lineWidth), Qt::DashLine, Qt::FlatCap));
            painter.drawLine(QPointF(x, frame.plot.top()), QPointF(x, frame.plot.bottom()));
        }
        // The phase's name at the top, in its band (elided to it, so neighbours never overlap).
        const double left = std::max(x, frame.plot.left()) + 3;
        const double room = xEnd - left - 3;
        const QString name = QString::fromStdString(p.name);
        if (room < m.height() * 1.5)
            continue;
        const QString text = m.elidedText(name, Qt::ElideRight, room - m.height() * 0.4);
        const double w = m.horizontalAdvance(text) + m.height() * 0.4;
        const QRectF box(left, frame.plot.top() + 2, w, m.height() * 1.1);
        QColor bg = th.background;
        bg.setAlpha(225);
        painter.setPen(QPen(th.muted, 1));
        painter.setBrush(bg);
        painter.drawRect(box);
        painter.setPen(th.foreground);
        painter.drawText(box, Qt::AlignCenter, text);
    }
    painter.restore();
}

QString TimelineView::lockText(uint32_t lock, int64_t t, int64_t slack) const
{
    const int64_t origin = model()->startTime();
    QStringList lines{tr("lock %1").arg(lockLabel(lock))};
    QStringList holders;
    for (uint32_t x : model()->holdersAt(lock, t))
        holders << QString::fromStdString(model()->threadName(x));
    lines << (holders.isEmpty()
                  ? tr("free at %1").arg(TimeFormat::duration(t - origin))
                  : tr("held by %1 at %2").arg(holders.join(QStringLiteral(", ")), TimeFormat::duration(t - origin)));
    int waits = 0;
    for (const core::LockInterval &li : model()->lockIntervals(lock, t - slack, t + slack + 1)) {
        if (li.kind != core::LockInterval::Wait)
            continue;
        if (++waits > 6)
            continue;
        const int64_t end = li.open ? model()->endTime() : li.end;
        lines << (li.timedOut ? tr("%1 waits from %2 for %3, then gives up: timed out") : tr("%1 waits from %2 for %3"))
                     .arg(QString::fromStdString(model()->threadName(li.thread)),
                          TimeFormat::duration(li.start - origin), TimeFormat::duration(end - li.start));
    }
    if (waits > 6)
        lines << tr("%n more waits here", nullptr, waits - 6);
    return lines.join(QLatin1Char('\n'));
}

QString TimelineView::inFlightText(const LaneFrame &frame, const TimelineRow &row, QPointF pos) const
{
    const InFlightLane *lane = m_data.inFlight().lane(row.index);
    if (!lane || lane->depth == 0)
        return {};
    const int64_t origin = model()->startTime();
    const double slotH = frame.rowHeight(row) / lane->depth;
    const int slot = std::clamp(int((pos.y() - frame.rowTop(row)) / slotH), 0, int(lane->depth) - 1);
    const int64_t t = frame.map.toTime(pos.x());
    const auto slack = int64_t(frame.map.nsPerPixel() * LockLanes::minWaitWidth(theme().lineWidth));
    int inFlight = 0;
    QString under;
    for (const InFlightSpan &s : lane->spans) {
        if (s.start <= t && t < s.end)
            ++inFlight;
        if (s.slot == slot && s.start - slack <= t && t < s.end + slack)
            under = tr("%1 from %2 for %3")
                        .arg(QString::fromStdString(core::TraceModel::labelOf(model()->data().string(s.name))),
                             TimeFormat::duration(s.start - origin), TimeFormat::duration(s.end - s.start));
    }
    QStringList lines{tr("%1: %2 in flight at %3")
                          .arg(QString::fromStdString(model()->threadName(row.index)))
                          .arg(inFlight)
                          .arg(TimeFormat::duration(t - origin))};
    if (!under.isEmpty())
        lines << under;
    return lines.join(QLatin1Char('\n'));
}

} // namespace interleave::ui
