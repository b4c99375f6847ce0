// SPDX-License-Identifier: MIT
#include "trace/eventlog.h"

#include "trace/recorder.h"
#include "trace/tracedata.h"

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
constexpr uint32_t kFirstStringOffset = 8; // offset 0 is id 0, the empty string
// A chunk that made no progress for this long gets its owner checked with tgkill.
constexpr int64_t kIdleCheckNs = 100'000'000;

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

struct EventLog::Reader
{
    struct Chunk
    {
        uint32_t gen = 0; ///< generation of the current (or last) owner as read from the header
        uint32_t prevGen = 0;
        uint32_t read = 0; ///< slots consumed
        uint32_t thread = 0;
        bool active = false;
        bool threadKnown = false;
        int32_t pid = 0;
        int32_t tid = 0;
        int32_t ownerPid = 0; ///< the thread to check for liveness when not (pid, tid) itself
        int32_t ownerTid = 0;
        uint64_t startTicks = 0;
        int64_t lastProgressNs = 0;
        int64_t lastCheckNs = 0;
    };
    std::vector<Chunk> chunks;
    std::vector<uint32_t> active; ///< owned chunks, kept in generation order (= per-thread order)
    std::unordered_set<uint32_t> activeGens;
    std::unordered_map<uint64_t, uint32_t> threadOf; ///< (pid, tid) -> index in TraceData::threads
    std::unordered_set<uint64_t> ended;              ///< (pid, tid) seen to end (exit, close, death)
    std::vector<uint32_t> pending;                   ///< popped by a writer, stamp not seen yet
    uint64_t seenHead = 0;                           ///< ring position up to which pops are known
    uint32_t stringRead = kFirstStringOffset;

    static uint64_t key(int32_t pid, int32_t tid) { return (uint64_t(uint32_t(pid)) << 32) | uint32_t(tid); }

    /// Takes in the chunks writers popped since the last pass; returns true if any was new.
    bool discover(const Header &h, const std::atomic<uint32_t> *ring, const ChunkHeader *headers, int64_t now);
    /// The thread index of chunk `c`, known from its first slot's event type.
    void resolveThread(TraceData &out, Chunk &c, EventType first);
    /// Reads the committed slots of chunk `c`; returns the chunk's `closed` mark.
    uint32_t consume(TraceData &out, Chunk &c, const ChunkHeader &hdr, Slot *slotBase, uint32_t spc,
                     const ClockCalibration &cal);
};

bool EventLog::Reader::discover(const Header &h, const std::atomic<uint32_t> *ring, const ChunkHeader *headers,
                                int64_t now)
{
    // The chunks writers popped since the last pass are the ring entries between the head seen
    // last time and the head now, so no pass scans every chunk header. Those entries cannot have
    // been overwritten yet: only this reader pushes, and it has not pushed any chunk it does not
    // know about. A popped chunk whose stamp is not visible yet waits in `pending`. A thread stamps
    // its chunk before popping the next, so when a thread's next chunk is seen stamped its
    // previous one is too.
    const uint64_t head = h.ringHead.load(std::memory_order_acquire);
    for (; seenHead < head; ++seenHead)
        pending.push_back(ring[seenHead & h.ringMask].load(std::memory_order_relaxed));
    std::vector<uint32_t> found;
    std::erase_if(pending, [&](uint32_t i) {
        Chunk &c = chunks[i];
        const uint32_t gen = ref(const_cast<uint32_t &>(headers[i].generation)).load(std::memory_order_acquire);
        if (gen == c.gen)
            return false; // popped, not stamped yet (or its writer died in between: then it stays)
        c = Chunk{};
        c.gen = gen;
        c.prevGen = headers[i].prevGeneration;
        c.pid = headers[i].pid;
        c.tid = headers[i].tid;
        c.ownerPid = headers[i].ownerPid;
        c.ownerTid = headers[i].ownerTid;
        c.startTicks = headers[i].startTicks;
        c.active = true;
        c.lastProgressNs = now;
        activeGens.insert(gen);
        found.push_back(i);
        return true;
    });
    if (found.empty())
        return false;
    active.insert(active.end(), found.begin(), found.end());
    // Generations grow in take order, so a thread's chunks sort in its own order.
    std::sort(active.begin(), active.end(), [&](uint32_t a, uint32_t b) { return chunks[a].gen < chunks[b].gen; });
    return true;
}

