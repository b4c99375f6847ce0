// SPDX-License-Identifier: MIT
#pragma once

#include "trace/deadlockrecord.h"
#include "trace/tracemodel.h"

#include <QJsonObject>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace interleave::core {

/// One "waits for" edge of the wait-for graph: a blocked thread, the resource, and who holds it.
struct WaitForEdge
{
    uint32_t thread = 0;
    BlockReason reason = BlockReason::None;
    uint32_t resource = 0;        ///< lock / queue / pipe / condvar / semaphore id, tid or pid (join), str id (io)
    bool timed = false;           ///< the wait has a timeout: it cannot deadlock
    bool onProcess = false;       ///< Join on a process (resource is a pid)
    int64_t since = 0;            ///< when the wait began
    std::vector<uint32_t> heldBy; ///< thread indexes holding the resource ("held by" edges)
};

/// One step of a deadlock cycle: `thread` waits for `waitsFor`, which `heldBy` holds.
struct DeadlockStep
{
    uint32_t thread = 0;
    uint32_t waitsFor = 0;
    BlockReason reason = BlockReason::Lock;
    uint32_t heldBy = 0;
};

/// A deadlock: the cycle and the first time it existed.
struct Deadlock
{
    int64_t time = 0;
    std::vector<DeadlockStep> cycle;
};

/// The wait-for graph at a time t: threads and resources, "waits for" and "held by" edges.
/// A deadlock is a cycle among threads through non-timed waits on locks and joins.
class WaitForGraph
{
public:
    /// Builds the graph of `model` as it was at time t.
    static WaitForGraph at(const TraceModel &model, int64_t t);

    int64_t time() const { return m_time; }
    /// One edge per blocked thread, by thread index.
    const std::vector<WaitForEdge> &waits() const { return m_waits; }
    /// A cycle of non-timed lock / join waits, starting at its lowest thread index; empty if none.
    std::vector<DeadlockStep> deadlockCycle() const;

private:
    int64_t m_time = 0;
    std::vector<WaitForEdge> m_waits;
};

/// The resources whose holders a blocked thread waits for, as the model knew them at t.
std::vector<uint32_t> holdersOf(const TraceModel &model, uint32_t waiter, const StateSpan &state, int64_t t);

/// When the session saw the deadlock (its Deadlock mark), if it recorded one: the moment a view
/// should show, since the deadlocked threads are all killed by the end of the run.
std::optional<int64_t> recordedDeadlockTime(const TraceModel &model);

/// Scans the whole trace and returns the first time a deadlock cycle existed, with that cycle.
std::optional<Deadlock> findFirstDeadlock(const TraceModel &model);

/// The line of the chapter's Python that a call site ("core/scenarios/deadlock.cpp", 62)
/// re-enacts, 0 if none (LessonMap in scenarios/, which this stage cannot see).
using PythonLineOf = std::function<int(std::string_view file, int line)>;

/// {"time_ns", "cycle": [{thread, tid, holds, waits_for, held_by, file, line, python_line}]} as in
/// the --json summary; file:line is the call site of the wait that blocked (file "" and line 0
/// when it was not recorded), python_line comes from `pythonLine` (0 without one).
QJsonObject deadlockToJson(const TraceModel &model, const Deadlock &deadlock, const PythonLineOf &pythonLine = {});
/// The same from a recorded cycle (each member's held_by is the next member's thread).
QJsonObject deadlockToJson(const TraceModel &model, const RecordedDeadlock &deadlock,
                           const PythonLineOf &pythonLine = {});

/// The members of a found cycle as the session records them: what each waits for since when and
/// from which call site, and the locks each holds at deadlock.time (also the result's time).
RecordedDeadlock describeDeadlock(const TraceModel &model, const Deadlock &deadlock);

/// The trace's deadlock, what every reader shows: the cycle the session recorded, or for a trace
/// without one (recorded before sessions wrote cycles, or built by hand) the first cycle
/// findFirstDeadlock finds.
std::optional<RecordedDeadlock> theDeadlock(const TraceModel &model);

} // namespace interleave::core
