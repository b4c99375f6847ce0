// SPDX-License-Identifier: MIT
#include "ui/timeline/timelinelayout.h"

#include "scenarios/traceprogram.h"
#include "ui/timeline/timelinedata.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace interleave::ui {

double TimelineLayout::inFlightHeight(const InFlightLane &lane, const RowMetrics &metrics)
{
    // A sub-row per span in flight, thin enough that ten fit in a few lanes' height.
    return std::round(std::clamp(lane.depth * metrics.lane * 0.36, metrics.lane * 0.72, metrics.lane * 4));
}

double TimelineLayout::slicesHeight(const SliceLane &lane, const RowMetrics &metrics)
{
    // Each depth as tall as a name in the lane's font needs (Perfetto's slice rows).
    const size_t depth = std::min(lane.rows.size(), SliceLanes::kMaxRows);
    return std::round(double(depth) * metrics.lane * 0.82);
}

namespace {

/// A lane per queue whose depth changes, under a title. Only counters that change: a depth that
/// never moves (a result queue drained at once) would read as a row of zeros.
void addQueues(TimelineLayout &layout, const TimelineData &data, const RowMetrics &metrics, double &y)
{
    const auto &queues = data.queues();
    if (std::none_of(queues.begin(), queues.end(), [](const QueueSeries &q) { return !q.constant; }))
        return;
    y += metrics.gap;
    layout.rows.push_back({TimelineRow::Kind::QueueTitle, y, metrics.header, 0});
    y += metrics.header;
    for (uint32_t q = 0; q < queues.size(); ++q) {
        if (!queues[q].constant) {
            layout.rows.push_back({TimelineRow::Kind::Queue, y, metrics.counter, q});
            y += metrics.counter;
        }
    }
}

/// A thread's lane, then its slices (an imported trace's) and its async spans in flight.
void addThread(TimelineLayout &layout, const TimelineData &data, const RowMetrics &metrics, uint32_t t, double &y)
{
    auto add = [&](TimelineRow::Kind kind, double height) {
        layout.rows.push_back({kind, y, height, t});
        y += height;
    };
    layout.threadRow[t] = int(layout.rows.size());
    add(TimelineRow::Kind::Thread, metrics.lane);
    if (const SliceLane *lane = data.slices().lane(t))
        add(TimelineRow::Kind::Slices, TimelineLayout::slicesHeight(*lane, metrics));
    if (const InFlightLane *f = data.inFlight().lane(t))
        add(TimelineRow::Kind::InFlight, TimelineLayout::inFlightHeight(*f, metrics));
}

/// A lane per counter of an imported trace, under its own title; a counter that never moves
/// still says its value, so every one is drawn.
void addCounters(TimelineLayout &layout, const TimelineData &data, const RowMetrics &metrics, double &y)
{
    const auto &counters = data.counters();
    if (counters.empty())
        return;
    y += metrics.gap;
    layout.rows.push_back({TimelineRow::Kind::QueueTitle, y, metrics.header, 1});
    y += metrics.header;
    for (uint32_t c = 0; c < counters.size(); ++c) {
        layout.rows.push_back({TimelineRow::Kind::Counter, y, metrics.counter, c});
        y += metrics.counter;
    }
}

} // namespace

