// SPDX-License-Identifier: MIT
// Format version 2 of .iltrace: events in zstd-compressed EVTZ chunks. They round-trip exactly,
// version 1 files still load, and a compressed chunk that is damaged or crafted (its checksum
// made to match) costs its own events, never the file, and never more memory than its size allows.
#include "io/iltrace.h"

#include "iltracechunks.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QLocale>
#include <QTemporaryDir>

#include <zstd.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

using namespace interleave::core;
using Problem = LoadResult::Problem;

namespace {

template<typename T> void appendLe(QByteArray &out, T value)
{
    out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

/// What a race run records: two threads loading and storing a shared balance, a few names.
TraceData raceTrace(size_t events)
{
    TraceData data;
    data.threadIndex(4242, 4242);
    data.threadIndex(4242, 4243);
    data.threadIndex(4242, 4244);
    data.setString(1, "balance");
    data.setString(2, "race.cpp:31");
    data.setString(3, "race.cpp:32");
    data.meta.insert(QStringLiteral("scenario"), QStringLiteral("race"));
    int64_t time = 1'000'000'000;
    int64_t balance = 0;
    std::mt19937 random(7);
    data.events.reserve(events);
    for (size_t i = 0; i < events; ++i) {
        Event e{};
        time += 20 + int64_t(random() % 40);
        e.time = time;
        e.thread = 1 + uint32_t(i / 2 % 2);
        e.type = i % 2 ? EventType::VarStore : EventType::VarLoad;
        e.object = 1;
        e.loc = i % 2 ? 3 : 2;
        e.cpu = uint16_t(e.thread - 1);
        if (e.type == EventType::VarStore)
            balance += e.thread == 1 ? 5 : -5;
        e.arg = balance;
        data.events.push_back(e);
    }
    return data;
}

using interleave::core::testing::Chunk;
using interleave::core::testing::chunksOf;

uint32_t versionOf(const QByteArray &bytes)
{
    uint32_t version = 0;
    std::memcpy(&version, bytes.constData() + 8, 4);
    return version;
}

QByteArray payloadOf(const QByteArray &bytes, const Chunk &c)
{
    return bytes.mid(qsizetype(c.offset + iltrace::kChunkHeaderSize), qsizetype(c.payloadSize));
}

/// `bytes` with the payload of `c` replaced, its length and checksum made to match: what a
/// forger (not a disk) makes, so the reader must judge the content itself.
QByteArray withPayload(const QByteArray &bytes, const Chunk &c, const QByteArray &payload)
{
    QByteArray header(qsizetype(iltrace::kChunkHeaderSize), '\0');
    const uint64_t len = uint64_t(payload.size());
    const uint32_t crc = iltrace::crc32(payload.constData(), size_t(payload.size()));
    std::memcpy(header.data(), &c.type, 4);
    std::memcpy(header.data() + 8, &len, 8);
    std::memcpy(header.data() + 16, &crc, 4);
    return bytes.left(qsizetype(c.offset)) + header + payload +
           bytes.mid(qsizetype(c.offset + iltrace::kChunkHeaderSize + c.payloadSize));
}

/// An EVTZ payload: `count`, then the zstd frame of `raw`.
QByteArray compressedPayload(uint32_t count, const QByteArray &raw)
{
    QByteArray frame(qsizetype(ZSTD_compressBound(size_t(raw.size()))), '\0');
    const size_t n = ZSTD_compress(frame.data(), size_t(frame.size()), raw.constData(), size_t(raw.size()), 3);
    EXPECT_FALSE(ZSTD_isError(n));
    frame.resize(qsizetype(n));
    QByteArray payload;
    appendLe<uint32_t>(payload, count);
    return payload + frame;
}

bool sameEvents(const std::vector<Event> &a, const std::vector<Event> &b)
{
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(Event)) == 0);
}

std::vector<Event> without(const std::vector<Event> &events, size_t from, size_t count)
{
    std::vector<Event> kept(events.begin(), events.begin() + qsizetype(from));
    kept.insert(kept.end(), events.begin() + qsizetype(from + count), events.end());
    return kept;
}

} // namespace

