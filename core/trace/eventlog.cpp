// SPDX-License-Identifier: MIT
// The event log's creation, attachment and writer side; the reader (drain) is in eventlogreader.cpp,
// so the preloaded recorder links this half without Qt.
#include "trace/eventlog.h"

#include "trace/recorder.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace interleave::core {

using namespace logformat;

namespace {

constexpr uint64_t kAlign = 64;

uint64_t alignUp(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

template<typename T> std::atomic_ref<T> ref(T &v)
{
    return std::atomic_ref<T>(v);
}

void setError(std::string *error, std::string text)
{
    if (error)
        *error = std::move(text);
}

struct Layout
{
    uint64_t stringOffset, chunkHeaderOffset, slotOffset, ringOffset, total;
    uint32_t stringBytes, chunkCount, ringCapacity;
};

uint32_t ringCapacityFor(uint32_t chunks)
{
    uint32_t cap = 1;
    while (cap < chunks)
        cap <<= 1;
    return cap;
}

Layout layoutFor(uint64_t chunkCount, uint32_t stringBytes, uint32_t slotsPerChunk)
{
    Layout l{};
    l.stringBytes = stringBytes;
    l.chunkCount = uint32_t(chunkCount);
    l.ringCapacity = ringCapacityFor(l.chunkCount);
    l.stringOffset = alignUp(sizeof(Header), 4096);
    l.chunkHeaderOffset = alignUp(l.stringOffset + stringBytes, kAlign);
    l.slotOffset = alignUp(l.chunkHeaderOffset + chunkCount * sizeof(ChunkHeader), 4096);
    l.ringOffset = alignUp(l.slotOffset + chunkCount * slotsPerChunk * sizeof(Slot), kAlign);
    l.total = alignUp(l.ringOffset + uint64_t(l.ringCapacity) * sizeof(uint32_t), 4096);
    return l;
}

int64_t futexWake(std::atomic<uint32_t> *word)
{
    // Shared futex (no FUTEX_PRIVATE_FLAG): the waiters live in other processes.
    return syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

// Makes every page writable-and-dirty in this mapping now, not in record(). On this VM the first
// write to a page through a mapping costs ~5 us even after MADV_POPULATE_WRITE (measured: the PTE
// dirty-bit update traps to the hypervisor), i.e. ~50 ns per event over the 128 events of a
// page, for every mapping. An atomic add of 0 per page dirties it without changing the data, so
// it is safe while other processes already write into the log (exec'd helpers attach late).
void prefault(void *base, uint64_t bytes)
{
    madvise(base, bytes, MADV_POPULATE_WRITE); // Linux >= 5.14; the loop below works without it
    auto *p = static_cast<char *>(base);
    for (uint64_t off = 0; off < bytes; off += 4096)
        std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(p + off)).fetch_add(0, std::memory_order_relaxed);
}

} // namespace

EventLog::EventLog(int fd, void *base, size_t bytes)
    : m_fd(fd)
    , m_base(base)
    , m_bytes(bytes)
    , m_header(static_cast<Header *>(base))
{
    char *b = static_cast<char *>(base);
    m_strings = b + m_header->stringOffset;
    m_chunks = reinterpret_cast<ChunkHeader *>(b + m_header->chunkHeaderOffset);
    m_slots = reinterpret_cast<Slot *>(b + m_header->slotOffset);
    m_ring = reinterpret_cast<std::atomic<uint32_t> *>(b + m_header->ringOffset);
}

void EventLog::populate() noexcept
{
    // The kernel's side only: pages allocated and mapped writable, their contents untouched, so
    // this is safe beside writers of this very process too (prefault's touch would race them).
    // The creator's mapping is the reader's; writers make their own present when they attach.
    madvise(m_base, m_bytes, MADV_POPULATE_WRITE);
}

EventLog::~EventLog()
{
    recorder::detail::forget(this);
    if (m_base)
        munmap(m_base, m_bytes);
    if (m_fd >= 0)
        close(m_fd);
}

std::unique_ptr<EventLog> EventLog::create(size_t bytes, std::string *error, Options options)
{
    const uint32_t spc = options.slotsPerChunk;
    if (spc < 2 || spc > (1u << 20)) {
        setError(error, "cannot create event log: slots per chunk must be 2 .. 1048576");
        return nullptr;
    }
    // Strings are far fewer than events: an eighth of the log, within [16 KiB, 256 MiB].
    const uint32_t stringBytes = uint32_t(alignUp(std::clamp<uint64_t>(bytes / 8, 16384, 256u << 20), kAlign));
    const uint64_t perChunk = sizeof(ChunkHeader) + uint64_t(spc) * sizeof(Slot) + 2 * sizeof(uint32_t);
    const uint64_t fixed = alignUp(sizeof(Header), 4096) + stringBytes + 3 * 4096;
    uint64_t chunks = bytes > fixed ? (bytes - fixed) / perChunk : 0;
    chunks = std::min<uint64_t>(chunks, 1u << 24);
    if (chunks < 2) {
        setError(error, "cannot create event log: " + std::to_string(bytes) + " bytes is too small (need about " +
                            std::to_string(fixed + 2 * perChunk) + ")");
        return nullptr;
    }
    const Layout l = layoutFor(chunks, stringBytes, spc);

    const int fd = int(syscall(SYS_memfd_create, "interleave-log", MFD_CLOEXEC));
    if (fd < 0) {
        setError(error, std::string("cannot create event log: memfd_create failed: ") + strerror(errno));
        return nullptr;
    }
    if (ftruncate(fd, off_t(l.total)) != 0) {
        setError(error, std::string("cannot create event log: ftruncate failed: ") + strerror(errno));
        close(fd);
        return nullptr;
    }
    void *base = mmap(nullptr, l.total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        setError(error, std::string("cannot create event log: mmap failed: ") + strerror(errno));
        close(fd);
        return nullptr;
    }
    if (options.populate)
        prefault(base, l.total);
    auto *h = new (base) Header();
    h->version = kVersion;
    h->headerBytes = sizeof(Header);
    h->totalBytes = l.total;
    h->stringOffset = l.stringOffset;
    h->chunkHeaderOffset = l.chunkHeaderOffset;
    h->slotOffset = l.slotOffset;
    h->ringOffset = l.ringOffset;
    h->stringBytes = l.stringBytes;
    h->slotsPerChunk = spc;
    h->chunkCount = l.chunkCount;
    h->ringMask = l.ringCapacity - 1;
    h->backPressure = options.backPressure ? 1 : 0;
    h->readerSilenceNs = std::max<int64_t>(0, options.readerSilence.count());
    h->readerBeatNs.store(clock::monotonicNs(), std::memory_order_relaxed); // the reader's first drain is on its way
    h->clock = clock::processCalibration(options.forceMonotonicClock);
    h->nextObject.store(1, std::memory_order_relaxed);
    h->nextGeneration.store(1, std::memory_order_relaxed);
    h->stringUsed.store(kFirstStringOffset, std::memory_order_relaxed);
    auto *ring = reinterpret_cast<std::atomic<uint32_t> *>(static_cast<char *>(base) + l.ringOffset);
    for (uint32_t i = 0; i < l.chunkCount; ++i)
        ring[i].store(i, std::memory_order_relaxed);
    h->ringTail.store(l.chunkCount, std::memory_order_relaxed);
    // The magic last: an attacher that sees it sees a complete header.
    std::atomic_ref<uint64_t>(h->magic).store(kMagic, std::memory_order_release);
    return std::unique_ptr<EventLog>(new EventLog(fd, base, l.total));
}

std::unique_ptr<EventLog> EventLog::attach(int fd, std::string *error)
{
    struct stat st = {};
    if (fstat(fd, &st) != 0) {
        setError(error, "cannot attach event log fd " + std::to_string(fd) + ": " + strerror(errno));
        return nullptr;
    }
    const uint64_t size = uint64_t(st.st_size);
    if (size < sizeof(Header)) {
        setError(error, "cannot attach event log fd " + std::to_string(fd) + ": not an event log (too small)");
        return nullptr;
    }
    void *base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        setError(error, "cannot attach event log fd " + std::to_string(fd) + ": mmap failed: " + strerror(errno));
        return nullptr;
    }
    const auto *h = static_cast<const Header *>(base);
    prefault(base, size);
    std::string problem;
    if (std::atomic_ref<const uint64_t>(h->magic).load(std::memory_order_acquire) != kMagic)
        problem = "not an event log (bad magic)";
    else if (h->version != kVersion)
        problem = "unsupported event log version " + std::to_string(h->version);
    else if (h->totalBytes != size || h->headerBytes != sizeof(Header) || h->chunkCount < 2 || h->slotsPerChunk < 2 ||
             h->ringMask + 1 < h->chunkCount ||
             layoutFor(h->chunkCount, h->stringBytes, h->slotsPerChunk).total != size ||
             h->ringOffset != layoutFor(h->chunkCount, h->stringBytes, h->slotsPerChunk).ringOffset)
        problem = "inconsistent event log header";
    if (!problem.empty()) {
        munmap(base, size);
        setError(error, "cannot attach event log fd " + std::to_string(fd) + ": " + problem);
        return nullptr;
    }
    const int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own < 0) {
        munmap(base, size);
        setError(error, "cannot attach event log fd " + std::to_string(fd) + ": dup failed: " + strerror(errno));
        return nullptr;
    }
    return std::unique_ptr<EventLog>(new EventLog(own, base, size));
}