void EventLog::Reader::resolveThread(TraceData &out, Chunk &c, EventType first)
{
    const uint64_t k = key(c.pid, c.tid);
    // pid/tid reuse: a fresh thread (its first chunk starts with ThreadStart or ProcessStart) of
    // a (pid, tid) that ended gets its own thread index.
    const bool fresh =
        c.prevGen == 0 && c.read == 0 && (first == EventType::ThreadStart || first == EventType::ProcessStart);
    auto it = threadOf.find(k);
    if (fresh && ended.count(k)) {
        out.threads.push_back({c.pid, c.tid});
        c.thread = uint32_t(out.threads.size() - 1);
        ended.erase(k);
        threadOf[k] = c.thread;
    } else if (it != threadOf.end()) {
        c.thread = it->second;
    } else {
        c.thread = out.threadIndex(c.pid, c.tid);
        threadOf.emplace(k, c.thread);
    }
    c.threadKnown = true;
}

uint32_t EventLog::Reader::consume(TraceData &out, Chunk &c, const ChunkHeader &hdr, Slot *slotBase, uint32_t spc,
                                   const ClockCalibration &cal)
{
    const uint32_t closed = ref(const_cast<uint32_t &>(hdr.closed)).load(std::memory_order_acquire);
    const uint32_t limit = closed ? std::min(closed - 1, spc) : spc;
    while (c.read < limit) {
        Slot &s = slotBase[c.read];
        if (ref(s.commit).load(std::memory_order_acquire) != c.gen)
            break;
        const auto type = EventType(s.type);
        if (!c.threadKnown)
            resolveThread(out, c, type);
        out.events.push_back(Event{cal.toNs(s.tsc), s.arg, c.thread, s.object, s.loc, s.cpu, type, s.flags});
        if (type == EventType::ThreadExit)
            ended.insert(key(c.pid, c.tid));
        ++c.read;
    }
    return closed;
}

