// SPDX-License-Identifier: MIT
#include "fuzzcheck.h"

#include "analysis/lockorder.h"
#include "analysis/lockstats.h"
#include "analysis/lostupdates.h"
#include "analysis/waitforgraph.h"
#include "io/iltrace.h"
#include "trace/tracemodel.h"

#include <algorithm>

namespace interleave::fuzz {

using namespace interleave::core;

namespace {

// Queries are answered per item; a hostile file may name thousands of locks or cores, and a
// fuzz run must stay fast, so only the first ones are asked about.
constexpr size_t kMaxItems = 64;

template<class V> size_t capped(const V &v)
{
    return std::min(v.size(), kMaxItems);
}

/// The model's documented precondition: each thread's events in time order. A damaged file may
/// break it; then the model must still answer safely, but its intervals may come out reversed.
bool threadsInTimeOrder(const TraceData &data)
{
    std::vector<int64_t> last(data.threads.size(), kTimeMin);
    for (const Event &e : data.events) {
        if (e.thread >= last.size())
            return false;
        if (e.time < last[e.thread])
            return false;
        last[e.thread] = e.time;
    }
    return true;
}

/// Async spans pair events of different threads, so only a trace in global time order promises
/// that each ends after it begins.
bool inTimeOrder(const TraceData &data)
{
    return std::is_sorted(data.events.begin(), data.events.end(),
                          [](const Event &a, const Event &b) { return a.time < b.time; });
}

/// Midpoint without overflow, whatever the times a damaged file holds.
int64_t middle(int64_t a, int64_t b)
{
    return a / 2 + b / 2;
}

} // namespace

void checkIndexes(const TraceData &data)
{
    for (const Event &e : data.events) {
        FUZZ_CHECK(e.thread < data.threads.size(), "an accepted event names a thread the table lacks");
        FUZZ_CHECK(uint8_t(e.type) < uint8_t(EventType::Count), "an accepted event has an unknown type");
        FUZZ_CHECK(e.time > -iltrace::kTimeLimit && e.time < iltrace::kTimeLimit,
                   "an accepted event's time is out of range");
    }
    for (size_t i = 1; i < data.strings.size(); ++i)
        FUZZ_CHECK(data.strings[i - 1].first < data.strings[i].first, "string ids are not sorted and unique");
}

void checkModel(const TraceModel &model)
{
    const TraceData &data = model.data();
    const size_t events = data.events.size();
    const int64_t t0 = model.startTime();
    const int64_t t1 = model.endTime();
    FUZZ_CHECK(t0 <= t1, "the trace ends before it starts");
    FUZZ_CHECK(model.ingestedEvents() == events, "the model did not ingest every event");
    FUZZ_CHECK(model.threadCount() >= data.threads.size(), "the model lost threads");
    const bool ordered = threadsInTimeOrder(data);
    const bool sorted = inTimeOrder(data);
    const int64_t mid = middle(t0, t1);

    for (const ProcessInfo &p : model.processes()) {
        FUZZ_CHECK(model.process(p.pid) == &p, "a process is not found by its pid");
        for (uint32_t t : p.threads)
            FUZZ_CHECK(t < model.threadCount(), "a process names a thread out of range");
    }
    for (uint32_t i = 0; i < capped(model.threads()); ++i) {
        const ThreadRecord &t = model.thread(i);
        FUZZ_CHECK(t.index == i, "a thread record has another index");
        (void)model.threadName(i);
        (void)model.threadByTid(t.tid, t.pid);
        for (uint32_t e : model.threadEvents(i))
            FUZZ_CHECK(e < events && data.events[e].thread == i, "a thread's event list names another's event");
        const std::vector<StateSpan> spans = model.states(i);
        for (size_t k = 0; k < spans.size(); ++k) {
            const StateSpan &s = spans[k];
            FUZZ_CHECK(s.start < s.end, "an empty or reversed state span");
            FUZZ_CHECK(s.event == kNoEvent || s.event < events, "a state span names an event out of range");
            if (ordered && k > 0)
                FUZZ_CHECK(spans[k - 1].end == s.start, "states of a thread with ordered events do not tile");
        }
        for (const int64_t t : {t0, mid, t1}) {
            const StateSpan s = model.stateAt(i, t);
            FUZZ_CHECK(s.event == kNoEvent || s.event < events, "stateAt names an event out of range");
            const uint32_t last = model.lastEventAt(i, t);
            FUZZ_CHECK(last == kNoEvent || last < events, "lastEventAt out of range");
        }
        for (const CoreSample &c : model.coreSamplesOfThread(i))
            FUZZ_CHECK(c.thread < model.threadCount(), "a core sample names a thread out of range");
        for (const SliceInfo &s : model.slices(i))
            FUZZ_CHECK(s.thread == i && (!ordered || s.start <= s.end), "a slice is reversed or on another thread");
        (void)model.lockIntervalsOfThread(i);
    }
    FUZZ_CHECK(model.statesAt(mid).size() == model.threadCount(), "statesAt does not answer for every thread");

    const std::vector<uint32_t> objects = model.objectIds();
    for (size_t k = 0; k < capped(objects); ++k)
        (void)model.objectName(objects[k]);
    const std::vector<uint32_t> locks = model.lockIds();
    for (size_t k = 0; k < capped(locks); ++k) {
        const uint32_t lock = locks[k];
        for (const LockInterval &iv : model.lockIntervals(lock)) {
            FUZZ_CHECK(iv.thread < model.threadCount(), "a lock interval names a thread out of range");
            FUZZ_CHECK(!ordered || iv.start <= iv.end, "a reversed lock interval");
        }
        for (const auto *list : {&model.acquisitions(lock), &model.openAcquisitions(lock)}) {
            for (const Acquisition &a : *list) {
                for (uint32_t e : {a.wait, a.obtain, a.release})
                    FUZZ_CHECK(e == kNoEvent || e < events, "an acquisition names an event out of range");
            }
        }
        for (uint32_t t : model.holdersAt(lock, mid))
            FUZZ_CHECK(t < model.threadCount(), "a holder out of range");
        for (uint32_t t : model.waitersAt(lock, mid))
            FUZZ_CHECK(t < model.threadCount(), "a waiter out of range");
    }
    for (const Flow &f : model.flows()) {
        FUZZ_CHECK(f.fromThread < model.threadCount() && f.toThread < model.threadCount(), "a flow out of range");
        FUZZ_CHECK(f.fromEvent == kNoEvent || f.fromEvent < events, "a flow names an event out of range");
        FUZZ_CHECK(f.toEvent == kNoEvent || f.toEvent < events, "a flow names an event out of range");
    }
    for (const TaskInfo &task : model.tasks())
        FUZZ_CHECK(task.worker == kNoEvent || task.worker < model.threadCount(), "a task's worker out of range");
    const std::vector<uint32_t> queues = model.queueIds();
    for (size_t k = 0; k < capped(queues); ++k)
        (void)model.queueDepth(queues[k]);
    const std::vector<uint32_t> counters = model.counterNames();
    for (size_t k = 0; k < capped(counters); ++k)
        (void)model.counter(counters[k]);
    for (int cpu = 0; cpu < std::min(model.coreCount(), int(kMaxItems)); ++cpu) {
        for (const CoreSample &c : model.coreSamplesOfCore(cpu))
            FUZZ_CHECK(c.thread < model.threadCount(), "a core sample names a thread out of range");
    }
    for (const SliceInfo &s : model.asyncSpans())
        FUZZ_CHECK(s.thread < model.threadCount() && (!sorted || s.start <= s.end),
                   "an async span out of range or reversed");
    const std::vector<uint32_t> vars = model.varIds();
    for (size_t k = 0; k < capped(vars); ++k) {
        for (uint32_t e : model.varAccesses(vars[k]))
            FUZZ_CHECK(e < events, "a variable access out of range");
    }
    for (const auto *list : {&model.outputs(), &model.phases(), &model.instants(), &model.marks()}) {
        for (uint32_t e : *list)
            FUZZ_CHECK(e < events, "a text or mark event out of range");
    }

    // What `interleave open --json` and the views run on every loaded trace.
    const WaitForGraph graph = WaitForGraph::at(model, t1);
    (void)graph.deadlockCycle();
    if (const auto deadlock = findFirstDeadlock(model))
        (void)deadlockToJson(model, *deadlock);
    (void)LockOrderGraph::build(model).potentialDeadlocks();
    (void)LockStats::compute(model).toJson();
    (void)LostUpdates::find(model).count();
}

} // namespace interleave::fuzz
