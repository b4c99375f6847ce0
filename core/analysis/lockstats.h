// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"

#include <QJsonArray>

#include <cstdint>
#include <string>
#include <vector>

namespace interleave::core {

/// Contention of one lock (or semaphore) over a whole trace.
struct LockStat
{
    uint32_t lock = 0;
    std::string name;
    ObjectKind kind = ObjectKind::Mutex;
    uint64_t acquisitions = 0; ///< obtains (including try_lock successes and the one still held)
    uint64_t contended = 0;    ///< obtains that had to wait first, and untimed waits never obtained (deadlocked)
    uint64_t timeouts = 0;     ///< waits that gave up
    double waitMsTotal = 0;    ///< all waits: obtained, timed out, and still waiting at the end of the trace
    double waitMsMax = 0;
    double holdMsTotal = 0;
};

/// Time one thread spent waiting for locks and semaphores.
struct ThreadWaitStat
{
    uint32_t thread = 0;
    uint64_t waits = 0;
    double waitMsTotal = 0;
    double waitMsMax = 0;
};

/// One wait of one thread for one lock: from its LockWait to the LockObtain or LockTimeout that
/// ended it, or to the end of the trace while still waiting.
struct LockWaitSpan
{
    uint32_t lock = 0;
    uint32_t thread = 0;
    int64_t start = 0;
    int64_t end = 0; ///< >= start
    double ms() const { return double(end - start) / 1e6; }
};

/// Contention statistics per lock and per thread.
class LockStats
{
public:
    static LockStats compute(const TraceModel &model);
    /// Every wait of every lock, by lock id then in the model's acquisition order: the waits the
    /// statistics (and the charts' lock-wait table) count.
    static std::vector<LockWaitSpan> waits(const TraceModel &model);

    /// By lock id.
    const std::vector<LockStat> &locks() const { return m_locks; }
    /// Threads that waited at least once, by thread index.
    const std::vector<ThreadWaitStat> &threads() const { return m_threads; }
    /// [{name, acquisitions, contended, wait_ms_total, wait_ms_max}] as in the --json summary.
    QJsonArray toJson() const;

private:
    std::vector<LockStat> m_locks;
    std::vector<ThreadWaitStat> m_threads;
};

} // namespace interleave::core
