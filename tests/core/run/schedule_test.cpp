// SPDX-License-Identifier: MIT
// Be the scheduler: the race lesson with one iteration per thread, its threads held at every
// step and let through one step at a time in a chosen order (Session::step(thread)). The order
// decides whether an update is lost, every time, whatever the machine's speed.
#include "run/schedule.h"
#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include "../scenarios/scenariorun.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace interleave::core;

namespace {

using Clock = std::chrono::steady_clock;

/// Both threads' loads before either store: Thread-2 overwrites Thread-1's +5 (a lost update);
/// then each takes back its n in turn. Final balance 0 + 8 - 5 - 8 = -5.
const std::vector<std::string> kLossy = {"Thread-1", "Thread-2", "Thread-1", "Thread-2",
                                         "Thread-1", "Thread-1", "Thread-2", "Thread-2"};
/// All of Thread-1's steps, then all of Thread-2's: nothing is lost.
const std::vector<std::string> kSerial = {"Thread-1", "Thread-1", "Thread-1", "Thread-1",
                                          "Thread-2", "Thread-2", "Thread-2", "Thread-2"};

struct PlayedRace
{
    std::vector<std::string> steps;  ///< "Thread-1 load balance", as each was let through
    std::vector<std::string> sites;  ///< where each step was held
    std::vector<std::string> traced; ///< the variable's events in time order: "Thread-1 load 0"
    bool heldOthersStill = true;     ///< while one thread stepped, the other stayed held
    double lostUpdates = -1;
    double finalBalance = 0;
    RunStatus status = RunStatus::NotStarted;
    bool nothingLeft = false;
};

RunRequest raceRequest()
{
    RunRequest request;
    request.scenario = ScenarioRegistry::instance().find("race");
    request.timeout = std::chrono::seconds(60);
    request.heldThreads = {"Thread-1", "Thread-2"};
    QString error;
    EXPECT_TRUE(ScenarioRegistry::resolveParams(
        *request.scenario,
        {{QStringLiteral("iterations"), QStringLiteral("1")}, {QStringLiteral("switch"), QStringLiteral("off")}},
        request.params, error))
        << error.toStdString();
    return request;
}

/// The hold of thread `name` once it waits at the hold point (waiting at most 10 s).
std::optional<ThreadHold> waitHeld(Session &session, const std::string &name)
{
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline && session.running()) {
        for (ThreadHold &hold : session.holds())
            if (hold.held && hold.name == name)
                return hold;
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::nullopt;
}

/// Waits until the step `hold` was let through for is recorded (at most 10 s).
bool waitStepDone(Session &session, const ThreadHold &hold)
{
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        const std::vector<ThreadHold> holds = session.holds();
        const auto it =
            std::find_if(holds.begin(), holds.end(), [&](const ThreadHold &h) { return h.tid == hold.tid; });
        if (it == holds.end() || it->stepsDone != hold.stepsDone)
            return true;
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

/// The balance's loads and stores in time order, with the value each read or wrote.
std::vector<std::string> varEvents(const TraceModel &model)
{
    std::vector<const Event *> found;
    for (const Event &e : model.data().events)
        if (e.type == EventType::VarLoad || e.type == EventType::VarStore)
            found.push_back(&e);
    std::stable_sort(found.begin(), found.end(), [](const Event *a, const Event *b) { return a->time < b->time; });
    std::vector<std::string> text;
    for (const Event *e : found)
        text.push_back(model.threadName(e->thread) + (e->type == EventType::VarLoad ? " load " : " store ") +
                       std::to_string(varValue(*e)));
    return text;
}

PlayedRace playRace(const std::vector<std::string> &order)
{
    PlayedRace played;
    Session session;
    QString error;
    EXPECT_TRUE(session.start(raceRequest(), &error)) << error.toStdString();
    for (const std::string &name : order) {
        const std::optional<ThreadHold> hold = waitHeld(session, name);
        EXPECT_TRUE(hold.has_value()) << name << " was never held";
        if (!hold)
            break;
        played.steps.push_back(name + ' ' + hold->nextStep());
        played.sites.push_back(hold->site);
        const std::vector<ThreadHold> before = session.holds();
        EXPECT_TRUE(session.step(hold->thread));
        EXPECT_TRUE(waitStepDone(session, *hold)) << name << " did not finish its step";
        // The other scheduled thread took no step of its own meanwhile.
        for (const ThreadHold &other : session.holds()) {
            for (const ThreadHold &was : before)
                if (was.tid == other.tid && other.tid != hold->tid && was.stepsDone != other.stepsDone)
                    played.heldOthersStill = false;
        }
    }
    session.releaseHolds();
    played.status = session.wait();
    played.traced = varEvents(session.model());
    const QJsonObject findings = runSummary(session).value(QStringLiteral("findings")).toObject();
    played.lostUpdates = findings.value(QStringLiteral("lost_updates")).toDouble(-1);
    played.finalBalance = findings.value(QStringLiteral("final_balance")).toDouble();
    played.nothingLeft = session.leftoverProcesses().empty() && reaper::children().empty();
    return played;
}

} // namespace

TEST(Schedule, BothLoadsBeforeEitherStoreLoseAnUpdateEveryTime)
{
    const std::vector<std::string> expectedSteps = {
        "Thread-1 load balance", "Thread-2 load balance",  "Thread-1 store balance", "Thread-2 store balance",
        "Thread-1 load balance", "Thread-1 store balance", "Thread-2 load balance",  "Thread-2 store balance"};
    const std::vector<std::string> expectedTrace = {"Thread-1 load 0",   "Thread-2 load 0",
                                                    "Thread-1 store 5",  "Thread-2 store 8",
                                                    "Thread-1 load 8",   "Thread-1 store 3",
                                                    "Thread-2 load 3",   "Thread-2 store -5",
                                                    "MainThread load -5"}; // print(balance) after the joins
    for (int round = 0; round < 3; ++round) {
        const PlayedRace played = playRace(kLossy);
        EXPECT_EQ(played.status, RunStatus::Finished) << "round " << round;
        EXPECT_EQ(played.steps, expectedSteps) << "round " << round;
        EXPECT_EQ(played.traced, expectedTrace) << "round " << round;
        EXPECT_TRUE(played.heldOthersStill) << "round " << round;
        EXPECT_EQ(played.lostUpdates, 1) << "round " << round;
        EXPECT_EQ(played.finalBalance, -5) << "round " << round;
        ASSERT_FALSE(played.sites.empty());
        EXPECT_NE(played.sites.front().find("core/scenarios/lessons/race.cpp:22"), std::string::npos)
            << played.sites.front();
        EXPECT_TRUE(played.nothingLeft) << "round " << round;
    }
}

TEST(Schedule, OneThreadAfterTheOtherLosesNothingEveryTime)
{
    const std::vector<std::string> expectedTrace = {"Thread-1 load 0",  "Thread-1 store 5", "Thread-1 load 5",
                                                    "Thread-1 store 0", "Thread-2 load 0",  "Thread-2 store 8",
                                                    "Thread-2 load 8",  "Thread-2 store 0", "MainThread load 0"};
    for (int round = 0; round < 3; ++round) {
        const PlayedRace played = playRace(kSerial);
        EXPECT_EQ(played.status, RunStatus::Finished) << "round " << round;
        EXPECT_EQ(played.traced, expectedTrace) << "round " << round;
        EXPECT_TRUE(played.heldOthersStill) << "round " << round;
        EXPECT_EQ(played.lostUpdates, 0) << "round " << round;
        EXPECT_EQ(played.finalBalance, 0) << "round " << round;
        EXPECT_TRUE(played.nothingLeft) << "round " << round;
    }
}

TEST(Schedule, PlayScheduleTakesTheStepsInOrderAndNamesAThreadThatNeverCame)
{
    Session session;
    QString error;
    const RunRequest request = raceRequest();
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString();
    const QStringList order = {QStringLiteral("Thread-2"), QStringLiteral("Thread-1"), QStringLiteral("Thread-9")};
    const ScheduleResult played = playSchedule(session, order, std::chrono::milliseconds(1500), {});
    ASSERT_EQ(played.steps.size(), 2);
    EXPECT_EQ(played.steps[0].toObject().value(QStringLiteral("thread")).toString(), QStringLiteral("Thread-2"));
    EXPECT_EQ(played.steps[0].toObject().value(QStringLiteral("event")).toString(), QStringLiteral("load balance"));
    EXPECT_EQ(played.steps[1].toObject().value(QStringLiteral("thread")).toString(), QStringLiteral("Thread-1"));
    EXPECT_TRUE(played.error.contains(QStringLiteral("Thread-9"))) << played.error.toStdString();
    EXPECT_FALSE(played.error.contains(QLatin1Char('\n')));
    session.stop();
    EXPECT_EQ(session.status(), RunStatus::Stopped);
    EXPECT_TRUE(session.leftoverProcesses().empty());
    EXPECT_TRUE(reaper::children().empty());
}

TEST(Schedule, ReadsCommaListsAndLines)
{
    QStringList threads;
    EXPECT_TRUE(parseSchedule(QStringLiteral("Thread-1, Thread-2,,Thread-1\n"), threads).isEmpty());
    EXPECT_EQ(threads,
              (QStringList{QStringLiteral("Thread-1"), QStringLiteral("Thread-2"), QStringLiteral("Thread-1")}));
    EXPECT_TRUE(parseSchedule(QStringLiteral("Thread-2\n\nMainThread\r\n"), threads).isEmpty());
    EXPECT_EQ(threads, (QStringList{QStringLiteral("Thread-2"), QStringLiteral("MainThread")}));
    EXPECT_FALSE(parseSchedule(QStringLiteral(" , \n"), threads).isEmpty());
}
