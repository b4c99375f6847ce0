// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace interleave::core {

const char *threadStateName(ThreadState state)
{
    switch (state) {
    case ThreadState::None: return "none";
    case ThreadState::Running: return "running";
    case ThreadState::Ready: return "ready";
    case ThreadState::Blocked: return "blocked";
    case ThreadState::Sleeping: return "sleeping";
    case ThreadState::Exited: return "exited";
    }
    return "?";
}

const char *blockReasonName(BlockReason reason)
{
    switch (reason) {
    case BlockReason::None: return "";
    case BlockReason::Lock: return "lock";
    case BlockReason::Join: return "join";
    case BlockReason::Queue: return "queue";
    case BlockReason::Pipe: return "pipe";
    case BlockReason::Io: return "io";
    case BlockReason::CondVar: return "condvar";
    case BlockReason::Semaphore: return "semaphore";
    case BlockReason::Held: return "held";
    }
    return "?";
}

const char *flowKindName(FlowKind kind)
{
    switch (kind) {
    case FlowKind::Queue: return "queue";
    case FlowKind::Pipe: return "pipe";
    case FlowKind::Task: return "task";
    case FlowKind::Fork: return "fork";
    case FlowKind::Generic: return "flow";
    }
    return "?";
}

namespace {

/// The base state an event puts its own thread in; None when the event does not change it.
struct BaseState
{
    ThreadState state = ThreadState::None;
    BlockReason reason = BlockReason::None;
};

BaseState baseStateOf(EventType type)
{
    switch (type) {
    case EventType::LockWait: return {ThreadState::Blocked, BlockReason::Lock};
    case EventType::JoinWait: return {ThreadState::Blocked, BlockReason::Join};
    case EventType::QueueGetWait: return {ThreadState::Blocked, BlockReason::Queue};
    case EventType::PipeRecvWait: return {ThreadState::Blocked, BlockReason::Pipe};
    case EventType::IoWaitBegin: return {ThreadState::Blocked, BlockReason::Io};
    case EventType::CondWait: return {ThreadState::Blocked, BlockReason::CondVar};
    case EventType::SemWait: return {ThreadState::Blocked, BlockReason::Semaphore};
    case EventType::SleepBegin: return {ThreadState::Sleeping, BlockReason::None};
    case EventType::LockObtain:
    case EventType::LockTimeout:
    case EventType::JoinDone:
    case EventType::QueueGet:
    case EventType::PipeRecv:
    case EventType::IoWaitEnd:
    case EventType::CondWake:
    case EventType::SemAcquire:
    case EventType::SleepEnd: return {ThreadState::Running, BlockReason::None};
    default: return {};
    }
}

struct FlowKey
{
    FlowKind kind;
    uint32_t object;
    int64_t id;
    bool operator==(const FlowKey &) const = default;
};

struct FlowKeyHash
{
    size_t operator()(const FlowKey &k) const noexcept
    {
        uint64_t h = uint64_t(k.id) * 0x9E3779B97F4A7C15ull;
        h ^= (uint64_t(k.object) << 8 | uint64_t(k.kind)) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
        return size_t(h);
    }
};

struct PairHash
{
    size_t operator()(const std::pair<uint32_t, int64_t> &k) const noexcept
    {
        return size_t(uint64_t(k.second) * 0x9E3779B97F4A7C15ull ^ (uint64_t(k.first) << 1));
    }
};

template <typename Map>
size_t mapBytes(const Map &map, size_t nodeExtra = 0)
{
    using V = typename Map::value_type;
    // buckets + nodes (value, next pointer, cached hash)
    return map.bucket_count() * sizeof(void *) + map.size() * (sizeof(V) + 2 * sizeof(void *) + nodeExtra);
}

template <typename T>
size_t vecBytes(const std::vector<T> &v)
{
    return v.capacity() * sizeof(T);
}

} // namespace

struct TraceModel::Impl
{
    struct Slice
    {
        uint32_t begin = kNoEvent;
        uint32_t end = kNoEvent;
        uint32_t depth = 0;
    };

    struct ThreadData
    {
        std::vector<uint32_t> events;       // own events, time order
        std::vector<uint32_t> changes;      // own events that changed the base state
        std::vector<uint32_t> samples;      // Sample events about this thread, time order
        std::vector<uint32_t> readySamples; // those with a run-queue delay
        std::vector<uint32_t> kernelWaits;  // those that saw it sleeping (S) or blocked (D) in the kernel
        std::vector<Slice> slices;
        std::vector<uint32_t> sliceStack; // indexes in slices
        ThreadState current = ThreadState::Running;
        BlockReason currentReason = BlockReason::None;
        uint32_t currentObject = 0;
        uint32_t forkCall = kNoEvent; // its ForkCall not yet followed by a ForkReturn
    };

    struct LockData
    {
        std::vector<Acquisition> closed; // sorted by obtain time
        std::vector<Acquisition> open;
        int64_t maxWait = 0;
        int64_t maxHold = 0;
    };

