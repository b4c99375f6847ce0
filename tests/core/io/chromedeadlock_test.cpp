// SPDX-License-Identifier: MIT
// The Chrome export writes the deadlock cycle every reader shows (the recorded one, else the one
// the wait-for graph finds) in otherData.deadlock, and its import turns it back into the recorded
// events; an export without it opens as before.
#include "../trace/tracebuilder.h"
#include "analysis/waitforgraph.h"
#include "io/chromejson.h"
#include "run/analysisexport.h"
#include "run/summary.h"
#include "trace/deadlockrecord.h"
#include "trace/tracemodel.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

/// Main joins the worker while holding lock L; the worker waits for L: a cycle through a join.
/// The session's Deadlock mark is there, but no recorded cycle (as in a trace from before).
TraceData joinCycle()
{
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1);
    const uint32_t worker = b.thread(1, 2);
    b.object(main, 0, 3, ObjectKind::Mutex, "lock L");
    b.ev(main, 0, EventType::LockObtain, 3);
    b.ev(worker, 1, EventType::ThreadStart, 0, 1);
    b.ev(main, 2, EventType::JoinWait, 2);
    b.ev(worker, 3, EventType::LockWait, 3);
    b.ev(main, 5, EventType::Deadlock, 0, 2);
    b.data.meta.insert(QStringLiteral("scenario"), QStringLiteral("handmade"));
    return b.data;
}

QByteArray exported(const TraceModel &model, const ChromeExtras &extras)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    EXPECT_TRUE(exportChromeJson(model, buffer, &error, extras)) << error.toStdString();
    return bytes;
}

QJsonArray cycleOf(const QJsonObject &summary)
{
    return summary.value(QStringLiteral("deadlock")).toObject().value(QStringLiteral("cycle")).toArray();
}

/// The "deadlock" instants of an export.
std::vector<QJsonObject> deadlockInstants(const QByteArray &bytes)
{
    std::vector<QJsonObject> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(bytes).object().value(QStringLiteral("traceEvents")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("deadlock"))
            out.push_back(v.toObject());
    return out;
}

} // namespace

TEST(ChromeDeadlock, AJoinCycleIsWrittenAsTheSummaryHasIt)
{
    const TraceModel model(joinCycle());
    const QJsonArray summary = cycleOf(traceSummary(model));
    ASSERT_EQ(summary.size(), 2);
    EXPECT_EQ(summary[0].toObject().value(QStringLiteral("waits_for")).toString(), QStringLiteral("join 2"));

    const QByteArray bytes = exported(model, chromeExtras(model, {}));
    const QJsonObject other = QJsonDocument::fromJson(bytes).object().value(QStringLiteral("otherData")).toObject();
    const QJsonArray written =
        other.value(QStringLiteral("deadlock")).toObject().value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(written.size(), 2);
    const std::vector<QJsonObject> instants = deadlockInstants(bytes);
    ASSERT_EQ(instants.size(), 1u);
    EXPECT_EQ(instants[0].value(QStringLiteral("args")).toObject().value(QStringLiteral("cycle")).toArray(), written);
    for (qsizetype i = 0; i < summary.size(); ++i) {
        for (const char *key : {"thread", "tid", "holds", "waits_for", "held_by"})
            EXPECT_EQ(written[i].toObject().value(QLatin1String(key)), summary[i].toObject().value(QLatin1String(key)))
                << "member " << i << " " << key;
    }
}

