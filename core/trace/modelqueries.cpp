// SPDX-License-Identifier: MIT
// Typed answers about single events of a TraceModel, read through its public API.
#include "trace/modelqueries.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace interleave::core {

OutputLine outputLine(const TraceModel &model, uint32_t output)
{
    const TraceData &data = model.data();
    const Event &e = data.events[output];
    OutputLine line;
    line.time = e.time;
    line.thread = e.thread;
    line.pid = e.thread < model.threadCount() ? model.thread(e.thread).pid : 0;
    line.text = data.string(e.object);
    line.stderrStream = e.arg == 2;
    return line;
}

int64_t outputTime(const TraceModel &model, uint32_t output)
{
    return model.data().events[output].time;
}

namespace {

/// Whether a step stops at `e`: what a view draws as a happening (see nextEventTime).
bool shownByStep(const Event &e)
{
    switch (e.type) {
    case EventType::None:
    case EventType::ObjectNew:
    case EventType::ThreadName:
    case EventType::QueueDepth:
    case EventType::Sample:
    case EventType::RecorderThread:
    case EventType::Paused:
    case EventType::Resumed:
    case EventType::DeadlockWait:
    case EventType::DeadlockHold:
    case EventType::Count:
        return false;
    default:
        return true;
    }
}

/// The model's thread indexes whose events a step visits: every thread but the recorder's own.
bool steppedThread(const TraceModel &model, uint32_t thread)
{
    return !model.thread(thread).recorder;
}

} // namespace

int64_t nextEventTime(const TraceModel &model, int64_t t)
{
    // Each thread's events are in time order: one binary search per thread, then forward over
    // what a step does not show.
    const std::vector<Event> &events = model.data().events;
    int64_t best = kTimeMax;
    for (uint32_t thread = 0; thread < model.threadCount(); ++thread) {
        if (!steppedThread(model, thread))
            continue;
        const std::vector<uint32_t> &mine = model.threadEvents(thread);
        auto it = std::upper_bound(mine.begin(), mine.end(), t,
                                   [&](int64_t time, uint32_t index) { return time < events[index].time; });
        while (it != mine.end() && events[*it].time < best && !shownByStep(events[*it]))
            ++it;
        if (it != mine.end())
            best = std::min(best, events[*it].time);
    }
    return best == kTimeMax ? t : best;
}

int64_t previousEventTime(const TraceModel &model, int64_t t)
{
    const std::vector<Event> &events = model.data().events;
    int64_t best = kTimeMin;
    for (uint32_t thread = 0; thread < model.threadCount(); ++thread) {
        if (!steppedThread(model, thread))
            continue;
        const std::vector<uint32_t> &mine = model.threadEvents(thread);
        auto it = std::lower_bound(mine.begin(), mine.end(), t,
                                   [&](uint32_t index, int64_t time) { return events[index].time < time; });
        while (it != mine.begin() && events[*std::prev(it)].time > best && !shownByStep(events[*std::prev(it)]))
            --it;
        if (it != mine.begin())
            best = std::max(best, events[*std::prev(it)].time);
    }
    return best == kTimeMin ? t : best;
}

