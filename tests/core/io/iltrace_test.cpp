// SPDX-License-Identifier: MIT
#include "io/iltrace.h"

#include "iltracechunks.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLocale>
#include <QTemporaryDir>

#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <set>

using namespace interleave::core;
using Problem = LoadResult::Problem;

namespace {

/// A trace with several event chunks (the last one partial), strings, threads and meta.
TraceData sampleTrace(size_t eventCount = 3 * iltrace::kMaxEventsPerChunk + 1234)
{
    TraceData data;
    data.threadIndex(100, 100);
    data.threadIndex(100, 101);
    data.threadIndex(200, 200);
    data.setString(1, "main");
    data.setString(7, "lock A");
    data.setString(40, "queue \xe9\x98\x9f\xe5\x88\x97"); // UTF-8 survives
    data.setString(41, std::string("with\0nul", 8));
    data.droppedEvents = 3;
    data.tornEvents = 1;
    data.meta.insert(QStringLiteral("scenario"), QStringLiteral("deadlock"));
    data.meta.insert(QStringLiteral("params"), QJsonObject{{QStringLiteral("n"), 5}});
    data.meta.insert(QStringLiteral("findings"), QJsonArray{1, 2, QStringLiteral("x")});
    data.events.reserve(eventCount);
    for (size_t i = 0; i < eventCount; ++i) {
        Event e{};
        e.time = int64_t(1'000'000'000 + i * 37);
        e.arg = int64_t(i * 0x9E3779B97F4A7C15ull);
        e.thread = uint32_t(i % 3);
        e.object = uint32_t(i % 11);
        e.loc = uint32_t(i % 2 ? 7 : 0);
        e.cpu = uint16_t(i % 2);
        e.type = EventType(1 + i % (size_t(EventType::Count) - 1));
        e.flags = uint8_t(i % 32);
        data.events.push_back(e);
    }
    return data;
}

/// The first `n` events of both are byte-identical (memcmp must not see null for n == 0).
bool samePrefix(const std::vector<Event> &a, const std::vector<Event> &b, size_t n)
{
    return n == 0 || (a.size() >= n && b.size() >= n && std::memcmp(a.data(), b.data(), n * sizeof(Event)) == 0);
}

void expectSame(const TraceData &a, const TraceData &b)
{
    ASSERT_EQ(a.events.size(), b.events.size());
    EXPECT_TRUE(samePrefix(a.events, b.events, a.events.size()));
    ASSERT_EQ(a.threads.size(), b.threads.size());
    for (size_t i = 0; i < a.threads.size(); ++i) {
        EXPECT_EQ(a.threads[i].pid, b.threads[i].pid);
        EXPECT_EQ(a.threads[i].tid, b.threads[i].tid);
    }
    EXPECT_EQ(a.strings, b.strings);
    EXPECT_EQ(a.meta, b.meta);
    EXPECT_EQ(a.droppedEvents, b.droppedEvents);
    EXPECT_EQ(a.tornEvents, b.tornEvents);
}

using interleave::core::testing::Chunk;
using interleave::core::testing::chunksOf;

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    return path;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

/// Both ways of storing events: version 2's compressed chunks, and version 1's plain ones, which
/// this version still reads exactly as before.
constexpr iltrace::EventStorage kBothStorages[] = {iltrace::EventStorage::Compressed, iltrace::EventStorage::Plain};

uint32_t eventChunkType(iltrace::EventStorage storage)
{
    return storage == iltrace::EventStorage::Plain ? iltrace::kEvents : iltrace::kEventsZstd;
}

} // namespace

TEST(Crc32, MatchesTheZlibCheckValue)
{
    EXPECT_EQ(0xCBF43926u, iltrace::crc32("123456789", 9));
    EXPECT_EQ(0u, iltrace::crc32("", 0));
    // Split computation continues correctly, across the 8-byte fast path.
    const char text[] = "The quick brown fox jumps over the lazy dog";
    EXPECT_EQ(0x414FA339u, iltrace::crc32(text, sizeof text - 1));
    EXPECT_EQ(0x414FA339u, iltrace::crc32(text + 13, sizeof text - 14, iltrace::crc32(text, 13)));
}

TEST(Iltrace, SaveThenLoadGivesIdenticalTraceData)
{
    QTemporaryDir dir;
    const TraceData data = sampleTrace();
    const QString path = dir.filePath(QStringLiteral("run.iltrace"));
    QString error;
    ASSERT_TRUE(saveIltrace(data, path, &error)) << error.toStdString();
    EXPECT_TRUE(error.isEmpty());
    const LoadResult loaded = loadIltrace(path);
    ASSERT_TRUE(loaded.ok) << loaded.error.toStdString();
    EXPECT_EQ(Problem::None, loaded.problem);
    EXPECT_TRUE(loaded.error.isEmpty());
    expectSame(data, loaded.data);
    // Only the trace itself is left in the folder.
    EXPECT_EQ(QStringList{QStringLiteral("run.iltrace")}, filesIn(dir.path()));
}

TEST(Iltrace, EmptyTraceRoundTrips)
{
    const TraceData empty;
    const LoadResult loaded = loadIltrace(iltraceBytes(empty), QStringLiteral("empty.iltrace"));
    ASSERT_TRUE(loaded.ok) << loaded.error.toStdString();
    expectSame(empty, loaded.data);
}

TEST(Iltrace, SavingOverAnExistingFileReplacesIt)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.iltrace"));
    QString error;
    ASSERT_TRUE(saveIltrace(sampleTrace(10), path, &error));
    const TraceData second = sampleTrace(20);
    ASSERT_TRUE(saveIltrace(second, path, &error)) << error.toStdString();
    const LoadResult loaded = loadIltrace(path);
    ASSERT_TRUE(loaded.ok);
    expectSame(second, loaded.data);
}