TEST(ChromeDeadlock, TheImportRestoresTheRecordedCycleAndTheMark)
{
    const TraceModel model(joinCycle());
    const QJsonArray before = cycleOf(traceSummary(model));
    const QByteArray bytes = exported(model, chromeExtras(model, {}));
    LoadResult r = importChromeJson(bytes, QStringLiteral("join.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    const std::vector<RecordedDeadlock> recorded = recordedDeadlocks(r.data);
    ASSERT_EQ(recorded.size(), 1u);
    ASSERT_EQ(recorded[0].members.size(), 2u);
    EXPECT_EQ(recorded[0].members[0].waitsFor, "join 2");
    EXPECT_EQ(recorded[0].members[1].waitsFor, "lock L");
    EXPECT_EQ(recorded[0].members[0].holds, std::vector<std::string>{"lock L"});
    EXPECT_EQ(recorded[0].time, TraceBuilder::ms(3));

    const TraceModel imported(std::move(r.data));
    ASSERT_TRUE(recordedDeadlockTime(imported).has_value()); // the instant is the Deadlock mark again
    EXPECT_EQ(*recordedDeadlockTime(imported), TraceBuilder::ms(5));
    const QJsonArray after = cycleOf(traceSummary(imported));
    ASSERT_EQ(after.size(), before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        for (const char *key : {"thread", "tid", "holds", "waits_for", "held_by"})
            EXPECT_EQ(after[i].toObject().value(QLatin1String(key)), before[i].toObject().value(QLatin1String(key)))
                << "member " << i << " " << key;
    }
    // Exported again, without extras: the same one instant with the same cycle.
    const std::vector<QJsonObject> again = deadlockInstants(exported(imported, {}));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].value(QStringLiteral("args")), deadlockInstants(bytes)[0].value(QStringLiteral("args")));
}

TEST(ChromeDeadlock, AnExportWithoutTheCycleOpensAsBefore)
{
    const TraceModel model(joinCycle());
    QJsonObject root = QJsonDocument::fromJson(exported(model, chromeExtras(model, {}))).object();
    QJsonObject other = root.value(QStringLiteral("otherData")).toObject();
    ASSERT_TRUE(other.contains(QStringLiteral("deadlock")));
    other.remove(QStringLiteral("deadlock")); // as an export from before wrote it
    root.insert(QStringLiteral("otherData"), other);
    LoadResult r = importChromeJson(QJsonDocument(root).toJson(), QStringLiteral("old.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_TRUE(recordedDeadlocks(r.data).empty());
    int instants = 0;
    for (const Event &e : r.data.events) {
        EXPECT_NE(e.type, EventType::Deadlock);
        instants += e.type == EventType::Instant && r.data.string(e.object) == "deadlock";
    }
    EXPECT_EQ(instants, 1); // an ordinary instant, as any tool's
    const TraceModel imported(std::move(r.data));
    EXPECT_TRUE(traceSummary(imported).value(QStringLiteral("deadlock")).isNull());
}

TEST(ChromeDeadlock, ATimedWaitIsNoCycleInTheExportEither)
{
    // Both take a lock and wait for the other's, the second with a timeout: no deadlock, though
    // the trace has a mark (the old exporter's own search ignored timeouts and wrote a cycle).
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 11);
    const uint32_t t2 = b.thread(1, 12);
    b.object(t1, 0, 1, ObjectKind::Mutex, "A");
    b.object(t1, 0, 2, ObjectKind::Mutex, "B");
    b.ev(t1, 10, EventType::LockObtain, 1);
    b.ev(t2, 12, EventType::LockObtain, 2);
    b.ev(t1, 20, EventType::LockWait, 2);
    b.ev(t2, 25, EventType::LockWait, 1, 0, Timed);
    b.ev(t1, 30, EventType::Deadlock, 0, 2);
    const TraceModel model(std::move(b.data));
    EXPECT_FALSE(theDeadlock(model).has_value());
    const QByteArray bytes = exported(model, chromeExtras(model, {}));
    EXPECT_FALSE(QJsonDocument::fromJson(bytes)
                     .object()
                     .value(QStringLiteral("otherData"))
                     .toObject()
                     .contains(QStringLiteral("deadlock")));
    const std::vector<QJsonObject> instants = deadlockInstants(bytes);
    ASSERT_EQ(instants.size(), 1u);
    EXPECT_TRUE(
        instants[0].value(QStringLiteral("args")).toObject().value(QStringLiteral("cycle")).toArray().isEmpty());
}
