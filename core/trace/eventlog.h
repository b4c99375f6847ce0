// SPDX-License-Identifier: MIT
#pragma once

#include "trace/clock.h"
#include "trace/event.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace interleave::core {

struct TraceData;

/// The shared-memory layout of the event log. Used by EventLog (reader) and the recorder
/// (writers); every process maps the same bytes, so nothing here may hold a pointer.
namespace logformat {

inline constexpr uint64_t kMagic = 0x474f4c564c544e49ull; // "INTLVLOG"
inline constexpr uint32_t kVersion = 1;
/// Offset of the first string record: offset 0 is id 0, the empty string.
inline constexpr uint32_t kFirstStringOffset = 8;

/// One recorded event as written by a thread. `commit` equals the chunk's generation once
/// the other fields are complete (release store, written last); anything else is unwritten.
struct Slot
{
    uint64_t tsc;
    int64_t arg;
    uint32_t object;
    uint32_t loc;
    uint16_t cpu;
    uint8_t type;
    uint8_t flags;
    uint32_t commit;
};
static_assert(sizeof(Slot) == 32, "slots are 32 bytes");

/// Per-chunk ownership, stamped by the writer that took the chunk from the free ring.
struct alignas(64) ChunkHeader
{
    uint32_t generation;     ///< atomic; release-stored after the fields below
    uint32_t prevGeneration; ///< the writing thread's previous chunk (0: none), keeps thread order
    int32_t pid;
    int32_t tid;
    uint64_t startTicks; ///< clock at take time: a slot with an older tsc is stale, not torn
    uint32_t closed;     ///< atomic; 0 while open, else final slot count + 1 (closeThread)
    /// The thread that really writes the chunk when it writes for another (pid, tid) (a remote
    /// worker's events re-recorded by the master); 0: pid/tid themselves. The reader checks that
    /// this thread is alive, since a synthetic pid never is.
    int32_t ownerPid;
    int32_t ownerTid;
    uint32_t reserved[7];
};
static_assert(sizeof(ChunkHeader) == 64);

/// Values of Header::paused: what the hold point holds.
inline constexpr uint32_t kRunning = 0;
inline constexpr uint32_t kHoldAll = 1;       ///< Pause: every recording thread
inline constexpr uint32_t kHoldScheduled = 2; ///< a schedule: only the threads it names (Header::scheduled)

/// A thread the hold point holds (or held): what it will record next, and how many of its held
/// events it has been let through and has recorded. The thread itself writes it; `tid` 0 is free.
struct HeldThread
{
    std::atomic<int32_t> tid;
    std::atomic<int32_t> pid;
    std::atomic<uint32_t> waiting; ///< 1 while it waits at the hold point
    std::atomic<uint32_t> type;    ///< EventType of its next event
    std::atomic<uint32_t> object;  ///< that event's object
    std::atomic<uint32_t> loc;     ///< that event's call site (str id), 0 if unknown
    std::atomic<uint32_t> name;    ///< str id of the thread's name (0 before it is named)
    std::atomic<uint32_t> done;    ///< held events it was let through and has recorded
};
static_assert(sizeof(HeldThread) == 32);
inline constexpr uint32_t kHeldThreads = 128;
inline constexpr uint32_t kScheduledBytes = 1024;

/// The first page of the log.
struct alignas(64) Header
{
    uint64_t magic;
    uint32_t version;
    uint32_t headerBytes;
    uint64_t totalBytes;
    uint64_t stringOffset;
    uint64_t chunkHeaderOffset;
    uint64_t slotOffset;
    uint64_t ringOffset;
    uint32_t stringBytes;
    uint32_t slotsPerChunk;
    uint32_t chunkCount;
    uint32_t ringMask;       ///< ring capacity - 1 (a power of two >= chunkCount)
    uint32_t backPressure;   ///< nonzero: a writer finding no free chunk waits for the reader (see takeChunkWaiting)
    int64_t readerSilenceNs; ///< how long a reader may not drain before waiting writers give up
    ClockCalibration clock;

