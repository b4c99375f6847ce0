// SPDX-License-Identifier: MIT
#pragma once
// The instants a timeline marks on its lanes (fork, exec, exit, killed, signal, an imported
// trace's instants), as typed data.

#include "trace/tracemodel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace interleave::core {

/// What happened at an instant mark.
enum class InstantKind : uint8_t
{
    Fork,     ///< fork() returned; number = its return value (the child's pid in the parent, 0 in the child)
    Exec,     ///< a program was exec'd; number = its pid, program = its label
    Exit,     ///< a process exited; number = its exit code
    Killed,   ///< a process was ended by a signal; number = the signal
    Signal,   ///< a signal was sent; number = the signal
    Imported, ///< an imported trace's instant event ('i', 'I', 'n'); program = its name
};

/// One instant mark.
struct InstantMark
{
    InstantKind kind = InstantKind::Fork;
    int64_t time = 0;
    /// Thread index of the event's writer (the forking thread, the spawner, the reaper, the sender).
    uint32_t thread = 0;
    /// The process it is about: the forking thread's, the exec'd, the exited, the signalled one.
    int32_t pid = 0;
    int64_t number = 0;  ///< see InstantKind
    std::string program; ///< Exec: the command's label (TraceModel::labelOf); Imported: the name; else empty
};

/// The instant marks with time in [t0, t1], in time order, at most `limit` of them (the earliest).
/// Deadlocks, which the model keeps among its marks too, are not instants of a lane: see
/// trace/deadlockrecord.h.
std::vector<InstantMark> instantMarks(const TraceModel &model, int64_t t0, int64_t t1, size_t limit = SIZE_MAX);

} // namespace interleave::core
