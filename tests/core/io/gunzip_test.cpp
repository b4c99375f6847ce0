// SPDX-License-Identifier: MIT
// Outputs named *.gz are gzip, and `open` reads them back: both formats, member after member, a
// cut-off stream keeping what came before, a cancelled read cancelled.
#include "../trace/tracebuilder.h"
#include "io/chromejson.h"
#include "io/gunzip.h"
#include "io/iltrace.h"
#include "trace/tracemodel.h"

#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

/// Two threads taking a lock in turn, 200 times: enough events that the gzip stream spans blocks.
TraceData lockTrace()
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(5, 5);
    const uint32_t t2 = b.thread(5, 6);
    b.ev(t1, 0, EventType::ProcessStart, b.str("lesson"), 1);
    b.ev(t1, 0, EventType::ThreadStart);
    b.ev(t2, 0, EventType::ThreadStart, 0, 5);
    b.object(t1, 0, 7, ObjectKind::Mutex, "balance lock");
    for (int i = 0; i < 200; ++i) {
        const uint32_t t = i % 2 ? t2 : t1;
        b.ev(t, 1 + 3 * i, EventType::LockWait, 7);
        b.ev(t, 2 + 3 * i, EventType::LockObtain, 7);
        b.ev(t, 3 + 3 * i, EventType::LockRelease, 7);
    }
    return std::move(b.data);
}

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    ASSERT_EQ(f.write(bytes), bytes.size());
}

} // namespace

TEST(Gunzip, BothFormatsWrittenAsGzOpenAsTheSameTrace)
{
    QTemporaryDir dir;
    TraceModel model(lockTrace());
    QString error;
    const QString plainSave = dir.filePath(QStringLiteral("t.iltrace"));
    const QString gzSave = dir.filePath(QStringLiteral("t.iltrace.gz"));
    const QString plainJson = dir.filePath(QStringLiteral("t.json"));
    const QString gzJson = dir.filePath(QStringLiteral("t.json.gz"));
    ASSERT_TRUE(saveIltrace(model.data(), plainSave, &error)) << error.toStdString();
    ASSERT_TRUE(saveIltrace(model.data(), gzSave, &error)) << error.toStdString();
    ASSERT_TRUE(exportChromeJson(model, plainJson, &error)) << error.toStdString();
    ASSERT_TRUE(exportChromeJson(model, gzJson, &error)) << error.toStdString();

    for (const auto &[plain, gz] : {std::pair(plainSave, gzSave), std::pair(plainJson, gzJson)}) {
        const QByteArray compressed = bytesOf(gz);
        ASSERT_TRUE(isGzip(compressed)) << gz.toStdString();
        // A .iltrace's events are compressed already (zstd): gzip shrinks only the JSON.
        if (plain == plainJson) {
            EXPECT_LT(compressed.size(), bytesOf(plain).size() / 2) << gz.toStdString();
        }
        QByteArray inflated;
        LoadResult failure;
        ASSERT_TRUE(gunzipFile(gz, inflated, nullptr, failure)) << failure.error.toStdString();
        EXPECT_EQ(inflated, bytesOf(plain)) << gz.toStdString();

        const LoadResult a = openTraceFile(plain);
        const LoadResult b = openTraceFile(gz);
        ASSERT_TRUE(a.ok && b.ok) << a.error.toStdString() << " / " << b.error.toStdString();
        EXPECT_EQ(b.data.events.size(), a.data.events.size()) << gz.toStdString();
        EXPECT_EQ(b.data.threads.size(), a.data.threads.size());
    }
    // The .iltrace comes back event for event.
    const LoadResult back = openTraceFile(gzSave);
    ASSERT_EQ(back.data.events.size(), model.data().events.size());
    for (size_t i = 0; i < back.data.events.size(); ++i) {
        EXPECT_EQ(back.data.events[i].time, model.data().events[i].time) << i;
        EXPECT_EQ(back.data.events[i].type, model.data().events[i].type) << i;
    }
}

TEST(Gunzip, MembersFollowOneAnotherAndACutKeepsWhatCameBefore)
{
    QTemporaryDir dir;
    TraceModel model(lockTrace());
    QString error;
    const QString gz = dir.filePath(QStringLiteral("t.json.gz"));
    ASSERT_TRUE(exportChromeJson(model, gz, &error)) << error.toStdString();
    const QByteArray whole = bytesOf(gz);
    QByteArray plain;
    LoadResult failure;
    ASSERT_TRUE(gunzipFile(gz, plain, nullptr, failure));

    // Two members give both texts, as gzip -dc does.
    const QString twice = dir.filePath(QStringLiteral("twice.gz"));
    writeBytes(twice, whole + whole);
    QByteArray both;
    ASSERT_TRUE(gunzipFile(twice, both, nullptr, failure));
    EXPECT_EQ(both, plain + plain);

    // Cut in the middle: a prefix of the text, and the JSON reader keeps the events before the cut.
    const QString cut = dir.filePath(QStringLiteral("cut.json.gz"));
    writeBytes(cut, whole.left(whole.size() / 2));
    QByteArray prefix;
    ASSERT_TRUE(gunzipFile(cut, prefix, nullptr, failure));
    EXPECT_GT(prefix.size(), 0);
    EXPECT_LT(prefix.size(), plain.size());
    EXPECT_TRUE(plain.startsWith(prefix));
    const LoadResult kept = openTraceFile(cut);
    EXPECT_EQ(kept.problem, LoadResult::Problem::Truncated) << kept.error.toStdString();
    EXPECT_GT(kept.data.events.size(), 0u);
    EXPECT_TRUE(kept.error.contains(QStringLiteral("cut.json.gz"))) << kept.error.toStdString();

    // Cut inside the gzip header, before any content: it was called "empty (0 bytes)" though the
    // file has ten. An empty file compressed is empty, and says so.
    const QString header = dir.filePath(QStringLiteral("header.json.gz"));
    writeBytes(header, whole.left(10));
    const LoadResult none = openTraceFile(header);
    EXPECT_EQ(LoadResult::Problem::Truncated, none.problem) << none.error.toStdString();
    EXPECT_TRUE(none.error.contains(QStringLiteral("gzip stream is cut off or damaged before any of the trace (10 "
                                                   "bytes)")))
        << none.error.toStdString();
    const QString empty = dir.filePath(QStringLiteral("empty.json.gz"));
    writeBytes(empty, QByteArray::fromHex("1f8b080000000000000303000000000000000000"));
    const LoadResult nothing = openTraceFile(empty);
    EXPECT_EQ(LoadResult::Problem::Empty, nothing.problem) << nothing.error.toStdString();
    EXPECT_TRUE(nothing.error.contains(QStringLiteral("an empty file, compressed"))) << nothing.error.toStdString();
}

TEST(Gunzip, ACancelledReadIsCancelled)
{
    QTemporaryDir dir;
    TraceModel model(lockTrace());
    QString error;
    const QString gz = dir.filePath(QStringLiteral("t.iltrace.gz"));
    ASSERT_TRUE(saveIltrace(model.data(), gz, &error));
    LoadProgress progress;
    progress.cancel = true;
    const LoadResult r = openTraceFile(gz, &progress);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.problem, LoadResult::Problem::Cancelled);
    EXPECT_TRUE(r.data.events.empty());
    EXPECT_EQ(progress.size.load(), uint64_t(bytesOf(gz).size()));
}
