// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace interleave::core {

/// What a thread is doing during one interval of its tiled state sequence.
enum class ThreadState : uint8_t
{
    None = 0, ///< not started yet (before the thread's first event)
    Running,  ///< on a core, or runnable without measured run-queue delay
    Ready,    ///< runnable but waiting for a core (measured by the /proc sampler)
    Blocked,  ///< waiting on something; see BlockReason
    Sleeping, ///< in a timed sleep
    Exited,   ///< after ThreadExit, or after its process exited
};

/// Why a Blocked thread waits. The interval's `object` names the thing waited for.
enum class BlockReason : uint8_t
{
    None = 0,
    Lock,      ///< object = lock id
    Join,      ///< object = tid, or pid when flags & OnProcess
    Queue,     ///< object = queue id
    Pipe,      ///< object = pipe id
    Io,        ///< object = str id of what is waited for
    CondVar,   ///< object = condvar id
    Semaphore, ///< object = semaphore id
    Held,      ///< held by Pause at an instrumented point (the sampler saw it waiting during a pause)
};

const char *threadStateName(ThreadState state);
const char *blockReasonName(BlockReason reason);

/// No event / no value; also "no such thread" where a thread index is looked up (threadByTid).
inline constexpr uint32_t kNoEvent = std::numeric_limits<uint32_t>::max();
inline constexpr int64_t kTimeMin = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kTimeMax = std::numeric_limits<int64_t>::max();

/// One interval of a thread's tiled states: [start, end). Returned by value from queries.
struct StateSpan
{
    int64_t start = 0;
    int64_t end = 0;
    ThreadState state = ThreadState::None;
    BlockReason reason = BlockReason::None;
    uint8_t flags = 0;         ///< EventFlag bits of the event that began a blocked wait (Timed, OnProcess)
    uint32_t object = 0;       ///< what a Blocked thread waits for
    uint32_t event = kNoEvent; ///< index in data().events of the event that began the base state
};

/// A process as the trace knows it.
struct ProcessInfo
{
    int32_t pid = 0;
    int32_t ppid = 0;
    std::string name;
    std::string command;      ///< Exec command line, if the process was exec'd
    int64_t start = kTimeMax; ///< earliest of ProcessStart, its first event, or the Exec that made it
    int64_t end = kTimeMax;   ///< ProcessExit time; kTimeMax while alive
    bool exited = false;
    bool signaled = false; ///< exitStatus is a signal number
    int64_t exitStatus = 0;
    std::vector<int32_t> children; ///< child pids in the order they were seen
    std::vector<uint32_t> threads; ///< thread indexes of this process

    /// Ran in the trace (recorded events or was exec'd), rather than being known only as the
    /// parent of one that did (the window that started the runner).
    bool traced() const { return !threads.empty() || !command.empty(); }
};

/// A thread: index = the index in data().threads and in Event::thread.
struct ThreadRecord
{
    uint32_t index = 0;
    int32_t pid = 0;
    int32_t tid = 0;
    uint32_t name = 0;        ///< str id (ThreadName), 0 if unnamed
    int64_t start = kTimeMax; ///< time of its first event; kTimeMax before any
    int64_t end = kTimeMax;   ///< ThreadExit time, else its process' exit time, else kTimeMax
    int32_t creatorTid = 0;   ///< ThreadStart arg (0 if unknown)
    bool exited = false;      ///< wrote ThreadExit (or its process exited)
    /// The recorder's own thread (RecorderThread, or the writer of Sample events in traces from
    /// before that mark): in no process' thread list, with no states; its Samples still count.
    bool recorder = false;
};

/// An object announced by ObjectNew.
struct ObjectInfo
{
    ObjectKind kind = ObjectKind::Mutex;
    uint32_t name = 0; ///< str id
};

/// One lock (or semaphore) wait or hold: [start, end). Returned by value from queries.
struct LockInterval
{
    enum Kind : uint8_t
    {
        Wait,
        Hold
    };
    int64_t start = 0;
    int64_t end = kTimeMax; ///< kTimeMax: still open at the end of the trace
    uint32_t thread = 0;
    uint32_t object = 0;
    Kind kind = Wait;
    bool timed = false;    ///< Wait: it had a timeout
    bool timedOut = false; ///< Wait: ended by LockTimeout
    bool open = false;     ///< not ended yet (end = kTimeMax)
    uint32_t loc = 0;      ///< str id of the call site of the wait / obtain
};

/// One acquisition of a lock or semaphore, as indexes of its events in data().events.
/// `obtain` is the LockObtain / SemAcquire, or the LockTimeout of a wait that gave up.
struct Acquisition
{
    uint32_t wait = kNoEvent;
    uint32_t obtain = kNoEvent;
    uint32_t release = kNoEvent;
};

