// SPDX-License-Identifier: MIT
// ProcessGroup: processes in the order a timeline shows them, short-lived siblings batched.
#pragma once

#include "trace/tracemodel.h"

#include <cstdint>
#include <vector>

namespace interleave::core {

/// A process, or a batch of short-lived sibling processes, with the threads each shows.
struct ProcessGroup
{
    std::vector<uint32_t> processes;            ///< process indexes, in start order
    std::vector<std::vector<uint32_t>> threads; ///< per process: its threads with events, in start order
    bool batch = false;         ///< several short-lived processes of one parent, started one after another
    bool foldByDefault = false; ///< a batch, or a process with many short-lived threads: shown folded
    size_t threadCount() const;
};

/// Lived at most this fraction of the trace's span (a creation-cost probe, not a worker).
constexpr int64_t kShortLivedShare = 50; // 1/50 = 2 %
/// A run of at least this many short-lived siblings makes a batch; as many short-lived threads
/// fold their process.
constexpr size_t kBatchSize = 4;
constexpr size_t kManyThreads = 8;

/// The traced processes in start order (parents before their children), each with its threads;
/// consecutive short-lived siblings form one batch.
std::vector<ProcessGroup> processGroups(const TraceModel &model);

} // namespace interleave::core