    std::vector<ThreadData> threads;
    std::unordered_map<int32_t, uint32_t> processIndex;
    std::unordered_map<int32_t, uint32_t> tidIndex;   // tid -> latest thread index
    std::unordered_map<uint32_t, ObjectInfo> objects;
    std::unordered_map<uint32_t, LockData> locks;
    std::unordered_map<FlowKey, uint32_t, FlowKeyHash> pendingFrom;
    std::unordered_map<FlowKey, uint32_t, FlowKeyHash> pendingTo;
    std::unordered_map<std::pair<uint32_t, int64_t>, uint32_t, PairHash> taskIndex; // (pool, id) -> latest
    std::unordered_map<uint32_t, uint32_t> lastFailedTask;                           // thread -> task
    std::unordered_map<uint32_t, uint32_t> workerTask;                               // thread -> its last started task
    std::unordered_map<uint32_t, std::vector<uint32_t>> queueDepths;
    std::unordered_map<uint32_t, std::vector<uint32_t>> counters;
    std::unordered_map<uint32_t, std::vector<uint32_t>> vars;
    std::vector<Slice> asyncSpans;
    std::unordered_map<std::pair<uint32_t, int64_t>, uint32_t, PairHash> openAsync;
    std::vector<uint32_t> pendingSamples; // samples of tids not in the thread table yet
    std::vector<uint32_t> pauses;         // Paused and Resumed events, time order
    int64_t start = kTimeMax;
    int64_t end = kTimeMin;
    uint32_t lastFailedAny = kNoEvent;
};

namespace {

/// Inserts `index` keeping `v` sorted by event time; cheap when events come in order.
void insertByTime(std::vector<uint32_t> &v, uint32_t index, const std::vector<Event> &events)
{
    const int64_t t = events[index].time;
    if (v.empty() || events[v.back()].time <= t) {
        v.push_back(index);
        return;
    }
    auto it = std::upper_bound(v.begin(), v.end(), t, [&](int64_t time, uint32_t e) { return time < events[e].time; });
    v.insert(it, index);
}

/// A /proc state letter of a thread waiting in the kernel: S (interruptible sleep: a read, a
/// futex, poll...) or D (uninterruptible: disk IO, page faults).
bool isKernelWait(char state)
{
    return state == 'S' || state == 'D';
}

} // namespace

TraceModel::TraceModel() : m_d(std::make_unique<Impl>()) {}

TraceModel::TraceModel(TraceData data) : m_data(std::move(data)), m_d(std::make_unique<Impl>())
{
    update();
}

TraceModel::~TraceModel() = default;
TraceModel::TraceModel(TraceModel &&) noexcept = default;
TraceModel &TraceModel::operator=(TraceModel &&) noexcept = default;

void TraceModel::clear()
{
    *this = TraceModel();
}

void TraceModel::addThreads()
{
    Impl &d = *m_d;
    const size_t old = m_threads.size();
    if (old >= m_data.threads.size())
        return;
    m_threads.resize(m_data.threads.size());
    d.threads.resize(m_data.threads.size());
    for (size_t i = old; i < m_threads.size(); ++i) {
        ThreadRecord &t = m_threads[i];
        t.index = uint32_t(i);
        t.pid = m_data.threads[i].pid;
        t.tid = m_data.threads[i].tid;
        d.tidIndex[t.tid] = uint32_t(i);
        auto [it, fresh] = d.processIndex.try_emplace(t.pid, uint32_t(m_processes.size()));
        if (fresh) {
            m_processes.emplace_back();
            m_processes.back().pid = t.pid;
        }
        ProcessInfo &p = m_processes[it->second];
        p.threads.push_back(uint32_t(i));
        if (p.exited) {
            t.end = std::min(t.end, p.end);
            t.exited = true;
        }
    }
    if (!d.pendingSamples.empty()) {
        std::vector<uint32_t> still;
        for (uint32_t s : d.pendingSamples) {
            const Event &e = m_data.events[s];
            auto it = d.tidIndex.find(int32_t(e.object));
            if (it == d.tidIndex.end()) {
                still.push_back(s);
                continue;
            }
            auto &td = d.threads[it->second];
            insertByTime(td.samples, s, m_data.events);
            if (SampleArg::runDelay(e.arg) > 0)
                insertByTime(td.readySamples, s, m_data.events);
            if (isKernelWait(SampleArg::state(e.arg)))
                insertByTime(td.kernelWaits, s, m_data.events);
        }
        d.pendingSamples.swap(still);
    }
}

void TraceModel::update()
{
    addThreads();
    const size_t n = m_data.events.size();
    if (n - m_ingested > 4096) {
        // A big batch (a file being opened): size the per-thread vectors that are still empty
        // exactly, instead of paying up to 2x for geometric growth.
        std::vector<std::pair<uint32_t, uint32_t>> counts(m_threads.size());
        for (size_t i = m_ingested; i < n; ++i) {
            const Event &e = m_data.events[i];
            if (e.thread < counts.size()) {
                ++counts[e.thread].first;
                counts[e.thread].second += baseStateOf(e.type).state != ThreadState::None;
            }
        }
        for (size_t t = 0; t < counts.size(); ++t) {
            auto &td = m_d->threads[t];
            if (td.events.empty())
                td.events.reserve(counts[t].first);
            if (td.changes.empty())
                td.changes.reserve(counts[t].second);
        }
    }
    for (size_t i = m_ingested; i < n; ++i)
        ingest(uint32_t(i));
    m_ingested = n;
}

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
    if (parent.pid != child && std::find(parent.children.begin(), parent.children.end(), child) == parent.children.end())
        parent.children.push_back(child);
}

} // namespace

