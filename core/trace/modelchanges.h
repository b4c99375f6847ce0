// SPDX-License-Identifier: MIT
// What the events from a cursor on changed in a TraceModel, for views that keep their own pictures.
#pragma once

#include "trace/tracemodel.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace interleave::core {

/// A /proc sample read as what it says: thread `tid` last ran on core `cpu`, seen at `time`.
struct SampleSeen
{
    int32_t tid = 0;
    int64_t time = 0;
    uint16_t cpu = 0;
};

/// What the ingested events [from, to) changed. A view that keeps a cursor reads this instead of
/// the events, so that only the model knows what an event means. Times are the earliest a picture
/// must be read again from; kTimeMax means "unchanged".
struct ModelChanges
{
    size_t from = 0;
    size_t to = 0;
    /// Per thread index (model.threadCount() entries): where its state spans changed, counting
    /// the Ready window a sample's run-queue delay opens and the end its process's exit sets.
    std::vector<int64_t> statesFrom;
    /// Per thread index: where its lock holds and waits changed.
    std::vector<int64_t> locksFrom;
    /// Per lock (and semaphore) id: where its holders and waiters changed. A condition wait
    /// touches the mutex it releases.
    std::map<uint32_t, int64_t> locksTouched;
    /// Queues whose depth series changed, sorted, each once.
    std::vector<uint32_t> queues;
    /// Whether async spans or phases began or ended.
    bool spans = false;
    /// Times of the deadlocks recorded, in event order.
    std::vector<int64_t> deadlocks;
    /// The /proc samples taken, in event order.
    std::vector<SampleSeen> samples;
};

/// Reads the ingested events from `from` on (none when `from` is at or past the end).
ModelChanges changesSince(const TraceModel &model, size_t from);

/// Only the /proc samples among the ingested events from `from` on (what the Cores view needs).
std::vector<SampleSeen> samplesSince(const TraceModel &model, size_t from);

/// A phase of a process (Phase event): from `time` on, process `pid` is in phase `name`.
struct PhaseMark
{
    int64_t time = 0;
    int32_t pid = 0;
    std::string name;
};

/// The phases recorded, in time order (model.phases()).
std::vector<PhaseMark> phaseMarks(const TraceModel &model);

} // namespace interleave::core
