// SPDX-License-Identifier: MIT
// "deadlock": each member of the recorded cycle names the lesson's lock line and the Python line it re-enacts.
#include "scenariorun.h"

#include "io/iltrace.h"
#include "scenarios/lessonmap.h"

#include <QFile>
#include <QJsonArray>
#include <QStringList>
#include <QTemporaryDir>

#include <set>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

/// 1-based number of the first line of `text` containing `needle` (0 if none).
int lineOf(const QString &text, const QString &needle)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (lines[i].contains(needle))
            return int(i + 1);
    return 0;
}

QString resource(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

TEST(DeadlockScenario, CycleMembersNameTheLessonsLockLineAndItsPython)
{
    const ScenarioRun run = runScenario("deadlock", {{QStringLiteral("variant"), QStringLiteral("naive")},
                                                     {QStringLiteral("hold_ms"), QStringLiteral("50")}});
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    const Scenario *scenario = ScenarioRegistry::instance().find("deadlock");
    const int cppLine = lineOf(resource(scenario->sourcePath()), QStringLiteral("LockGuard two(second);"));
    const int pythonLine = lineOf(scenario->python(), QStringLiteral("with second:"));
    ASSERT_GT(cppLine, 0);
    ASSERT_GT(pythonLine, 0);

    const QJsonObject summary = runSummary(*run.session);
    for (const QJsonValue &cycle : {summary.value(QStringLiteral("deadlock")).toObject().value(QStringLiteral("cycle")),
                                    run.findings().value(QStringLiteral("cycle"))}) {
        ASSERT_EQ(cycle.toArray().size(), 2);
        std::set<QString> held;
        for (const QJsonValue &v : cycle.toArray()) {
            const QJsonObject member = v.toObject();
            EXPECT_EQ(member.value(QStringLiteral("file")).toString(), scenario->sourceFile()); // the lesson
            EXPECT_EQ(scenario->sourceFile(), QStringLiteral("core/scenarios/lessons/deadlock.cpp"));
            EXPECT_EQ(member.value(QStringLiteral("line")).toInt(), cppLine);
            EXPECT_EQ(member.value(QStringLiteral("python_line")).toInt(), pythonLine);
            EXPECT_GT(member.value(QStringLiteral("tid")).toInt(), 0);
            // Each holds its first lock, the one the other waits for.
            const QJsonArray holds = member.value(QStringLiteral("holds")).toArray();
            ASSERT_EQ(holds.size(), 1);
            EXPECT_NE(holds[0].toString(), member.value(QStringLiteral("waits_for")).toString());
            held.insert(holds[0].toString());
        }
        EXPECT_EQ(held, (std::set<QString>{QStringLiteral("lock A"), QStringLiteral("lock B")}));
    }
    expectNothingLeft(run);
}

namespace {

ScenarioRun runVariant(const char *variant)
{
    return runScenario("deadlock", {{QStringLiteral("variant"), QLatin1String(variant)},
                                    {QStringLiteral("hold_ms"), QStringLiteral("30")},
                                    {QStringLiteral("rounds"), QStringLiteral("3")}});
}

QJsonArray potentialOf(const ScenarioRun &run)
{
    return runSummary(*run.session).value(QStringLiteral("potential_deadlocks")).toArray();
}

/// The one potential deadlock of `list` is lock A / lock B taken in both orders by Thread-1 and
/// Thread-2, each site a line of the lesson that re-enacts a Python line.
void expectTheABInversion(const QJsonArray &list, const QString &siteText)
{
    ASSERT_EQ(list.size(), 1);
    const QJsonObject cycle = list[0].toObject();
    EXPECT_EQ(cycle.value(QStringLiteral("locks")).toArray(),
              (QJsonArray{QStringLiteral("lock A"), QStringLiteral("lock B")}));
    std::set<QString> threads;
    for (const QJsonValue &t : cycle.value(QStringLiteral("threads")).toArray())
        threads.insert(t.toString());
    EXPECT_EQ(threads, (std::set<QString>{QStringLiteral("Thread-1"), QStringLiteral("Thread-2")}));
    const Scenario *scenario = ScenarioRegistry::instance().find("deadlock");
    const int cppLine = lineOf(resource(scenario->sourcePath()), siteText);
    const int pythonLine = lineOf(scenario->python(), QStringLiteral("with second:"));
    ASSERT_GT(cppLine, 0);
    const QJsonArray sites = cycle.value(QStringLiteral("sites")).toArray();
    ASSERT_EQ(sites.size(), 2);
    for (const QJsonValue &v : sites) {
        const QJsonObject site = v.toObject();
        EXPECT_EQ(site.value(QStringLiteral("file")).toString(), scenario->sourceFile());
        EXPECT_EQ(site.value(QStringLiteral("line")).toInt(), cppLine);
        EXPECT_EQ(site.value(QStringLiteral("python_line")).toInt(), pythonLine);
    }
}

} // namespace

TEST(DeadlockScenario, NaiveReportsTheABInversionAsAPotentialDeadlock)
{
    const ScenarioRun run = runVariant("naive");
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    expectTheABInversion(potentialOf(run), QStringLiteral("LockGuard two(second);"));
    expectNothingLeft(run);
}

TEST(DeadlockScenario, TryLockReportsTheABInversionThoughItFinished)
{
    const ScenarioRun run = runVariant("try_lock");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    // Both orders were only ever tried with a timeout: still an inversion.
    expectTheABInversion(potentialOf(run), QStringLiteral("second.try_lock_for("));
    expectNothingLeft(run);
}

TEST(DeadlockScenario, OrderedReportsNoPotentialDeadlock)
{
    const ScenarioRun run = runVariant("ordered");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    const QJsonObject summary = runSummary(*run.session);
    ASSERT_TRUE(summary.value(QStringLiteral("potential_deadlocks")).isArray()); // present, empty
    EXPECT_TRUE(potentialOf(run).isEmpty());
    expectNothingLeft(run);
}

TEST(DeadlockScenario, ScopedLockReportsNoPotentialDeadlock)
{
    const ScenarioRun run = runVariant("scoped_lock");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    EXPECT_TRUE(potentialOf(run).isEmpty());
    expectNothingLeft(run);
}

TEST(DeadlockScenario, PotentialDeadlocksSurviveAnIltraceRoundTrip)
{
    const ScenarioRun run = runVariant("try_lock");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("deadlock.iltrace"));
    QString error;
    ASSERT_TRUE(saveIltrace(run.model().data(), path, &error)) << error.toStdString();
    LoadResult loaded = loadIltrace(path);
    ASSERT_TRUE(loaded.ok) << loaded.error.toStdString();
    TraceModel reopened(std::move(loaded.data));
    reopened.update();
    const QJsonArray before = potentialOf(run);
    ASSERT_EQ(before.size(), 1);
    EXPECT_EQ(traceSummary(reopened).value(QStringLiteral("potential_deadlocks")).toArray(), before);
    expectNothingLeft(run);
}