void TraceModel::ingest(uint32_t index)
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

    auto flowFrom = [&](FlowKey key) {
        auto it = d.pendingTo.find(key);
        if (it != d.pendingTo.end()) {
            m_flows.emplace_back(index, it->second);
            d.pendingTo.erase(it);
        } else {
            d.pendingFrom[key] = index;
        }
    };
    auto flowTo = [&](FlowKey key) {
        auto it = d.pendingFrom.find(key);
        if (it != d.pendingFrom.end()) {
            m_flows.emplace_back(it->second, index);
            d.pendingFrom.erase(it);
        } else {
            d.pendingTo[key] = index;
        }
    };
    auto closeAcq = [&](Impl::LockData &ld, size_t openIndex) {
        Acquisition a = ld.open[openIndex];
        ld.open.erase(ld.open.begin() + ptrdiff_t(openIndex));
        const int64_t t = events[a.obtain].time;
        if (a.wait != kNoEvent)
            ld.maxWait = std::max(ld.maxWait, t - events[a.wait].time);
        if (a.release != kNoEvent)
            ld.maxHold = std::max(ld.maxHold, events[a.release].time - t);
        auto &c = ld.closed;
        if (c.empty() || events[c.back().obtain].time <= t) {
            c.push_back(a);
        } else {
            auto it = std::upper_bound(c.begin(), c.end(), t,
                                       [&](int64_t time, const Acquisition &x) { return time < events[x.obtain].time; });
            c.insert(it, a);
        }
    };
    // The last open acquisition of this thread on `ld` that is waiting (holding == false) or holding.
    auto findOpen = [&](Impl::LockData &ld, bool holding) -> size_t {
        for (size_t k = ld.open.size(); k-- > 0;) {
            const Acquisition &a = ld.open[k];
            if (holding ? (a.obtain != kNoEvent && events[a.obtain].thread == th)
                        : (a.obtain == kNoEvent && events[a.wait].thread == th))
                return k;
        }
        return SIZE_MAX;
    };
    auto releaseHold = [&](uint32_t lock) {
        auto it = d.locks.find(lock);
        if (it == d.locks.end())
            return;
        const size_t k = findOpen(it->second, true);
        if (k == SIZE_MAX)
            return;
        it->second.open[k].release = index;
        closeAcq(it->second, k);
    };

    // The recorder's threads stay out of every view; old traces lack the mark, but only the
    // sampler ever writes Samples.
    if ((e.type == EventType::RecorderThread || e.type == EventType::Sample) && !tr.recorder) {
        tr.recorder = true;
        ProcessInfo &p = processOf(m_processes, d.processIndex, tr.pid);
        std::erase(p.threads, th);
    }
    // A task attempt whose worker thread ended before the attempt did was killed with it: it ends
    // at the exit (whichever of the two arrives first), unless a TaskEnd before the exit says otherwise.
    auto killTaskOf = [&](uint32_t worker) {
        auto it = d.workerTask.find(worker);
        if (it == d.workerTask.end())
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
    };

    switch (e.type) {
    case EventType::ObjectNew: d.objects[e.object] = ObjectInfo{ObjectKind(e.flags), uint32_t(e.arg)}; break;
    case EventType::ThreadName: tr.name = e.object; break;
    case EventType::ProcessStart: {
        ProcessInfo &p = processOf(m_processes, d.processIndex, tr.pid);
        p.name = m_data.string(e.object);
        p.ppid = int32_t(e.arg);
        p.start = std::min(p.start, e.time);
        if (p.ppid != 0)
            addChild(processOf(m_processes, d.processIndex, int32_t(e.arg)), tr.pid);
        flowTo({FlowKind::Fork, 0, tr.pid});
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
        insertByTime(m_marks, index, events);
        break;
    }
    case EventType::ForkCall: td.forkCall = index; break;
    case EventType::ForkReturn:
        if (e.arg > 0) {
            ProcessInfo &child = processOf(m_processes, d.processIndex, int32_t(e.arg));
            if (child.ppid == 0)
                child.ppid = tr.pid;
            addChild(processOf(m_processes, d.processIndex, tr.pid), int32_t(e.arg));
            // The arrow leaves where fork() was called: the child may record before it returns here.
            const uint32_t from = td.forkCall != kNoEvent ? td.forkCall : index;
            auto it = d.pendingTo.find({FlowKind::Fork, 0, e.arg});
            if (it != d.pendingTo.end()) {
                m_flows.emplace_back(from, it->second);
                d.pendingTo.erase(it);
            } else {
                d.pendingFrom[{FlowKind::Fork, 0, e.arg}] = from;
            }
        }
        td.forkCall = kNoEvent;
        insertByTime(m_marks, index, events);
        break;
    case EventType::Exec: {
        const int32_t pid = int32_t(e.arg);
        ProcessInfo &p = processOf(m_processes, d.processIndex, pid);
        p.command = m_data.string(e.object);
        if (p.name.empty())
            p.name = p.command;
        p.start = std::min(p.start, e.time);
        if (pid != tr.pid) {
            if (p.ppid == 0)
                p.ppid = tr.pid;
            addChild(processOf(m_processes, d.processIndex, tr.pid), pid);
        }
        insertByTime(m_marks, index, events);
        break;
    }
    case EventType::Signal:
    case EventType::Deadlock: insertByTime(m_marks, index, events); break;
    case EventType::Paused:
    case EventType::Resumed: insertByTime(d.pauses, index, events); break;
    case EventType::ThreadStart: tr.creatorTid = int32_t(e.arg); break;
    case EventType::ThreadExit:
        tr.end = std::min(tr.end, e.time);
        tr.exited = true;
        killTaskOf(th);
        break;
    case EventType::LockWait:
    case EventType::SemWait: {
        Acquisition a;
        a.wait = index;
        d.locks[e.object].open.push_back(a);
        break;
    }
    case EventType::LockObtain: {
        Impl::LockData &ld = d.locks[e.object];
        const size_t k = findOpen(ld, false);
        if (k != SIZE_MAX) {
            ld.open[k].obtain = index;
        } else {
            Acquisition a;
            a.obtain = index;
            ld.open.push_back(a);
        }
        break;
    }
    case EventType::LockTimeout:
    case EventType::SemAcquire: {
        Impl::LockData &ld = d.locks[e.object];
        size_t k = findOpen(ld, false);
        if (k == SIZE_MAX) {
            ld.open.push_back(Acquisition{});
            k = ld.open.size() - 1;
        }
        ld.open[k].obtain = index;
        closeAcq(ld, k);
        break;
    }
    case EventType::LockRelease: releaseHold(e.object); break;
    case EventType::CondWait:
        if (e.arg != 0)
            releaseHold(uint32_t(e.arg));
        break;
    case EventType::QueuePut: flowFrom({FlowKind::Queue, e.object, e.arg}); break;
    case EventType::QueueGet: flowTo({FlowKind::Queue, e.object, e.arg}); break;
    case EventType::PipeSend: flowFrom({FlowKind::Pipe, e.object, e.arg}); break;
    case EventType::PipeRecv: flowTo({FlowKind::Pipe, e.object, e.arg}); break;
    case EventType::QueueDepth: insertByTime(d.queueDepths[e.object], index, events); break;
    case EventType::Counter: insertByTime(d.counters[e.object], index, events); break;
    case EventType::TaskSubmit:
    case EventType::TaskStart:
    case EventType::TaskEnd:
    case EventType::TaskFailed: {
        const std::pair<uint32_t, int64_t> key{e.object, e.arg};
        auto [it, fresh] = d.taskIndex.try_emplace(key, uint32_t(m_tasks.size()));
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
        TaskInfo &task = m_tasks[it->second];
        switch (e.type) {
        case EventType::TaskSubmit:
            task.submitted = e.time;
            task.submitThread = th;
            flowFrom({FlowKind::Task, e.object, e.arg});
            break;
        case EventType::TaskStart:
            task.started = e.time;
            task.worker = th;
            d.workerTask[th] = it->second;
            flowTo({FlowKind::Task, e.object, e.arg});
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
            d.lastFailedTask[th] = it->second;
            d.lastFailedAny = it->second;
            break;
        }
        break;
    }
    case EventType::TaskFailure: {
        auto it = d.lastFailedTask.find(th);
        const uint32_t t = it != d.lastFailedTask.end() ? it->second : d.lastFailedAny;
        if (t != kNoEvent) {
            m_tasks[t].failurePid = int32_t(e.object);
            m_tasks[t].failureStatus = e.arg;
            m_tasks[t].failureSignaled = (e.flags & ExitSignal) != 0;
        }
        break;
    }
    case EventType::VarLoad:
    case EventType::VarStore: insertByTime(d.vars[e.object], index, events); break;
    case EventType::Sample: {
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
        break;
    }
    case EventType::Output: insertByTime(m_outputs, index, events); break;
    case EventType::Phase: insertByTime(m_phases, index, events); break;
    case EventType::Instant: insertByTime(m_instants, index, events); break;
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
    case EventType::AsyncEnd: {
        auto it = d.openAsync.find({e.object, e.arg});
        if (it != d.openAsync.end()) {
            d.asyncSpans[it->second].end = index;
            d.openAsync.erase(it);
        }
        break;
    }
    case EventType::FlowBegin: flowFrom({FlowKind::Generic, 0, e.arg}); break;
    case EventType::FlowEnd: flowTo({FlowKind::Generic, 0, e.arg}); break;
    default: break;
    }
}