std::unique_ptr<EventLog> EventLog::fromEnvironment(std::string *error)
{
    const char *value = getenv(kEnvFd);
    if (!value || !*value) {
        setError(error, std::string("no event log: ") + kEnvFd + " is not set");
        return nullptr;
    }
    char *end = nullptr;
    const long fd = strtol(value, &end, 10);
    if (*end != '\0' || fd < 0 || fd > INT_MAX) {
        setError(error, std::string("no event log: ") + kEnvFd + "='" + value + "' is not a descriptor");
        return nullptr;
    }
    return attach(int(fd), error);
}

void EventLog::setPaused(bool paused)
{
    m_header->steps.store(0, std::memory_order_relaxed);
    m_header->paused.store(paused ? 1 : 0, std::memory_order_seq_cst);
    if (!paused)
        futexWake(&m_header->paused);
}

void EventLog::step(uint32_t events)
{
    m_header->stepTid.store(0, std::memory_order_relaxed);
    m_header->steps.fetch_add(events, std::memory_order_seq_cst);
    futexWake(&m_header->paused); // every held thread races for the permit; the losers wait again
}

void EventLog::stepThread(int32_t tid)
{
    m_header->stepTid.store(tid, std::memory_order_seq_cst);
    m_header->steps.fetch_add(1, std::memory_order_seq_cst);
    futexWake(&m_header->paused);
}