// Saved, a trace is version 2 with every event chunk compressed, far smaller than its events,
// and it reads back identical, from a file as from memory.
TEST(IltraceZstd, ManyEventsRoundTripCompressed)
{
    constexpr size_t kEvents = 5 * iltrace::kMaxEventsPerChunk + 4321;
    const TraceData data = raceTrace(kEvents);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("race.iltrace"));
    QString error;
    ASSERT_TRUE(saveIltrace(data, path, &error)) << error.toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    EXPECT_EQ(2u, versionOf(bytes));
    EXPECT_EQ(iltrace::kCurrentVersion, versionOf(bytes));
    size_t counted = 0;
    size_t compressedChunks = 0;
    for (const Chunk &c : chunksOf(bytes)) {
        EXPECT_NE(iltrace::kEvents, c.type);
        if (c.type == iltrace::kEventsZstd) {
            uint32_t n = 0;
            std::memcpy(&n, bytes.constData() + c.offset + iltrace::kChunkHeaderSize, 4);
            counted += n;
            ++compressedChunks;
        }
    }
    EXPECT_EQ(6u, compressedChunks);
    EXPECT_EQ(kEvents, counted);
    const size_t plainSize = size_t(iltraceBytes(data, iltrace::EventStorage::Plain).size());
    std::printf("%zu events: plain %zu bytes, compressed %lld bytes (%.1f x smaller)\n", kEvents, plainSize,
                qlonglong(bytes.size()), double(plainSize) / double(bytes.size()));
    EXPECT_LT(size_t(bytes.size()) * 4, plainSize);

    for (const LoadResult &r : {loadIltrace(path), loadIltrace(bytes, QStringLiteral("memory"))}) {
        ASSERT_TRUE(r.ok) << r.error.toStdString();
        EXPECT_TRUE(sameEvents(data.events, r.data.events));
        EXPECT_EQ(data.strings, r.data.strings);
        EXPECT_EQ(data.meta, r.data.meta);
        ASSERT_EQ(data.threads.size(), r.data.threads.size());
        EXPECT_EQ(4244, r.data.threads[2].tid);
    }
}