    // Each contended word on its own cache line.
    alignas(64) std::atomic<uint32_t> paused; ///< futex word (shared): nonzero holds recording threads
    std::atomic<uint32_t> steps;              ///< while paused: how many more events may still be recorded (Step)
    std::atomic<int32_t> stepTid;             ///< 0: any held thread may take a step permit, else only this one
    alignas(64) std::atomic<uint32_t> nextObject;
    std::atomic<uint32_t> nextGeneration;
    std::atomic<uint32_t> stringUsed; ///< bump pointer of the string area
    std::atomic<uint64_t> dropped;
    std::atomic<uint64_t> droppedStrings;
    alignas(64) std::atomic<uint64_t> ringHead; ///< writers pop here (CAS)
    alignas(64) std::atomic<uint64_t> ringTail; ///< the reader pushes here (the only producer)
    /// CLOCK_MONOTONIC ns of the reader's last drain (set at creation too), and its thread id:
    /// writers wait for a reader that drains, never for a silent one or for themselves.
    alignas(64) std::atomic<int64_t> readerBeatNs;
    std::atomic<int32_t> readerTid;
    /// Threads at the hold point, each in the first free entry it claims.
    alignas(64) HeldThread held[kHeldThreads];
    /// With kHoldScheduled: the names of the threads held, each followed by '\n'. Written before
    /// the runner starts, read-only after.
    char scheduled[kScheduledBytes];
};
static_assert(std::atomic<uint32_t>::is_always_lock_free && std::atomic<uint64_t>::is_always_lock_free,
              "atomics in shared memory must be address-free");

/// A string record in the string area: id = offset of this record. `committed` is
/// release-stored after the bytes; `length` before them, so a dead writer's record is skippable.
struct StringRecord
{
    uint32_t length;
    uint32_t committed;
};

} // namespace logformat

/// A writing thread's position in its current chunk (thread-local in the recorder).
struct WriterCursor
{
#pragma push_macro("slots")
    logformat::Slot *slotBase = nullptr; ///< not `slots`: Qt defines that as a macro
#pragma pop_macro("slots")
    logformat::ChunkHeader *chunk = nullptr;
    uint32_t index = 0;
    uint32_t limit = 0; ///< 0 without a chunk, so `index < limit` is the whole fast-path check
    uint32_t generation = 0;
    uint32_t prevGeneration = 0;
    uint32_t epoch = 0; ///< recorder attach count this cursor belongs to
    int32_t pid = 0;
    int32_t tid = 0;
    int32_t ownerPid = 0; ///< see ChunkHeader::ownerPid; 0 for a thread writing its own events
    int32_t ownerTid = 0;
};

/// ThreadSanitizer sees happens-before only inside one process. A chunk goes from a writer
/// thread to the reader, perhaps in another process, and back through the free ring to another
/// writer thread of this process: a real hand-off (the writer's release store, the reader's
/// acquire, the reader's release of the ring tail, the next writer's acquire), half of it out of
/// ThreadSanitizer's sight. These mark its two ends in the writer process so the next writer's
/// plain stores into the chunk are not reported as racing the last one's. Empty in other builds.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
/// The calling writer is done with `chunk` (filled or closed): it now belongs to the reader.
inline void chunkHandedToReader(logformat::ChunkHeader *chunk) noexcept
{
    __tsan_release(chunk);
}
/// The calling writer popped `chunk` from the free ring.
inline void chunkTakenFromReader(logformat::ChunkHeader *chunk) noexcept
{
    __tsan_acquire(chunk);
}
#else
inline void chunkHandedToReader(logformat::ChunkHeader *) noexcept {}
inline void chunkTakenFromReader(logformat::ChunkHeader *) noexcept {}
#endif

/// The one slot writer (recorder threads, foreign threads, the sampler): fills the cursor's next
/// slot, which the caller made sure exists (`index < limit`), and commits it with a release
/// store. When it is the chunk's last slot the chunk is handed to the reader first, so
/// ThreadSanitizer sees the hand-off whoever writes.
inline void writeSlot(WriterCursor &c, uint64_t tsc, EventType type, uint32_t object, int64_t arg, uint8_t flags,
                      uint32_t loc, uint16_t cpu) noexcept
{
    logformat::Slot *s = c.slotBase + c.index;
    s->tsc = tsc;
    s->arg = arg;
    s->object = object;
    s->loc = loc;
    s->cpu = cpu;
    s->type = uint8_t(type);
    s->flags = flags;
    if (c.index + 1 == c.limit)
        chunkHandedToReader(c.chunk); // its last slot: the reader frees it once read
    std::atomic_ref<uint32_t>(s->commit).store(c.generation, std::memory_order_release);
    ++c.index;
}

/// Creation parameters of an EventLog.
struct EventLogOptions
{
    uint32_t slotsPerChunk = 1024;
    bool forceMonotonicClock = false; ///< record CLOCK_MONOTONIC ns instead of the TSC
    /// Writers that find every chunk full wait for the reader to free one (back-pressure) instead
    /// of dropping the event; false: they drop at once and count it.
    bool backPressure = true;
    /// A reader that has not drained for this long is taken for gone: waiting writers drop. Long,
    /// since a reader may legitimately pause for seconds (growing a multi-gigabyte trace).
    std::chrono::nanoseconds readerSilence = std::chrono::seconds(30);
    /// Make every page present in the creator's mapping before create() returns (see
    /// populate()); false leaves that to a later populate() on another thread.
    bool populate = true;
};