/// Cut anywhere, `bytes` (the image of `data`) gives exactly the events of its complete chunks.
void expectCutsKeepTheIntactPrefix(const TraceData &data, const QByteArray &bytes, uint32_t eventChunk)
{
    const auto chunks = chunksOf(bytes);
    ASSERT_EQ(3u + 4u + 1u, chunks.size()); // META STRS THRD, 4 event chunks, END
    ASSERT_EQ(eventChunk, chunks[3].type);
    ASSERT_EQ(iltrace::kEnd, chunks.back().type);

    struct Cut
    {
        size_t at;
        size_t expectedEvents;
        size_t expectedThreads;
    };
    const size_t perChunk = iltrace::kMaxEventsPerChunk;
    const std::vector<Cut> cuts = {
        {3, 0, 0},                                         // mid-magic
        {12, 0, 0},                                        // mid-header
        {iltrace::kHeaderSize, 0, 0},                      // header only
        {chunks[0].offset + 7, 0, 0},                      // mid chunk header
        {chunks[0].offset + 25, 0, 0},                     // mid META payload
        {chunks[3].offset, 0, 3},                          // tables complete, no events
        {chunks[4].offset + 1000, perChunk, 3},            // mid second event chunk
        {chunks[6].offset + 40, 3 * perChunk, 3},          // after three event chunks
        {chunks.back().offset, data.events.size(), 3},     // all events, END missing
        {size_t(bytes.size()) - 1, data.events.size(), 3}, // END cut by one byte
    };
    for (const Cut &cut : cuts) {
        SCOPED_TRACE(cut.at);
        const LoadResult r = loadIltrace(bytes.left(qsizetype(cut.at)), QStringLiteral("cut.iltrace"));
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(Problem::Truncated, r.problem);
        ASSERT_EQ(cut.expectedEvents, r.data.events.size());
        EXPECT_TRUE(samePrefix(data.events, r.data.events, cut.expectedEvents));
        EXPECT_EQ(cut.expectedThreads, r.data.threads.size());
        EXPECT_TRUE(r.error.contains(QStringLiteral("'cut.iltrace'"))) << r.error.toStdString();
        EXPECT_TRUE(r.error.contains(QStringLiteral("truncated"))) << r.error.toStdString();
    }
}

TEST(Iltrace, TruncatedFilesKeepExactlyTheIntactPrefix)
{
    const TraceData data = sampleTrace();
    for (const iltrace::EventStorage storage : kBothStorages) {
        SCOPED_TRACE(int(storage));
        expectCutsKeepTheIntactPrefix(data, iltraceBytes(data, storage), eventChunkType(storage));
    }
}

