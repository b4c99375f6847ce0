// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/waitforgraph.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <cstdint>
#include <vector>

namespace interleave::core {

/// An edge of the lock-order graph: some thread obtained (or waited for) `to` while holding `from`.
struct LockOrderEdge
{
    uint32_t from = 0;
    uint32_t to = 0;
    uint32_t thread = 0; ///< first witness: thread, time and call site of the obtain of `to`
    int64_t time = 0;
    uint32_t loc = 0;
    uint32_t count = 0;            ///< how many times it was witnessed
    bool blocking = false;         ///< some witness waited for `to` (plain or timed lock), not only a try_lock
    std::vector<uint32_t> threads; ///< distinct witness threads (up to 8)
};

/// A potential deadlock: locks L0 -> L1 -> ... -> L0 taken in opposite orders by different threads.
struct LockOrderCycle
{
    std::vector<uint32_t> locks;      ///< L0, L1, ..., each edge locks[i] -> locks[i+1 mod n]
    std::vector<LockOrderEdge> edges; ///< the witnessing edges, in the same order
};

/// The lock-order graph of a whole trace and its cycles (potential deadlocks, even if the run did not hang).
class LockOrderGraph
{
public:
    static LockOrderGraph build(const TraceModel &model);

    const std::vector<LockOrderEdge> &edges() const { return m_edges; }
    /// Cycles through blocking edges witnessed by at least two threads, shortest first (at most 16).
    /// Not recognised: a common "gate" lock held around both orders.
    const std::vector<LockOrderCycle> &potentialDeadlocks() const { return m_cycles; }

private:
    std::vector<LockOrderEdge> m_edges;
    std::vector<LockOrderCycle> m_cycles;
};

/// The potential deadlocks of a run: LockOrderGraph::build(model).potentialDeadlocks().
std::vector<LockOrderCycle> potentialDeadlocks(const TraceModel &model);

/// [{"locks": [names], "threads": [names], "sites": [{file, line, python_line}]}] as in the --json
/// summary's potential_deadlocks; one site per edge of the cycle (the call site of the first
/// witnessed take of its second lock), python_line from `pythonLine` (0 without one).
QJsonArray potentialDeadlocksToJson(const TraceModel &model, const std::vector<LockOrderCycle> &cycles,
                                    const PythonLineOf &pythonLine = {});

} // namespace interleave::core