TimelineLayout TimelineLayout::build(const core::TraceModel &model, const TimelineData &data, const RowMetrics &metrics)
{
    TimelineLayout layout;
    const auto &processes = model.processes();
    layout.threadRow.assign(model.threadCount(), -1);
    layout.processRow.assign(processes.size(), -1);
    double y = 0;
    auto add = [&](TimelineRow::Kind kind, double height, uint32_t index) {
        layout.rows.push_back({kind, y, height, index});
        y += height;
        return int(layout.rows.size()) - 1;
    };

    const auto &locks = data.lockLanes().lanes();
    layout.lockRow.assign(locks.size(), -1);
    // A traced program's libraries hold locks of their own (libcrypto's, logging's, CPython's):
    // a lock that only one thread ever took, uncontended, gets no lane there.
    const bool traced = core::tracesProgram(model.data());
    for (size_t i = 0; i < locks.size(); ++i) {
        const core::ObjectInfo *info = model.object(locks[i].lock);
        if (traced && !locks[i].shared && !(info && info->kind == core::ObjectKind::Gil)) // the GIL is the lesson
            layout.lockRow[i] = -2;
    }
    auto addLocks = [&](int32_t pid) {
        for (size_t i = 0; i < locks.size(); ++i)
            if (layout.lockRow[i] == -1 && (pid == 0 || locks[i].pid == pid))
                layout.lockRow[i] = add(TimelineRow::Kind::Lock, metrics.lane, locks[i].lock);
    };

    layout.groups = core::processGroups(model);
    layout.folded.assign(layout.groups.size(), false);
    layout.groupOf.assign(processes.size(), -1);
    std::vector<bool> hiddenLock(locks.size(), false);
    for (size_t g = 0; g < layout.groups.size(); ++g) {
        const core::ProcessGroup &group = layout.groups[g];
        const auto fold = data.folds().find(group.processes.front());
        const bool folded = fold != data.folds().end() ? fold->second : group.foldByDefault;
        layout.folded[g] = folded;
        for (uint32_t pi : group.processes)
            layout.groupOf[pi] = int(g);
        if (!layout.rows.empty())
            y += metrics.gap;
        if (folded) {
            // A header and one lane; the group's threads, processes and locks point at them.
            const int header = group.batch ? add(TimelineRow::Kind::Group, metrics.header, uint32_t(g))
                                           : add(TimelineRow::Kind::Process, metrics.header, group.processes.front());
            const int summary = add(TimelineRow::Kind::Summary, metrics.lane, uint32_t(g));
            for (size_t k = 0; k < group.processes.size(); ++k) {
                layout.processRow[group.processes[k]] = header;
                for (uint32_t t : group.threads[k])
                    layout.threadRow[t] = summary;
                for (size_t i = 0; i < locks.size(); ++i)
                    hiddenLock[i] = hiddenLock[i] || locks[i].pid == processes[group.processes[k]].pid;
            }
            continue;
        }
        for (size_t k = 0; k < group.processes.size(); ++k) {
            const uint32_t pi = group.processes[k];
            if (k > 0)
                y += metrics.gap;
            layout.processRow[pi] = add(TimelineRow::Kind::Process, metrics.header, pi);
            for (uint32_t t : group.threads[k])
                addThread(layout, data, metrics, t, y);
            addLocks(processes[pi].pid);
        }
    }
    for (size_t i = 0; i < locks.size(); ++i)
        if (hiddenLock[i] && layout.lockRow[i] < 0)
            layout.lockRow[i] = -2; // folded away with its process
    addLocks(0);                    // locks of processes without lanes
    for (int &row : layout.lockRow)
        row = std::max(row, -1);
    addQueues(layout, data, metrics, y);
    addCounters(layout, data, metrics, y);
    layout.height = y;
    return layout;
}

TimelineLayout TimelineLayout::lanes(const std::vector<uint32_t> &indexes, TimelineRow::Kind kind, double laneHeight,
                                     double gap)
{
    TimelineLayout layout;
    double y = 0;
    for (uint32_t index : indexes) {
        if (!layout.rows.empty())
            y += gap;
        layout.rows.push_back({kind, y, laneHeight, index});
        y += laneHeight;
    }
    layout.height = y;
    return layout;
}

int TimelineLayout::groupAtRow(int row) const
{
    if (row < 0 || size_t(row) >= rows.size())
        return -1;
    const TimelineRow &r = rows[size_t(row)];
    if (r.kind == TimelineRow::Kind::Group || r.kind == TimelineRow::Kind::Summary)
        return int(r.index);
    if (r.kind == TimelineRow::Kind::Process && r.index < groupOf.size())
        return groupOf[r.index];
    return -1;
}

size_t TimelineLayout::count(TimelineRow::Kind kind) const
{
    return size_t(std::count_if(rows.begin(), rows.end(), [kind](const TimelineRow &r) { return r.kind == kind; }));
}

int TimelineLayout::rowAt(double y) const
{
    auto it = std::upper_bound(rows.begin(), rows.end(), y, [](double v, const TimelineRow &r) { return v < r.y; });
    if (it == rows.begin())
        return -1;
    --it;
    return y < it->y + it->height ? int(it - rows.begin()) : -1;
}

} // namespace interleave::ui