TEST(Iltrace, TruncatedFileOnDiskReportsTheEventsShown)
{
    QTemporaryDir dir;
    const QByteArray bytes = iltraceBytes(sampleTrace());
    const auto chunks = chunksOf(bytes);
    const QString path = writeFile(dir, QStringLiteral("x.iltrace"), bytes.left(qsizetype(chunks[4].offset + 5)));
    const LoadResult r = loadIltrace(path);
    EXPECT_EQ(Problem::Truncated, r.problem);
    EXPECT_EQ(iltrace::kMaxEventsPerChunk, r.data.events.size());
    EXPECT_TRUE(r.error.contains(QDir::toNativeSeparators(path))) << r.error.toStdString();
    const QString shown = QLocale().toString(qlonglong(iltrace::kMaxEventsPerChunk));
    EXPECT_EQ(2, r.error.count(shown)) << r.error.toStdString();
}

/// `events` without the ones in [from, from + count).
std::vector<Event> without(const std::vector<Event> &events, size_t from, size_t count)
{
    std::vector<Event> kept(events.begin(), events.begin() + qsizetype(from));
    kept.insert(kept.end(), events.begin() + qsizetype(from + count), events.end());
    return kept;
}

bool sameEvents(const std::vector<Event> &a, const std::vector<Event> &b)
{
    return a.size() == b.size() && samePrefix(a, b, a.size());
}