void TraceModel::squeeze()
{
    Impl &d = *m_d;
    for (auto &t : d.threads) {
        t.events.shrink_to_fit();
        t.changes.shrink_to_fit();
        t.samples.shrink_to_fit();
        t.readySamples.shrink_to_fit();
        t.kernelWaits.shrink_to_fit();
        t.slices.shrink_to_fit();
    }
    for (auto &[id, l] : d.locks) {
        l.closed.shrink_to_fit();
        l.open.shrink_to_fit();
    }
    for (auto *m : {&d.queueDepths, &d.counters, &d.vars})
        for (auto &[id, v] : *m)
            v.shrink_to_fit();
    for (auto &c : m_coreSamples)
        c.shrink_to_fit();
    m_flows.shrink_to_fit();
    m_tasks.shrink_to_fit();
    m_outputs.shrink_to_fit();
    m_phases.shrink_to_fit();
    m_instants.shrink_to_fit();
    m_marks.shrink_to_fit();
    d.asyncSpans.shrink_to_fit();
}

size_t TraceModel::derivedBytes() const
{
    const Impl &d = *m_d;
    size_t n = sizeof(TraceModel) + sizeof(Impl);
    n += vecBytes(d.threads) + vecBytes(m_threads);
    for (const auto &t : d.threads)
        n += vecBytes(t.events) + vecBytes(t.changes) + vecBytes(t.samples) + vecBytes(t.readySamples) +
             vecBytes(t.kernelWaits) + vecBytes(t.slices) + vecBytes(t.sliceStack);
    n += vecBytes(m_processes);
    for (const auto &p : m_processes)
        n += vecBytes(p.children) + vecBytes(p.threads) + p.name.capacity() + p.command.capacity();
    n += mapBytes(d.processIndex) + mapBytes(d.tidIndex) + mapBytes(d.objects) + mapBytes(d.locks);
    for (const auto &[id, l] : d.locks)
        n += vecBytes(l.closed) + vecBytes(l.open);
    n += mapBytes(d.pendingFrom) + mapBytes(d.pendingTo) + mapBytes(d.taskIndex) + mapBytes(d.lastFailedTask) +
         mapBytes(d.workerTask);
    for (const auto *m : {&d.queueDepths, &d.counters, &d.vars}) {
        n += mapBytes(*m);
        for (const auto &[id, v] : *m)
            n += vecBytes(v);
    }
    n += vecBytes(d.asyncSpans) + mapBytes(d.openAsync) + vecBytes(d.pendingSamples) + vecBytes(d.pauses);
    n += vecBytes(m_flows) + vecBytes(m_tasks) + vecBytes(m_coreSamples) + vecBytes(m_outputs) + vecBytes(m_phases) +
         vecBytes(m_instants) + vecBytes(m_marks);
    for (const auto &c : m_coreSamples)
        n += vecBytes(c);
    return n;
}

