// SPDX-License-Identifier: MIT
#include "ui/timeline/coresview.h"

#include "ui/timeline/lanepainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

namespace {

double laneHeightOf(const LaneFrame &frame, const Theme &theme)
{
    const QFontMetricsF m(frame.labelFont);
    return std::max(std::ceil(theme.laneHeight * 1.3), std::ceil(m.height() * 1.5));
}

} // namespace

CoresView::CoresView(QWidget *parent)
    : LaneView(parent)
{
    setObjectName(QStringLiteral("cores"));
}

QString CoresView::title() const
{
    return tr("Cores");
}

QString CoresView::emptyText() const
{
    return tr("No core samples yet. While a scenario runs, a sampler reads which core each thread ran on; "
              "its samples appear here.");
}

QString CoresView::threadName(uint32_t thread) const
{
    return model() && thread < model()->threadCount() ? QString::fromStdString(model()->threadName(thread)) : QString();
}

TraceView::Prepare CoresView::preparer() const
{
    return [](const core::TraceModel &model) -> Prepared {
        auto data = std::make_shared<CoreData>();
        data->update(model);
        return data;
    };
}

void CoresView::updateData(bool reset)
{
    const Prepared prepared = reset ? takePrepared() : nullptr;
    if (prepared && model())
        m_data = std::move(*static_cast<CoreData *>(prepared.get()));
    else if (reset || !model())
        m_data.clear();
    if (!model()) {
        ++m_generation;
        return;
    }
    if (reset | m_data.update(*model()))
        ++m_generation;
}

const TimelineLayout &CoresView::layoutFor(const LaneFrame &frame)
{
    if (!(frame.labelFont == m_metricsFont && &theme() == m_metricsTheme)) {
        m_metricsLane = laneHeightOf(frame, theme());
        m_metricsFont = frame.labelFont;
        m_metricsTheme = &theme();
    }
    const double lane = m_metricsLane;
    const double width = frame.exporting ? -2 : frame.bounds.width();
    if (m_layoutGeneration == m_generation && lane == m_layoutLane && width == m_layoutWidth)
        return m_layout;
    m_layoutGeneration = m_generation;
    m_layoutLane = lane;
    m_layoutWidth = width;
    m_layout = TimelineLayout::lanes(m_data.cores(), TimelineRow::Kind::Core, lane, 3);
    m_legendHeight = 0;
    if (!frame.exporting && !m_data.threads().empty()) {
        // The legend wraps under the lanes (an export draws its own under the image).
        const QFontMetricsF m(frame.labelFont);
        const double line = m.height() * 1.4;
        double x = 0;
        int rows = 1;
        for (uint32_t t : m_data.threads()) {
            const double w = m.height() * 1.4 + m.horizontalAdvance(threadName(t)) + m.height();
            if (x > 0 && x + w > frame.bounds.width() - 16) {
                x = 0;
                ++rows;
            }
            x += w;
        }
        m_legendHeight = rows * line + line * 0.5;
        m_layout.height += m_legendHeight;
    }
    return m_layout;
}

double CoresView::labelWidth(const LaneFrame &frame)
{
    const QFontMetricsF m(frame.labelFont);
    double w = 0;
    for (uint32_t c : m_data.cores())
        w = std::max(w, m.horizontalAdvance(tr("core %1").arg(c)));
    return std::ceil(w + m.height() * 1.5);
}