EventLog::EventLog(int fd, void *base, size_t bytes)
    : m_fd(fd)
    , m_base(base)
    , m_bytes(bytes)
    , m_header(static_cast<Header *>(base))
    , m_reader(new Reader)
{
    char *b = static_cast<char *>(base);
    m_strings = b + m_header->stringOffset;
    m_chunks = reinterpret_cast<ChunkHeader *>(b + m_header->chunkHeaderOffset);
    m_slots = reinterpret_cast<Slot *>(b + m_header->slotOffset);
    m_ring = reinterpret_cast<std::atomic<uint32_t> *>(b + m_header->ringOffset);
    m_reader->chunks.resize(m_header->chunkCount);
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
    m_header->steps.fetch_add(events, std::memory_order_seq_cst);
    futexWake(&m_header->paused); // every held thread races for the permit; the losers wait again
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

void EventLog::releaseChunk(uint32_t index)
{
    Reader::Chunk &c = m_reader->chunks[index];
    m_reader->activeGens.erase(c.gen);
    c.active = false;
    c.threadKnown = false;
    // Single producer: plain load/store of the tail is enough; release publishes the entry.
    Header &h = *m_header;
    const uint64_t tail = h.ringTail.load(std::memory_order_relaxed);
    m_ring[tail & h.ringMask].store(index, std::memory_order_relaxed);
    h.ringTail.store(tail + 1, std::memory_order_release);
}

void EventLog::readPass(TraceData &out, bool final)
{
    Reader &r = *m_reader;
    const uint32_t spc = m_header->slotsPerChunk;
    const int64_t now = clock::monotonicNs();
    const ClockCalibration cal = m_header->clock;
    r.discover(*m_header, m_ring, m_chunks, now);

    bool released = false;
    for (const uint32_t i : r.active) {
        Reader::Chunk &c = r.chunks[i];
        if (c.prevGen != 0 && r.activeGens.count(c.prevGen) && !final)
            continue; // the previous chunk of this thread is not read to its end yet
        const ChunkHeader &hdr = m_chunks[i];
        Slot *slotBase = m_slots + size_t(i) * spc;
        const uint32_t before = c.read;
        const uint32_t closed = r.consume(out, c, hdr, slotBase, spc, cal);
        if (c.read != before)
            c.lastProgressNs = now;
        const bool done = c.read == spc || (closed != 0 && c.read >= closed - 1);
        bool release = done;
        if (!done && (final || (now - c.lastProgressNs >= kIdleCheckNs && now - c.lastCheckNs >= kIdleCheckNs))) {
            c.lastCheckNs = now;
            const bool foreign = c.ownerPid != 0;
            if (final || (syscall(SYS_tgkill, foreign ? c.ownerPid : c.pid, foreign ? c.ownerTid : c.tid, 0) != 0 &&
                          errno == ESRCH)) {
                r.consume(out, c, hdr, slotBase, spc, cal); // it may have committed more just before it went
                if (c.read < spc) {
                    const Slot &s = slotBase[c.read];
                    // Fields written for this chunk (tsc is written first and is not older than the
                    // take) but never committed: the writer died mid-event.
                    if (s.tsc != 0 && s.tsc >= c.startTicks && ref(slotBase[c.read].commit).load() != c.gen) {
                        ++out.tornEvents;
                        out.tornThreads.emplace_back(c.pid, c.tid);
                    }
                }
                release = true;
            }
        }
        if (release) {
            if (!done || closed != 0)
                r.ended.insert(Reader::key(c.pid, c.tid));
            releaseChunk(i);
            released = true;
        }
    }
    if (released)
        std::erase_if(r.active, [&](uint32_t i) { return !r.chunks[i].active; });
}

void EventLog::readStrings(TraceData &out, bool final)
{
    Reader &r = *m_reader;
    const uint32_t used = std::min(m_header->stringUsed.load(std::memory_order_acquire), m_header->stringBytes);
    while (uint64_t(r.stringRead) + sizeof(StringRecord) <= used) {
        auto *rec = reinterpret_cast<StringRecord *>(m_strings + r.stringRead);
        const uint32_t committed = ref(rec->committed).load(std::memory_order_acquire);
        const uint32_t length = ref(rec->length).load(std::memory_order_relaxed);
        if (!committed && (!final || length == 0))
            break; // still being written (or, finally, a writer died before even the length)
        const uint64_t need = alignUp(sizeof(StringRecord) + length, 8);
        if (r.stringRead + need > used)
            break;
        if (committed)
            out.setString(r.stringRead, std::string(m_strings + r.stringRead + sizeof(StringRecord), length));
        r.stringRead += uint32_t(need);
    }
}

void EventLog::drain(TraceData &out)
{
    // Events first: a string is committed before any event that names it, so reading strings
    // second finds every string the new events refer to.
    m_header->readerTid.store(int32_t(gettid()), std::memory_order_relaxed);
    m_header->readerBeatNs.store(clock::monotonicNs(), std::memory_order_release);
    readPass(out, false);
    readStrings(out, false);
    out.droppedEvents = droppedEvents();
    m_header->readerBeatNs.store(clock::monotonicNs(), std::memory_order_release);
}

void EventLog::finish(TraceData &out)
{
    readPass(out, true);
    readStrings(out, true);
    out.droppedEvents = droppedEvents();
}

} // namespace interleave::core