/// What a flow connects.
enum class FlowKind : uint8_t
{
    Queue,
    Pipe,
    Task,
    Fork,
    Generic
};
const char *flowKindName(FlowKind kind);

/// An arrow from (thread, time) to (thread, time).
struct Flow
{
    FlowKind kind = FlowKind::Generic;
    uint32_t fromThread = 0;
    int64_t fromTime = 0;
    uint32_t toThread = 0;
    int64_t toTime = 0;
    uint32_t object = 0; ///< queue / pipe / pool id, child pid for Fork, str name for Generic
    int64_t id = 0;      ///< item id, task id, child pid, flow id
    uint32_t fromEvent = kNoEvent;
    uint32_t toEvent = kNoEvent;
};

/// A task of a pool (or of the distributed master).
struct TaskInfo
{
    uint32_t pool = 0;
    int64_t id = 0;
    int64_t submitted = kTimeMax; ///< kTimeMax: no TaskSubmit seen
    int64_t started = kTimeMax;   ///< kTimeMax: not started
    int64_t ended = kTimeMax;     ///< TaskEnd or TaskFailed time; kTimeMax while running
    bool failed = false;
    uint32_t submitThread = kNoEvent;
    uint32_t worker = kNoEvent; ///< thread index that ran it
    int32_t failurePid = 0;     ///< from TaskFailure
    int64_t failureStatus = 0;  ///< exit code, or signal when failureSignaled
    bool failureSignaled = false;
    bool killed = false; ///< failed because its worker exited while running it: ended = the exit
};

/// One point of a counter.
struct CounterPoint
{
    int64_t time = 0;
    double value = 0;
};

/// A sample of which core a thread last ran on (from the /proc sampler).
struct CoreSample
{
    int64_t time = 0;
    uint32_t thread = 0;
    uint16_t cpu = 0;
    char state = 0; ///< /proc state letter: R running or runnable, S, D, ...
    uint64_t runDelay = 0;
};

/// A nested slice of an imported trace (SliceBegin..SliceEnd) or an async span (AsyncBegin..AsyncEnd).
struct SliceInfo
{
    int64_t start = 0;
    int64_t end = kTimeMax; ///< kTimeMax: never ended
    uint32_t thread = 0;
    uint32_t name = 0;     ///< str id
    uint32_t category = 0; ///< str id (slices only)
    uint32_t depth = 0;    ///< nesting depth on its thread (slices), 0 for async spans
    int64_t id = 0;        ///< async id
};

/// The derived, queryable picture of a trace: processes, threads, objects, per-thread tiled states,
/// lock intervals, flows, tasks, counters, core samples, text. Grows incrementally with update();
/// every query answers "what was true at time t" in O(log n).
///
/// Events of one thread must arrive in time order; different threads may interleave arbitrarily,
/// and an event may arrive after later-timestamped events of other threads. Derived data is the
/// same whatever that interleaving (tests check it).
///
/// Run-queue delay rule: a Sample at time ts with delay d for thread X marks [ts - d, ts) as a
/// Ready window, clamped to start no earlier than the end of X's previous Ready window and X's start.
/// Where such a window overlaps a Running interval of X (from X's own events), that part is Ready.
/// Blocked or Sleeping intervals are never turned into Ready.
/// Pause rule: such a kernel wait sampled inside a pause is Blocked with reason Held: the thread
/// was held by the pause at an instrumented point, and is never drawn running while held.
/// Kernel-wait rule: a Sample that saw X in state S or D while X's own events say Running marks X
/// Sleeping (S) or Blocked with reason Io and object 0 (D) from that sample until X is next seen
/// otherwise (its next sample less that sample's delay, or its next own event): a call that is not
/// instrumented still blocks, and is never drawn as running.
class TraceModel
{
public:
    TraceModel();
    explicit TraceModel(TraceData data);
    ~TraceModel();
    TraceModel(TraceModel &&) noexcept;
    TraceModel &operator=(TraceModel &&) noexcept;
    TraceModel(const TraceModel &) = delete;
    TraceModel &operator=(const TraceModel &) = delete;

    TraceData &data() { return m_data; }
    const TraceData &data() const { return m_data; }

    /// Ingests the events appended to data().events (and threads added to data().threads) since the last call.
    void update();
    /// Drops everything derived and the data (a new run).
    void clear();
    /// Releases spare vector capacity (call once a trace is fully loaded).
    void squeeze();
    /// Bytes held by derived structures (vector capacities, maps approximated), without data().
    size_t derivedBytes() const;
    /// Number of events ingested so far.
    size_t ingestedEvents() const { return m_ingested; }

