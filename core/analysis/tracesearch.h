// SPDX-License-Identifier: MIT
// Finding things in a trace by name or text: threads, processes, objects, printed lines, phases.
#pragma once

#include "trace/tracemodel.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace interleave::core {

/// One thing of a trace whose name or text contains the searched words.
struct SearchHit
{
    enum class Kind : uint8_t
    {
        Thread,  ///< `thread`; [start, end) its life
        Process, ///< `pid`; [start, end) its life
        Object,  ///< `object` (a lock, queue, pipe, pool, ...); [start, end) its first to last use
        Output,  ///< a printed line of `thread`; start = end = when
        Phase,   ///< a scenario phase; start = when it began
    };
    Kind kind = Kind::Thread;
    std::string text;           ///< what matched: the name, the line (TraceModel::labelOf)
    int64_t start = 0;          ///< where to look (see Kind)
    int64_t end = 0;            ///< >= start
    uint32_t thread = kNoEvent; ///< Thread, Output: the thread
    int32_t pid = 0;            ///< Thread, Process, Output, Phase: the process
    uint32_t object = 0;        ///< Object: its id
    ObjectKind objectKind = ObjectKind::Mutex;
};

/// Everything whose name (threads also by tid, processes by pid and command line) or text contains
/// `query`, ignoring ASCII case: threads, processes, objects, then printed lines and phases in time
/// order; at most `limit` hits (the first ones in that order). An empty query finds nothing.
std::vector<SearchHit> searchTrace(const TraceModel &model, std::string_view query, size_t limit = 500);

} // namespace interleave::core