void CoresView::paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (size_t i = 0; i < layout.rows.size(); ++i) {
        const TimelineRow &row = layout.rows[i];
        if (i % 2 == 1)
            painter.fillRect(QRectF(0, frame.rowTop(row), frame.bounds.width(), frame.rowHeight(row)),
                             th.laneAlternate);
    }
    paintGrid(painter, frame);

    const QFontMetricsF labelMetrics(frame.labelFont);
    for (const TimelineRow &row : layout.rows) {
        const double top = frame.rowTop(row);
        const double h = frame.rowHeight(row);
        if (top > frame.plot.bottom() || top + h < frame.plot.top())
            continue;
        const double pad = std::max(1.0, std::round(h * 0.1));
        m_runs.clear();
        m_data.lane(row.index).pixelRuns(frame.map, m_runs);
        painter.save();
        painter.setClipRect(frame.plot, Qt::IntersectClip);
        LanePainter::paintTiles(
            painter, m_runs, frame.map.left, top + pad, h - 2 * pad,
            [&](uint16_t code) {
                TileStyle s;
                s.skip = code == 0;
                s.fill = code ? threadColor(code - 1u) : QColor();
                s.style = Qt::SolidPattern;
                return s;
            },
            frame.vector, th.lineWidth);
        // Names where a run is wide enough to hold a few letters.
        QFont font = frame.labelFont;
        if (labelMetrics.height() > h - 2 * pad)
            font.setPixelSize(std::max(5, int((h - 2 * pad) * 0.75)));
        const QFontMetricsF m(font);
        painter.setFont(font);
        for (const PixelRun &run : m_runs) {
            if (run.code == 0 || run.x1 - run.x0 < m.averageCharWidth() * 3 || h - 2 * pad < 6)
                continue;
            // Only whole names: a row of "T…" says nothing the colour does not.
            const QString name = threadName(run.code - 1u);
            const QRectF box(frame.map.left + run.x0 + 3, top + pad, run.x1 - run.x0 - 6, h - 2 * pad);
            if (m.horizontalAdvance(name) > box.width())
                continue;
            painter.setPen(LanePainter::textOn(threadColor(run.code - 1u)));
            painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, name);
        }
        painter.restore();

        painter.save();
        painter.setClipRect(frame.labels, Qt::IntersectClip);
        QFont lf = frame.labelFont;
        if (labelMetrics.height() > h)
            lf.setPixelSize(std::max(5, int(h * 0.8)));
        painter.setFont(lf);
        painter.setPen(th.foreground);
        painter.drawText(QRectF(labelMetrics.height() * 0.5, top, frame.labels.width(), h),
                         Qt::AlignLeft | Qt::AlignVCenter, tr("core %1").arg(row.index));
        painter.restore();
    }

    paintLegend(painter, frame, layout);
    painter.setPen(QPen(th.muted, 1));
    painter.drawLine(QPointF(frame.labels.right() - 0.5, frame.labels.top()),
                     QPointF(frame.labels.right() - 0.5, frame.labels.bottom()));
}

void CoresView::paintLegend(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    if (m_legendHeight <= 0 || frame.exporting)
        return;
    const QFontMetricsF m(frame.labelFont);
    const double line = m.height() * 1.4;
    const double top0 = frame.plot.top() + (layout.height - m_legendHeight + line * 0.5) * frame.scale - frame.scrollY;
    double x = 0;
    double y = top0;
    painter.save();
    painter.setFont(frame.labelFont);
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (uint32_t t : m_data.threads()) {
        const QString name = threadName(t);
        const double w = m.height() * 1.4 + m.horizontalAdvance(name) + m.height();
        if (x > 0 && x + w > frame.bounds.width() - 16) {
            x = 0;
            y += line;
        }
        const double s = m.height() * 0.9;
        painter.setPen(QPen(th.muted, 1));
        painter.setBrush(threadColor(t));
        painter.drawRect(QRectF(8 + x, y + (line - s) / 2, s, s));
        painter.setPen(th.foreground);
        painter.drawText(QRectF(8 + x + s * 1.4, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, name);
        x += w;
    }
    painter.restore();
}

CoresView::Hit CoresView::hitTest(QPointF pos)
{
    const LaneFrame &f = currentFrame();
    return hitAt(f, layoutFor(f), pos);
}

CoresView::Hit CoresView::hitAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const
{
    Hit hit;
    if (pos.y() < frame.plot.top() || pos.y() > frame.plot.bottom())
        return hit;
    const int r = layout.rowAt(frame.contentY(pos.y()));
    if (r < 0)
        return hit;
    hit.core = int(layout.rows[size_t(r)].index);
    const SpanSummary &lane = m_data.lane(uint32_t(hit.core));
    const int64_t t = frame.map.toTime(pos.x());
    const size_t i = lane.find(t);
    if (i != SpanSummary::npos) {
        hit.start = lane.start(i);
        hit.end = lane.end(i);
        if (lane.code(i) != 0)
            hit.thread = lane.code(i) - 1u;
    }
    return hit;
}

QString CoresView::toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos)
{
    const Hit hit = hitAt(frame, layout, pos);
    if (hit.core < 0 || !model())
        return {};
    if (hit.thread == core::kNoEvent)
        return tr("core %1: no traced thread seen running").arg(hit.core);
    const int64_t origin = model()->startTime();
    const core::ThreadRecord &t = model()->thread(hit.thread);
    return tr("%1 (tid %2, pid %3) ran on core %4\nfrom %5 for %6")
        .arg(threadName(hit.thread))
        .arg(t.tid)
        .arg(t.pid)
        .arg(hit.core)
        .arg(TimeFormat::duration(hit.start - origin), TimeFormat::duration(hit.end - hit.start));
}

std::vector<LegendEntry> CoresView::legend() const
{
    std::vector<LegendEntry> out;
    for (uint32_t t : m_data.threads())
        out.push_back({threadName(t), QBrush(threadColor(t)), QPen(Qt::NoPen)});
    out.push_back(
        {tr("playhead"), QBrush(Qt::NoBrush), QPen(theme().playhead, std::max(2.0, theme().lineWidth * 1.2))});
    return out;
}

} // namespace interleave::ui
