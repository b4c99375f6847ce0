// SPDX-License-Identifier: MIT
#include "trace/recorder.h"

#include "trace/clock.h"
#include "trace/eventlog.h"
#include "trace/hold.h"

#include <climits>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace interleave::core::recorder {

namespace {
std::atomic<uint32_t> g_notPaused{0};
} // namespace

namespace detail {
bool g_on = false;
std::atomic<uint32_t> *g_paused = &g_notPaused; // the log header's futex word while attached
} // namespace detail

namespace {

using detail::g_paused;
using logformat::HeldThread;
using logformat::Slot;

EventLog *g_log = nullptr;
std::atomic<uint32_t> g_noSteps{0};
std::atomic<uint32_t> *g_steps = &g_noSteps; // the log header's step permits while attached
std::atomic<int32_t> g_anyThread{0};
std::atomic<int32_t> *g_stepTid = &g_anyThread; // which thread may take them (0: any)
uint32_t g_clockKind = ClockCalibration::Monotonic;
bool g_rseq = false;
uint32_t g_epoch = 1; // bumped by attach and detach: cursors of an older epoch are stale

// Constant-initialised and trivially destructible, so access is a plain %fs-relative load
// (no TLS init wrapper) and the fork child handler may touch it.
constinit thread_local WriterCursor t_cursor __attribute__((tls_model("initial-exec")));
constinit thread_local uint32_t t_threadName = 0;
// The hold point's view of this thread: named in a schedule (held by kHoldScheduled), its entry
// in the log's held table (for the epoch it was claimed in), and a hold() it already passed.
constinit thread_local bool t_scheduled = false;
constinit thread_local HeldThread *t_held = nullptr;
constinit thread_local uint32_t t_heldEpoch = 0;
constinit thread_local bool t_passedHold = false;
constinit thread_local HeldThread *t_passedEntry = nullptr;

struct LocationEntry
{
    const char *file = nullptr;
    uint32_t line = 0;
    uint32_t epoch = 0;
    uint32_t id = 0;
};
constexpr uint32_t kLocationCacheSize = 128;
constinit thread_local LocationEntry t_locations[kLocationCacheSize];

struct StringHash
{
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using InternMap = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;

// The per-process intern cache. The fork child cannot trust either (another parent thread may
// have held the mutex or been inside the map), so it re-creates the mutex in place and
// abandons the map; the next intern() in the child builds a new one.
std::mutex g_internMutex;
InternMap *g_intern = nullptr;

// Closes the thread's chunk when a thread that recorded ends without calling closeThread.
struct ThreadCloser
{
    ~ThreadCloser() { closeThread(); }
};
thread_local ThreadCloser t_closer;

int32_t rawPid() noexcept
{
    return int32_t(syscall(SYS_getpid));
}
int32_t rawTid() noexcept
{
    return int32_t(syscall(SYS_gettid));
}

/// The calling thread's entry in the log's held table, claimed on its first hold; null when the
/// table is full (the thread is still held, only not listed).
HeldThread *heldEntry() noexcept
{
    if (t_held && t_heldEpoch == g_epoch)
        return t_held;
    t_held = nullptr;
    if (!g_log)
        return nullptr;
    const int32_t tid = rawTid();
    for (HeldThread &entry : g_log->header()->held) {
        int32_t free = 0;
        if (entry.tid.load(std::memory_order_relaxed) == 0 &&
            entry.tid.compare_exchange_strong(free, tid, std::memory_order_acq_rel)) {
            entry.pid.store(rawPid(), std::memory_order_relaxed);
            entry.done.store(0, std::memory_order_relaxed);
            t_held = &entry;
            t_heldEpoch = g_epoch;
            return t_held;
        }
    }
    return nullptr;
}

/// Holds the caller while the run is paused (or, under a schedule, while it is one of the threads
/// the schedule names), listed in the held table with the event it is about to record. Returns
/// its entry when a Step permit let it through (the caller counts the event as done once it is
/// recorded), else null.
HeldThread *waitWhilePaused(EventType type, uint32_t object, uint32_t loc) noexcept
{
    HeldThread *entry = nullptr;
    HeldThread *stepped = nullptr;
    // A bounded futex wait in a loop: a lost wake-up or a detach never strands the thread.
    for (uint32_t value; detail::g_on && (value = g_paused->load(std::memory_order_acquire)) != 0;) {
        if (value == logformat::kHoldScheduled && !t_scheduled)
            break;
        if (!entry && (entry = heldEntry())) {
            entry->type.store(uint32_t(type), std::memory_order_relaxed);
            entry->object.store(object, std::memory_order_relaxed);
            entry->loc.store(loc, std::memory_order_relaxed);
            entry->name.store(t_threadName, std::memory_order_relaxed);
            entry->waiting.store(1, std::memory_order_release);
        }
        // A Step permit lets this one event through while the others stay held; a permit for
        // one thread only lets that thread through.
        const int32_t target = g_stepTid->load(std::memory_order_acquire);
        bool took = false;
        if (target == 0 || target == rawTid()) {
            for (uint32_t permits = g_steps->load(std::memory_order_acquire); permits > 0 && !took;)
                took = g_steps->compare_exchange_weak(permits, permits - 1, std::memory_order_acq_rel);
        }
        if (took) {
            stepped = entry;
            break;
        }
        timespec timeout{0, 50'000'000};
        syscall(SYS_futex, reinterpret_cast<uint32_t *>(g_paused), FUTEX_WAIT, value, &timeout, nullptr, 0);
    }
    if (entry)
        entry->waiting.store(0, std::memory_order_release);
    return stepped;
}

// The name of the stall slice in the current log, interned once per attach: (epoch << 32) | id.
std::atomic<uint64_t> g_stallName{0};

/// A thread that waited for the reader to free a chunk really stood still, held by the
/// recorder: the wait goes into its trace as a slice of its own ("recorder stall"), so the
/// picture shows it instead of passing it off as the program's own time.
void noteStall(EventLog *log, WriterCursor &c, uint64_t since) noexcept
{
    if (c.limit - c.index < 3) // keep room for the event that waited
        return;
    uint64_t cached = g_stallName.load(std::memory_order_relaxed);
    uint32_t name = uint32_t(cached >> 32) == g_epoch ? uint32_t(cached) : 0;
    if (name == 0) {
        name = log->storeString("recorder stall");
        if (name == 0)
            return;
        g_stallName.store(uint64_t(g_epoch) << 32 | name, std::memory_order_relaxed);
    }
    const uint16_t cpu = clock::currentCpu(g_rseq);
    writeSlot(c, since, EventType::SliceBegin, name, 0, 0, 0, cpu);
    writeSlot(c, clock::readTicks(g_clockKind), EventType::SliceEnd, name, 0, 0, 0, cpu);
}

[[gnu::noinline]] bool takeChunk(WriterCursor &c) noexcept
{
    EventLog *log = g_log;
    if (!log || !detail::g_on)
        return false;
    if (c.epoch != g_epoch) {
        c = WriterCursor{};
        c.epoch = g_epoch;
    }
    if (c.pid == 0) {
        c.pid = rawPid();
        c.tid = rawTid();
    }
    (void)&t_closer; // registers the thread-exit close on the thread's first chunk
    uint64_t stalledSince = 0;
    if (!log->takeChunkWaiting(c, c.tid, stalledSince))
        return false;
    if (stalledSince != 0)
        noteStall(log, c, stalledSince);
    return true;
}

void childAfterFork()
{
    afterForkInChild();
}

} // namespace

namespace detail {

/// Event types recorded right after an operation that synchronises with another thread or process.
constexpr bool followsAcquire(EventType type) noexcept
{
    switch (type) {
    case EventType::VarLoad:
    case EventType::LockObtain:
    case EventType::CondWake:
    case EventType::SemAcquire:
    case EventType::QueueGet:
    case EventType::PipeRecv:
    case EventType::JoinDone:
    case EventType::TaskStart:
    case EventType::ForkReturn:
        return true;
    default:
        return false;
    }
}

void recordSlow(EventType type, uint32_t object, int64_t arg, uint8_t flags, uint32_t loc) noexcept
{
    HeldThread *stepped = nullptr;
    if (g_paused->load(std::memory_order_relaxed) != 0) [[unlikely]] {
        // A hold() before the operation already held this event. (A pause that ends between
        // the two leaves the mark for the next paused event: one event, once, a Step early.)
        if (t_passedHold) {
            stepped = std::exchange(t_passedEntry, nullptr);
            t_passedHold = false;
        } else {
            stepped = waitWhilePaused(type, object, loc);
        }
    }
    WriterCursor &c = t_cursor;
    if (c.index >= c.limit || c.epoch != g_epoch) [[unlikely]] {
        if (!takeChunk(c)) {
            if (g_log && g_on)
                g_log->countDropped();
            if (stepped)
                stepped->done.fetch_add(1, std::memory_order_release);
            return;
        }
    }
    // Events that follow an acquiring operation (a load, an obtained lock, a received item)
    // need a timestamp that cannot float above it; the others keep the cheaper read, which can
    // only err earlier, on the safe side of the release they precede.
    const uint64_t tsc = followsAcquire(type) ? clock::readTicksOrdered(g_clockKind) : clock::readTicks(g_clockKind);
    writeSlot(c, tsc, type, object, arg, flags, loc, clock::currentCpu(g_rseq));
    if (stepped) [[unlikely]]
        stepped->done.fetch_add(1, std::memory_order_release); // the step is in the log: whoever waits may go on
}

void holdSlow(EventType type, uint32_t object, uint32_t loc) noexcept
{
    t_passedEntry = waitWhilePaused(type, object, loc);
    t_passedHold = true;
}

void forget(const EventLog *log) noexcept
{
    if (g_log != log)
        return;
    detach();
    g_paused = &g_notPaused;
    g_steps = &g_noSteps;
    g_stepTid = &g_anyThread;
    g_log = nullptr;
}

void writeUncommittedForTest(EventType type, uint32_t object, int64_t arg) noexcept
{
    WriterCursor &c = t_cursor;
    if (!g_on)
        return;
    if ((c.index >= c.limit || c.epoch != g_epoch) && !takeChunk(c))
        return;
    Slot *s = c.slotBase + c.index;
    s->tsc = clock::readTicks(g_clockKind);
    s->arg = arg;
    s->object = object;
    s->loc = 0;
    s->cpu = clock::currentCpu(g_rseq);
    s->type = uint8_t(type);
    s->flags = 0;
}

} // namespace detail

void attach(EventLog *log)
{
    static std::once_flag atfork;
    std::call_once(atfork, [] { pthread_atfork(nullptr, nullptr, childAfterFork); });
    if (detail::g_on)
        detach();
    {
        std::lock_guard lock(g_internMutex);
        delete g_intern;
        g_intern = new InternMap;
    }
    g_log = log;
    g_paused = &log->header()->paused;
    g_steps = &log->header()->steps;
    g_stepTid = &log->header()->stepTid;
    g_clockKind = log->clock().kind;
    g_rseq = clock::rseqAvailable();
    ++g_epoch;
    detail::g_on = true;
}

void detach()
{
    if (!detail::g_on)
        return;
    closeThread();
    detail::g_on = false;
    ++g_epoch;
    // Threads held by a pause see g_on == false at their next wake-up; wake them now.
    syscall(SYS_futex, reinterpret_cast<uint32_t *>(g_paused), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

uint32_t intern(std::string_view text)
{
    if (!detail::g_on || text.empty())
        return 0;
    std::lock_guard lock(g_internMutex);
    if (!g_intern)
        g_intern = new InternMap;
    if (const auto it = g_intern->find(text); it != g_intern->end())
        return it->second;
    const uint32_t id = g_log->storeString(text);
    if (id != 0)
        g_intern->emplace(std::string(text), id);
    return id;
}

uint32_t location(const std::source_location &where)
{
    if (!detail::g_on)
        return 0;
    const char *file = where.file_name();
    const uint32_t line = where.line();
    const uint32_t slot =
        uint32_t((reinterpret_cast<uintptr_t>(file) >> 3) ^ (line * 0x9E3779B1u)) % kLocationCacheSize;
    LocationEntry &e = t_locations[slot];
    if (e.file == file && e.line == line && e.epoch == g_epoch)
        return e.id;
    // The whole path: the build makes it repo-relative ("core/scenarios/deadlock.cpp"), and a base
    // name alone is ambiguous (scenarios/process.cpp and instrument/process.cpp).
    const uint32_t id = intern(std::string(file) + ':' + std::to_string(line));
    e = LocationEntry{file, line, g_epoch, id};
    return id;
}

uint32_t newObject(ObjectKind kind, std::string_view name)
{
    if (!detail::g_on)
        return 0;
    const uint32_t id = g_log->newObjectId();
    record(EventType::ObjectNew, id, intern(name), uint8_t(kind));
    return id;
}

namespace {

/// Whether a schedule names this thread (Header::scheduled: names each followed by '\n').
bool scheduledName(std::string_view name) noexcept
{
    if (!g_log || name.empty())
        return false;
    const logformat::Header &h = *g_log->header();
    const std::string_view list(h.scheduled, strnlen(h.scheduled, sizeof h.scheduled));
    for (size_t at = 0; at < list.size();) {
        const size_t end = list.find('\n', at);
        if (end == std::string_view::npos)
            break;
        if (list.substr(at, end - at) == name)
            return true;
        at = end + 1;
    }
    return false;
}

} // namespace

void nameThread(std::string_view name)
{
    t_threadName = intern(name);
    record(EventType::ThreadName, t_threadName);
    // Held from its next event on: the name is what a schedule knows it by.
    t_scheduled = scheduledName(name);
}

int64_t now() noexcept
{
    EventLog *log = g_log;
    if (!detail::g_on || !log)
        return clock::monotonicNs();
    return log->clock().toNs(clock::readTicksOrdered(g_clockKind));
}

namespace {

// The inverse of ClockCalibration::toNs, rounded up so that toNs(ticksFromNs(t)) >= t: a
// re-recorded event clamped to "not before t" stays not before t once converted back.
uint64_t ticksFromNs(const ClockCalibration &cal, int64_t ns) noexcept
{
    if (cal.kind == ClockCalibration::Monotonic || cal.mult == 0)
        return uint64_t(ns);
    const __int128 scaled = __int128(ns - cal.nsBase) << 32;
    const __int128 m = __int128(cal.mult);
    __int128 q = scaled / m;
    if (q * m < scaled)
        ++q; // towards +infinity for positive remainders (division truncates towards zero)
    return cal.tickBase + uint64_t(int64_t(q));
}

} // namespace

ForeignThread::ForeignThread(int32_t pid, int32_t tid)
    : m_cursor(std::make_unique<WriterCursor>())
{
    m_cursor->pid = pid;
    m_cursor->tid = tid;
}

ForeignThread::~ForeignThread()
{
    close();
}

int32_t ForeignThread::pid() const noexcept
{
    return m_cursor->pid;
}

int32_t ForeignThread::tid() const noexcept
{
    return m_cursor->tid;
}

bool ForeignThread::record(int64_t timeNs, EventType type, uint32_t object, int64_t arg, uint8_t flags, uint32_t loc,
                           uint16_t cpu) noexcept
{
    if (!detail::g_on)
        return false;
    HeldThread *stepped = nullptr;
    if (g_paused->load(std::memory_order_relaxed) != 0) [[unlikely]]
        stepped = waitWhilePaused(type, object, loc);
    // Counted at once: no schedule names a foreign thread, so nobody waits for its slot.
    if (stepped)
        stepped->done.fetch_add(1, std::memory_order_release);
    EventLog *log = g_log;
    if (!log || !detail::g_on)
        return false;
    WriterCursor &c = *m_cursor;
    if (c.index >= c.limit || c.epoch != g_epoch) {
        if (c.epoch != g_epoch) {
            // A new log: nothing of the old cursor applies (its chunk belongs to the old log).
            const int32_t pid = c.pid;
            const int32_t tid = c.tid;
            c = WriterCursor{};
            c.pid = pid;
            c.tid = tid;
            c.epoch = g_epoch;
        }
        c.ownerPid = rawPid();
        c.ownerTid = rawTid();
        uint64_t stalledSince = 0; // a remote worker's events: the wait is the master's, not drawn
        if (!log->takeChunkWaiting(c, c.ownerTid, stalledSince)) {
            log->countDropped();
            return false;
        }
    }
    writeSlot(c, ticksFromNs(log->clock(), timeNs), type, object, arg, flags, loc, cpu);
    return true;
}

void ForeignThread::close() noexcept
{
    WriterCursor &c = *m_cursor;
    if (c.chunk && c.epoch == g_epoch && g_log)
        g_log->closeChunk(c);
    c.chunk = nullptr;
    c.slotBase = nullptr;
    c.index = 0;
    c.limit = 0;
}

void afterForkInChild() noexcept
{
    // Only the forking thread exists in the child. Forget the parent's chunk (the parent still
    // owns it) and take the child's own pid/tid with raw syscalls (async-signal-safe).
    WriterCursor &c = t_cursor;
    c = WriterCursor{};
    c.epoch = g_epoch;
    c.pid = rawPid();
    c.tid = rawTid();
    new (&g_internMutex) std::mutex;
    g_intern = nullptr; // abandoned, not freed: it may be mid-update
    // The parent's thread keeps its entry in the held table and its place in a schedule.
    t_held = nullptr;
    t_scheduled = false;
    t_passedHold = false;
    t_passedEntry = nullptr;
}

void closeThread() noexcept
{
    if (t_held && t_heldEpoch == g_epoch && g_log) {
        // Gone from the hold point for good: its entry is free for another thread.
        t_held->waiting.store(0, std::memory_order_relaxed);
        t_held->tid.store(0, std::memory_order_release);
    }
    t_held = nullptr;
    WriterCursor &c = t_cursor;
    if (c.epoch == g_epoch && g_log && c.chunk)
        g_log->closeChunk(c);
    c.chunk = nullptr;
    c.slotBase = nullptr;
    c.index = 0;
    c.limit = 0;
}

void recordProcessExit(int32_t pid, int status) noexcept
{
    if (WIFEXITED(status))
        record(EventType::ProcessExit, uint32_t(pid), WEXITSTATUS(status));
    else
        record(EventType::ProcessExit, uint32_t(pid), WTERMSIG(status), ExitSignal);
}

} // namespace interleave::core::recorder
