// SPDX-License-Identifier: MIT
// Reads the events past a view's cursor into the changes they make (ModelChanges), and phases.
#include "trace/modelchanges.h"

#include <algorithm>

namespace interleave::core {

namespace {

void lower(int64_t &at, int64_t t)
{
    at = std::min(at, t);
}

void touchLock(std::map<uint32_t, int64_t> &locks, uint32_t lock, int64_t t)
{
    auto [it, fresh] = locks.try_emplace(lock, t);
    if (!fresh)
        lower(it->second, t);
}

/// A run-queue delay turns [time - delay, time) of the sampled thread Ready.
void noteSample(const TraceModel &model, const Event &e, ModelChanges &out)
{
    out.samples.push_back({int32_t(e.object), e.time, e.cpu});
    const uint32_t x = model.threadByTid(int32_t(e.object));
    if (x < out.statesFrom.size()) {
        const auto delay = int64_t(std::min<uint64_t>(SampleArg::runDelay(e.arg), uint64_t(INT64_MAX / 4)));
        lower(out.statesFrom[x], e.time - delay);
    }
}

/// A lock, semaphore or condition event: the thread's holds and waits, and the lock's lane.
void noteLock(const Event &e, ModelChanges &out)
{
    if (e.thread < out.locksFrom.size())
        lower(out.locksFrom[e.thread], e.time);
    if (e.type != EventType::CondWait)
        touchLock(out.locksTouched, e.object, e.time);
    else if (e.arg != 0)
        touchLock(out.locksTouched, uint32_t(e.arg), e.time); // a condition wait releases its mutex
}

void note(const TraceModel &model, const Event &e, ModelChanges &out)
{
    switch (e.type) {
    case EventType::Sample:
        noteSample(model, e, out);
        break;
    case EventType::ProcessExit:
        if (const ProcessInfo *p = model.process(int32_t(e.object)))
            for (uint32_t t : p->threads)
                if (t < out.statesFrom.size())
                    lower(out.statesFrom[t], e.time);
        break;
    case EventType::LockWait:
    case EventType::LockObtain:
    case EventType::LockRelease:
    case EventType::LockTimeout:
    case EventType::SemWait:
    case EventType::SemAcquire:
    case EventType::CondWait:
        noteLock(e, out);
        break;
    case EventType::QueueDepth:
        out.queues.push_back(e.object);
        break;
    case EventType::AsyncBegin:
    case EventType::AsyncEnd:
    case EventType::Phase:
        out.spans = true;
        break;
    case EventType::Deadlock:
        out.deadlocks.push_back(e.time);
        break;
    default:
        break;
    }
}

} // namespace

ModelChanges changesSince(const TraceModel &model, size_t from)
{
    ModelChanges out;
    const std::vector<Event> &events = model.data().events;
    out.to = std::min(model.ingestedEvents(), events.size());
    out.from = std::min(from, out.to);
    out.statesFrom.assign(model.threadCount(), kTimeMax);
    out.locksFrom.assign(model.threadCount(), kTimeMax);
    for (size_t i = out.from; i < out.to; ++i) {
        const Event &e = events[i];
        if (e.thread < out.statesFrom.size())
            lower(out.statesFrom[e.thread], e.time);
        note(model, e, out);
    }
    std::sort(out.queues.begin(), out.queues.end());
    out.queues.erase(std::unique(out.queues.begin(), out.queues.end()), out.queues.end());
    return out;
}

std::vector<SampleSeen> samplesSince(const TraceModel &model, size_t from)
{
    std::vector<SampleSeen> out;
    const std::vector<Event> &events = model.data().events;
    const size_t to = std::min(model.ingestedEvents(), events.size());
    for (size_t i = from; i < to; ++i)
        if (events[i].type == EventType::Sample)
            out.push_back({int32_t(events[i].object), events[i].time, events[i].cpu});
    return out;
}

std::vector<PhaseMark> phaseMarks(const TraceModel &model)
{
    std::vector<PhaseMark> out;
    const std::vector<Event> &events = model.data().events;
    for (uint32_t index : model.phases()) {
        if (index >= events.size())
            continue;
        const Event &e = events[index];
        PhaseMark mark;
        mark.time = e.time;
        mark.pid = e.thread < model.threadCount() ? model.thread(e.thread).pid : 0;
        mark.name = TraceModel::labelOf(model.data().string(e.object));
        out.push_back(std::move(mark));
    }
    return out;
}

} // namespace interleave::core