/// The shared-memory event log: created in a memfd by the session, inherited by the runner and
/// its children, written lock-free per thread chunk, read (drained) by one reader.
class EventLog
{
public:
    using Options = EventLogOptions;
    static constexpr const char *kEnvFd = "INTERLEAVE_LOG_FD";

    /// A new log of about `bytes` in an anonymous memfd (nothing left behind on any exit).
    static std::unique_ptr<EventLog> create(size_t bytes, std::string *error = nullptr, Options options = {});
    /// Maps the log behind `fd` (inherited from the creator). The fd is duplicated, not taken.
    static std::unique_ptr<EventLog> attach(int fd, std::string *error = nullptr);
    /// attach() on the fd named by $INTERLEAVE_LOG_FD; null (and an error) when unset or bad.
    static std::unique_ptr<EventLog> fromEnvironment(std::string *error = nullptr);

    ~EventLog();
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;

    int fd() const { return m_fd; }
    size_t bytes() const { return m_bytes; }
    uint32_t chunkCount() const { return m_header->chunkCount; }
    uint32_t slotsPerChunk() const { return m_header->slotsPerChunk; }
    const ClockCalibration &clock() const { return m_header->clock; }
    logformat::Header *header() const { return m_header; }
    uint64_t droppedEvents() const { return m_header->dropped.load(std::memory_order_relaxed); }
    /// Makes every page of the log present and writable in this process's mapping now (without
    /// touching their contents: safe while others, in this process too, already write the log).
    void populate() noexcept;

    /// Holds (true) or releases (false) every recording thread of every process at its next
    /// event; wakes all waiters on release.
    void setPaused(bool paused);
    /// While paused, lets `events` more events be recorded (by whichever held threads get them first).
    void step(uint32_t events = 1);
    /// While paused, lets thread `tid` (and no other) record one more event.
    void stepThread(int32_t tid);
    /// Holds only the threads named `names` (by the name they give themselves: nameThread), from
    /// their first event after that; the others run on. Call before any of them is named. False
    /// when the names do not fit (or one holds a line break).
    bool holdNamed(const std::vector<std::string> &names);
    bool paused() const { return m_header->paused.load(std::memory_order_relaxed) != 0; }

    // Writer side (the recorder). All are lock-free and allocation-free.
    /// Gives `cursor` a fresh chunk from the free ring; false (nothing changed) when none is free.
    bool takeChunk(WriterCursor &cursor) noexcept;
    /// takeChunk(), but when none is free and the log asks for back-pressure, waits while the
    /// reader drains: the recorder never drops an event a live reader would have read. Gives up
    /// (false) when the reader has not drained for Options::readerSilence, or when `selfTid` is
    /// the reader's own thread. `stalledSince` is the clock (ticks) when the wait began, 0 if none.
    bool takeChunkWaiting(WriterCursor &cursor, int32_t selfTid, uint64_t &stalledSince) noexcept;
    /// Publishes the cursor's final slot count so the reader can free the chunk early.
    void closeChunk(WriterCursor &cursor) noexcept;
    /// Appends a string to the string area; its id, or 0 when empty or the area is full.
    uint32_t storeString(std::string_view text) noexcept;
    uint32_t newObjectId() noexcept { return m_header->nextObject.fetch_add(1, std::memory_order_relaxed); }
    void countDropped() noexcept { m_header->dropped.fetch_add(1, std::memory_order_relaxed); }

    // Reader side: one reader (thread) per log; always pass the same TraceData.
    /// Appends events committed since the last call, the new strings and threads; frees chunks
    /// that are read to the end, closed by their writer, or whose writer thread is gone.
    void drain(TraceData &out);
    /// The last drain once every writer is gone: uncommitted but written slots (a writer killed
    /// mid-event) are skipped and counted in out.tornEvents; sets out.droppedEvents.
    void finish(TraceData &out);

private:
    struct Reader;
    /// A plain function as deleter, so the writer half (eventlog.cpp, linked without Qt into the
    /// preloaded recorder) destroys the log without needing the Reader's definition.
    using ReaderPtr = std::unique_ptr<Reader, void (*)(Reader *)>;
    EventLog(int fd, void *base, size_t bytes);
    Reader &reader();
    void readPass(TraceData &out, bool final);
    void readStrings(TraceData &out, bool final);
    void releaseChunk(uint32_t index);

    int m_fd = -1;
    void *m_base = nullptr;
    size_t m_bytes = 0;
    logformat::Header *m_header = nullptr;
    char *m_strings = nullptr;
    logformat::ChunkHeader *m_chunks = nullptr;
    logformat::Slot *m_slots = nullptr;
    std::atomic<uint32_t> *m_ring = nullptr;
    ReaderPtr m_reader{nullptr, nullptr};
};

} // namespace interleave::core
