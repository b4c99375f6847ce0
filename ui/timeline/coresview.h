// SPDX-License-Identifier: MIT
#pragma once

#include "ui/timeline/coredata.h"
#include "ui/timeline/laneview.h"

#include <vector>

namespace interleave::ui {

/// The cores view: a lane per core showing which thread ran there, in the thread's colour with its
/// name where there is room, from the /proc sampler's samples; the same zoom, pan and playhead as
/// the timeline, and a legend of the threads.
class CoresView : public LaneView
{
    Q_OBJECT
public:
    explicit CoresView(QWidget *parent = nullptr);

    QString title() const override;
    QString viewName() const override { return QStringLiteral("cores"); }
    std::vector<LegendEntry> legend() const override;
    /// Decodes the whole trace into the lanes on the opening thread.
    Prepare preparer() const override;

    const CoreData &data() const { return m_data; }
    /// The core lane and the thread (kNoEvent: idle) under a widget position; core -1 for none.
    struct Hit
    {
        int core = -1;
        uint32_t thread = core::kNoEvent;
        int64_t start = 0;
        int64_t end = 0;
    };
    Hit hitTest(QPointF pos);

protected:
    void updateData(bool reset) override;
    const TimelineLayout &layoutFor(const LaneFrame &frame) override;
    double labelWidth(const LaneFrame &frame) override;
    void paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout) override;
    QString toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) override;
    QString emptyText() const override;

private:
    Hit hitAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const;
    QString threadName(uint32_t thread) const;
    /// The thread colours under the rows (the window only; an export has its own legend).
    void paintLegend(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout);

    CoreData m_data;
    uint64_t m_generation = 0;
    TimelineLayout m_layout;
    double m_layoutLane = -1;
    double m_layoutWidth = -1;
    double m_legendHeight = 0;
    double m_metricsLane = 0;
    QFont m_metricsFont;
    const Theme *m_metricsTheme = nullptr;
    uint64_t m_layoutGeneration = ~uint64_t(0);
    std::vector<PixelRun> m_runs;
};

} // namespace interleave::ui
