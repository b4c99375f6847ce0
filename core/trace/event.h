// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace interleave::core {

/// What an event says happened. Values are stored in files: append, never renumber.
/// `object` and `arg` meanings are given per type; "str" means an interned string id.
enum class EventType : uint8_t
{
    None = 0,
    // Objects and names.
    ObjectNew = 1,  ///< object = new object id, arg = str name, flags = ObjectKind
    ThreadName = 2, ///< object = str name of the writing thread
    // Processes.
    ProcessStart = 3, ///< object = str process name, arg = ppid (written by the new process' first thread)
    ProcessExit = 4,  ///< object = pid, arg = exit code (flags & ExitSignal: arg is the signal); written by the reaper
    ForkReturn = 5,   ///< fork() returned: arg = return value (child pid in the parent, 0 in the child)
    Exec = 6,         ///< object = str command line, arg = pid of the exec'd program (written by the spawner)
    Signal = 7,       ///< object = target pid, arg = signal number (written by the sender)
    // Threads.
    ThreadStart = 8, ///< arg = creator tid (written by the new thread itself)
    ThreadExit = 9,  ///< the writing thread ends
    JoinWait = 10,   ///< object = tid (or pid for a process join, flags & OnProcess) waited for
    JoinDone = 11,   ///< object as JoinWait
    // Locks and other synchronisation objects (object = the lock / condvar / semaphore id).
    LockWait = 12,    ///< about to block on the lock; flags & Timed: the wait has a timeout
    LockObtain = 13,  ///< now holds the lock
    LockRelease = 14, ///< released it
    LockTimeout = 15, ///< gave up waiting (try_lock_for expired)
    CondWait = 16,    ///< object = condvar, arg = the mutex id released while waiting
    CondWake = 17,    ///< woke from the condvar wait (mutex re-obtained is a separate LockObtain)
    CondNotify = 18,  ///< arg = 1 for notify_one, 2 for notify_all
    SemWait = 19,
    SemAcquire = 20, ///< arg = count after acquiring
    SemRelease = 21, ///< arg = count after releasing
    // Queues and pipes (object = queue / pipe id; arg = item id, unique per object).
    QueuePut = 22,
    QueueGetWait = 23, ///< blocks until an item arrives
    QueueGet = 24,
    QueueDepth = 25, ///< arg = depth after the change (a counter)
    PipeSend = 26,
    PipeRecvWait = 27,
    PipeRecv = 28,
    // Pools and tasks (object = pool id, arg = task id).
    TaskSubmit = 29,
    TaskStart = 30,
    TaskEnd = 31,
    TaskFailed = 32, ///< object = pool id, arg = task id; a following TaskFailure gives pid and status
    // Blocking that is not synchronisation.
    SleepBegin = 33, ///< arg = requested ns
    SleepEnd = 34,
    IoWaitBegin = 35, ///< object = str what is waited for (fd, "socket", "stdin of x")
    IoWaitEnd = 36,
    // Traced shared variables (object = variable id, arg = value as int64; flags & Versioned: VersionedVarArg).
    VarLoad = 37,
    VarStore = 38,
    // Scheduling truth from the /proc sampler: written by the sampler on behalf of a thread.
    Sample = 39, ///< object = sampled tid, arg = SampleArg packed; cpu = core it last ran on
    // Text.
    Output = 40,      ///< object = str line printed by the writing thread, arg = 1 stdout, 2 stderr
    Phase = 41,       ///< object = str name of a scenario phase that starts now
    Deadlock = 42,    ///< written by the session: arg = number of threads in the cycle
    TaskFailure = 43, ///< object = worker pid, arg = exit code, or signal when flags & ExitSignal
    // Generic events, for traces imported from other tools (Chrome / Perfetto JSON).
    SliceBegin = 44, ///< object = str name, arg = str category
    SliceEnd = 45,   ///< object = str name (may be 0 for a plain stack pop)
    Instant = 46,    ///< object = str name, arg = str category
    Counter = 47,    ///< object = str name, arg = value as std::bit_cast<int64_t>(double)
    FlowBegin = 48,  ///< object = str name, arg = flow id
    FlowEnd = 49,    ///< object = str name, arg = flow id
    AsyncBegin = 50, ///< object = str name, arg = async id (overlapping spans, own sub-track)
    AsyncEnd = 51,   ///< object = str name, arg = async id
    /// The writing thread is the recorder's own (the /proc sampler, ...), not the program's: no
    /// lane, list, summary or export shows it. Its first event, so even a live view never does.
    RecorderThread = 52,
    /// About to call fork(): where the fork flow starts (the child may record before fork()
    /// returns in the parent, so ForkReturn can be later than the child's first event).
    ForkCall = 53,
    // Control of the run (written by the session, on behalf of the runner's main thread).
    Paused = 54,  ///< Pause: every thread that reaches an instrumented point is held there until Resumed
    Resumed = 55, ///< the run goes on (arg = ns the pause lasted)
    // The deadlock cycle, written by the session at the time of its Deadlock mark, one member after
    // the other in cycle order (each member waits for what the next one holds, the last for the first's).
    /// member `thread` waits: object = str what ("lock A", "join <tid>"), arg = ns its wait began, loc = its call site
    DeadlockWait = 56,
    DeadlockHold = 57, ///< object = str name of a lock the member `thread` holds
    Count
};

