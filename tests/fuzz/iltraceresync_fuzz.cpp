// SPDX-License-Identifier: MIT
// Fuzz target: the .iltrace reader's resynchronisation past damaged chunks. The input does not
// become the file; it describes one: how many event chunks a valid trace has and how long each
// is, then where the file is damaged (bytes flipped, runs overwritten). Checksums are never
// repaired, so the fuzzer damages a file as a disk or a copy would. Then what the reader promises:
// while the file's header, its THRD chunk and the headers of its META and STRS chunks are intact,
// every event chunk the damage did not touch is read, in order, and nothing else (damaged names
// cost the names); with the END chunk intact the
// unreadable events are exactly the ones in the chunks it skipped; an undamaged file loads whole.
#include "fuzzcheck.h"

#include "io/iltrace.h"
#include "trace/tracemodel.h"

#include <QByteArray>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace interleave::core;
using namespace interleave::fuzz;

namespace {

/// Reads the input front to back; past its end every byte is 0.
struct Input
{
    const uint8_t *data;
    size_t size;
    size_t pos = 0;
    bool more() const { return pos < size; }
    uint8_t byte() { return pos < size ? data[pos++] : 0; }
    uint32_t u16() { return uint32_t(byte()) | uint32_t(byte()) << 8; }
};

struct Chunk
{
    size_t offset; ///< of its header
    size_t length; ///< of its payload
    uint32_t type;
    size_t firstEvent = 0; ///< EVTS: index of its first event in the trace
    size_t events = 0;
};

void appendChunk(QByteArray &out, std::vector<Chunk> &chunks, uint32_t type, const char *payload, size_t len)
{
    chunks.push_back({size_t(out.size()), len, type});
    char header[iltrace::kChunkHeaderSize] = {};
    const uint64_t length = len;
    const uint32_t crc = iltrace::crc32(payload, len);
    std::memcpy(header, &type, 4);
    std::memcpy(header + 8, &length, 8);
    std::memcpy(header + 16, &crc, 4);
    out.append(header, sizeof header);
    out.append(payload, qsizetype(len));
}

/// A valid trace of three threads whose events are split into chunks as `sizes` says.
QByteArray makeTrace(const std::vector<size_t> &sizes, std::vector<Chunk> &chunks, std::vector<Event> &events)
{
    TraceData data;
    const uint32_t threads[] = {data.threadIndex(7, 7), data.threadIndex(7, 8), data.threadIndex(9, 9)};
    data.setString(1, "main");
    data.setString(2, "lock A");
    data.meta.insert(QStringLiteral("scenario"), QStringLiteral("fuzz"));
    size_t total = 0;
    for (size_t n : sizes)
        total += n;
    for (size_t i = 0; i < total; ++i) {
        Event e{};
        e.time = int64_t(i) * 1000;
        e.thread = threads[i % 3];
        e.type = i % 2 ? EventType::LockObtain : EventType::LockRelease;
        e.object = 2;
        e.arg = int64_t(i);
        data.events.push_back(e);
    }
    // The header and the META, STRS and THRD chunks as the writer makes them; the events in
    // chunks of the sizes asked for (the writer's are all 65536 long, too big to fuzz quickly).
    const QByteArray whole = iltraceBytes(data);
    size_t pos = iltrace::kHeaderSize;
    QByteArray out = whole.left(qsizetype(pos));
    for (int i = 0; i < 3; ++i) {
        uint32_t type;
        uint64_t length;
        std::memcpy(&type, whole.constData() + pos, 4);
        std::memcpy(&length, whole.constData() + pos + 8, 8);
        appendChunk(out, chunks, type, whole.constData() + pos + iltrace::kChunkHeaderSize, size_t(length));
        pos += iltrace::kChunkHeaderSize + size_t(length);
    }
    size_t first = 0;
    for (size_t n : sizes) {
        appendChunk(out, chunks, iltrace::kEvents, reinterpret_cast<const char *>(data.events.data() + first),
                    n * sizeof(Event));
        chunks.back().firstEvent = first;
        chunks.back().events = n;
        first += n;
    }
    const uint64_t end = total;
    appendChunk(out, chunks, iltrace::kEnd, reinterpret_cast<const char *>(&end), sizeof end);
    events = std::move(data.events);
    return out;
}

/// Whether the bytes that matter of `c` (all but the reserved header word) differ in `damaged`.
bool touched(const Chunk &c, const QByteArray &original, const QByteArray &damaged)
{
    const auto differs = [&](size_t from, size_t to) {
        return std::memcmp(original.constData() + from, damaged.constData() + from, to - from) != 0;
    };
    return differs(c.offset, c.offset + 4) || differs(c.offset + 8, c.offset + iltrace::kChunkHeaderSize + c.length);
}

/// Whether the type and length of `c` (what the reader walks by) are as written.
bool headerIntact(const Chunk &c, const QByteArray &original, const QByteArray &damaged)
{
    return std::memcmp(original.constData() + c.offset, damaged.constData() + c.offset, 4) == 0 &&
           std::memcmp(original.constData() + c.offset + 8, damaged.constData() + c.offset + 8, 8) == 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in{data, size};
    std::vector<size_t> sizes(1 + in.byte() % 12);
    for (size_t &n : sizes)
        n = 1 + in.byte() % 40;
    std::vector<Chunk> chunks;
    std::vector<Event> events;
    const QByteArray original = makeTrace(sizes, chunks, events);
    QByteArray bytes = original;

    // The damage: up to 16 places, each a flipped byte or a run overwritten with one value. A
    // chunk's stored checksum is never written (only a forger, not a disk, makes it match).
    for (int i = 0; i < 16 && in.more(); ++i) {
        const size_t at = in.u16() * size_t(bytes.size()) / 65536;
        const uint8_t op = in.byte();
        const uint8_t value = in.byte();
        const size_t run = op & 0x80 ? 1 + (op & 0x3F) : 1;
        for (size_t k = at; k < std::min(at + run, size_t(bytes.size())); ++k) {
            const bool inChecksum = std::any_of(chunks.begin(), chunks.end(), [k](const Chunk &c) {
                return k >= c.offset + 16 && k < c.offset + iltrace::kChunkHeaderSize;
            });
            if (!inChecksum)
                bytes[qsizetype(k)] = char(op & 0x80 ? value : bytes[qsizetype(k)] ^ (value | 1));
        }
    }

    const LoadResult r = loadIltrace(bytes, QStringLiteral("fuzz.iltrace"));
    FUZZ_CHECK(r.ok == (r.problem == LoadResult::Problem::None), "ok and problem disagree");
    checkIndexes(r.data);
    if (!r.data.events.empty())
        checkModel(TraceModel{TraceData(r.data)});

    if (bytes == original) {
        FUZZ_CHECK(r.ok, "an undamaged trace did not load");
        FUZZ_CHECK(r.data.events.size() == events.size(), "an undamaged trace lost events");
        return 0;
    }
    // The run's description and the names are worth less than the events: damage inside their
    // payloads costs them, never an event. (A damaged type or length can make one look like the
    // thread table, without which no event can be placed, so those headers must be intact.)
    const bool frameIntact = std::memcmp(original.constData(), bytes.constData(), iltrace::kHeaderSize) == 0 &&
                             headerIntact(chunks[0], original, bytes) && headerIntact(chunks[1], original, bytes) &&
                             !touched(chunks[2], original, bytes);
    if (!frameIntact)
        return 0;
    if (touched(chunks[1], original, bytes))
        FUZZ_CHECK(r.data.strings.empty(), "a damaged string table was read");
    else
        FUZZ_CHECK(r.data.strings.size() == 2, "an intact string table was not read");
    std::vector<Event> expected;
    uint64_t skipped = 0;
    for (size_t i = 3; i + 1 < chunks.size(); ++i) {
        const Chunk &c = chunks[i];
        if (touched(c, original, bytes))
            skipped += c.events;
        else
            expected.insert(expected.end(), events.begin() + qsizetype(c.firstEvent),
                            events.begin() + qsizetype(c.firstEvent + c.events));
    }
    FUZZ_CHECK(r.data.events.size() == expected.size(), "an intact event chunk was not read, or a damaged one was");
    FUZZ_CHECK(expected.empty() ||
                   std::memcmp(expected.data(), r.data.events.data(), expected.size() * sizeof(Event)) == 0,
               "the events read are not the intact chunks' in order");
    if (skipped > 0 && !expected.empty()) {
        FUZZ_CHECK(!r.ok, "a trace with a damaged chunk loaded as whole");
        FUZZ_CHECK(!r.error.isEmpty(), "a damaged trace without a message");
        if (!touched(chunks.back(), original, bytes))
            FUZZ_CHECK(r.data.unreadableEvents == skipped, "the unreadable events are miscounted");
    }
    return 0;
}