void expectAFlippedByteCostsItsChunk(const TraceData &data, iltrace::EventStorage storage)
{
    QByteArray bytes = iltraceBytes(data, storage);
    const auto chunks = chunksOf(bytes);
    ASSERT_EQ(eventChunkType(storage), chunks[5].type);
    // In the third event chunk, past a compressed one's count and frame header.
    bytes[qsizetype(chunks[5].offset + iltrace::kChunkHeaderSize + chunks[5].payloadSize / 2)] ^= 0x10;
    const LoadResult r = loadIltrace(bytes, QStringLiteral("flip.iltrace"));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(Problem::Corrupt, r.problem);
    EXPECT_TRUE(
        sameEvents(without(data.events, 2 * iltrace::kMaxEventsPerChunk, iltrace::kMaxEventsPerChunk), r.data.events))
        << r.data.events.size();
    EXPECT_EQ(iltrace::kMaxEventsPerChunk, r.data.unreadableEvents);
    EXPECT_EQ(data.threads.size(), r.data.threads.size());
    EXPECT_TRUE(r.error.contains(QStringLiteral("'flip.iltrace'"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("checksum"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QLocale().toString(qulonglong(chunks[5].offset)))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QLocale().toString(qulonglong(iltrace::kMaxEventsPerChunk)) +
                                 QStringLiteral(" unreadable events")))
        << r.error.toStdString();

    // Saved again, the gap is still a gap.
    const LoadResult again = loadIltrace(iltraceBytes(r.data, storage), QStringLiteral("again.iltrace"));
    ASSERT_TRUE(again.ok) << again.error.toStdString();
    EXPECT_EQ(iltrace::kMaxEventsPerChunk, again.data.unreadableEvents);
}

// Before, one flipped byte in the third of four event chunks cost the rest of the file. Now it
// costs that chunk: the reader goes on with the fourth, counts the chunk's events as unreadable
// and says where the damage is.
TEST(Iltrace, AFlippedByteCostsItsEventChunkNotTheFile)
{
    const TraceData data = sampleTrace();
    for (const iltrace::EventStorage storage : kBothStorages) {
        SCOPED_TRACE(int(storage));
        expectAFlippedByteCostsItsChunk(data, storage);
    }
}

void expectADamagedLengthIsSearchedPast(const TraceData &data, iltrace::EventStorage storage)
{
    for (const uint64_t badLength : {uint64_t(1) << 40, uint64_t(12345), uint64_t(64)}) {
        SCOPED_TRACE(badLength);
        QByteArray bytes = iltraceBytes(data, storage);
        const auto chunks = chunksOf(bytes);
        std::memcpy(bytes.data() + chunks[4].offset + 8, &badLength, 8); // the second event chunk
        const LoadResult r = loadIltrace(bytes, QStringLiteral("len.iltrace"));
        EXPECT_EQ(Problem::Corrupt, r.problem) << r.error.toStdString();
        EXPECT_TRUE(
            sameEvents(without(data.events, iltrace::kMaxEventsPerChunk, iltrace::kMaxEventsPerChunk), r.data.events))
            << r.data.events.size();
        EXPECT_EQ(iltrace::kMaxEventsPerChunk, r.data.unreadableEvents);
    }
    // Damaged type and length together, in the last event chunk: the END chunk is found.
    QByteArray bytes = iltraceBytes(data, storage);
    const auto chunks = chunksOf(bytes);
    std::memset(bytes.data() + chunks[6].offset, 0x5A, 16);
    const LoadResult r = loadIltrace(bytes, QStringLiteral("hdr.iltrace"));
    EXPECT_EQ(Problem::Corrupt, r.problem) << r.error.toStdString();
    EXPECT_TRUE(sameEvents(
        std::vector<Event>(data.events.begin(), data.events.begin() + 3 * iltrace::kMaxEventsPerChunk), r.data.events));
    EXPECT_EQ(1234u, r.data.unreadableEvents);
}

// A damaged length cannot be skipped by: the reader searches for the next intact chunk (a known
// type, a possible length, a checksum that holds) and goes on from there. The END chunk's total
// tells how many events the gap held.
TEST(Iltrace, ADamagedChunkLengthIsSearchedPast)
{
    const TraceData data = sampleTrace();
    for (const iltrace::EventStorage storage : kBothStorages) {
        SCOPED_TRACE(int(storage));
        expectADamagedLengthIsSearchedPast(data, storage);
    }
}

// Names are worth less than the events: a damaged string table costs the names, and the events
// all load (threads then show as pid/tid).
TEST(Iltrace, ADamagedStringTableCostsOnlyTheNames)
{
    const TraceData data = sampleTrace();
    QByteArray bytes = iltraceBytes(data);
    const auto chunks = chunksOf(bytes);
    ASSERT_EQ(iltrace::kStrings, chunks[1].type);
    bytes[qsizetype(chunks[1].offset + iltrace::kChunkHeaderSize + 2)] ^= 0x01;
    const LoadResult r = loadIltrace(bytes, QStringLiteral("strs.iltrace"));
    EXPECT_EQ(Problem::Corrupt, r.problem);
    EXPECT_TRUE(sameEvents(data.events, r.data.events));
    EXPECT_TRUE(r.data.strings.empty());
    EXPECT_EQ(0u, r.data.unreadableEvents);
    EXPECT_TRUE(r.error.contains(QStringLiteral("STRS"))) << r.error.toStdString();
}

TEST(Iltrace, FlippedByteInTheThreadTableIsCorrupt)
{
    QByteArray bytes = iltraceBytes(sampleTrace(100));
    const auto chunks = chunksOf(bytes);
    bytes[qsizetype(chunks[2].offset + iltrace::kChunkHeaderSize + 5)] ^= 0x01;
    const LoadResult r = loadIltrace(bytes, QStringLiteral("t.iltrace"));
    EXPECT_EQ(Problem::Corrupt, r.problem);
    EXPECT_TRUE(r.data.events.empty());
}

TEST(Iltrace, EventsOutOfRangeAreRejectedEvenWithAGoodChecksum)
{
    for (int variant = 0; variant < 2; ++variant) {
        SCOPED_TRACE(variant);
        TraceData data = sampleTrace(iltrace::kMaxEventsPerChunk + 10);
        Event &bad = data.events[iltrace::kMaxEventsPerChunk + 3];
        if (variant == 0)
            bad.thread = 3; // three threads: indexes 0..2
        else
            bad.type = EventType::Count;
        for (const iltrace::EventStorage storage : kBothStorages) {
            const LoadResult r = loadIltrace(iltraceBytes(data, storage), QStringLiteral("bad.iltrace"));
            EXPECT_FALSE(r.ok);
            EXPECT_EQ(Problem::Corrupt, r.problem);
            EXPECT_EQ(iltrace::kMaxEventsPerChunk, r.data.events.size()); // whole intact chunks only
            for (const Event &e : r.data.events) {
                ASSERT_LT(e.thread, r.data.threads.size());
                ASSERT_LT(uint8_t(e.type), uint8_t(EventType::Count));
            }
        }
    }
}

TEST(Iltrace, EachKindOfBadFileHasItsOwnDistinctError)
{
    QTemporaryDir dir;
    const QByteArray good = iltraceBytes(sampleTrace(100));
    QByteArray newer = good;
    newer[8] = char(iltrace::kCurrentVersion + 1);
    QByteArray legacy = good;
    legacy[8] = 0;
    QByteArray flipped = good;
    flipped[flipped.size() - 40] ^= 0x40;

    struct Case
    {
        QString name;
        QByteArray bytes;
        Problem expected;
    };
    const std::vector<Case> cases = {
        {QStringLiteral("empty.iltrace"), QByteArray(), Problem::Empty},
        {QStringLiteral("notes.iltrace"), QByteArrayLiteral("just some notes\nnot a trace\n"), Problem::NotATrace},
        {QStringLiteral("newer.iltrace"), newer, Problem::NewerVersion},
        {QStringLiteral("legacy.iltrace"), legacy, Problem::LegacyVersion},
        {QStringLiteral("cut.iltrace"), good.left(good.size() - 10), Problem::Truncated},
        {QStringLiteral("flipped.iltrace"), flipped, Problem::Corrupt},
    };
    std::set<QString> reasons;
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name.toStdString());
        const QString path = writeFile(dir, c.name, c.bytes);
        const LoadResult r = loadIltrace(path);
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(c.expected, r.problem);
        EXPECT_TRUE(r.error.contains(QDir::toNativeSeparators(path))) << r.error.toStdString();
        EXPECT_FALSE(r.error.contains(QLatin1Char('\n')));
        // The text after the file name says why; it differs per kind of problem.
        reasons.insert(r.error.mid(r.error.indexOf(QStringLiteral("': ")) + 3));
    }
    EXPECT_EQ(cases.size(), reasons.size());

    const LoadResult newerResult = loadIltrace(newer, QStringLiteral("n"));
    EXPECT_TRUE(newerResult.error.contains(QStringLiteral("newer"))) << newerResult.error.toStdString();
    const LoadResult legacyResult = loadIltrace(legacy, QStringLiteral("l"));
    EXPECT_TRUE(legacyResult.error.contains(QStringLiteral("legacy"))) << legacyResult.error.toStdString();

    const LoadResult missing = loadIltrace(dir.filePath(QStringLiteral("nope.iltrace")));
    EXPECT_EQ(Problem::Io, missing.problem);
    EXPECT_TRUE(missing.error.contains(QStringLiteral("nope.iltrace")));
}