/// The kind of an object announced by ObjectNew.
enum class ObjectKind : uint8_t
{
    Mutex = 1,
    CondVar = 2,
    Semaphore = 3,
    Queue = 4, ///< a queue between threads
    ProcessQueue = 5,
    Pipe = 6,
    ThreadPool = 7,
    ProcessPool = 8,
    SharedVar = 9,
    ThreadLocal = 10,
    NetQueue = 11, ///< a queue served over the network
    /// CPython's global interpreter lock, found by the preloaded recorder in a traced python3:
    /// drawn and analysed as a mutex, listed as kind "gil".
    Gil = 12,
};

/// Bits of Event::flags.
enum EventFlag : uint8_t
{
    Timed = 1,      ///< a wait with a timeout (not a deadlock candidate)
    ExitSignal = 2, ///< ProcessExit / TaskFailure: arg is a signal number
    OnProcess = 4,  ///< JoinWait / JoinDone: object is a pid
    TryLock = 8,    ///< LockObtain after a successful try_lock (no wait was recorded)
    Imported = 16,  ///< the event came from another tool's trace
    Versioned = 32, ///< VarLoad / VarStore: arg is a VersionedVarArg (version and value), see below
    /// PipeSend / PipeRecv of a traced program: arg is a byte count, not an item id, until the
    /// reader's byte-flow pass (analysis/byteflows) matches sends to receives and rewrites it.
    ByteStream = 64,
};

/// A decoded event, as the trace model and the files keep it. `thread` indexes the
/// thread table of the log or trace (which holds pid and tid), so pids need no space here.
struct Event
{
    int64_t time;    ///< ns on CLOCK_MONOTONIC
    int64_t arg;     ///< meaning per EventType
    uint32_t thread; ///< index in the thread table
    uint32_t object; ///< meaning per EventType
    uint32_t loc;    ///< str "file:line" of the call site, 0 if none; for Sample events, the sampled pid
    uint16_t cpu;    ///< core the thread ran on when it recorded the event
    EventType type;
    uint8_t flags;
};
static_assert(sizeof(Event) == 32, "events are 32 bytes in memory and in files");

/// Packing of a Sample event's argument: state letter of /proc stat (R, S, D, ...) and the
/// run-queue delay accumulated since the previous sample, in ns.
struct SampleArg
{
    static int64_t pack(char state, uint64_t runDelayNs) { return int64_t((runDelayNs << 8) | uint8_t(state)); }
    static char state(int64_t arg) { return char(arg & 0xff); }
    static uint64_t runDelay(int64_t arg) { return uint64_t(arg) >> 8; }
};

/// Packing of a Versioned VarLoad / VarStore argument: the variable's store count (version) in its
/// high 32 bits, the 32-bit value in the low ones. A load carries the version it read; a store the
/// version it overwrote (its own is that + 1), so lost updates are counted exactly, whatever order
/// the two threads' clocks put their events in.
struct VersionedVarArg
{
    static int64_t pack(uint32_t version, int32_t value)
    {
        return int64_t((uint64_t(version) << 32) | uint32_t(value));
    }
    static uint32_t version(int64_t arg) { return uint32_t(uint64_t(arg) >> 32); }
    static int32_t value(int64_t arg) { return int32_t(uint32_t(uint64_t(arg) & 0xffffffffu)); }
};

/// The value a VarLoad / VarStore event carries, versioned or not.
inline int64_t varValue(const Event &e)
{
    return (e.flags & Versioned) ? VersionedVarArg::value(e.arg) : e.arg;
}

const char *eventTypeName(EventType type);

} // namespace interleave::core