namespace {

/// The StepKind of an event a step shows, with the events that name a synchronisation object.
StepKind stepKind(EventType type)
{
    static constexpr std::pair<EventType, StepKind> kKinds[] = {
        {EventType::ProcessStart, StepKind::ProcessStart},
        {EventType::ProcessExit, StepKind::ProcessExit},
        {EventType::ForkReturn, StepKind::Fork},
        {EventType::Exec, StepKind::Exec},
        {EventType::Signal, StepKind::Signal},
        {EventType::ThreadStart, StepKind::ThreadStart},
        {EventType::ThreadExit, StepKind::ThreadExit},
        {EventType::JoinWait, StepKind::JoinWait},
        {EventType::JoinDone, StepKind::JoinDone},
        {EventType::LockWait, StepKind::LockWait},
        {EventType::LockObtain, StepKind::LockObtain},
        {EventType::LockRelease, StepKind::LockRelease},
        {EventType::LockTimeout, StepKind::LockTimeout},
        {EventType::CondWait, StepKind::CondWait},
        {EventType::CondWake, StepKind::CondWake},
        {EventType::CondNotify, StepKind::CondNotify},
        {EventType::SemWait, StepKind::SemWait},
        {EventType::SemAcquire, StepKind::SemAcquire},
        {EventType::SemRelease, StepKind::SemRelease},
        {EventType::QueuePut, StepKind::Put},
        {EventType::QueueGetWait, StepKind::GetWait},
        {EventType::QueueGet, StepKind::Get},
        {EventType::PipeSend, StepKind::Send},
        {EventType::PipeRecvWait, StepKind::ReceiveWait},
        {EventType::PipeRecv, StepKind::Receive},
        {EventType::TaskSubmit, StepKind::TaskSubmit},
        {EventType::TaskStart, StepKind::TaskStart},
        {EventType::TaskEnd, StepKind::TaskEnd},
        {EventType::TaskFailed, StepKind::TaskFailed},
        {EventType::SleepBegin, StepKind::SleepBegin},
        {EventType::SleepEnd, StepKind::SleepEnd},
        {EventType::IoWaitBegin, StepKind::IoWaitBegin},
        {EventType::IoWaitEnd, StepKind::IoWaitEnd},
        {EventType::VarLoad, StepKind::VarLoad},
        {EventType::VarStore, StepKind::VarStore},
        {EventType::Output, StepKind::Output},
        {EventType::Phase, StepKind::Phase},
        {EventType::Deadlock, StepKind::Deadlock},
        {EventType::SliceBegin, StepKind::Slice},
        {EventType::Instant, StepKind::Instant},
    };
    for (const auto &[from, to] : kKinds)
        if (from == type)
            return to;
    return StepKind::Other;
}

StepFact stepFact(const TraceModel &model, const Event &e)
{
    const TraceData &data = model.data();
    StepFact fact;
    fact.time = e.time;
    fact.thread = e.thread;
    fact.kind = stepKind(e.type);
    switch (fact.kind) {
    case StepKind::ProcessStart:
    case StepKind::Exec:
    case StepKind::IoWaitBegin:
    case StepKind::Output:
    case StepKind::Phase:
    case StepKind::Slice:
    case StepKind::Instant:
        fact.object = TraceModel::labelOf(data.string(e.object));
        break;
    case StepKind::ProcessExit:
        fact.number = e.object;
        fact.code = e.arg;
        fact.signal = (e.flags & ExitSignal) != 0;
        break;
    case StepKind::Fork:
    case StepKind::SleepBegin:
        fact.number = e.arg;
        break;
    case StepKind::Signal:
        fact.number = e.object;
        fact.code = e.arg;
        break;
    case StepKind::JoinWait:
    case StepKind::JoinDone: {
        const uint32_t joined = (e.flags & OnProcess) ? kNoEvent : model.threadByTid(int32_t(e.object));
        fact.object = joined != kNoEvent ? model.threadName(joined) : std::to_string(e.object);
        fact.number = e.object;
        break;
    }
    case StepKind::VarLoad:
    case StepKind::VarStore:
        fact.object = model.objectName(e.object);
        fact.number = varValue(e);
        break;
    case StepKind::CondNotify:
        fact.object = model.objectName(e.object);
        fact.code = e.arg;
        break;
    case StepKind::TaskSubmit:
    case StepKind::TaskStart:
    case StepKind::TaskEnd:
    case StepKind::TaskFailed:
        fact.object = model.objectName(e.object);
        fact.number = e.arg;
        break;
    case StepKind::ThreadStart:
    case StepKind::ThreadExit:
    case StepKind::SleepEnd:
    case StepKind::IoWaitEnd:
    case StepKind::Deadlock:
        fact.number = e.arg;
        break;
    default: // a lock, condvar, semaphore, queue or pipe
        fact.object = model.objectName(e.object);
        break;
    }
    return fact;
}

} // namespace

std::vector<StepFact> stepFactsAt(const TraceModel &model, int64_t t)
{
    const std::vector<Event> &events = model.data().events;
    std::vector<StepFact> facts;
    for (uint32_t thread = 0; thread < model.threadCount(); ++thread) {
        if (!steppedThread(model, thread))
            continue;
        const std::vector<uint32_t> &mine = model.threadEvents(thread);
        auto it = std::lower_bound(mine.begin(), mine.end(), t,
                                   [&](uint32_t index, int64_t time) { return events[index].time < time; });
        for (; it != mine.end() && events[*it].time == t; ++it)
            if (shownByStep(events[*it]))
                facts.push_back(stepFact(model, events[*it]));
    }
    return facts;
}

} // namespace interleave::core