    /// [first, last] event time; {0, 0} when empty.
    int64_t startTime() const;
    int64_t endTime() const;

    // Processes, threads, objects -----------------------------------------------------------
    const std::vector<ProcessInfo> &processes() const { return m_processes; }
    /// nullptr if unknown.
    const ProcessInfo *process(int32_t pid) const;
    const std::vector<ThreadRecord> &threads() const { return m_threads; }
    size_t threadCount() const { return m_threads.size(); }
    const ThreadRecord &thread(uint32_t index) const { return m_threads[index]; }
    /// The longest name the model hands out, in bytes: a name is a label (a lane, a node, a
    /// legend), and a longer one from a crafted or foreign trace is cut to this at a character
    /// boundary with "…" appended. The trace's own string table keeps it whole.
    static constexpr size_t kMaxNameBytes = 256;
    /// The thread name, or "pid/tid" when unnamed.
    std::string threadName(uint32_t index) const;
    /// Thread index of a tid (preferring one in `pid` when given and known); kNoEvent if none.
    uint32_t threadByTid(int32_t tid, int32_t pid = 0) const;
    /// nullptr if no ObjectNew announced it.
    const ObjectInfo *object(uint32_t id) const;
    /// Its name, or "#id".
    std::string objectName(uint32_t id) const;
    /// `text` cut to kMaxNameBytes as described there (unchanged when it fits).
    static std::string labelOf(const std::string &text);
    /// All announced object ids, ascending.
    std::vector<uint32_t> objectIds() const;

    // States ------------------------------------------------------------------------------
    /// The state of `thread` at t (None before its start, Exited after its end).
    StateSpan stateAt(uint32_t thread, int64_t t) const;
    /// Tiled spans of `thread` overlapping [t0, t1), unclipped, in time order; cover the thread's
    /// life from its start, then one Exited span up to endTime() if it ended.
    std::vector<StateSpan> states(uint32_t thread, int64_t t0 = kTimeMin, int64_t t1 = kTimeMax) const;
    /// Same, without building a vector.
    void forEachState(uint32_t thread, int64_t t0, int64_t t1, const std::function<void(const StateSpan &)> &fn) const;
    /// stateAt(thread, t) for every thread, indexed by thread.
    std::vector<StateSpan> statesAt(int64_t t) const;
    /// Indexes in data().events of the events written by `thread`, in time order.
    const std::vector<uint32_t> &threadEvents(uint32_t thread) const;
    /// The last event of `thread` at or before t (kNoEvent if none) — e.g. for its current source line.
    uint32_t lastEventAt(uint32_t thread, int64_t t) const;

    // Locks and semaphores -----------------------------------------------------------------
    /// Ids of objects with any lock / semaphore activity, ascending.
    std::vector<uint32_t> lockIds() const;
    /// Finished acquisitions (obtained-and-released, timed out, semaphore acquires) of a lock,
    /// sorted by the time of `obtain`.
    const std::vector<Acquisition> &acquisitions(uint32_t lock) const;
    /// Acquisitions still open: waiting (obtain == kNoEvent) or holding (release == kNoEvent).
    const std::vector<Acquisition> &openAcquisitions(uint32_t lock) const;
    /// Waits and holds of `lock` overlapping [t0, t1), in time order of their start.
    std::vector<LockInterval> lockIntervals(uint32_t lock, int64_t t0 = kTimeMin, int64_t t1 = kTimeMax) const;
    /// Waits and holds of every lock by `thread` overlapping [t0, t1).
    std::vector<LockInterval> lockIntervalsOfThread(uint32_t thread, int64_t t0 = kTimeMin,
                                                    int64_t t1 = kTimeMax) const;
    /// Threads holding `lock` at t (a mutex has at most one; brief overlaps come from recording order).
    std::vector<uint32_t> holdersAt(uint32_t lock, int64_t t) const;
    /// Grows whenever a thread waits for or takes a lock while holding another in a way not seen
    /// before (a new pair of locks, thread, or blocking kind): the lock-order graph built from the
    /// acquisitions (analysis/lockorder.h) is unchanged while this is.
    uint64_t lockOrderVersion() const;
    /// Threads blocked waiting for `lock` (or semaphore / condvar) at t.
    std::vector<uint32_t> waitersAt(uint32_t object, int64_t t) const;

