// SPDX-License-Identifier: MIT
// The event log's reader side: drains committed slots into a TraceData (Qt), frees read chunks.
#include "trace/eventlog.h"

#include "trace/tracedata.h"

#include <algorithm>
#include <cerrno>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

namespace interleave::core {

using namespace logformat;

namespace {

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

void EventLog::releaseChunk(uint32_t index)
{
    Reader::Chunk &c = reader().chunks[index];
    reader().activeGens.erase(c.gen);
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
    Reader &r = reader();
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
    Reader &r = reader();
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

EventLog::Reader &EventLog::reader()
{
    // Made on the first drain: writers (the preloaded recorder among them) never need one.
    if (!m_reader) {
        m_reader = ReaderPtr(new Reader, [](Reader *r) { delete r; });
        m_reader->chunks.resize(m_header->chunkCount);
    }
    return *m_reader;
}

} // namespace interleave::core
