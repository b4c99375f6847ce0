// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/waitforgraph.h"
#include "trace/modelchanges.h"
#include "trace/tracemodel.h"
#include "ui/timeline/inflight.h"
#include "ui/timeline/locklanes.h"
#include "ui/timeline/slicelanes.h"
#include "ui/timeline/spansummary.h"

#include <bitset>
#include <cstdint>
#include <map>
#include <vector>

namespace interleave::ui {

/// What the timeline draws for one thread: its states, and when it held or waited for a lock.
struct ThreadLane
{
    SpanSummary states{false};
    SpanSummary holds{true};               ///< code 1 while it holds at least one lock
    SpanSummary waits{true};               ///< code 1 while it waits for a lock or semaphore
    int64_t lockOpenFrom = core::kTimeMax; ///< start of the earliest lock interval still open
};

/// The depth of one queue over time, or an imported trace's counter.
struct QueueSeries
{
    uint32_t id = 0; ///< the queue's object id, or the counter's name (str id)
    std::vector<core::CounterPoint> points;
    double maxDepth = 0;
    double minValue = 0;  ///< the lowest point, or 0 if none is below it (counters may go negative)
    bool constant = true; ///< every point has the same depth: a row of it would say nothing (not drawn)

    /// Reads max, min and constant from `points`.
    void measure();
};

/// A Deadlock event with the cycle of the wait-for graph at its time.
struct DeadlockMark
{
    int64_t time = 0;
    std::vector<core::DeadlockStep> cycle;
};

/// The timeline's summaries of a TraceModel, brought up to date incrementally: update() asks the
/// model what the events ingested since the last call changed (core::changesSince: which part of
/// which lane — a live thread's last span grows, a sampler's run-queue delay turns part of the past
/// Ready), cuts each lane back to there and appends the model's spans from that point on.
class TimelineData
{
public:
    /// A thread state as a span code (0 = no state: before the thread started).
    static uint16_t stateCode(core::ThreadState state, core::BlockReason reason)
    {
        return uint16_t(uint16_t(state) << 4 | uint16_t(reason));
    }
    static core::ThreadState codeState(uint16_t code) { return core::ThreadState(code >> 4); }
    static core::BlockReason codeReason(uint16_t code) { return core::BlockReason(code & 15); }

    void clear();
    /// Catches up with `model` (a different or cleared model is read from scratch). True if
    /// anything changed.
    bool update(const core::TraceModel &model);

    /// By thread index.
    const std::vector<ThreadLane> &lanes() const { return m_lanes; }
    const std::vector<core::Flow> &flows() const { return m_flows; }
    const std::vector<QueueSeries> &queues() const { return m_queues; }
    /// An imported trace's counters ('C' events), by name id.
    const std::vector<QueueSeries> &counters() const { return m_counters; }
    /// An imported trace's nested slices, a lane of depth rows per thread that has them.
    const SliceLanes &slices() const { return m_slices; }
    const std::vector<DeadlockMark> &deadlocks() const { return m_deadlocks; }
    /// One lane per lock: holders and waiters.
    const LockLanes &lockLanes() const { return m_lockLanes; }
    /// Overlapping async spans per thread, and the scenario's phases.
    const InFlightData &inFlight() const { return m_inFlight; }
    /// State codes that occur (for the legend).
    const std::bitset<128> &presentCodes() const { return m_present; }
    /// The trace came from another tool, without scheduling data: a thread's life is drawn as
    /// "alive", never as running (an import from another tool).
    bool unscheduled() const { return m_unscheduled; }
    bool hasHolds() const { return m_hasHolds; }
    bool hasWaits() const { return m_hasWaits; }

    /// The state span of `thread` containing t, from the summary: a binary search.
    struct Hit
    {
        bool found = false;
        int64_t start = 0;
        int64_t end = 0;
        uint16_t code = 0;
    };
    Hit stateAt(uint32_t thread, int64_t t) const;

    /// Bytes held by the summaries.
    size_t bytes() const;

    /// Process groups folded (true) or unfolded (false) by hand, by the group's first process
    /// index; the others follow core::ProcessGroup::foldByDefault. A new trace forgets them.
    const std::map<uint32_t, bool> &folds() const { return m_folds; }
    void setFolded(uint32_t firstProcess, bool folded) { m_folds[firstProcess] = folded; }

private:
    /// Adds a mark, with the wait-for cycle at its time, for each deadlock recorded since last.
    void addDeadlocks(const core::TraceModel &model, const std::vector<int64_t> &times);
    /// Fetches the states of every thread again from where they changed (`dirty`).
    void refetchDirty(const core::TraceModel &model, const std::vector<int64_t> &dirty, bool endChanged);
    void refetchStates(const core::TraceModel &model, uint32_t thread, int64_t from);
    void updateLocks(const core::TraceModel &model, std::vector<int64_t> &dirty, bool endChanged);
    /// Reads the depth series of `queues` (sorted, each once) again.
    void updateQueues(const core::TraceModel &model, const std::vector<uint32_t> &queues);
    /// Reads the counters again when the model holds more of them.
    void updateCounters(const core::TraceModel &model);

    const core::TraceModel *m_model = nullptr;
    size_t m_seen = 0;
    int64_t m_lastStart = 0;
    int64_t m_lastEnd = core::kTimeMin;
    std::vector<ThreadLane> m_lanes;
    std::vector<core::Flow> m_flows;
    std::vector<QueueSeries> m_queues;
    std::vector<QueueSeries> m_counters;
    size_t m_counterEvents = 0; ///< ingested events when the counters were last read
    SliceLanes m_slices;
    std::vector<DeadlockMark> m_deadlocks;
    LockLanes m_lockLanes;
    InFlightData m_inFlight;
    std::bitset<128> m_present;
    bool m_unscheduled = false;
    bool m_hasHolds = false;
    bool m_hasWaits = false;
    std::map<uint32_t, bool> m_folds;
};

} // namespace interleave::ui
