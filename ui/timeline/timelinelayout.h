// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/processgroups.h"
#include "trace/tracemodel.h"

#include <cstdint>
#include <vector>

namespace interleave::ui {

class TimelineData;
struct InFlightLane;
struct SliceLane;

/// One row of the timeline, in content coordinates (y grows down from the first row).
struct TimelineRow
{
    enum class Kind : uint8_t
    {
        Process,    ///< header of a process: name, pid, parent; its lifetime and marks
        Thread,     ///< one thread's lane
        InFlight,   ///< under a thread's lane: its async spans in flight at once, a sub-row each
        Slices,     ///< under a thread's lane: an imported trace's nested slices, a sub-row per depth
        Lock,       ///< one lock's lane, under the threads of its process: holders and waiters
        QueueTitle, ///< the heading above the queue-depth lanes (index 0) or the counters (index 1)
        Queue,      ///< one queue's depth over time
        Counter,    ///< one counter of an imported trace over time (index in TimelineData::counters())
        Core,       ///< one core's lane (cores view)
        Group,      ///< header of a folded batch of short-lived processes (index = group)
        Summary,    ///< a folded group's one lane: the union of its threads' states (index = group)
    };
    Kind kind = Kind::Thread;
    double y = 0;
    double height = 0;
    uint32_t index = 0; ///< process index in model.processes(), thread index, queue slot, core, or lock id
};

/// Heights of the kinds of rows, in pixels (from the theme and the font).
struct RowMetrics
{
    double header = 20;
    double lane = 22;
    double counter = 34;
    double gap = 3;
};

/// The rows of a timeline: processes in the order they started, each followed by its threads in
/// the order they started, then one lane per queue. A plain struct, tested without painting.
struct TimelineLayout
{
    std::vector<TimelineRow> rows;
    double height = 0;
    std::vector<int> threadRow;             ///< thread index -> row index (a folded group's summary), -1 if not shown
    std::vector<int> processRow;            ///< process index -> row index (a folded batch's header), -1 if not shown
    std::vector<int> lockRow;               ///< slot in data.lockLanes().lanes() -> row index
    std::vector<core::ProcessGroup> groups; ///< in the order shown
    std::vector<bool> folded;               ///< by group
    std::vector<int> groupOf;               ///< process index -> group, -1 if not shown

    /// Folded groups (data.folds(), else their default) show their header and one summary lane.
    static TimelineLayout build(const core::TraceModel &model, const TimelineData &data, const RowMetrics &metrics);
    /// The group whose header is row `row` (a process or a batch header), or -1.
    int groupAtRow(int row) const;
    /// Rows of one kind.
    size_t count(TimelineRow::Kind kind) const;
    /// Height of the in-flight row of `lane`.
    static double inFlightHeight(const InFlightLane &lane, const RowMetrics &metrics);
    /// Height of the slice row of `lane`: a sub-row per depth, up to SliceLanes::kMaxRows.
    static double slicesHeight(const SliceLane &lane, const RowMetrics &metrics);
    /// Rows of `count` lanes (cores view).
    static TimelineLayout lanes(const std::vector<uint32_t> &indexes, TimelineRow::Kind kind, double laneHeight,
                                double gap);
    /// The row at content y, or -1: a binary search.
    int rowAt(double y) const;
};

} // namespace interleave::ui
