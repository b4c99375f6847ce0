// SPDX-License-Identifier: MIT
// TraceModel::ingest: what one new event adds to the derived indexes.
#include "trace/tracemodelimpl.h"

#include <algorithm>

namespace interleave::core {

using namespace detail;

namespace {

ProcessInfo &processOf(std::vector<ProcessInfo> &processes, std::unordered_map<int32_t, uint32_t> &index, int32_t pid)
{
    auto [it, fresh] = index.try_emplace(pid, uint32_t(processes.size()));
    if (fresh) {
        processes.emplace_back();
        processes.back().pid = pid;
    }
    return processes[it->second];
}

void addChild(ProcessInfo &parent, int32_t child)
{
    if (parent.pid != child &&
        std::find(parent.children.begin(), parent.children.end(), child) == parent.children.end())
        parent.children.push_back(child);
}

} // namespace

void TraceModel::Impl::flowFrom(const FlowKey &key, uint32_t from, std::vector<std::pair<uint32_t, uint32_t>> &flows)
{
    auto it = pendingTo.find(key);
    if (it != pendingTo.end()) {
        flows.emplace_back(from, it->second);
        pendingTo.erase(it);
    } else {
        pendingFrom[key] = from;
    }
}

void TraceModel::Impl::flowTo(const FlowKey &key, uint32_t to, std::vector<std::pair<uint32_t, uint32_t>> &flows)
{
    auto it = pendingFrom.find(key);
    if (it != pendingFrom.end()) {
        flows.emplace_back(it->second, to);
        pendingFrom.erase(it);
    } else {
        pendingTo[key] = to;
    }
}

void TraceModel::Impl::LockData::closeAcquisition(size_t openIndex, const std::vector<Event> &events)
{
    Acquisition a = open[openIndex];
    open.erase(open.begin() + ptrdiff_t(openIndex));
    const int64_t t = events[a.obtain].time;
    if (a.wait != kNoEvent)
        maxWait = std::max(maxWait, t - events[a.wait].time);
    if (a.release != kNoEvent)
        maxHold = std::max(maxHold, events[a.release].time - t);
    auto &c = closed;
    if (c.empty() || events[c.back().obtain].time <= t) {
        c.push_back(a);
    } else {
        auto it = std::upper_bound(c.begin(), c.end(), t,
                                   [&](int64_t time, const Acquisition &x) { return time < events[x.obtain].time; });
        c.insert(it, a);
    }
}

size_t TraceModel::Impl::LockData::findOpen(uint32_t thread, bool holding, const std::vector<Event> &events) const
{
    for (size_t k = open.size(); k-- > 0;) {
        const Acquisition &a = open[k];
        if (holding ? (a.obtain != kNoEvent && events[a.obtain].thread == thread)
                    : (a.obtain == kNoEvent && events[a.wait].thread == thread))
            return k;
    }
    return SIZE_MAX;
}

void TraceModel::ingest(uint32_t index)
{
    const Event &e = m_data.events[index];
    placeOnThread(index);
    switch (e.type) {
    case EventType::ObjectNew:
        m_d->objects[e.object] = ObjectInfo{ObjectKind(e.flags), uint32_t(e.arg)};
        break;
    case EventType::ProcessStart:
    case EventType::ProcessExit:
    case EventType::ForkCall:
    case EventType::ForkReturn:
    case EventType::Exec:
        ingestProcessEvent(index);
        break;
    case EventType::ThreadName:
    case EventType::ThreadStart:
    case EventType::ThreadExit:
        ingestThreadEvent(index);
        break;
    case EventType::Signal:
    case EventType::Deadlock:
    case EventType::Paused:
    case EventType::Resumed:
    case EventType::QueueDepth:
    case EventType::Counter:
    case EventType::VarLoad:
    case EventType::VarStore:
    case EventType::Output:
    case EventType::Phase:
    case EventType::Instant:
        indexByTime(index);
        break;
    case EventType::LockWait:
    case EventType::SemWait:
    case EventType::LockObtain:
    case EventType::LockTimeout:
    case EventType::SemAcquire:
    case EventType::LockRelease:
    case EventType::CondWait:
        ingestLockEvent(index);
        break;
    case EventType::QueuePut:
    case EventType::QueueGet:
    case EventType::PipeSend:
    case EventType::PipeRecv:
    case EventType::FlowBegin:
    case EventType::FlowEnd:
        ingestFlowEvent(index);
        break;
    case EventType::TaskSubmit:
    case EventType::TaskStart:
    case EventType::TaskEnd:
    case EventType::TaskFailed:
        ingestTaskEvent(index);
        break;
    case EventType::TaskFailure:
        ingestTaskFailure(index);
        break;
    case EventType::Sample:
        ingestSample(index);
        break;
    case EventType::SliceBegin:
    case EventType::SliceEnd:
    case EventType::AsyncBegin:
    case EventType::AsyncEnd:
        ingestSliceEvent(index);
        break;
    default:
        break;
    }
}

void TraceModel::placeOnThread(uint32_t index)
{
    Impl &d = *m_d;
    const std::vector<Event> &events = m_data.events;
    const Event &e = events[index];
    if (e.thread >= m_threads.size()) {
        // An event of a thread the table does not know: keep it, under pid/tid 0.
        while (m_data.threads.size() <= e.thread)
            m_data.threads.push_back({});
        addThreads();
    }
    d.start = std::min(d.start, e.time);
    d.end = std::max(d.end, e.time);

    const uint32_t th = e.thread;
    ThreadRecord &tr = m_threads[th];
    Impl::ThreadData &td = d.threads[th];
    insertByTime(td.events, index, events);
    if (e.time < tr.start) {
        tr.start = e.time;
        ProcessInfo &p = processOf(m_processes, d.processIndex, tr.pid);
        p.start = std::min(p.start, e.time);
    }

    // Base state changes of the writing thread.
    const BaseState bs = baseStateOf(e.type);
    if (bs.state != ThreadState::None) {
        const uint32_t object = bs.state == ThreadState::Blocked ? e.object : 0;
        if (bs.state != td.current || bs.reason != td.currentReason || object != td.currentObject) {
            td.changes.push_back(index);
            td.current = bs.state;
            td.currentReason = bs.reason;
            td.currentObject = object;
        }
    }

    // The recorder's threads stay out of every view; old traces lack the mark, but only the
    // sampler ever writes Samples.
    if ((e.type == EventType::RecorderThread || e.type == EventType::Sample) && !tr.recorder) {
        tr.recorder = true;
        ProcessInfo &p = processOf(m_processes, d.processIndex, tr.pid);
        std::erase(p.threads, th);
    }
}

void TraceModel::ingestProcessEvent(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    ThreadRecord &tr = m_threads[e.thread];
    switch (e.type) {
    case EventType::ProcessStart: {
        ProcessInfo &p = processOf(m_processes, d.processIndex, tr.pid);
        p.name = labelOf(m_data.string(e.object));
        p.ppid = int32_t(e.arg);
        p.start = std::min(p.start, e.time);
        if (p.ppid != 0)
            addChild(processOf(m_processes, d.processIndex, int32_t(e.arg)), tr.pid);
        d.flowTo({FlowKind::Fork, 0, tr.pid}, index, m_flows);
        break;
    }
    case EventType::ProcessExit: {
        ProcessInfo &p = processOf(m_processes, d.processIndex, int32_t(e.object));
        p.exited = true;
        p.end = e.time;
        p.signaled = (e.flags & ExitSignal) != 0;
        p.exitStatus = e.arg;
        for (uint32_t t : p.threads) {
            m_threads[t].end = std::min(m_threads[t].end, e.time);
            m_threads[t].exited = true;
            killTaskOf(t);
        }
        insertByTime(m_marks, index, m_data.events);
        break;
    }
    case EventType::ForkCall:
        d.threads[e.thread].forkCall = index;
        break;
    case EventType::ForkReturn:
        ingestForkReturn(index);
        break;
    default: // Exec
        ingestExec(index);
        break;
    }
}

void TraceModel::ingestForkReturn(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    const ThreadRecord &tr = m_threads[e.thread];
    Impl::ThreadData &td = d.threads[e.thread];
    if (e.arg > 0) {
        ProcessInfo &child = processOf(m_processes, d.processIndex, int32_t(e.arg));
        if (child.ppid == 0)
            child.ppid = tr.pid;
        addChild(processOf(m_processes, d.processIndex, tr.pid), int32_t(e.arg));
        // The arrow leaves where fork() was called: the child may record before it returns here.
        const uint32_t from = td.forkCall != kNoEvent ? td.forkCall : index;
        d.flowFrom({FlowKind::Fork, 0, e.arg}, from, m_flows);
    }
    td.forkCall = kNoEvent;
    insertByTime(m_marks, index, m_data.events);
}

void TraceModel::ingestExec(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    const ThreadRecord &tr = m_threads[e.thread];
    const int32_t pid = int32_t(e.arg);
    ProcessInfo &p = processOf(m_processes, d.processIndex, pid);
    p.command = m_data.string(e.object);
    if (p.name.empty())
        p.name = labelOf(p.command);
    p.start = std::min(p.start, e.time);
    if (pid != tr.pid) {
        if (p.ppid == 0)
            p.ppid = tr.pid;
        addChild(processOf(m_processes, d.processIndex, tr.pid), pid);
    }
    insertByTime(m_marks, index, m_data.events);
}

void TraceModel::ingestThreadEvent(uint32_t index)
{
    const Event &e = m_data.events[index];
    ThreadRecord &tr = m_threads[e.thread];
    switch (e.type) {
    case EventType::ThreadName:
        tr.name = e.object;
        break;
    case EventType::ThreadStart:
        tr.creatorTid = int32_t(e.arg);
        break;
    default: // ThreadExit
        tr.end = std::min(tr.end, e.time);
        tr.exited = true;
        killTaskOf(e.thread);
        break;
    }
}

void TraceModel::indexByTime(uint32_t index)
{
    Impl &d = *m_d;
    const std::vector<Event> &events = m_data.events;
    const Event &e = events[index];
    switch (e.type) {
    case EventType::Signal:
    case EventType::Deadlock:
        insertByTime(m_marks, index, events);
        break;
    case EventType::Paused:
    case EventType::Resumed:
        insertByTime(d.pauses, index, events);
        break;
    case EventType::QueueDepth:
        insertByTime(d.queueDepths[e.object], index, events);
        break;
    case EventType::Counter:
        insertByTime(d.counters[e.object], index, events);
        break;
    case EventType::VarLoad:
    case EventType::VarStore:
        insertByTime(d.vars[e.object], index, events);
        break;
    case EventType::Output:
        insertByTime(m_outputs, index, events);
        break;
    case EventType::Phase:
        insertByTime(m_phases, index, events);
        break;
    default: // Instant
        insertByTime(m_instants, index, events);
        break;
    }
}

void TraceModel::ingestLockEvent(uint32_t index)
{
    Impl &d = *m_d;
    const std::vector<Event> &events = m_data.events;
    const Event &e = events[index];
    const uint32_t th = e.thread;
    switch (e.type) {
    case EventType::LockWait:
    case EventType::SemWait: {
        if (e.type == EventType::LockWait)
            d.noteLockOrder(th, e.object, true);
        Acquisition a;
        a.wait = index;
        d.locks[e.object].open.push_back(a);
        break;
    }
    case EventType::LockObtain: {
        Impl::LockData &ld = d.locks[e.object];
        const size_t k = ld.findOpen(th, false, events);
        if (k != SIZE_MAX) {
            ld.open[k].obtain = index; // its wait counted in the lock order already
        } else {
            d.noteLockOrder(th, e.object, !(e.flags & TryLock));
            Acquisition a;
            a.obtain = index;
            ld.open.push_back(a);
        }
        d.threads[th].held.push_back(e.object);
        break;
    }
    case EventType::LockTimeout:
    case EventType::SemAcquire: {
        Impl::LockData &ld = d.locks[e.object];
        size_t k = ld.findOpen(th, false, events);
        if (k == SIZE_MAX) {
            ld.open.push_back(Acquisition{});
            k = ld.open.size() - 1;
        }
        ld.open[k].obtain = index;
        ld.closeAcquisition(k, events);
        break;
    }
    case EventType::LockRelease:
        releaseHold(e.object, index);
        break;
    default: // CondWait
        if (e.arg != 0)
            releaseHold(uint32_t(e.arg), index);
        break;
    }
}

void TraceModel::releaseHold(uint32_t lock, uint32_t index)
{
    Impl &d = *m_d;
    const uint32_t th = m_data.events[index].thread;
    auto it = d.locks.find(lock);
    if (it == d.locks.end())
        return;
    const size_t k = it->second.findOpen(th, true, m_data.events);
    if (k == SIZE_MAX)
        return;
    auto &held = d.threads[th].held;
    if (auto h = std::find(held.rbegin(), held.rend(), lock); h != held.rend())
        held.erase(std::next(h).base());
    it->second.open[k].release = index;
    it->second.closeAcquisition(k, m_data.events);
}

void TraceModel::ingestFlowEvent(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    switch (e.type) {
    case EventType::QueuePut:
        d.flowFrom({FlowKind::Queue, e.object, e.arg}, index, m_flows);
        break;
    case EventType::QueueGet:
        d.flowTo({FlowKind::Queue, e.object, e.arg}, index, m_flows);
        break;
    case EventType::PipeSend:
        d.flowFrom({FlowKind::Pipe, e.object, e.arg}, index, m_flows);
        break;
    case EventType::PipeRecv:
        d.flowTo({FlowKind::Pipe, e.object, e.arg}, index, m_flows);
        break;
    case EventType::FlowBegin:
        d.flowFrom({FlowKind::Generic, 0, e.arg}, index, m_flows);
        break;
    default: // FlowEnd
        d.flowTo({FlowKind::Generic, 0, e.arg}, index, m_flows);
        break;
    }
}

// A task attempt whose worker thread ended before the attempt did was killed with it: it ends
// at the exit (whichever of the two arrives first), unless a TaskEnd before the exit says otherwise.
void TraceModel::killTaskOf(uint32_t worker)
{
    auto it = m_d->workerTask.find(worker);
    if (it == m_d->workerTask.end())
        return;
    TaskInfo &task = m_tasks[it->second];
    const ThreadRecord &w = m_threads[worker];
    if (!w.exited || task.started > w.end || task.ended <= w.end)
        return;
    task.ended = w.end;
    task.failed = task.killed = true;
    if (const ProcessInfo *p = process(w.pid); p && p->exited && task.failurePid == 0) {
        task.failurePid = p->pid;
        task.failureStatus = p->exitStatus;
        task.failureSignaled = p->signaled;
    }
}

uint32_t TraceModel::taskAttemptOf(const Event &e)
{
    const std::pair<uint32_t, int64_t> key{e.object, e.arg};
    auto [it, fresh] = m_d->taskIndex.try_emplace(key, uint32_t(m_tasks.size()));
    if (fresh) {
        m_tasks.emplace_back();
        m_tasks.back().pool = e.object;
        m_tasks.back().id = e.arg;
    }
    if (e.type == EventType::TaskStart && m_tasks[it->second].started != kTimeMax) {
        // Started again (re-queued after a worker died): a new attempt of the same task.
        TaskInfo again;
        again.pool = e.object;
        again.id = e.arg;
        again.submitted = m_tasks[it->second].submitted;
        again.submitThread = m_tasks[it->second].submitThread;
        it->second = uint32_t(m_tasks.size());
        m_tasks.push_back(again);
    }
    return it->second;
}

void TraceModel::ingestTaskEvent(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    const uint32_t th = e.thread;
    const uint32_t attempt = taskAttemptOf(e);
    TaskInfo &task = m_tasks[attempt];
    switch (e.type) {
    case EventType::TaskSubmit:
        task.submitted = e.time;
        task.submitThread = th;
        d.flowFrom({FlowKind::Task, e.object, e.arg}, index, m_flows);
        break;
    case EventType::TaskStart:
        task.started = e.time;
        task.worker = th;
        d.workerTask[th] = attempt;
        d.flowTo({FlowKind::Task, e.object, e.arg}, index, m_flows);
        killTaskOf(th);
        break;
    case EventType::TaskEnd:
        if (task.killed && e.time <= task.ended) { // it did finish: the exit came after
            task.failed = task.killed = false;
            task.failurePid = 0;
            task.failureStatus = 0;
            task.failureSignaled = false;
        }
        task.ended = e.time;
        break;
    default:
        // Reported when the death was noticed; a worker's exit recorded earlier is when it ended.
        task.ended = std::min(task.ended, e.time);
        task.failed = true;
        d.lastFailedTask[th] = attempt;
        d.lastFailedAny = attempt;
        break;
    }
}

void TraceModel::ingestTaskFailure(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    auto it = d.lastFailedTask.find(e.thread);
    const uint32_t t = it != d.lastFailedTask.end() ? it->second : d.lastFailedAny;
    if (t != kNoEvent) {
        m_tasks[t].failurePid = int32_t(e.object);
        m_tasks[t].failureStatus = e.arg;
        m_tasks[t].failureSignaled = (e.flags & ExitSignal) != 0;
    }
}

void TraceModel::ingestSample(uint32_t index)
{
    Impl &d = *m_d;
    const std::vector<Event> &events = m_data.events;
    const Event &e = events[index];
    if (e.cpu >= m_coreSamples.size())
        m_coreSamples.resize(size_t(e.cpu) + 1);
    insertByTime(m_coreSamples[e.cpu], index, events);
    auto it = d.tidIndex.find(int32_t(e.object));
    if (it == d.tidIndex.end()) {
        d.pendingSamples.push_back(index);
    } else {
        Impl::ThreadData &st = d.threads[it->second];
        insertByTime(st.samples, index, events);
        if (SampleArg::runDelay(e.arg) > 0)
            insertByTime(st.readySamples, index, events);
        if (isKernelWait(SampleArg::state(e.arg)))
            insertByTime(st.kernelWaits, index, events);
    }
}

void TraceModel::ingestSliceEvent(uint32_t index)
{
    Impl &d = *m_d;
    const Event &e = m_data.events[index];
    Impl::ThreadData &td = d.threads[e.thread];
    switch (e.type) {
    case EventType::SliceBegin:
        td.sliceStack.push_back(uint32_t(td.slices.size()));
        td.slices.push_back({index, kNoEvent, uint32_t(td.sliceStack.size() - 1)});
        break;
    case EventType::SliceEnd:
        if (!td.sliceStack.empty()) {
            td.slices[td.sliceStack.back()].end = index;
            td.sliceStack.pop_back();
        }
        break;
    case EventType::AsyncBegin:
        d.openAsync[{e.object, e.arg}] = uint32_t(d.asyncSpans.size());
        d.asyncSpans.push_back({index, kNoEvent, 0});
        break;
    default: { // AsyncEnd
        auto it = d.openAsync.find({e.object, e.arg});
        if (it != d.openAsync.end()) {
            d.asyncSpans[it->second].end = index;
            d.openAsync.erase(it);
        }
        break;
    }
    }
}

} // namespace interleave::core