int64_t TraceModel::startTime() const
{
    return m_d->start == kTimeMax ? 0 : m_d->start;
}

int64_t TraceModel::endTime() const
{
    return m_d->end == kTimeMin ? 0 : m_d->end;
}

const ProcessInfo *TraceModel::process(int32_t pid) const
{
    auto it = m_d->processIndex.find(pid);
    return it == m_d->processIndex.end() ? nullptr : &m_processes[it->second];
}

std::string TraceModel::threadName(uint32_t index) const
{
    const ThreadRecord &t = m_threads[index];
    if (t.name != 0 && !m_data.string(t.name).empty())
        return m_data.string(t.name);
    return std::to_string(t.pid) + '/' + std::to_string(t.tid);
}

uint32_t TraceModel::threadByTid(int32_t tid, int32_t pid) const
{
    if (pid != 0) {
        if (const ProcessInfo *p = process(pid)) {
            for (uint32_t t : p->threads)
                if (m_threads[t].tid == tid)
                    return t;
        }
    }
    auto it = m_d->tidIndex.find(tid);
    return it == m_d->tidIndex.end() ? kNoEvent : it->second;
}

const ObjectInfo *TraceModel::object(uint32_t id) const
{
    auto it = m_d->objects.find(id);
    return it == m_d->objects.end() ? nullptr : &it->second;
}

std::string TraceModel::objectName(uint32_t id) const
{
    const ObjectInfo *o = object(id);
    if (o && !m_data.string(o->name).empty())
        return m_data.string(o->name);
    return '#' + std::to_string(id);
}

