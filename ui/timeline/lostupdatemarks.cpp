// SPDX-License-Identifier: MIT
#include "ui/timeline/lostupdatemarks.h"

#include "analysis/lostupdates.h"
#include "trace/tracemodel.h"
#include "ui/theme.h"
#include "ui/timeline/lanepainter.h"
#include "ui/timeline/timelinelayout.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace interleave::ui {

int64_t LostUpdateMark::firstTime() const
{
    return otherSeenTime >= 0 ? std::min({seenTime, otherSeenTime, otherStoreTime})
                              : std::min(seenTime, otherStoreTime);
}

void LostUpdateMarks::clear()
{
    m_model = nullptr;
    m_tracker.clear();
    m_marks.clear();
    m_settled = 0;
    m_settledMaxSpan = 0;
    m_maxSpan = 0;
    m_lostDelta = 0;
}

bool LostUpdateMarks::update(const core::TraceModel &model)
{
    if (&model != m_model) {
        const bool had = !m_marks.empty();
        clear();
        m_model = &model;
        if (!m_tracker.update(model) && !had)
            return false;
    } else if (!m_tracker.update(model)) {
        return false;
    }
    // The marks of the tracker's settled lost updates stay; the rest are made again.
    if (m_tracker.settledResets() != m_resets) {
        m_resets = m_tracker.settledResets();
        m_settled = 0;
        m_settledMaxSpan = 0;
    }
    const auto &all = m_tracker.all();
    m_marks.resize(m_settled);
    m_maxSpan = m_settledMaxSpan;
    for (size_t i = m_settled; i < all.size(); ++i) {
        const core::LostUpdate &u = all[i];
        LostUpdateMark m{u.thread,    u.otherThread, u.seenTime,   u.otherSeenTime, u.otherTime,
                         u.storeTime, u.seenValue,   u.storeValue, u.otherValue,    u.lostDelta};
        m_maxSpan = std::max(m_maxSpan, m.storeTime - m.firstTime());
        m_marks.push_back(m);
        if (i + 1 == m_tracker.settledCount())
            m_settledMaxSpan = m_maxSpan;
    }
    m_settled = m_tracker.settledCount();
    m_lostDelta = m_tracker.lostDelta();
    return true;
}

int LostUpdateMarks::next(int64_t t) const
{
    auto it = std::upper_bound(m_marks.begin(), m_marks.end(), t,
                               [](int64_t time, const LostUpdateMark &m) { return time < m.storeTime; });
    return it == m_marks.end() ? -1 : int(it - m_marks.begin());
}

int LostUpdateMarks::previous(int64_t t) const
{
    auto it = std::lower_bound(m_marks.begin(), m_marks.end(), t,
                               [](const LostUpdateMark &m, int64_t time) { return m.storeTime < time; });
    return it == m_marks.begin() ? -1 : int(it - m_marks.begin()) - 1;
}

std::pair<int64_t, int64_t> LostUpdateMarks::rangeOf(int i) const
{
    const LostUpdateMark &m = m_marks[size_t(i)];
    const int64_t span = std::max<int64_t>(m.storeTime - m.firstTime(), 200);
    // The marks fill the middle third, so neighbours and the states around them show too.
    return {m.firstTime() - span, m.storeTime + span};
}

std::vector<LostUpdateMarks::Group> LostUpdateMarks::groups(int64_t t0, int64_t t1, int64_t minNs) const
{
    std::vector<Group> out;
    auto it = std::lower_bound(m_marks.begin(), m_marks.end(), t0,
                               [](const LostUpdateMark &m, int64_t time) { return m.storeTime < time; });
    // Marks whose store is after the range may still have their loads inside it.
    for (auto end = m_marks.end(); it != end && it->storeTime - m_maxSpan <= t1; ++it) {
        if (it->firstTime() > t1)
            continue;
        const size_t index = size_t(it - m_marks.begin());
        if (!out.empty() && it->storeTime - m_marks[out.back().first].storeTime < minNs &&
            out.back().first + out.back().count == index)
            ++out.back().count;
        else
            out.push_back({index, 1});
    }
    return out;
}

QString LostUpdateMarks::label(const LostUpdateMark &mark)
{
    const QString delta =
        mark.lostDelta > 0 ? QStringLiteral("+") + QString::number(mark.lostDelta) : QString::number(mark.lostDelta);
    return tr("lost %1").arg(delta);
}