    // Flows, tasks, counters -------------------------------------------------------------------
    /// Matched flows (queue put→get, pipe send→recv, submit→start, fork, imported), in arrival order.
    std::vector<Flow> flows(int64_t t0 = kTimeMin, int64_t t1 = kTimeMax) const;
    size_t flowCount() const { return m_flows.size(); }
    const std::vector<TaskInfo> &tasks() const { return m_tasks; }
    /// Ids of queues with QueueDepth events, ascending.
    std::vector<uint32_t> queueIds() const;
    /// QueueDepth points of a queue, in time order.
    std::vector<CounterPoint> queueDepth(uint32_t queue) const;
    /// Str ids of Counter names (imported traces), ascending.
    std::vector<uint32_t> counterNames() const;
    std::vector<CounterPoint> counter(uint32_t name) const;

    // Cores -------------------------------------------------------------------------------------
    /// Highest core number seen in samples + 1.
    int coreCount() const { return int(m_coreSamples.size()); }
    /// Samples of `thread` in [t0, t1), in time order.
    std::vector<CoreSample> coreSamplesOfThread(uint32_t thread, int64_t t0 = kTimeMin, int64_t t1 = kTimeMax) const;
    /// Samples on `cpu` in [t0, t1), in time order (which thread ran there).
    std::vector<CoreSample> coreSamplesOfCore(int cpu, int64_t t0 = kTimeMin, int64_t t1 = kTimeMax) const;

    // Text, marks, imported slices ---------------------------------------------------------------
    /// Output events (object = str line, arg = 1 stdout / 2 stderr), in time order.
    const std::vector<uint32_t> &outputs() const { return m_outputs; }
    /// Phase events, in time order.
    const std::vector<uint32_t> &phases() const { return m_phases; }
    /// Instant events of imported traces, in time order.
    const std::vector<uint32_t> &instants() const { return m_instants; }
    /// Times the run was paused: [Paused, Resumed), end = kTimeMax while still paused; in time order.
    std::vector<std::pair<int64_t, int64_t>> pauses() const;
    /// ns paused before t (the part of every pause that lies before t).
    int64_t pausedBefore(int64_t t) const;
    /// ForkReturn, Exec, Signal, ProcessExit, Deadlock events, in time order (for instant marks).
    const std::vector<uint32_t> &marks() const { return m_marks; }
    /// Nested slices of `thread`, in order of their start.
    std::vector<SliceInfo> slices(uint32_t thread) const;
    /// Async spans (AsyncBegin..AsyncEnd matched by name and id), in arrival order.
    std::vector<SliceInfo> asyncSpans() const;
    /// Traced shared-variable accesses (VarLoad / VarStore event indexes) of `var`, in time order.
    const std::vector<uint32_t> &varAccesses(uint32_t var) const;
    /// Ids of variables with VarLoad / VarStore events, ascending.
    std::vector<uint32_t> varIds() const;

private:
    struct Impl;
    void ingest(uint32_t index);
    // The steps of ingest (tracemodelingest.cpp), each given the index of the event in data().events.
    /// Its thread and the trace's time range: the thread's events and start, its base state, the recorder mark.
    void placeOnThread(uint32_t index);
    void ingestProcessEvent(uint32_t index);
    void ingestForkReturn(uint32_t index);
    void ingestExec(uint32_t index);
    void ingestThreadEvent(uint32_t index);
    /// Events kept only as a time-ordered list (marks, pauses, series, variables, text).
    void indexByTime(uint32_t index);
    void ingestLockEvent(uint32_t index);
    /// Ends the hold of `lock` by the thread of event `index` (a release, or a condvar wait).
    void releaseHold(uint32_t lock, uint32_t index);
    void ingestFlowEvent(uint32_t index);
    /// Ends the task attempt of a worker thread that exited while running it.
    void killTaskOf(uint32_t worker);
    /// The index in m_tasks of the attempt a task event is about (a new one for a task started again).
    uint32_t taskAttemptOf(const Event &e);
    void ingestTaskEvent(uint32_t index);
    void ingestTaskFailure(uint32_t index);
    void ingestSample(uint32_t index);
    void ingestSliceEvent(uint32_t index);
    void addThreads();

    TraceData m_data;
    size_t m_ingested = 0;
    std::vector<ProcessInfo> m_processes;
    std::vector<ThreadRecord> m_threads;
    std::vector<std::pair<uint32_t, uint32_t>> m_flows; // (from event, to event)
    std::vector<TaskInfo> m_tasks;
    std::vector<std::vector<uint32_t>> m_coreSamples; // per cpu: Sample event indexes
    std::vector<uint32_t> m_outputs;
    std::vector<uint32_t> m_phases;
    std::vector<uint32_t> m_instants;
    std::vector<uint32_t> m_marks;
    std::unique_ptr<Impl> m_d;
};

} // namespace interleave::core
