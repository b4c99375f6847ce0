// SPDX-License-Identifier: MIT
// An imported trace's own content on the timeline: each thread's nested slices, a row per depth
// with their names as Perfetto draws them, and its counters as lanes of their own.
#include "ui/timeline/timelineview.h"

#include "ui/timeline/lanepainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

namespace {

/// A slice's colour: the same name always gets the same hue, so repeated calls read as one thing.
QColor sliceColor(const std::string &name, const Theme &th)
{
    const size_t hash = std::hash<std::string>{}(name);
    const QColor c = QColor::fromHsv(int(hash % 360), 110 + int((hash >> 9) % 60), 215 - int((hash >> 15) % 40));
    return th.id == Theme::Id::Dark ? LanePainter::mix(th.background, c, 0.7) : c;
}

} // namespace

QString TimelineView::slicesLabel(uint32_t thread) const
{
    const SliceLane *lane = m_data.slices().lane(thread);
    if (!lane)
        return {};
    if (lane->rows.size() > SliceLanes::kMaxRows)
        return tr("%n slice(s), %1 of %2 levels shown", nullptr, int(lane->count))
            .arg(SliceLanes::kMaxRows)
            .arg(lane->rows.size());
    return tr("%n slice(s)", nullptr, int(lane->count));
}

void TimelineView::paintSlices(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    const SliceLane *lane = m_data.slices().lane(row.index);
    if (!lane || lane->rows.empty())
        return;
    const Theme &th = theme();
    const size_t depth = std::min(lane->rows.size(), SliceLanes::kMaxRows);
    const double rowH = frame.rowHeight(row) / double(depth);
    const double barH = std::max(1.0, rowH - std::max(1.0, std::round(rowH * 0.1)));
    const QFont font = LanePainter::fitted(frame.smallFont, barH * 0.95);
    const QFontMetricsF m(font);
    const bool withNames = m.height() <= barH * 1.15;
    painter.save();
    painter.setFont(font);
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (size_t d = 0; d < depth; ++d) {
        const auto &bars = lane->rows[d];
        const double y = frame.rowTop(row) + double(d) * rowH;
        // Bars of one depth never overlap: sorted by start, they are sorted by end too.
        auto it = std::lower_bound(bars.begin(), bars.end(), frame.map.t0,
                                   [](const SliceBar &s, int64_t t) { return s.end < t; });
        double drawnTo = -1e9; // bars narrower than a pixel share the column they fall in
        for (; it != bars.end() && it->start <= frame.map.t1; ++it) {
            const double x0 = std::max(frame.plot.left() - 2, frame.map.toX(it->start));
            const double x1 = std::min(frame.plot.right() + 2, frame.map.toX(it->end));
            if (x1 < drawnTo + 1)
                continue;
            const std::string &name = model()->data().string(it->name);
            const QColor c = sliceColor(name, th);
            const QRectF bar(x0, y, std::max(1.0, x1 - x0), barH);
            painter.fillRect(bar, c);
            drawnTo = bar.right();
            if (!withNames || bar.width() < m.averageCharWidth() * 3 + 4)
                continue;
            const QString label =
                m.elidedText(QString::fromStdString(core::TraceModel::labelOf(name)), Qt::ElideRight, bar.width() - 4);
            painter.setPen(LanePainter::textOn(c));
            painter.drawText(bar.adjusted(2, 0, -2, 0), Qt::AlignLeft | Qt::AlignVCenter, label);
        }
    }
    painter.restore();
}

QString TimelineView::slicesText(const LaneFrame &frame, const TimelineRow &row, QPointF pos) const
{
    const SliceLane *lane = m_data.slices().lane(row.index);
    if (!lane || lane->rows.empty())
        return {};
    const size_t depth = std::min(lane->rows.size(), SliceLanes::kMaxRows);
    const double rowH = frame.rowHeight(row) / double(depth);
    const size_t d = size_t(std::clamp(int((pos.y() - frame.rowTop(row)) / rowH), 0, int(depth) - 1));
    const int64_t t = frame.map.toTime(pos.x());
    const auto slack = int64_t(frame.map.nsPerPixel());
    const SliceBar *s = lane->at(d, t);
    if (!s)
        s = lane->at(d, t - slack);
    if (!s)
        s = lane->at(d, t + slack);
    if (!s)
        return slicesLabel(row.index);
    const int64_t origin = model()->startTime();
    const QString name = QString::fromStdString(core::TraceModel::labelOf(model()->data().string(s->name)));
    const QString what =
        s->open
            ? tr("%1 from %2, still open at the end of the trace").arg(name, TimeFormat::duration(s->start - origin))
            : tr("%1 from %2 for %3")
                  .arg(name, TimeFormat::duration(s->start - origin), TimeFormat::duration(s->end - s->start));
    return tr("%1, depth %2\n%3").arg(QString::fromStdString(model()->threadName(row.index))).arg(d).arg(what);
}

QString TimelineView::counterLabel(uint32_t slot) const
{
    if (slot >= m_data.counters().size())
        return {};
    const QueueSeries &c = m_data.counters()[slot];
    return tr("%1 (max %2)")
        .arg(QString::fromStdString(core::TraceModel::labelOf(model()->data().string(c.id))))
        .arg(c.maxDepth);
}

QString TimelineView::counterText(uint32_t slot, int64_t t) const
{
    if (slot >= m_data.counters().size())
        return {};
    const QueueSeries &c = m_data.counters()[slot];
    auto it = std::upper_bound(c.points.begin(), c.points.end(), t,
                               [](int64_t v, const core::CounterPoint &p) { return v < p.time; });
    const QString name = QString::fromStdString(core::TraceModel::labelOf(model()->data().string(c.id)));
    if (it == c.points.begin())
        return tr("%1: no value yet at %2").arg(name, TimeFormat::duration(t - model()->startTime()));
    return tr("%1: %2 at %3").arg(name).arg((it - 1)->value).arg(TimeFormat::duration(t - model()->startTime()));
}

} // namespace interleave::ui
