// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace interleave::core {

/// One thread of a deadlock cycle as the session recorded it: what it waits for (held by the next
/// member, the last one's by the first), since when, from which call site, and the locks it holds.
struct DeadlockMember
{
    uint32_t thread = 0;            ///< index in the thread table
    std::string waitsFor;           ///< the lock's name, or "join <tid>"
    std::vector<std::string> holds; ///< names of the locks the thread holds
    std::string loc;                ///< "file:line" of the wait's call site, "" if not recorded
    int64_t since = 0;              ///< when the wait began
};

/// A deadlock cycle, in cycle order starting at its lowest thread index.
struct RecordedDeadlock
{
    int64_t time = 0; ///< when the cycle closed: the latest wait start of its members
    int64_t seen = 0; ///< when the session saw it (the time of its Deadlock mark)
    std::vector<DeadlockMember> members;
};

/// The cycles recorded in the trace (DeadlockWait / DeadlockHold events), in recording order; none
/// for a trace that did not deadlock or was recorded before the session wrote them.
std::vector<RecordedDeadlock> recordedDeadlocks(const TraceData &data);

/// Appends the events of `deadlock` at `deadlock.seen` to `data`, each with `flags`. Strings get
/// fresh ids, so call it only once nothing else adds strings (after the log is drained for good).
void recordDeadlock(TraceData &data, const RecordedDeadlock &deadlock, uint8_t flags = 0);

} // namespace interleave::core