bool EventLog::holdNamed(const std::vector<std::string> &names)
{
    std::string list;
    for (const std::string &name : names) {
        if (name.empty() || name.find('\n') != std::string::npos)
            return false;
        list += name + '\n';
    }
    if (list.size() >= sizeof m_header->scheduled)
        return false;
    std::memcpy(m_header->scheduled, list.c_str(), list.size() + 1);
    m_header->steps.store(0, std::memory_order_relaxed);
    m_header->paused.store(kHoldScheduled, std::memory_order_seq_cst);
    return true;
}

bool EventLog::takeChunk(WriterCursor &cursor) noexcept
{
    Header &h = *m_header;
    uint64_t head = h.ringHead.load(std::memory_order_acquire);
    uint32_t index = 0;
    for (;;) {
        const uint64_t tail = h.ringTail.load(std::memory_order_acquire);
        if (head >= tail)
            return false;
        // Safe to read before the CAS: the reader only overwrites this ring position after
        // head has moved past it, and then the CAS below fails.
        index = m_ring[head & h.ringMask].load(std::memory_order_relaxed);
        if (h.ringHead.compare_exchange_weak(head, head + 1, std::memory_order_acq_rel, std::memory_order_acquire))
            break;
    }
    uint32_t gen = h.nextGeneration.fetch_add(1, std::memory_order_relaxed);
    if (gen == 0) // never 0: an unwritten slot's commit word is 0
        gen = h.nextGeneration.fetch_add(1, std::memory_order_relaxed);
    ChunkHeader &c = m_chunks[index];
    chunkTakenFromReader(&c);
    c.prevGeneration = cursor.generation;
    c.pid = cursor.pid;
    c.tid = cursor.tid;
    c.ownerPid = cursor.ownerPid;
    c.ownerTid = cursor.ownerTid;
    c.startTicks = clock::readTicks(h.clock.kind);
    ref(c.closed).store(0, std::memory_order_relaxed);
    ref(c.generation).store(gen, std::memory_order_release);
    cursor.chunk = &c;
    cursor.slotBase = m_slots + size_t(index) * h.slotsPerChunk;
    cursor.index = 0;
    cursor.limit = h.slotsPerChunk;
    cursor.prevGeneration = cursor.generation;
    cursor.generation = gen;
    return true;
}