// A chunk that compression would not make smaller is stored plain, in a version 2 file that reads
// back the same: here a trace of one event, which a frame with its header and checksum cannot
// hold in fewer than its 32 bytes.
TEST(IltraceZstd, AChunkThatCompressionWouldNotShrinkIsStoredPlain)
{
    TraceData data = raceTrace(1);
    data.events[0].arg = int64_t(0x5DEECE66D1234567);
    data.events[0].object = 0x9E3779B9;
    const QByteArray bytes = iltraceBytes(data);
    EXPECT_EQ(iltrace::kCurrentVersion, versionOf(bytes));
    const auto chunks = chunksOf(bytes);
    ASSERT_EQ(5u, chunks.size());
    EXPECT_EQ(iltrace::kEvents, chunks[3].type);
    EXPECT_EQ(sizeof(Event), chunks[3].payloadSize);
    const LoadResult r = loadIltrace(bytes, QStringLiteral("one.iltrace"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_TRUE(sameEvents(data.events, r.data.events));
}

// tests/data/iltrace-v1-small.iltrace was saved by Interleave before format version 2. It loads
// as it did, the plain writer still writes it byte for byte, and saved again it is version 2.
TEST(IltraceZstd, AVersionOneFileStillLoads)
{
    QFile file(QString::fromUtf8(INTERLEAVE_SOURCE_DIR "/tests/data/iltrace-v1-small.iltrace"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray v1 = file.readAll();
    ASSERT_EQ(1u, versionOf(v1));
    const auto chunks = chunksOf(v1);
    ASSERT_EQ(5u, chunks.size());
    EXPECT_EQ(iltrace::kEvents, chunks[3].type);

    const LoadResult r = loadIltrace(file.fileName());
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(chunks[3].payloadSize / sizeof(Event), r.data.events.size());
    EXPECT_EQ(4u, r.data.threads.size());
    EXPECT_EQ("parent", r.data.string(1));
    EXPECT_EQ(QStringLiteral("fuzz-seed"), r.data.meta.value(QStringLiteral("scenario")).toString());
    EXPECT_EQ(v1, iltraceBytes(r.data, iltrace::EventStorage::Plain));

    const QByteArray v2 = iltraceBytes(r.data);
    EXPECT_EQ(2u, versionOf(v2));
    EXPECT_EQ(iltrace::kEventsZstd, chunksOf(v2)[3].type);
    const LoadResult again = loadIltrace(v2, QStringLiteral("again.iltrace"));
    ASSERT_TRUE(again.ok) << again.error.toStdString();
    EXPECT_TRUE(sameEvents(r.data.events, again.data.events));
    EXPECT_EQ(r.data.strings, again.data.strings);
}

// What a version 1 reader says of a version 2 file, this one says of a version 3 file: newer,
// update. Nothing of it is read.
TEST(IltraceZstd, ANewerVersionIsRefusedWithItsOwnMessage)
{
    QByteArray bytes = iltraceBytes(raceTrace(100));
    const uint32_t newer = iltrace::kCurrentVersion + 1;
    std::memcpy(bytes.data() + 8, &newer, 4);
    const LoadResult r = loadIltrace(bytes, QStringLiteral("future.iltrace"));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(Problem::NewerVersion, r.problem);
    EXPECT_TRUE(r.data.events.empty());
    EXPECT_EQ(QStringLiteral("cannot open trace 'future.iltrace': it was saved by a newer Interleave (format "
                             "version 3; this one reads up to version 2); update Interleave to open it"),
              r.error);
}

// A compressed chunk whose content is wrong while its checksum holds: a count the frame does not
// hold, one above any chunk's, a frame cut short, garbage in place of the frame or inside it,
// bytes after it. Each costs that chunk's events; the others, before and after, all load, and
// the END chunk's total says how many were lost.
TEST(IltraceZstd, ADamagedCompressedChunkCostsItsOwnEvents)
{
    constexpr size_t kEvents = 3 * iltrace::kMaxEventsPerChunk + 500;
    const TraceData data = raceTrace(kEvents);
    const QByteArray good = iltraceBytes(data);
    const auto chunks = chunksOf(good);
    ASSERT_EQ(iltrace::kEventsZstd, chunks[4].type); // the second event chunk
    const QByteArray payload = payloadOf(good, chunks[4]);
    const QByteArray frame = payload.mid(4);
    const auto count = [](uint32_t n) {
        QByteArray c;
        appendLe<uint32_t>(c, n);
        return c;
    };
    QByteArray garbageInside = frame;
    for (qsizetype i = 40; i < 200; ++i)
        garbageInside[i] = char(i * 73);
    struct Case
    {
        const char *what;
        QByteArray payload;
        QString why;
    };
    const QString notHeld = QStringLiteral("does not hold the %1 events it counts");
    const std::vector<Case> cases = {
        {"a lower count", count(1000) + frame, notHeld.arg(QLocale().toString(1000))},
        {"a count above a chunk's", count(iltrace::kMaxEventsPerChunk + 1) + frame,
         QStringLiteral("counts %1 events, more than the %2 a chunk holds")
             .arg(QLocale().toString(iltrace::kMaxEventsPerChunk + 1),
                  QLocale().toString(iltrace::kMaxEventsPerChunk))},
        {"a frame cut short", count(iltrace::kMaxEventsPerChunk) + frame.left(frame.size() - 100),
         notHeld.arg(QLocale().toString(iltrace::kMaxEventsPerChunk))},
        {"garbage for a frame", count(iltrace::kMaxEventsPerChunk) + QByteArray(frame.size(), '\xA5'),
         notHeld.arg(QLocale().toString(iltrace::kMaxEventsPerChunk))},
        {"garbage inside the frame", count(iltrace::kMaxEventsPerChunk) + garbageInside,
         QStringLiteral("the compressed events of a chunk cannot be decompressed")},
        {"bytes after the frame", payload + QByteArrayLiteral("tail"),
         notHeld.arg(QLocale().toString(iltrace::kMaxEventsPerChunk))},
        {"no frame", count(iltrace::kMaxEventsPerChunk), QStringLiteral("malformed length (4 bytes)")},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.what);
        const LoadResult r = loadIltrace(withPayload(good, chunks[4], c.payload), QStringLiteral("z.iltrace"));
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(Problem::Corrupt, r.problem);
        EXPECT_TRUE(
            sameEvents(without(data.events, iltrace::kMaxEventsPerChunk, iltrace::kMaxEventsPerChunk), r.data.events))
            << r.data.events.size();
        EXPECT_EQ(iltrace::kMaxEventsPerChunk, r.data.unreadableEvents);
        EXPECT_TRUE(r.error.contains(c.why)) << r.error.toStdString();
        EXPECT_TRUE(r.error.contains(QLocale().toString(qulonglong(chunks[4].offset)))) << r.error.toStdString();
    }
}

// zstd packs 2 MiB of zeros (65,536 events of type None, thread 0: each one valid) into about a
// hundred bytes. A file of such chunks would make a reader that trusts them allocate 20,000 times
// its size; such a chunk is refused before anything is decompressed or reserved for it.
TEST(IltraceZstd, AChunkThatWouldExpandBeyondAnyTraceIsRefused)
{
    const TraceData data = raceTrace(10);
    const QByteArray good = iltraceBytes(data);
    const auto chunks = chunksOf(good);
    ASSERT_EQ(iltrace::kEventsZstd, chunks[3].type);
    const QByteArray bomb =
        compressedPayload(iltrace::kMaxEventsPerChunk, QByteArray(qsizetype(iltrace::kMaxEventsPerChunk * 32), '\0'));
    ASSERT_LT(bomb.size(), 1000);
    QByteArray bombChunk(qsizetype(iltrace::kChunkHeaderSize), '\0');
    const uint64_t len = uint64_t(bomb.size());
    const uint32_t crc = iltrace::crc32(bomb.constData(), size_t(bomb.size()));
    std::memcpy(bombChunk.data(), &iltrace::kEventsZstd, 4);
    std::memcpy(bombChunk.data() + 8, &len, 8);
    std::memcpy(bombChunk.data() + 16, &crc, 4);
    bombChunk += bomb;
    constexpr int kBombs = 2000; // 4 GiB of events if they were read
    const QByteArray bytes =
        good.left(qsizetype(chunks[3].offset)) + bombChunk.repeated(kBombs) + good.mid(qsizetype(chunks[3].offset));
    const LoadResult r = loadIltrace(bytes, QStringLiteral("bomb.iltrace"));
    EXPECT_EQ(Problem::Corrupt, r.problem);
    EXPECT_TRUE(sameEvents(data.events, r.data.events));
    EXPECT_TRUE(r.error.contains(QStringLiteral("and in %1 more places").arg(QLocale().toString(kBombs - 1))))
        << r.error.toStdString();
    // Reserved for them: 64 times what they take, not the 2 MiB each one claims.
    EXPECT_LT(r.data.events.capacity() * sizeof(Event), size_t(64 * bytes.size()));
}
