// SPDX-License-Identifier: MIT
#include "ui/timeline/timelinelayout.h"

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
    auto addLocks = [&](int32_t pid) {
        for (size_t i = 0; i < locks.size(); ++i)
            if (layout.lockRow[i] < 0 && (pid == 0 || locks[i].pid == pid))
                layout.lockRow[i] = add(TimelineRow::Kind::Lock, metrics.lane, locks[i].lock);
    };

    std::vector<uint32_t> order(processes.size());
    std::iota(order.begin(), order.end(), 0u);
    // Parents start before their children, so start order reads top-down like the process tree.
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const auto &pa = processes[a];
        const auto &pb = processes[b];
        return pa.start != pb.start ? pa.start < pb.start : pa.pid < pb.pid;
    });
    for (uint32_t pi : order) {
        const core::ProcessInfo &p = processes[pi];
        if (!p.traced())
            continue;
        if (!layout.rows.empty())
            y += metrics.gap;
        layout.processRow[pi] = add(TimelineRow::Kind::Process, metrics.header, pi);
        std::vector<uint32_t> threads;
        for (uint32_t t : p.threads)
            if (t < model.threadCount() && model.thread(t).start != core::kTimeMax && !model.thread(t).recorder)
                threads.push_back(t);
        std::stable_sort(threads.begin(), threads.end(), [&](uint32_t a, uint32_t b) {
            return model.thread(a).start != model.thread(b).start ? model.thread(a).start < model.thread(b).start
                                                                  : a < b;
        });
        for (uint32_t t : threads) {
            layout.threadRow[t] = add(TimelineRow::Kind::Thread, metrics.lane, t);
            if (const InFlightLane *f = data.inFlight().lane(t))
                add(TimelineRow::Kind::InFlight, inFlightHeight(*f, metrics), t);
        }
        addLocks(p.pid);
    }
    addLocks(0); // locks of processes without lanes
    // Only counters that change: a depth that never moves (a result queue drained at once) would
    // read as a row of zeros.
    const auto &queues = data.queues();
    if (std::any_of(queues.begin(), queues.end(), [](const QueueSeries &q) { return !q.constant; })) {
        y += metrics.gap;
        add(TimelineRow::Kind::QueueTitle, metrics.header, 0);
        for (uint32_t q = 0; q < queues.size(); ++q) {
            if (!queues[q].constant)
                add(TimelineRow::Kind::Queue, metrics.counter, q);
        }
    }
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

int TimelineLayout::rowAt(double y) const
{
    auto it = std::upper_bound(rows.begin(), rows.end(), y, [](double v, const TimelineRow &r) { return v < r.y; });
    if (it == rows.begin())
        return -1;
    --it;
    return y < it->y + it->height ? int(it - rows.begin()) : -1;
}

} // namespace interleave::ui