bool EventLog::takeChunkWaiting(WriterCursor &cursor, int32_t selfTid, uint64_t &stalledSince) noexcept
{
    stalledSince = 0;
    if (takeChunk(cursor))
        return true;
    Header &h = *m_header;
    if (h.backPressure == 0 || h.readerTid.load(std::memory_order_relaxed) == selfTid)
        return false;
    const uint64_t since = clock::readTicks(h.clock.kind);
    // The reader frees chunks at every drain (every 20 to 40 ms): yield a little, then sleep in
    // steps that grow to a millisecond.
    long sleepNs = 20'000;
    for (int round = 0;; ++round) {
        if (clock::monotonicNs() - h.readerBeatNs.load(std::memory_order_acquire) > h.readerSilenceNs)
            return false;
        if (round < 32) {
            sched_yield();
        } else {
            const timespec pause{0, sleepNs};
            nanosleep(&pause, nullptr);
            sleepNs = std::min(sleepNs * 2, 1'000'000L);
        }
        if (takeChunk(cursor)) {
            stalledSince = since;
            return true;
        }
    }
}

void EventLog::closeChunk(WriterCursor &cursor) noexcept
{
    // A full chunk belongs to the reader already (it frees it once read): never touch it again.
    if (cursor.chunk && cursor.index < cursor.limit) {
        chunkHandedToReader(cursor.chunk);
        ref(cursor.chunk->closed).store(cursor.index + 1, std::memory_order_release);
    }
    cursor.chunk = nullptr;
    cursor.slotBase = nullptr;
    cursor.index = 0;
    cursor.limit = 0;
}

uint32_t EventLog::storeString(std::string_view text) noexcept
{
    if (text.empty())
        return 0;
    Header &h = *m_header;
    const uint64_t need = alignUp(sizeof(StringRecord) + text.size(), 8);
    // Check first so that a full area does not keep growing the counter towards overflow.
    if (h.stringUsed.load(std::memory_order_relaxed) + need > h.stringBytes) {
        h.droppedStrings.fetch_add(1, std::memory_order_relaxed);
        return 0;
    }
    const uint32_t offset = h.stringUsed.fetch_add(uint32_t(need), std::memory_order_relaxed);
    if (uint64_t(offset) + need > h.stringBytes) {
        h.droppedStrings.fetch_add(1, std::memory_order_relaxed);
        return 0;
    }
    auto *rec = reinterpret_cast<StringRecord *>(m_strings + offset);
    ref(rec->length).store(uint32_t(text.size()), std::memory_order_relaxed);
    memcpy(m_strings + offset + sizeof(StringRecord), text.data(), text.size());
    ref(rec->committed).store(1, std::memory_order_release);
    return offset;
}

} // namespace interleave::core
