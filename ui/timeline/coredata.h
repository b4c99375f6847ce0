// SPDX-License-Identifier: MIT
#pragma once

#include "trace/modelchanges.h"
#include "trace/recordedcores.h"
#include "trace/tracemodel.h"
#include "ui/timeline/spansummary.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace interleave::ui {

/// A thread on a core during [start, end).
struct CoreSegment
{
    int64_t start = 0;
    int64_t end = 0;
    uint32_t thread = 0;
    bool provisional = false; ///< its end is a guess until the thread's next sample arrives
    bool operator==(const CoreSegment &) const = default;
};

/// Which thread ran on which core when, from the /proc sampler's samples: a sample (thread, core,
/// state R) says the thread last ran there at that time and is running or runnable. It holds the
/// core until its next sample, or until another thread's sample of a later tick claims the core;
/// of two R samples of one tick on one core, the one that waited less in the run queue is the one
/// that ran. A sample in any other state (S, D, ...) means it was not running there.
class CoreData
{
public:
    /// Samples of one sampler tick lie closer together than this (the sampler ticks every 1 ms).
    static constexpr int64_t kSameTick = 200'000;
    /// A sample stands for at most this long. The sampler ticks every 1 ms, but on cores saturated by
    /// busy threads it is itself delayed by tens of ms: a thread holds its core until its next sample.
    static constexpr int64_t kMaxHold = 50'000'000;

    /// The segments of one core's samples (time order). `nextSample(thread, t)` gives the time of
    /// the thread's first sample after t (or its end), kTimeMax if none yet.
    static std::vector<CoreSegment> segments(const std::vector<core::CoreSample> &samples,
                                             const std::function<int64_t(uint32_t, int64_t)> &nextSample,
                                             int64_t endTime);

    void clear();
    /// Catches up with `model`; true if anything changed.
    bool update(const core::TraceModel &model);

    /// Core numbers that have samples or that any event was recorded on, ascending: every core of
    /// the recording machine that the trace saw.
    const std::vector<uint32_t> &cores() const { return m_cores; }
    /// A core's lane: code = thread index + 1, 0 = no thread seen running.
    const SpanSummary &lane(uint32_t core) const;
    /// Threads seen running on a core, in the order they first appeared.
    const std::vector<uint32_t> &threads() const { return m_threads; }
    size_t bytes() const;

private:
    /// Notes the time of `sample` for its thread, and its core in `touched`; keeps it for later
    /// while its tid is not in the thread table yet.
    void takeSample(const core::TraceModel &model, const core::SampleSeen &sample, std::vector<uint32_t> &touched);
    /// Takes the samples kept for later and those taken since m_seen; returns the cores they
    /// touched.
    std::vector<uint32_t> takeSamples(const core::TraceModel &model, size_t n);
    /// Adds a lane for each core of `touched` that has none yet.
    void addCores(const std::vector<uint32_t> &touched);
    /// Reads core `c`'s samples again from where its lane may still change, and rebuilds it from there.
    void refreshLane(const core::TraceModel &model, uint32_t c, int64_t endTime);
    int64_t nextSampleOf(const core::TraceModel &model, uint32_t thread, int64_t t) const;

    const core::TraceModel *m_model = nullptr;
    size_t m_seen = 0;
    int64_t m_lastEnd = core::kTimeMin;
    int64_t m_lastStart = 0;
    std::vector<uint32_t> m_cores;
    std::vector<SpanSummary> m_lanes;                ///< by core number
    std::vector<int64_t> m_stable;                   ///< by core: segments before this time are final
    std::vector<std::vector<int64_t>> m_sampleTimes; ///< by thread
    std::vector<core::SampleSeen> m_pending;         ///< samples of tids not in the thread table yet
    std::vector<uint32_t> m_threads;
    std::vector<bool> m_threadSeen;
    core::RecordedCores m_recorded;
};

} // namespace interleave::ui
