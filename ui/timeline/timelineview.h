// SPDX-License-Identifier: MIT
#pragma once

#include "ui/timeline/laneview.h"
#include "ui/timeline/lostupdatemarks.h"
#include "ui/timeline/timelinedata.h"

#include <vector>

namespace interleave::ui {

/// The timeline: a lane per thread under a header per process (pid, name, parent), the thread's
/// states as patterned tiles, its lock holds (a thin bar over the tiles) and waits (under them)
/// named with their lock where room, a lane per lock after its process' threads, an in-flight row
/// under a thread with overlapping async spans, the scenario's phases,
/// flow arrows (queue put→get, pipe, fork, task submit→start), instants (fork, exec, exit, signal,
/// and the deadlock with its cycle), a queue-depth lane per queue at the bottom, and the playhead.
class TimelineView : public LaneView
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    QString title() const override;
    QString viewName() const override { return QStringLiteral("timeline"); }
    std::vector<LegendEntry> legend() const override;
    /// Decodes the whole trace into the lanes on the opening thread.
    Prepare preparer() const override;

    const TimelineData &data() const { return m_data; }
    const LostUpdateMarks &lostUpdates() const { return m_lost; }
    /// Moves the playhead to the next (or previous) lost update and zooms so that it shows. False
    /// when there is none that way.
    bool showLostUpdate(bool forward);
    /// "Next / Previous Lost Update" (N, Shift+N while the timeline has the focus), for a menu.
    QList<QAction *> lostUpdateActions() const { return {m_nextLost, m_previousLost}; }
    /// The rows as the widget shows them now.
    const TimelineLayout &layout() { return layoutFor(currentFrame()); }

    /// What is under a widget position.
    struct Hit
    {
        enum class Kind
        {
            None,
            Process,
            State,
            Hold,
            Wait,
            QueueTitle,
            Queue,
            Lock,    ///< a lock's lane (index = lock id)
            InFlight ///< a thread's in-flight async spans (index = thread)
        };
        Kind kind = Kind::None;
        int row = -1;
        uint32_t index = 0; ///< thread, process or queue slot, by kind
        int64_t time = 0;
        TimelineData::Hit span; ///< Kind::State: the span under the pointer
    };
    /// A binary search for the row and one for the span: well under a microsecond.
    Hit hitTest(QPointF pos);

protected:
    void updateData(bool reset) override;
    const TimelineLayout &layoutFor(const LaneFrame &frame) override;
    double labelWidth(const LaneFrame &frame) override;
    void paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout) override;
    QString toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) override;
    QString emptyText() const override;
    void changeEvent(QEvent *event) override;

private:
    struct Bands
    {
        double holdTop, tileTop, tileBottom, waitBottom;
    };
    Bands bandsOf(const LaneFrame &frame, const TimelineRow &row) const;
    Hit hitAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const;
    void paintThread(QPainter &painter, const LaneFrame &frame, const TimelineRow &row);
    void paintProcess(QPainter &painter, const LaneFrame &frame, const TimelineRow &row);
    void paintQueue(QPainter &painter, const LaneFrame &frame, const TimelineRow &row);
    void paintLabels(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, int first, int last);
    void paintFlows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout);
    void paintMarks(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout);
    void paintDeadlocks(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout);
    QString threadLabel(uint32_t thread) const;
    QString processLabel(uint32_t process) const;
    QString processDetail(uint32_t process) const;
    QString stateText(uint32_t thread, int64_t t) const;
    // Lock lanes, lock names in thread lanes, in-flight spans and phases (timelinelocks.cpp).
    void paintLock(QPainter &painter, const LaneFrame &frame, const TimelineRow &row);
    void paintLockNames(QPainter &painter, const LaneFrame &frame, const TimelineRow &row, double tileTop,
                        double tileBottom);
    void paintInFlight(QPainter &painter, const LaneFrame &frame, const TimelineRow &row);
    void paintPhases(QPainter &painter, const LaneFrame &frame);
    QString lockLabel(uint32_t lock) const;
    QString inFlightLabel(uint32_t thread) const;
    QString lockText(uint32_t lock, int64_t t, int64_t slack) const;
    QString inFlightText(const LaneFrame &frame, const TimelineRow &row, QPointF pos) const;

    TimelineData m_data;
    LostUpdateMarks m_lost;
    QAction *m_nextLost = nullptr;
    QAction *m_previousLost = nullptr;
    uint64_t m_generation = 0;
    TimelineLayout m_layout;
    RowMetrics m_layoutMetrics{-1, -1, -1, -1};
    uint64_t m_layoutGeneration = ~uint64_t(0);
    double m_labelWidth = 0;
    RowMetrics m_metrics;
    QFont m_metricsLabelFont;
    QFont m_metricsBoldFont;
    const Theme *m_metricsTheme = nullptr;
    std::vector<PixelRun> m_runs; ///< scratch, reused every lane of every frame
};

} // namespace interleave::ui