TEST(Iltrace, SaveIntoAMissingFolderFailsClearly)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("no/such/folder/run.iltrace"));
    QString error;
    EXPECT_FALSE(saveIltrace(sampleTrace(10), path, &error));
    EXPECT_TRUE(error.contains(QDir::toNativeSeparators(path))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("does not exist"))) << error.toStdString();
    EXPECT_TRUE(filesIn(dir.path()).isEmpty());
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

TEST(Iltrace, SaveIntoAReadOnlyFolderFailsClearlyAndLeavesNothing)
{
    QTemporaryDir dir;
    const QString ro = dir.filePath(QStringLiteral("ro"));
    ASSERT_TRUE(QDir().mkdir(ro));
    ASSERT_TRUE(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                      QFile::ReadOther | QFile::ExeOther));
    ASSERT_TRUE(QFile::setPermissions(ro, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
    const QString path = ro + QStringLiteral("/run.iltrace");
    const TraceData data = sampleTrace(10);
    // Root ignores folder permissions, so the save runs in a child that gives them up first.
    EXPECT_EXIT(
        {
            if (geteuid() == 0 && (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
                _exit(3);
            QString error;
            const bool saved = saveIltrace(data, path, &error);
            fprintf(stderr, "%s\n", qPrintable(error));
            _exit(saved ? 1 : 0);
        },
        ::testing::ExitedWithCode(0), "cannot save trace '.*run\\.iltrace': .*choose a folder you can write to");
    EXPECT_TRUE(filesIn(ro).isEmpty()) << filesIn(ro).join(QLatin1Char(' ')).toStdString();
    QFile::setPermissions(ro, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

TEST(Iltrace, FailedSaveLeavesTheExistingFileAndNoTemporaryFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.iltrace"));
    const TraceData small = sampleTrace(10);
    QString error;
    ASSERT_TRUE(saveIltrace(small, path, &error));

    // A file size limit makes writes fail the way a full disk does (EFBIG instead of ENOSPC).
    const TraceData big = sampleTrace(200'000);
    rlimit old{};
    ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = old;
    limit.rlim_cur = 1 << 20;
    ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &limit));
    const bool saved = saveIltrace(big, path, &error);
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);

    EXPECT_FALSE(saved);
    EXPECT_TRUE(error.contains(QDir::toNativeSeparators(path))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("left unchanged"))) << error.toStdString();
    EXPECT_EQ(QStringList{QStringLiteral("run.iltrace")}, filesIn(dir.path()));
    const LoadResult loaded = loadIltrace(path);
    ASSERT_TRUE(loaded.ok) << loaded.error.toStdString();
    expectSame(small, loaded.data);
}

TEST(Iltrace, UnknownChunksAreSkipped)
{
    // A later minor revision may add chunk types; a reader skips what it does not know.
    const TraceData data = sampleTrace(10);
    QByteArray bytes = iltraceBytes(data);
    const auto chunks = chunksOf(bytes);
    QByteArray extra(20, '\0');
    const uint32_t type = iltrace::fourcc('X', 'T', 'R', 'A');
    const uint64_t len = 3;
    const uint32_t crc = iltrace::crc32("abc", 3);
    std::memcpy(extra.data(), &type, 4);
    std::memcpy(extra.data() + 8, &len, 8);
    std::memcpy(extra.data() + 16, &crc, 4);
    extra.append("abc", 3);
    bytes.insert(qsizetype(chunks[3].offset), extra);
    const LoadResult r = loadIltrace(bytes, QStringLiteral("x"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    expectSame(data, r.data);
}

namespace {

/// A chunk with a good checksum: the loader must judge what it says, not how it is stored.
QByteArray chunkBytes(uint32_t type, const QByteArray &payload)
{
    QByteArray chunk(qsizetype(iltrace::kChunkHeaderSize), '\0');
    const uint64_t len = uint64_t(payload.size());
    const uint32_t crc = iltrace::crc32(payload.constData(), size_t(payload.size()));
    std::memcpy(chunk.data(), &type, 4);
    std::memcpy(chunk.data() + 8, &len, 8);
    std::memcpy(chunk.data() + 16, &crc, 4);
    return chunk + payload;
}

template<typename T> void appendLe(QByteArray &out, T value)
{
    out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

} // namespace

// A string table with descending ids took 34.5 s for 200 k strings (each one inserted in place);
// it is now sorted once. Of a repeated id the last one read still wins.
TEST(Iltrace, AStringTableInAnyOrderIsReadSortedWithTheLastOfARepeatedId)
{
    const TraceData data = sampleTrace(10);
    QByteArray bytes = iltraceBytes(data);
    const auto chunks = chunksOf(bytes);
    QByteArray table;
    const uint32_t count = 50000;
    appendLe<uint32_t>(table, count + 1);
    for (uint32_t i = 0; i < count; ++i) {
        appendLe<uint32_t>(table, 1'000'000 - i); // descending
        const QByteArray text = QByteArray::number(1'000'000 - i);
        appendLe<uint32_t>(table, uint32_t(text.size()));
        table += text;
    }
    appendLe<uint32_t>(table, 1); // "main" again, renamed
    appendLe<uint32_t>(table, 8);
    table += "renamed!";
    bytes.insert(qsizetype(chunks[3].offset), chunkBytes(iltrace::kStrings, table));
    const LoadResult r = loadIltrace(bytes, QStringLiteral("strings.iltrace"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.data.strings.size(), data.strings.size() + count);
    for (size_t i = 1; i < r.data.strings.size(); ++i)
        ASSERT_LT(r.data.strings[i - 1].first, r.data.strings[i].first) << i;
    EXPECT_EQ(r.data.string(1), "renamed!");
    EXPECT_EQ(r.data.string(999'999), "999999");
    EXPECT_EQ(r.data.string(7), "lock A");
}

// 5 M crafted thread-table entries in a 40 MB file aborted the program at 5.5 GB: a table far
// longer than the file's events is refused before anything is allocated for it.
TEST(Iltrace, AThreadTableLongerThanTheEventsIsRefused)
{
    const TraceData data = sampleTrace(10);
    QByteArray bytes = iltraceBytes(data);
    const auto chunks = chunksOf(bytes);
    QByteArray table;
    const uint32_t count = 100000;
    appendLe<uint32_t>(table, count);
    for (uint32_t i = 0; i < count; ++i) {
        appendLe<int32_t>(table, 7);
        appendLe<int32_t>(table, int32_t(1000 + i));
    }
    bytes.insert(qsizetype(chunks[3].offset), chunkBytes(iltrace::kThreads, table));
    const LoadResult r = loadIltrace(bytes, QStringLiteral("threads.iltrace"));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(Problem::Corrupt, r.problem);
    EXPECT_TRUE(r.error.contains(QStringLiteral("thread table lists"))) << r.error.toStdString();
    EXPECT_LE(r.data.threads.size(), 3u);
}

void expectGarbageNeverCrashes(const QByteArray &good)
{
    // A cheap in-test fuzz: every single-byte flip and every prefix of a small file.
    std::set<size_t> reserved; // bytes no checksum covers, and that a reader ignores
    for (const Chunk &c : chunksOf(good)) {
        for (size_t k = 4; k < 8; ++k)
            reserved.insert(c.offset + k);
    }
    for (qsizetype i = 0; i < good.size(); ++i) {
        QByteArray bad = good;
        bad[i] = char(bad[i] ^ 0xA5);
        const LoadResult r = loadIltrace(bad, QStringLiteral("f"));
        if (i >= qsizetype(iltrace::kHeaderSize) && !reserved.count(size_t(i))) {
            EXPECT_FALSE(r.ok) << i;
        }
        for (const Event &e : r.data.events)
            ASSERT_LT(e.thread, r.data.threads.size());
        const LoadResult p = loadIltrace(good.left(i), QStringLiteral("p"));
        EXPECT_FALSE(p.ok);
    }
}

TEST(Iltrace, GarbageNeverCrashesTheLoader)
{
    for (const iltrace::EventStorage storage : kBothStorages) {
        SCOPED_TRACE(int(storage));
        expectGarbageNeverCrashes(iltraceBytes(sampleTrace(40), storage));
    }
}

// The search for the next intact chunk checksums every candidate. A 3 MB file of 150 000 fake
// event-chunk headers, each claiming 2 MiB, made it checksum ~300 GB (over 30 s, then killed):
// all searches of a file together now checksum about twice its size at most, then give up. A
// regression shows here as the test's timeout.
TEST(Iltrace, AFileFullOfFakeChunkHeadersIsNotSearchedForever)
{
    const QByteArray valid = iltraceBytes(sampleTrace(10));
    const auto chunks = chunksOf(valid);
    ASSERT_EQ(iltrace::kThreads, chunks[2].type);
    // Plain event chunks, and compressed ones that claim the longest frame a chunk may have.
    for (const uint32_t type : {iltrace::kEvents, iltrace::kEventsZstd}) {
        SCOPED_TRACE(type);
        QByteArray bytes = valid.left(qsizetype(chunks[3].offset));
        QByteArray header;
        appendLe<uint32_t>(header, type);
        appendLe<uint32_t>(header, 0);
        appendLe<uint64_t>(header, 12345); // a damaged chunk: the reader searches on
        appendLe<uint32_t>(header, 0);
        bytes += header;
        QByteArray fake;
        appendLe<uint32_t>(fake, type);
        appendLe<uint32_t>(fake, 0);
        appendLe<uint64_t>(fake, uint64_t(iltrace::kMaxEventsPerChunk) * sizeof(Event) +
                                     (type == iltrace::kEventsZstd ? 4 : 0));
        appendLe<uint32_t>(fake, 0);
        bytes += fake.repeated(150000);
        const LoadResult r = loadIltrace(bytes, QStringLiteral("fake.iltrace"));
        EXPECT_EQ(Problem::Corrupt, r.problem);
        EXPECT_TRUE(r.data.events.empty());
    }
}
