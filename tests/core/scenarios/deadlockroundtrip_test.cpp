// SPDX-License-Identifier: MIT
// The deadlock cycle is recorded as data: the session writes it into the trace, the --json summary
// reads it from there, and it travels unchanged through .iltrace and the Chrome export.
#include "scenariorun.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "run/analysisexport.h"
#include "trace/deadlockrecord.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <set>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

ScenarioRun deadlockRun(const char *variant = "naive")
{
    return runScenario("deadlock", {{QStringLiteral("variant"), QLatin1String(variant)},
                                    {QStringLiteral("hold_ms"), QStringLiteral("50")},
                                    {QStringLiteral("rounds"), QStringLiteral("1")}});
}

QJsonObject deadlockOf(const QJsonObject &summary)
{
    return summary.value(QStringLiteral("deadlock")).toObject();
}

/// The summary of the trace in `path` as `interleave open path --json` gives it.
QJsonObject reopened(const QString &path)
{
    LoadResult loaded = openTraceFile(path);
    EXPECT_TRUE(loaded.ok) << loaded.error.toStdString();
    const TraceModel model(std::move(loaded.data));
    return traceSummary(model);
}

} // namespace

TEST(DeadlockRoundTrip, TheSessionRecordsEachMemberWithItsLocksAndCallSite)
{
    const ScenarioRun run = deadlockRun();
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    const std::vector<const Event *> waits = run.events(EventType::DeadlockWait);
    const std::vector<const Event *> holds = run.events(EventType::DeadlockHold);
    const std::vector<const Event *> marks = run.events(EventType::Deadlock);
    ASSERT_EQ(marks.size(), 1u);
    ASSERT_EQ(waits.size(), 2u);
    ASSERT_EQ(holds.size(), 2u);
    const TraceData &data = run.model().data();
    std::set<std::string> waitedFor;
    for (size_t i = 0; i < waits.size(); ++i) {
        const Event &w = *waits[i];
        EXPECT_EQ(w.time, marks[0]->time);                      // at the session's mark
        EXPECT_EQ(w.thread, run.session->deadlock()[i].thread); // in the detected cycle's order
        EXPECT_NE(data.string(w.loc).find("core/scenarios/lessons/deadlock.cpp:"), std::string::npos);
        EXPECT_LT(w.arg, w.time); // the wait began before the session saw the cycle
        waitedFor.insert(data.string(w.object));
        // The member holds the lock the other member waits for.
        EXPECT_EQ(holds[i]->thread, w.thread);
        EXPECT_NE(data.string(holds[i]->object), data.string(w.object));
    }
    EXPECT_EQ(waitedFor, (std::set<std::string>{"lock A", "lock B"}));
}

TEST(DeadlockRoundTrip, TheSummaryReadsTheRecordedCycle)
{
    const ScenarioRun run = deadlockRun();
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    const QJsonObject live = deadlockOf(runSummary(*run.session));
    ASSERT_EQ(live.value(QStringLiteral("cycle")).toArray().size(), 2);

    // Rename what the first member's record says it waits for: the summary follows the record,
    // not a cycle found again in the trace.
    TraceData data = run.model().data();
    for (Event &e : data.events) {
        if (e.type == EventType::DeadlockWait) {
            e.object = data.addString("lock Z");
            break;
        }
    }
    const TraceModel edited(std::move(data));
    const QJsonArray cycle = deadlockOf(traceSummary(edited)).value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(cycle.size(), 2);
    EXPECT_EQ(cycle[0].toObject().value(QStringLiteral("waits_for")).toString(), QStringLiteral("lock Z"));
    EXPECT_EQ(cycle[1].toObject(), live.value(QStringLiteral("cycle")).toArray()[1].toObject());
}

TEST(DeadlockRoundTrip, IltraceGivesTheRunsDeadlockObject)
{
    const ScenarioRun run = deadlockRun();
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    const QJsonObject live = deadlockOf(runSummary(*run.session));
    ASSERT_EQ(live.value(QStringLiteral("cycle")).toArray().size(), 2);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("d.iltrace"));
    QString error;
    ASSERT_TRUE(saveIltrace(run.model().data(), path, &error)) << error.toStdString();
    EXPECT_EQ(deadlockOf(reopened(path)), live);
}

TEST(DeadlockRoundTrip, ChromeExportGivesTheRunsCycle)
{
    const ScenarioRun run = deadlockRun();
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    const QJsonObject summary = runSummary(*run.session);
    const QJsonArray live = deadlockOf(summary).value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(live.size(), 2);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("d.json"));
    QString error;
    // As `run --chrome` writes it.
    ASSERT_TRUE(exportChromeJson(run.model(), path, &error,
                                 chromeExtras(run.model(), summary.value(QStringLiteral("findings")).toObject())))
        << error.toStdString();
    const QJsonObject back = reopened(path);
    const QJsonArray cycle = deadlockOf(back).value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(cycle.size(), live.size());
    for (qsizetype i = 0; i < live.size(); ++i) {
        for (const char *key : {"thread", "tid", "holds", "waits_for", "held_by", "file", "line", "python_line"})
            EXPECT_EQ(cycle[i].toObject().value(QLatin1String(key)), live[i].toObject().value(QLatin1String(key)))
                << "member " << i << " " << key;
    }
    EXPECT_EQ(deadlockOf(back).value(QStringLiteral("time_ns")), deadlockOf(summary).value(QStringLiteral("time_ns")));
}

TEST(DeadlockRoundTrip, AChromeExportWithoutExtrasCarriesTheRecordedCycle)
{
    const ScenarioRun run = deadlockRun();
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    ASSERT_TRUE(exportChromeJson(run.model(), buffer, &error)) << error.toStdString();
    const QJsonObject other = QJsonDocument::fromJson(bytes).object().value(QStringLiteral("otherData")).toObject();
    const QJsonArray cycle =
        other.value(QStringLiteral("deadlock")).toObject().value(QStringLiteral("cycle")).toArray();
    const QJsonArray live = deadlockOf(runSummary(*run.session)).value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(cycle.size(), 2);
    ASSERT_EQ(live.size(), 2);
    for (qsizetype i = 0; i < live.size(); ++i) {
        for (const char *key : {"thread", "tid", "holds", "waits_for", "held_by"})
            EXPECT_EQ(cycle[i].toObject().value(QLatin1String(key)), live[i].toObject().value(QLatin1String(key)))
                << "member " << i << " " << key;
    }
}

TEST(DeadlockRoundTrip, AVariantThatDoesNotDeadlockRecordsNoCycle)
{
    const ScenarioRun run = deadlockRun("ordered");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    EXPECT_TRUE(run.events(EventType::DeadlockWait).empty());
    EXPECT_TRUE(runSummary(*run.session).value(QStringLiteral("deadlock")).isNull());
}