QString LostUpdateMarks::groupLabel(const Group &group) const
{
    int64_t net = 0;
    for (size_t i = group.first; i < group.first + group.count; ++i)
        net += m_marks[i].lostDelta;
    const QString count = tr("%n lost updates", nullptr, int(group.count));
    // +n and -n lost together leave the balance right: say so, or the class reads "no harm done".
    if (net == 0)
        return tr("%1, cancelled out").arg(count);
    return tr("%1, net %2").arg(count, net > 0 ? QStringLiteral("+") + QString::number(net) : QString::number(net));
}

namespace {

// One lost update on its own: the two loads of the same value, joined to the store that
// overwrote the other's update.
void paintLostPair(QPainter &painter, const LaneFrame &frame, const LostUpdateMark &m, double y, double oy,
                   const QColor &colour, double w, double r, const QColor &background)
{
    const double xs = frame.map.toX(m.storeTime);
    const double xl = frame.map.toX(m.seenTime);
    const double xo = frame.map.toX(m.otherStoreTime);
    painter.setPen(QPen(colour, w, Qt::DashLine, Qt::RoundCap));
    painter.setBrush(Qt::NoBrush);
    painter.drawLine(QPointF(xl, y), QPointF(xs, y));
    if (oy >= 0) {
        if (m.otherSeenTime >= 0) {
            const double xol = frame.map.toX(m.otherSeenTime);
            painter.drawLine(QPointF(xol, oy), QPointF(xo, oy));
            painter.drawLine(QPointF(xl, y), QPointF(xol, oy)); // both read the same value
            painter.setPen(QPen(colour, w));
            painter.setBrush(background);
            painter.drawEllipse(QPointF(xol, oy), r, r);
        }
        // The overwritten store: crossed out.
        painter.setPen(QPen(colour, w, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(xo - r, oy - r), QPointF(xo + r, oy + r));
        painter.drawLine(QPointF(xo - r, oy + r), QPointF(xo + r, oy - r));
        painter.setPen(QPen(colour, w, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(xo, oy), QPointF(xs, y));
    }
    painter.setPen(QPen(colour, w));
    painter.setBrush(background);
    painter.drawEllipse(QPointF(xl, y), r, r);
}

} // namespace

void LostUpdateMarks::paint(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout,
                            const Theme &th) const
{
    if (m_marks.empty())
        return;
    const QFontMetricsF metrics(frame.smallFont);
    // Closer than a label's width, marks merge into one with a count.
    const double minPixels = metrics.horizontalAdvance(QStringLiteral("lost +88")) + metrics.height();
    const int64_t minNs = std::max<int64_t>(1, int64_t(frame.map.nsPerPixel() * minPixels));
    const std::vector<Group> visible = groups(frame.map.t0, frame.map.t1, minNs);
    if (visible.empty())
        return;
    auto rowY = [&](uint32_t thread) -> double {
        if (thread >= layout.threadRow.size() || layout.threadRow[thread] < 0)
            return -1;
        const TimelineRow &row = layout.rows[size_t(layout.threadRow[thread])];
        return frame.rowTop(row) + frame.rowHeight(row) / 2;
    };
    const QColor colour = th.deadlock;
    const double w = std::max(1.5, th.lineWidth * 1.5);
    const double r = std::max(3.0, metrics.height() * 0.25);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setFont(frame.smallFont);
    double labelEnd = -1e18;
    for (const Group &g : visible) {
        const LostUpdateMark &m = m_marks[g.first];
        const double y = rowY(m.thread);
        const double oy = rowY(m.otherThread);
        if (y < 0)
            continue;
        const double xs = frame.map.toX(m.storeTime);
        if (g.count == 1)
            paintLostPair(painter, frame, m, y, oy, colour, w, r, th.background);
        // The overwriting store: a filled diamond, labelled.
        QPolygonF diamond;
        const double d = r * 1.4;
        diamond << QPointF(xs, y - d) << QPointF(xs + d, y) << QPointF(xs, y + d) << QPointF(xs - d, y);
        painter.setPen(QPen(colour, w));
        painter.setBrush(colour);
        painter.drawPolygon(diamond);
        const QString text = g.count == 1 ? label(m) : groupLabel(g);
        const double tw = metrics.horizontalAdvance(text) + 4;
        const double lx = xs + d + 2;
        if (lx > labelEnd) {
            const QRectF box(lx, y - d - metrics.height(), tw, metrics.height());
            painter.setPen(Qt::NoPen);
            painter.setBrush(colour);
            painter.drawRect(box);
            painter.setPen(LanePainter::textOn(colour));
            painter.drawText(box, Qt::AlignCenter, text);
            labelEnd = lx + tw + 4;
        }
    }
    painter.restore();
}

} // namespace interleave::ui
