// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"

#include <cstdint>
#include <vector>

namespace interleave::core {

/// One lost update: `thread` stored a value computed from what it last saw at `seenTime`, over
/// `otherThread`'s store at `otherTime` that it never saw.
struct LostUpdate
{
    uint32_t var = 0;
    uint32_t thread = 0;
    int64_t seenTime = 0;  ///< T's last access (its load, or its own previous store) before the store
    int64_t seenValue = 0;
    int64_t storeTime = 0;
    int64_t storeValue = 0;
    uint32_t otherThread = 0; ///< the last foreign store T overwrote
    int64_t otherTime = 0;
    int64_t otherValue = 0;
    uint32_t overwritten = 0; ///< foreign stores between seenTime and storeTime
};

/// Lost updates on traced shared variables (VarLoad / VarStore events).
///
/// Rule: a store by T at t3 is a lost update when T has loaded the variable before, and another
/// thread stored to it at some t2 after T's last access (load or own store) t1 < t2 < t3. A
/// read-modify-write `v = v + n` is a load then a store, so each stale RMW counts once, however many
/// foreign stores it overwrote; T's own earlier store counts as "seen", so `v += n; v -= n` with
/// no foreign store between them is not counted twice.
class LostUpdates
{
public:
    static LostUpdates find(const TraceModel &model, size_t maxExamples = 8);

    uint64_t count() const { return m_count; }
    /// The first few, in time order.
    const std::vector<LostUpdate> &examples() const { return m_examples; }
    /// Final stored value per variable (var, value) for variables with stores.
    const std::vector<std::pair<uint32_t, int64_t>> &finalValues() const { return m_final; }

private:
    uint64_t m_count = 0;
    std::vector<LostUpdate> m_examples;
    std::vector<std::pair<uint32_t, int64_t>> m_final;
};

} // namespace interleave::core
