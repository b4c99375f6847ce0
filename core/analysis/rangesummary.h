// SPDX-License-Identifier: MIT
#pragma once
// What happened between two times: per thread time by state, lock activity, messages; forks and exits.

#include "trace/tracemodel.h"

#include <cstdint>
#include <vector>

namespace interleave::core {

/// One thread's share of a range: ns in each state (clipped to the range) and what it did.
struct ThreadRangeSummary
{
    uint32_t thread = 0;
    int64_t running = 0;
    int64_t ready = 0;         ///< runnable, waiting for a core
    int64_t blockedOnLock = 0; ///< blocked on a lock or a semaphore
    int64_t blockedOther = 0;  ///< blocked on anything else (queue, pipe, join, I/O, condition)
    int64_t sleeping = 0;
    uint32_t lockAcquisitions = 0; ///< holds of a lock or semaphore that began in the range
    uint32_t lockWaits = 0;        ///< waits for a lock or semaphore overlapping the range
    int64_t lockWaitTime = 0;      ///< ns of those waits inside the range
    uint32_t messagesSent = 0;     ///< queue puts and pipe sends in the range
    bool exited = false;           ///< the thread ended in the range
};

/// The summary of [start, end): the threads alive in it (by thread index, the recorder's own left
/// out) and the totals over them.
struct RangeSummary
{
    int64_t start = 0;
    int64_t end = 0;
    std::vector<ThreadRangeSummary> threads;
    uint64_t lockAcquisitions = 0;
    uint64_t lockWaits = 0;
    int64_t lockWaitTime = 0;
    uint64_t messagesSent = 0;
    uint64_t forks = 0;        ///< fork() calls that returned a child in the range
    uint64_t processExits = 0; ///< processes that exited or were killed in the range
    uint64_t threadExits = 0;
};

/// Summarises [t0, t1) of `model` (an empty summary when t1 <= t0).
RangeSummary summarizeRange(const TraceModel &model, int64_t t0, int64_t t1);

} // namespace interleave::core
