// SPDX-License-Identifier: MIT
// "deadlock": each member of the recorded cycle names the lesson's lock line and the Python line it re-enacts.
#include "scenariorun.h"

#include "scenarios/lessonmap.h"

#include <QFile>
#include <QJsonArray>
#include <QStringList>

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
