// SPDX-License-Identifier: MIT
// "Predict, then run" and the challenges of "be the scheduler", read from findings and traces:
// which answer a run gives, and whether a schedule reached a challenge's goal.
#include "run/challenge.h"
#include "run/prediction.h"
#include "run/schedule.h"
#include "run/session.h"
#include "scenarios/scenario.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <chrono>

using namespace interleave::core;

namespace {

QJsonObject balance(double finalBalance)
{
    return {{QStringLiteral("final_balance"), finalBalance}, {QStringLiteral("expected"), 0}};
}

/// Runs challenge `id` with its parameters and held threads, plays `schedule`, lets the rest go,
/// and says whether the goal was met once the run ended.
bool playChallenge(const QString &id, const QStringList &schedule)
{
    const Challenge *challenge = findChallenge(id);
    EXPECT_NE(challenge, nullptr) << id.toStdString();
    if (!challenge)
        return false;
    RunRequest request;
    request.scenario = ScenarioRegistry::instance().find(challenge->scenario.toStdString());
    request.timeout = std::chrono::seconds(60);
    request.heldThreads = challenge->threads;
    QList<QPair<QString, QString>> given;
    for (auto it = challenge->params.begin(); it != challenge->params.end(); ++it)
        given.append({it.key(), it.value().toVariant().toString()});
    QString error;
    EXPECT_TRUE(ScenarioRegistry::resolveParams(*request.scenario, given, request.params, error))
        << error.toStdString();
    Session session;
    EXPECT_TRUE(session.start(request, &error)) << error.toStdString();
    const ScheduleResult played = playSchedule(session, schedule, std::chrono::seconds(10), {});
    EXPECT_TRUE(played.error.isEmpty()) << played.error.toStdString();
    const RunStatus status = session.wait();
    EXPECT_TRUE(session.leftoverProcesses().empty());
    return challengeMet(*challenge, session.model(), status, request.params);
}

const QStringList kLossy = {QStringLiteral("Thread-1"), QStringLiteral("Thread-2"), QStringLiteral("Thread-1"),
                            QStringLiteral("Thread-2")};
const QStringList kSerial = {QStringLiteral("Thread-1"), QStringLiteral("Thread-1"), QStringLiteral("Thread-1"),
                             QStringLiteral("Thread-1"), QStringLiteral("Thread-2"), QStringLiteral("Thread-2"),
                             QStringLiteral("Thread-2"), QStringLiteral("Thread-2")};

} // namespace

TEST(Prediction, TheBalanceAnswersRightALittleOffOrFarOff)
{
    const auto race = predictionFor(QStringLiteral("race"));
    ASSERT_TRUE(race);
    ASSERT_EQ(race->choices().size(), 3);
    EXPECT_EQ(race->choiceOf(balance(0)), 0);
    EXPECT_EQ(race->choiceOf(balance(-5)), 1);
    EXPECT_EQ(race->choiceOf(balance(100)), 1);
    EXPECT_EQ(race->choiceOf(balance(-101)), 2);
    EXPECT_EQ(race->choiceOf(QJsonObject{{QStringLiteral("lost_updates"), 3}}), std::nullopt);
    EXPECT_TRUE(predictionFor(QStringLiteral("lock")));
}

TEST(Prediction, PoolAndGilCountWhatRanAtOnce)
{
    const auto pool = predictionFor(QStringLiteral("pool"));
    ASSERT_TRUE(pool);
    EXPECT_EQ(pool->choiceOf({{QStringLiteral("max_concurrent"), 4}}), 3);
    EXPECT_EQ(pool->choiceOf({{QStringLiteral("max_concurrent"), 9}}), 4); // "5 or more"
    EXPECT_EQ(pool->choiceOf({{QStringLiteral("max_concurrent"), 0}}), 0);
    const auto gil = predictionFor(QStringLiteral("gil"));
    ASSERT_TRUE(gil);
    EXPECT_EQ(gil->choiceOf({{QStringLiteral("max_parallel_running"), 1}}), 0);
    EXPECT_EQ(gil->choiceOf({{QStringLiteral("max_parallel_running"), 2}}), 1);
    EXPECT_EQ(gil->choiceOf({{QStringLiteral("max_parallel_running"), 8}}), 2);
    EXPECT_FALSE(predictionFor(QStringLiteral("fork")));
}

TEST(Challenge, TheRaceGoalsAreReadFromTheTrace)
{
    // Both loads before either store lose an update; one thread after the other never does.
    EXPECT_TRUE(playChallenge(QStringLiteral("race-lose"), kLossy));
    EXPECT_FALSE(playChallenge(QStringLiteral("race-lose"), kSerial));
    EXPECT_TRUE(playChallenge(QStringLiteral("race-keep"), kSerial));
    EXPECT_FALSE(playChallenge(QStringLiteral("race-keep"), kLossy));
}

TEST(Challenge, MakeThread2WaitNeedsThread1ToHoldTheLock)
{
    // Thread-1 takes the lock, then Thread-2 asks for it: it waits.
    EXPECT_TRUE(playChallenge(QStringLiteral("lock-wait"), {QStringLiteral("Thread-1"), QStringLiteral("Thread-2")}));
    // Thread-1 takes the lock, changes the balance and gives the lock back before Thread-2 asks.
    EXPECT_FALSE(playChallenge(QStringLiteral("lock-wait"),
                               {QStringLiteral("Thread-1"), QStringLiteral("Thread-1"), QStringLiteral("Thread-1"),
                                QStringLiteral("Thread-1"), QStringLiteral("Thread-1"), QStringLiteral("Thread-1"),
                                QStringLiteral("Thread-2")}));
}