std::vector<uint32_t> TraceModel::objectIds() const
{
    std::vector<uint32_t> ids;
    ids.reserve(m_d->objects.size());
    for (const auto &[id, o] : m_d->objects)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

// States ------------------------------------------------------------------------------------

void TraceModel::forEachState(uint32_t thread, int64_t t0, int64_t t1,
                              const std::function<void(const StateSpan &)> &fn) const
{
    if (thread >= m_threads.size() || t0 >= t1)
        return;
    const ThreadRecord &tr = m_threads[thread];
    const Impl::ThreadData &td = m_d->threads[thread];
    const std::vector<Event> &events = m_data.events;
    if (tr.start == kTimeMax || tr.recorder)
        return;
    const int64_t lifeEnd = tr.exited ? tr.end : std::max(endTime(), tr.start);
    const auto &ch = td.changes;
    const auto &rs = td.readySamples;

    auto put = [&](StateSpan s) {
        if (s.start < s.end && s.start < t1 && s.end > t0)
            fn(s);
    };
    // Ready window of readySamples[r]: [ts - delay, ts), clamped after the previous window and the start.
    auto window = [&](size_t r) {
        const Event &smp = events[rs[r]];
        int64_t w0 = smp.time - int64_t(SampleArg::runDelay(smp.arg));
        if (r > 0)
            w0 = std::max(w0, events[rs[r - 1]].time);
        return std::pair<int64_t, int64_t>{std::max(w0, tr.start), smp.time};
    };
    // Kernel-wait window of kernelWaits[q]: from that sample until the thread is next seen otherwise,
    // by its next sample (less that sample's run-queue delay: it was Ready then) or its next own event.
    const auto &ks = td.kernelWaits;
    auto kernelWindow = [&](size_t q) {
        const Event &smp = events[ks[q]];
        int64_t w1 = kTimeMax;
        const auto byTime = [&](int64_t time, uint32_t x) { return time < events[x].time; };
        auto next = std::upper_bound(td.samples.begin(), td.samples.end(), smp.time, byTime);
        if (next != td.samples.end())
            w1 = events[*next].time - int64_t(SampleArg::runDelay(events[*next].arg));
        auto own = std::upper_bound(td.events.begin(), td.events.end(), smp.time, byTime);
        if (own != td.events.end())
            w1 = std::min(w1, events[*own].time);
        return std::pair<int64_t, int64_t>{smp.time, std::max(w1, smp.time)};
    };
    // Splits a Running base interval by what the sampler measured: Ready windows, and windows where
    // the kernel had the thread waiting in a call that is not instrumented (S: Sleeping, D: Blocked).
    auto running = [&](const StateSpan &base) {
        const int64_t from = std::max(base.start, t0);
        int64_t cur = base.start;
        const auto byTime = [&](int64_t time, uint32_t x) { return time < events[x].time; };
        size_t r = size_t(std::upper_bound(rs.begin(), rs.end(), from, byTime) - rs.begin());
        if (r > 0) {
            // A window ending inside this interval before t0 bounds the Running piece that follows it.
            const auto [w0, w1] = window(r - 1);
            if (w0 < w1 && w1 > base.start)
                cur = std::max(cur, w1);
        }
        size_t q = size_t(std::upper_bound(ks.begin(), ks.end(), from, byTime) - ks.begin());
        if (q > 0) {
            const auto [w0, w1] = kernelWindow(q - 1);
            if (w0 >= base.start && w1 > from)
                --q; // still open at t0
            else if (w0 >= base.start && w0 < w1)
                cur = std::max(cur, w1);
        }
        constexpr std::pair<int64_t, int64_t> none{kTimeMax, kTimeMax};
        while (cur < t1) {
            const auto ready = r < rs.size() ? window(r) : none;
            const auto kernel = q < ks.size() ? kernelWindow(q) : none;
            if (kernel.first < base.start) {
                ++q; // seen waiting before this interval began (an instrumented wait then)
                continue;
            }
            const bool isReady = ready.first <= kernel.first;
            const auto [w0, w1] = isReady ? ready : kernel;
            if (w0 >= base.end)
                break;
            StateSpan wait = base;
            if (isReady) {
                ++r;
                wait.state = ThreadState::Ready;
            } else {
                const char letter = SampleArg::state(events[ks[q]].arg);
                const bool held = pausedBefore(w0 + 1) > pausedBefore(w0); // sampled inside a pause
                ++q;
                wait.state = letter == 'D' && !held ? ThreadState::Blocked : ThreadState::Sleeping;
                wait.reason = letter == 'D' ? BlockReason::Io : BlockReason::None;
                if (held) {
                    wait.state = ThreadState::Blocked;
                    wait.reason = BlockReason::Held;
                }
                wait.event = kNoEvent; // measured, not recorded: no event began it
            }
            const int64_t a = std::max(w0, cur);
            const int64_t b = std::min(w1, base.end);
            if (a >= b)
                continue;
            StateSpan run = base;
            run.start = cur;
            run.end = a;
            put(run);
            wait.start = a;
            wait.end = b;
            put(wait);
            cur = b;
        }
        StateSpan rest = base;
        rest.start = cur;
        put(rest);
    };

    // Base interval k: k == 0 is the implicit Running from the thread's start; k >= 1 begins at changes[k - 1].
    size_t k = size_t(std::upper_bound(ch.begin(), ch.end(), t0,
                                       [&](int64_t time, uint32_t x) { return time < events[x].time; }) -
                      ch.begin());
    for (; k <= ch.size(); ++k) {
        StateSpan s;
        if (k == 0) {
            s.start = tr.start;
            s.state = ThreadState::Running;
        } else {
            const Event &e = events[ch[k - 1]];
            const BaseState bs = baseStateOf(e.type);
            s.start = e.time;
            s.state = bs.state;
            s.reason = bs.reason;
            s.event = ch[k - 1];
            if (bs.state == ThreadState::Blocked) {
                s.object = e.object;
                s.flags = e.flags & (Timed | OnProcess);
            }
        }
        s.start = std::max(s.start, tr.start);
        s.end = k < ch.size() ? events[ch[k]].time : lifeEnd;
        s.end = std::min(s.end, lifeEnd);
        if (k == ch.size() && !tr.exited && s.end <= s.start)
            s.end = s.start + 1; // the state a live thread entered at the last instant of the trace still shows
        else if (s.start >= lifeEnd)
            break;
        if (s.start >= t1)
            break;
        if (s.state == ThreadState::Running)
            running(s);
        else
            put(s);
    }
    if (tr.exited) {
        StateSpan x;
        x.state = ThreadState::Exited;
        x.start = tr.end;
        x.end = std::max(endTime(), tr.end);
        if (x.end == x.start)
            ++x.end; // an exit at the very end of the trace still shows
        if (x.start < t1 && x.end > t0)
            fn(x);
    }
}

std::vector<StateSpan> TraceModel::states(uint32_t thread, int64_t t0, int64_t t1) const
{
    std::vector<StateSpan> out;
    forEachState(thread, t0, t1, [&](const StateSpan &s) { out.push_back(s); });
    return out;
}

StateSpan TraceModel::stateAt(uint32_t thread, int64_t t) const
{
    StateSpan result;
    if (thread >= m_threads.size())
        return result;
    const ThreadRecord &tr = m_threads[thread];
    if (tr.start == kTimeMax || t < tr.start) {
        result.start = std::min(startTime(), tr.start);
        result.end = tr.start;
        return result;
    }
    bool found = false;
    forEachState(thread, t, t + 1, [&](const StateSpan &s) {
        if (!found && s.start <= t && t < s.end) {
            result = s;
            found = true;
        }
    });
    if (!found) {
        // Past the last event of a live thread: its last state goes on.
        const int64_t last = std::max(tr.start, endTime());
        forEachState(thread, last - 1, kTimeMax, [&](const StateSpan &s) { result = s; });
        if (result.state == ThreadState::None) {
            result.state = ThreadState::Running;
            result.start = tr.start;
        }
        result.end = t + 1;
    }
    return result;
}

std::vector<StateSpan> TraceModel::statesAt(int64_t t) const
{
    std::vector<StateSpan> out;
    out.reserve(m_threads.size());
    for (uint32_t i = 0; i < m_threads.size(); ++i)
        out.push_back(stateAt(i, t));
    return out;
}

const std::vector<uint32_t> &TraceModel::threadEvents(uint32_t thread) const
{
    return m_d->threads[thread].events;
}

uint32_t TraceModel::lastEventAt(uint32_t thread, int64_t t) const
{
    const auto &v = m_d->threads[thread].events;
    const auto &events = m_data.events;
    auto it = std::upper_bound(v.begin(), v.end(), t, [&](int64_t time, uint32_t x) { return time < events[x].time; });
    return it == v.begin() ? kNoEvent : *(it - 1);
}

std::vector<std::pair<int64_t, int64_t>> TraceModel::pauses() const
{
    std::vector<std::pair<int64_t, int64_t>> out;
    for (uint32_t i : m_d->pauses) {
        const Event &e = m_data.events[i];
        if (e.type == EventType::Paused) {
            if (out.empty() || out.back().second != kTimeMax)
                out.emplace_back(e.time, kTimeMax);
        } else if (!out.empty() && out.back().second == kTimeMax) {
            out.back().second = e.time;
        }
    }
    return out;
}

int64_t TraceModel::pausedBefore(int64_t t) const
{
    int64_t total = 0;
    for (const auto &[p0, p1] : pauses()) {
        if (p0 >= t)
            break;
        total += std::min(p1, t) - p0;
    }
    return total;
}

// Locks -------------------------------------------------------------------------------------

std::vector<uint32_t> TraceModel::lockIds() const
{
    std::vector<uint32_t> ids;
    for (const auto &[id, l] : m_d->locks)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

const std::vector<Acquisition> &TraceModel::acquisitions(uint32_t lock) const
{
    static const std::vector<Acquisition> none;
    auto it = m_d->locks.find(lock);
    return it == m_d->locks.end() ? none : it->second.closed;
}

const std::vector<Acquisition> &TraceModel::openAcquisitions(uint32_t lock) const
{
    static const std::vector<Acquisition> none;
    auto it = m_d->locks.find(lock);
    return it == m_d->locks.end() ? none : it->second.open;
}

namespace {

void intervalsOf(const Acquisition &a, uint32_t lock, const std::vector<Event> &events, int64_t t0, int64_t t1,
                 std::vector<LockInterval> &out)
{
    const Event *obtain = a.obtain != kNoEvent ? &events[a.obtain] : nullptr;
    if (a.wait != kNoEvent) {
        const Event &w = events[a.wait];
        LockInterval li;
        li.kind = LockInterval::Wait;
        li.start = w.time;
        li.end = obtain ? obtain->time : kTimeMax;
        li.thread = w.thread;
        li.object = lock;
        li.timed = (w.flags & Timed) != 0;
        li.timedOut = obtain && obtain->type == EventType::LockTimeout;
        li.open = !obtain;
        li.loc = w.loc;
        if (li.start < t1 && (li.end > t0 || li.start >= t0))
            out.push_back(li);
    }
    if (obtain && obtain->type == EventType::LockObtain) {
        LockInterval li;
        li.kind = LockInterval::Hold;
        li.start = obtain->time;
        li.end = a.release != kNoEvent ? events[a.release].time : kTimeMax;
        li.thread = obtain->thread;
        li.object = lock;
        li.open = a.release == kNoEvent;
        li.loc = obtain->loc;
        if (li.start < t1 && (li.end > t0 || li.start >= t0))
            out.push_back(li);
    }
}

} // namespace

std::vector<LockInterval> TraceModel::lockIntervals(uint32_t lock, int64_t t0, int64_t t1) const
{
    std::vector<LockInterval> out;
    auto it = m_d->locks.find(lock);
    if (it == m_d->locks.end())
        return out;
    const Impl::LockData &ld = it->second;
    const auto &events = m_data.events;
    const auto &c = ld.closed;
    // Closed entries are sorted by obtain time; a hold that overlaps t0 was obtained after
    // t0 - maxHold, and a wait that overlaps [t0, t1) ended before t1 + maxWait.
    const int64_t from = t0 == kTimeMin ? kTimeMin : t0 - ld.maxHold;
    const int64_t to = t1 >= kTimeMax - ld.maxWait ? kTimeMax : t1 + ld.maxWait;
    auto first = std::lower_bound(c.begin(), c.end(), from,
                                  [&](const Acquisition &x, int64_t time) { return events[x.obtain].time < time; });
    for (auto a = first; a != c.end() && events[a->obtain].time <= to; ++a)
        intervalsOf(*a, lock, events, t0, t1, out);
    for (const Acquisition &a : ld.open)
        intervalsOf(a, lock, events, t0, t1, out);
    std::sort(out.begin(), out.end(), [](const LockInterval &x, const LockInterval &y) {
        return x.start != y.start ? x.start < y.start : x.kind != y.kind ? x.kind < y.kind : x.thread < y.thread;
    });
    return out;
}

std::vector<LockInterval> TraceModel::lockIntervalsOfThread(uint32_t thread, int64_t t0, int64_t t1) const
{
    std::vector<LockInterval> out;
    for (uint32_t lock : lockIds())
        for (const LockInterval &li : lockIntervals(lock, t0, t1))
            if (li.thread == thread)
                out.push_back(li);
    std::sort(out.begin(), out.end(), [](const LockInterval &x, const LockInterval &y) {
        return x.start != y.start ? x.start < y.start : x.kind != y.kind ? x.kind < y.kind : x.thread < y.thread;
    });
    return out;
}

std::vector<uint32_t> TraceModel::holdersAt(uint32_t lock, int64_t t) const
{
    std::vector<uint32_t> out;
    auto it = m_d->locks.find(lock);
    if (it == m_d->locks.end())
        return out;
    const Impl::LockData &ld = it->second;
    const auto &events = m_data.events;
    auto holds = [&](const Acquisition &a) {
        if (a.obtain == kNoEvent)
            return false;
        const Event &o = events[a.obtain];
        return o.type == EventType::LockObtain && o.time <= t && (a.release == kNoEvent || events[a.release].time > t);
    };
    const auto &c = ld.closed;
    auto last = std::upper_bound(c.begin(), c.end(), t,
                                 [&](int64_t time, const Acquisition &x) { return time < events[x.obtain].time; });
    const int64_t from = t - ld.maxHold;
    for (auto a = last; a != c.begin();) {
        --a;
        if (events[a->obtain].time < from)
            break;
        if (holds(*a))
            out.push_back(events[a->obtain].thread);
    }
    for (const Acquisition &a : ld.open)
        if (holds(a))
            out.push_back(events[a.obtain].thread);
    return out;
}

std::vector<uint32_t> TraceModel::waitersAt(uint32_t object, int64_t t) const
{
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < m_threads.size(); ++i) {
        const StateSpan s = stateAt(i, t);
        if (s.state == ThreadState::Blocked && s.object == object && s.reason != BlockReason::Join &&
            s.reason != BlockReason::Io)
            out.push_back(i);
    }
    return out;
}

// Flows, tasks, counters ------------------------------------------------------------------------

std::vector<Flow> TraceModel::flows(int64_t t0, int64_t t1) const
{
    std::vector<Flow> out;
    const auto &events = m_data.events;
    for (const auto &[from, to] : m_flows) {
        const Event &a = events[from];
        const Event &b = events[to];
        if (std::max(a.time, b.time) < t0 || std::min(a.time, b.time) >= t1)
            continue;
        Flow f;
        switch (a.type) {
        case EventType::QueuePut: f.kind = FlowKind::Queue; break;
        case EventType::PipeSend: f.kind = FlowKind::Pipe; break;
        case EventType::TaskSubmit: f.kind = FlowKind::Task; break;
        case EventType::ForkReturn:
        case EventType::ForkCall: f.kind = FlowKind::Fork; break;
        default: f.kind = FlowKind::Generic; break;
        }
        f.fromThread = a.thread;
        f.fromTime = a.time;
        f.toThread = b.thread;
        f.toTime = b.time;
        f.id = a.type == EventType::ForkCall ? m_threads[b.thread].pid : a.arg;
        f.object = f.kind == FlowKind::Fork ? uint32_t(f.id) : a.object;
        // A trace from before ForkCall starts the arrow at fork()'s return, which the child may
        // precede; the child cannot precede the call, so the arrow starts no later than the child.
        if (f.kind == FlowKind::Fork)
            f.fromTime = std::min(f.fromTime, f.toTime);
        f.fromEvent = from;
        f.toEvent = to;
        out.push_back(f);
    }
    return out;
}

namespace {

template <typename Map>
std::vector<uint32_t> sortedKeys(const Map &map)
{
    std::vector<uint32_t> ids;
    for (const auto &[id, v] : map)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

std::vector<uint32_t> TraceModel::queueIds() const
{
    return sortedKeys(m_d->queueDepths);
}

std::vector<CounterPoint> TraceModel::queueDepth(uint32_t queue) const
{
    std::vector<CounterPoint> out;
    auto it = m_d->queueDepths.find(queue);
    if (it != m_d->queueDepths.end())
        for (uint32_t i : it->second)
            out.push_back({m_data.events[i].time, double(m_data.events[i].arg)});
    return out;
}

std::vector<uint32_t> TraceModel::counterNames() const
{
    return sortedKeys(m_d->counters);
}

std::vector<CounterPoint> TraceModel::counter(uint32_t name) const
{
    std::vector<CounterPoint> out;
    auto it = m_d->counters.find(name);
    if (it != m_d->counters.end())
        for (uint32_t i : it->second)
            out.push_back({m_data.events[i].time, std::bit_cast<double>(m_data.events[i].arg)});
    return out;
}

// Cores -------------------------------------------------------------------------------------

namespace {

void samplesIn(const std::vector<uint32_t> &v, const std::vector<Event> &events, int64_t t0, int64_t t1,
               const std::function<void(const Event &)> &fn)
{
    auto it = std::lower_bound(v.begin(), v.end(), t0, [&](uint32_t x, int64_t time) { return events[x].time < time; });
    for (; it != v.end() && events[*it].time < t1; ++it)
        fn(events[*it]);
}

} // namespace

std::vector<CoreSample> TraceModel::coreSamplesOfThread(uint32_t thread, int64_t t0, int64_t t1) const
{
    std::vector<CoreSample> out;
    if (thread >= m_threads.size())
        return out;
    samplesIn(m_d->threads[thread].samples, m_data.events, t0, t1, [&](const Event &e) {
        out.push_back({e.time, thread, e.cpu, SampleArg::state(e.arg), SampleArg::runDelay(e.arg)});
    });
    return out;
}

std::vector<CoreSample> TraceModel::coreSamplesOfCore(int cpu, int64_t t0, int64_t t1) const
{
    std::vector<CoreSample> out;
    if (cpu < 0 || size_t(cpu) >= m_coreSamples.size())
        return out;
    samplesIn(m_coreSamples[size_t(cpu)], m_data.events, t0, t1, [&](const Event &e) {
        auto it = m_d->tidIndex.find(int32_t(e.object));
        if (it != m_d->tidIndex.end())
            out.push_back({e.time, it->second, e.cpu, SampleArg::state(e.arg), SampleArg::runDelay(e.arg)});
    });
    return out;
}

// Text, slices, variables ---------------------------------------------------------------------

std::vector<SliceInfo> TraceModel::slices(uint32_t thread) const
{
    std::vector<SliceInfo> out;
    if (thread >= m_threads.size())
        return out;
    const auto &events = m_data.events;
    for (const Impl::Slice &s : m_d->threads[thread].slices) {
        const Event &b = events[s.begin];
        SliceInfo si;
        si.start = b.time;
        si.end = s.end != kNoEvent ? events[s.end].time : kTimeMax;
        si.thread = thread;
        si.name = b.object;
        si.category = uint32_t(b.arg);
        si.depth = s.depth;
        out.push_back(si);
    }
    return out;
}

std::vector<SliceInfo> TraceModel::asyncSpans() const
{
    std::vector<SliceInfo> out;
    const auto &events = m_data.events;
    for (const Impl::Slice &s : m_d->asyncSpans) {
        const Event &b = events[s.begin];
        SliceInfo si;
        si.start = b.time;
        si.end = s.end != kNoEvent ? events[s.end].time : kTimeMax;
        si.thread = b.thread;
        si.name = b.object;
        si.id = b.arg;
        out.push_back(si);
    }
    return out;
}

const std::vector<uint32_t> &TraceModel::varAccesses(uint32_t var) const
{
    static const std::vector<uint32_t> none;
    auto it = m_d->vars.find(var);
    return it == m_d->vars.end() ? none : it->second;
}

std::vector<uint32_t> TraceModel::varIds() const
{
    return sortedKeys(m_d->vars);
}

} // namespace interleave::core
