// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/lockstats.h"
#include "trace/tracemodel.h"

#include <cstdint>
#include <vector>

namespace interleave::core {

/// Every lock wait of every thread (LockStats::waits), indexed so that the totals up to any time
/// are binary searches (replay moves the playhead many times a second; the waits never change).
class LockWaitTable
{
public:
    /// One bar group: what `thread` waited for `lock` up to a time.
    struct Bar
    {
        uint32_t lock = 0;
        uint32_t thread = 0;
        uint64_t waits = 0; ///< waits begun by then
        double totalMs = 0; ///< their summed length, each cut at that time
        double maxMs = 0;   ///< the longest of them, cut at that time
    };

    static LockWaitTable build(const TraceModel &model);
    static LockWaitTable build(std::vector<LockWaitSpan> waits);
    /// Bars for the waits up to `cutoff` (kTimeMax: the whole trace), by lock then thread; only
    /// pairs with at least one wait begun by then.
    std::vector<Bar> at(int64_t cutoff) const;
    /// Locks and threads with any wait in the whole trace, ascending.
    std::vector<uint32_t> locks() const;
    std::vector<uint32_t> threads() const;
    bool empty() const { return m_series.empty(); }

private:
    struct Series
    {
        uint32_t lock = 0;
        uint32_t thread = 0;
        std::vector<int64_t> start; ///< ascending; a thread waits for one lock at a time
        std::vector<int64_t> end;   ///< ascending too, for the same reason
        std::vector<double> sumMs;  ///< prefix sums of whole waits: sumMs[i] = waits [0, i)
        std::vector<double> maxMs;  ///< prefix maxima: maxMs[i] = longest of waits [0, i)
    };
    std::vector<Series> m_series; ///< by (lock, thread)
};

} // namespace interleave::core
