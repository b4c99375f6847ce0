// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/callsites.h"
#include "ui/timeline/lanepainter.h"
#include "ui/timeline/laneview.h"
#include "ui/timeline/lostupdatemarks.h"
#include "ui/timeline/timelinedata.h"
#include "ui/timeline/timelineselection.h"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

class QPainterPath;
class QPen;

namespace interleave::ui {

/// The timeline: a lane per thread under a header per process (pid, name, parent), the thread's
/// states as patterned tiles, its lock holds (a thin bar over the tiles) and waits (under them)
/// named with their lock where room, a lane per lock after its process' threads, an in-flight row
/// under a thread with overlapping async spans, the scenario's phases,
/// flow arrows (queue put→get, pipe, fork, task submit→start), instants (fork, exec, exit, signal,
/// and the deadlock with its cycle), a queue-depth lane per queue at the bottom, and the playhead.
///
/// Navigation as in Perfetto: W / S zoom in / out around the pointer, A / D pan; a click selects the
/// span, arrow or mark under it, a Shift-drag a time range (Esc clears); with a span selected, Left /
/// Right step to the previous / next span of its lane and Up / Down to the lane above / below.
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
    /// "Be the scheduler": what a held thread of a paused live run does next, with its key
    /// ("1 ▶ load balance"), drawn at the end of its lane.
    struct NextStep
    {
        uint32_t thread = 0;
        QString text;
        bool operator==(const NextStep &) const = default;
    };
    /// The held threads' next steps (empty: none is held).
    void setNextSteps(std::vector<NextStep> steps);
    const std::vector<NextStep> &nextSteps() const { return m_nextSteps; }
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
            Lock,     ///< a lock's lane (index = lock id)
            InFlight, ///< a thread's in-flight async spans (index = thread)
            Slices,   ///< a thread's nested slices of an imported trace (index = thread)
            Counter   ///< an imported trace's counter (index = slot in TimelineData::counters())
        };
        Kind kind = Kind::None;
        int row = -1;
        uint32_t index = 0; ///< thread, process or queue slot, by kind
        int64_t time = 0;
        TimelineData::Hit span; ///< Kind::State: the span under the pointer
    };
    /// A binary search for the row and one for the span: well under a microsecond.
    Hit hitTest(QPointF pos);

    const TimelineSelection &selection() const { return m_selection; }
    /// Selects what is under a widget position: an arrow, else a mark, else a state span; else nothing.
    void selectAt(QPointF pos);
    /// Selects the range [t0, t1) (in either order) and summarises what happened in it.
    void selectRange(int64_t t0, int64_t t1);
    /// Selects the state span of `thread` containing t (nothing if the thread has none there).
    void selectSpan(uint32_t thread, int64_t t);
    void clearSelection();
    /// The index in data().flows() of the arrow under a widget position, -1 for none.
    int flowAt(QPointF pos);
    /// The arrow the pointer is over (drawn highlighted), -1 for none.
    int hoveredFlow() const { return m_hoverFlow; }

    /// Folds or unfolds process group `group` of layout() (timelineviewgroups.cpp).
    void toggleGroup(int group);
    /// G: folds or unfolds the group of the selected span's thread (else the header clicked last).
    bool foldSelectedGroup();

Q_SIGNALS:
    /// The selection changed (to Kind::None when it was cleared).
    void selectionChanged(const interleave::ui::TimelineSelection &selection);

protected:
    void updateData(bool reset) override;
    const TimelineLayout &layoutFor(const LaneFrame &frame) override;
    double labelWidth(const LaneFrame &frame) override;
    void paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout) override;
    QString toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) override;
    QString emptyText() const override;
    void changeEvent(QEvent *event) override;
    void modelChanged() override;
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    bool clickAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) override;
    bool rowKey(QKeyEvent *event) override;
    QString rowToolTip(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) override;

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
    /// A step line of `series` (a queue's depth or a counter) filling the row.
    void paintSeries(QPainter &painter, const LaneFrame &frame, const TimelineRow &row, const QueueSeries &series);
    // An imported trace's nested slices and counters (timelineslices.cpp).
    void paintSlices(QPainter &painter, const LaneFrame &frame, const TimelineRow &row);
    QString slicesLabel(uint32_t thread) const;
    QString slicesText(const LaneFrame &frame, const TimelineRow &row, QPointF pos) const;
    QString counterLabel(uint32_t slot) const;
    QString counterText(uint32_t slot, int64_t t) const;
    /// The label of a row drawn without a glyph (summary, in flight, slices, queues, counters).
    QString plainLabel(const TimelineLayout &layout, const TimelineRow &row) const;
    /// The tooltip of a deadlock mark near pos (empty: none there).
    QString deadlockTip(const LaneFrame &frame, QPointF pos) const;
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
    // Folded process groups (timelineviewgroups.cpp).
    void paintSummary(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, const TimelineRow &row);
    QString groupLabel(const TimelineLayout &layout, uint32_t group) const;
    QString summaryLabel(const TimelineLayout &layout, uint32_t group) const;
    std::function<TileStyle(uint16_t)> stateStyle() const;
    QString lockLabel(uint32_t lock) const;
    QString inFlightLabel(uint32_t thread) const;
    QString lockText(uint32_t lock, int64_t t, int64_t slack) const;
    QString inFlightText(const LaneFrame &frame, const TimelineRow &row, QPointF pos) const;
    // Selection, hover and keyboard navigation (timelineviewselection.cpp).
    void setSelection(TimelineSelection selection);
    /// Shift-drag, clicks and hover on the surface; true when the event was used up.
    bool selectionMouse(QEvent *event);
    /// W A S D, Esc, and the arrows while a span is selected; true when the key was used.
    bool navigationKey(QKeyEvent *event);
    /// Left / Right: the span before / after the selected one; Up / Down: the lane above / below.
    bool stepSpan(int key);
    /// Return: selects the span at the playhead on the first lane that has one.
    bool startKeyboardSelection();
    /// Pans and scrolls so that the selected span shows.
    void revealSelection();
    void paintSelection(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout);
    void paintRange(QPainter &painter, const LaneFrame &frame);
    QString flowText(const core::Flow &flow) const;
    // Flow geometry and instant hits (timelineviewmarks.cpp).
    /// The drawn path of a flow, empty when one of its lanes is not shown.
    QPainterPath flowPath(const LaneFrame &frame, const TimelineLayout &layout, const core::Flow &flow) const;
    /// Draws one flow with `pen` and its arrowhead; false when one of its lanes is not shown.
    bool paintFlow(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, const core::Flow &flow,
                   const QPen &pen) const;
    int flowAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const;
    /// The instant mark drawn at a widget position, if any.
    std::optional<core::InstantMark> markAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const;
    /// Where an instant is drawn: its row (-1 for none) and x.
    std::pair<int, double> markPlace(const LaneFrame &frame, const TimelineLayout &layout,
                                     const core::InstantMark &mark) const;

    /// The held threads' next steps at the end of their lanes (timelineviewmarks.cpp).
    void paintNextSteps(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout);

    TimelineData m_data;
    std::vector<NextStep> m_nextSteps;
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
    TimelineSelection m_selection;
    core::CallSiteIndex m_callSites; ///< for the code line of a selected span, brought up to date on use
    int m_hoverFlow = -1;
    double m_pointerX = -1; ///< last pointer x over the plot, -1 when it left (W / S zoom around it)
    QPointF m_clickPos;
    bool m_clickPending = false;
    bool m_rangeDrag = false;
    int64_t m_rangeAnchor = 0;
    int m_currentGroup = -1; ///< the group Enter folds: the last header clicked
};

} // namespace interleave::ui
