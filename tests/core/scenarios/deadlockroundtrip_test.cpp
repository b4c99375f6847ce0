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

#include <cstring>
#include <set>
#include <tuple>

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

// The export draws each lock's holds and waits as "hold L" / "wait L" spans; opening it makes them
// lock events again, so the reopened trace has the run's locks, their counts and its lock-order
// risks (before, it had none: the spans were kept as anonymous async spans).
TEST(DeadlockRoundTrip, AChromeExportReopensWithItsLocksAndLockOrderRisks)
{
    for (const char *variant : {"naive", "try_lock", "ordered"}) {
        const ScenarioRun run = deadlockRun(variant);
        const QJsonObject live = runSummary(*run.session);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.json"));
        QString error;
        ASSERT_TRUE(exportChromeJson(run.model(), path, &error)) << error.toStdString();
        const QJsonObject back = reopened(path);

        auto locks = [](const QJsonObject &summary) {
            std::set<std::tuple<QString, int, int>> out; // name, acquisitions, contended
            for (const QJsonValue &l : summary.value(QStringLiteral("locks")).toArray()) {
                const QJsonObject o = l.toObject();
                out.emplace(o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("acquisitions")).toInt(),
                            o.value(QStringLiteral("contended")).toInt());
            }
            return out;
        };
        EXPECT_EQ(locks(back), locks(live)) << variant;
        EXPECT_EQ(locks(live).size(), 2u) << variant;

        auto risks = [](const QJsonObject &summary) {
            std::set<std::pair<QString, QString>> out; // locks, threads
            auto joined = [](const QJsonValue &list) { return list.toVariant().toStringList().join(QLatin1Char(',')); };
            for (const QJsonValue &r : summary.value(QStringLiteral("potential_deadlocks")).toArray())
                out.emplace(joined(r.toObject().value(QStringLiteral("locks"))),
                            joined(r.toObject().value(QStringLiteral("threads"))));
            return out;
        };
        EXPECT_EQ(risks(back), risks(live)) << variant;
        EXPECT_EQ(risks(live).size(), std::strcmp(variant, "ordered") == 0 ? 0u : 1u) << variant;
    }
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
