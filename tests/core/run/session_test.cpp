// SPDX-License-Identifier: MIT
// Whole runs through the real runner process: what the trace proves about each lesson.
#include "analysis/lockorder.h"
#include "analysis/lostupdates.h"
#include "run/reaper.h"
#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include "../scenarios/scenariorun.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <set>

using namespace interleave::core;

using interleave::core::testing::expectNothingLeft;
using interleave::core::testing::runScenario;
using RecordedRun = interleave::core::testing::ScenarioRun;

TEST(Session, ForkReturnsTwiceAndTheChildKnowsItsParent)
{
    const RecordedRun run = runScenario("fork");
    ASSERT_EQ(run.session->status(), RunStatus::Finished) << run.session->failure().toStdString();
    const auto &data = run.model().data();
    const auto forks = run.events(EventType::ForkReturn);
    ASSERT_EQ(forks.size(), 2u);
    const Event *inParent = forks[0]->arg != 0 ? forks[0] : forks[1];
    const Event *inChild = forks[0]->arg != 0 ? forks[1] : forks[0];
    const int32_t parentPid = data.threads[inParent->thread].pid;
    const int32_t childPid = data.threads[inChild->thread].pid;
    EXPECT_EQ(parentPid, run.session->runnerPid());
    EXPECT_EQ(inParent->arg, childPid); // the parent saw the child's pid
    EXPECT_EQ(inChild->arg, 0);         // the child saw 0
    EXPECT_NE(childPid, parentPid);
    const ProcessInfo *child = run.model().process(childPid);
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->ppid, parentPid); // and its parent is the forking process
    EXPECT_TRUE(child->exited);
    EXPECT_EQ(child->exitStatus, 0);

    const QJsonObject f = runSummary(*run.session).value(QStringLiteral("findings")).toObject();
    EXPECT_EQ(f.value(QStringLiteral("child_pid")).toInt(), childPid);
    EXPECT_EQ(f.value(QStringLiteral("fork_returned_in_child")).toInt(-1), 0);
    EXPECT_EQ(f.value(QStringLiteral("child_ppid")).toInt(), parentPid);
    expectNothingLeft(run);
}

TEST(Session, NaiveDeadlockIsDetectedAsATwoThreadCycleAndEndsCleanly)
{
    const RecordedRun run = runScenario("deadlock", {{QStringLiteral("variant"), QStringLiteral("naive")},
                                                     {QStringLiteral("hold_ms"), QStringLiteral("50")}});
    ASSERT_EQ(run.session->status(), RunStatus::Deadlocked);
    const auto &cycle = run.session->deadlock();
    ASSERT_EQ(cycle.size(), 2u);
    std::set<std::string> threads;
    std::set<std::string> locks;
    for (const auto &step : cycle) {
        threads.insert(run.model().threadName(step.thread));
        locks.insert(run.model().objectName(step.waitsFor));
        // Each waits for a lock the other one holds.
        EXPECT_NE(step.thread, step.heldBy);
    }
    EXPECT_EQ(threads, (std::set<std::string>{"Thread-1", "Thread-2"}));
    EXPECT_EQ(locks, (std::set<std::string>{"lock A", "lock B"}));
    EXPECT_EQ(cycle[0].heldBy, cycle[1].thread);
    EXPECT_EQ(cycle[1].heldBy, cycle[0].thread);
    // The lock-order analysis flags the inversion from the same trace.
    EXPECT_FALSE(LockOrderGraph::build(run.model()).potentialDeadlocks().empty());
    // It took the session less than the scenario's time plus a second to notice.
    EXPECT_LT(run.session->wallMs(), 60000);
    expectNothingLeft(run);
}

TEST(Session, DeadlockVariantsDoNotDeadlock)
{
    for (const char *variant : {"ordered", "scoped_lock", "try_lock"}) {
        const RecordedRun run = runScenario("deadlock", {{QStringLiteral("variant"), QLatin1String(variant)},
                                                         {QStringLiteral("hold_ms"), QStringLiteral("20")},
                                                         {QStringLiteral("rounds"), QStringLiteral("3")}});
        EXPECT_EQ(run.session->status(), RunStatus::Finished) << variant;
        EXPECT_TRUE(run.session->deadlock().empty()) << variant;
        // Each thread finished all its transfers: both locks were obtained 3 times by each.
        const auto outputs = run.model().outputs();
        EXPECT_EQ(outputs.size(), 7u) << variant;
        expectNothingLeft(run);
    }
}

TEST(Session, RaceLosesUpdatesAndTheLockKeepsTheBalance)
{
    bool sawLoss = false;
    // With a switch between each load and its store the other thread gets in between even when
    // a busy machine runs both on one core. A lost update is read from the trace (versions), not
    // from the balance: lost updates can cancel out to 0, and with two CPU hogs busy the balance
    // came out 0 in ten runs of ten.
    for (int attempt = 0; attempt < 10 && !sawLoss; ++attempt) {
        const RecordedRun run = runScenario("race", {{QStringLiteral("iterations"), QStringLiteral("20000")},
                                                     {QStringLiteral("switch"), QStringLiteral("on")}});
        ASSERT_EQ(run.session->status(), RunStatus::Finished) << run.session->failure().toStdString();
        const LostUpdates lost = LostUpdates::find(run.model());
        ASSERT_EQ(lost.finalValues().size(), 1u);
        // 2 threads x 20000 calls x 2 stores each, all recorded.
        EXPECT_EQ(run.events(EventType::VarStore).size(), 2u * 20000 * 2);
        if (lost.finalValues().front().second != 0) {
            EXPECT_GT(lost.count(), 0u); // a wrong balance needs at least one lost update
        }
        sawLoss = lost.count() > 0;
        expectNothingLeft(run);
    }
    EXPECT_TRUE(sawLoss) << "ten runs of 20000 unlocked iterations never lost an update";

    for (int attempt = 0; attempt < 3; ++attempt) {
        const RecordedRun run = runScenario("lock", {{QStringLiteral("iterations"), QStringLiteral("20000")},
                                                     {QStringLiteral("switch"), QStringLiteral("on")}});
        ASSERT_EQ(run.session->status(), RunStatus::Finished);
        const LostUpdates lost = LostUpdates::find(run.model());
        ASSERT_EQ(lost.finalValues().size(), 1u);
        EXPECT_EQ(lost.finalValues().front().second, 0);
        EXPECT_EQ(lost.count(), 0u);
        expectNothingLeft(run);
    }
}

TEST(Session, StopEndsEveryProcessQuickly)
{
    const Scenario *scenario = ScenarioRegistry::instance().find("deadlock");
    RunRequest request;
    request.scenario = scenario;
    QString error;
    ASSERT_TRUE(ScenarioRegistry::resolveParams(*scenario, {{QStringLiteral("hold_ms"), QStringLiteral("5000")}},
                                                request.params, error));
    Session session;
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString();
    // Let it start and record something.
    for (int i = 0; i < 100 && session.model().threadCount() < 3; ++i) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    session.stop();
    EXPECT_EQ(session.status(), RunStatus::Stopped);
    EXPECT_LT(session.stopDuration().count(), 2000000); // generous; the budget is a benchmark
    EXPECT_FALSE(reaper::alive(session.runnerPid()));
    EXPECT_TRUE(session.leftoverProcesses().empty());
}

TEST(Session, TimeoutEndsTheRun)
{
    const RecordedRun run = runScenario(
        "deadlock",
        {{QStringLiteral("variant"), QStringLiteral("ordered")}, {QStringLiteral("hold_ms"), QStringLiteral("2000")}},
        300);
    EXPECT_EQ(run.session->status(), RunStatus::TimedOut);
    expectNothingLeft(run);
}

TEST(Session, PoolOfFourRunsAtMostFourAndTheFifthReusesAWorker)
{
    const RecordedRun run = runScenario("pool", {{QStringLiteral("workers"), QStringLiteral("4")},
                                                 {QStringLiteral("tasks"), QStringLiteral("5")},
                                                 {QStringLiteral("max_sleep_s"), QStringLiteral("0.4")}});
    ASSERT_EQ(run.session->status(), RunStatus::Finished) << run.session->failure().toStdString();
    std::vector<TaskInfo> tasks = run.model().tasks();
    ASSERT_EQ(tasks.size(), 5u);
    std::sort(tasks.begin(), tasks.end(), [](const TaskInfo &a, const TaskInfo &b) { return a.started < b.started; });
    for (const TaskInfo &t : tasks) {
        ASSERT_NE(t.started, kTimeMax);
        ASSERT_NE(t.ended, kTimeMax);
        EXPECT_FALSE(t.failed);
    }
    // At most four overlap at any instant.
    for (const TaskInfo &t : tasks) {
        const auto overlapping = std::count_if(tasks.begin(), tasks.end(), [&](const TaskInfo &o) {
            return o.started <= t.started && t.started < o.ended;
        });
        EXPECT_LE(overlapping, 4);
    }
    // The fifth to start began only after one had finished, in a worker that ran an earlier task.
    const TaskInfo &fifth = tasks[4];
    const bool afterAnEnd =
        std::any_of(tasks.begin(), tasks.begin() + 4, [&](const TaskInfo &o) { return o.ended <= fifth.started; });
    EXPECT_TRUE(afterAnEnd);
    const int32_t fifthPid = run.model().thread(fifth.worker).pid;
    const bool reused = std::any_of(tasks.begin(), tasks.begin() + 4, [&](const TaskInfo &o) {
        return run.model().thread(o.worker).pid == fifthPid && o.ended <= fifth.started;
    });
    EXPECT_TRUE(reused);
    // Worker pids only (at most four), never the parent.
    std::set<int32_t> pids;
    for (const TaskInfo &t : tasks)
        pids.insert(run.model().thread(t.worker).pid);
    EXPECT_LE(pids.size(), 4u);
    EXPECT_EQ(pids.count(run.session->runnerPid()), 0u);
    expectNothingLeft(run);
}

namespace {

/// Events other than the sampler's (which keeps sampling while the run is paused) and the session's
/// own pause marks.
size_t instrumentedEvents(const Session &session)
{
    const auto &events = session.model().data().events;
    return size_t(std::count_if(events.begin(), events.end(), [](const Event &e) {
        return e.type != EventType::Sample && e.type != EventType::Paused && e.type != EventType::Resumed;
    }));
}

/// Polls until the instrumented event count has not changed for `quiet`, or `limit` passed.
size_t settle(Session &session, std::chrono::milliseconds quiet, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    size_t count = instrumentedEvents(session);
    auto since = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < deadline) {
        session.poll();
        const size_t now = instrumentedEvents(session);
        if (now != count) {
            count = now;
            since = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - since >= quiet) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return count;
}

} // namespace

TEST(Session, PauseHoldsEveryThreadAndStepLetsExactlyOneEventThrough)
{
    const Scenario *scenario = ScenarioRegistry::instance().find("race");
    RunRequest request;
    request.scenario = scenario;
    QString error;
    // Yields between each load and store keep it running for seconds: long enough to pause it.
    ASSERT_TRUE(ScenarioRegistry::resolveParams(
        *scenario,
        {{QStringLiteral("iterations"), QStringLiteral("1000000")}, {QStringLiteral("switch"), QStringLiteral("on")}},
        request.params, error));
    Session session;
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString();
    for (int i = 0; i < 300 && session.model().threadCount() < 3; ++i) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    session.setPaused(true);
    const size_t held = settle(session, std::chrono::milliseconds(300), std::chrono::seconds(5));
    ASSERT_TRUE(session.running()) << runStatusName(session.status());
    // Held: nothing more arrives while paused.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(settle(session, std::chrono::milliseconds(100), std::chrono::seconds(1)), held);

    constexpr size_t kSteps = 7;
    for (size_t i = 0; i < kSteps; ++i)
        session.step();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (instrumentedEvents(session) < held + kSteps && std::chrono::steady_clock::now() < deadline) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(settle(session, std::chrono::milliseconds(300), std::chrono::seconds(2)), held + kSteps);

    session.setPaused(false);
    const auto resumed = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (instrumentedEvents(session) <= held + kSteps && std::chrono::steady_clock::now() < resumed) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GT(instrumentedEvents(session), held + kSteps); // and it runs on after the pause
    session.stop();
    EXPECT_EQ(session.status(), RunStatus::Stopped);
    EXPECT_TRUE(session.leftoverProcesses().empty());
}

TEST(Session, APauseIsRecordedAndAHeldThreadIsDrawnHeldNotRunning)
{
    const Scenario *scenario = ScenarioRegistry::instance().find("race");
    RunRequest request;
    request.scenario = scenario;
    QString error;
    ASSERT_TRUE(ScenarioRegistry::resolveParams(
        *scenario,
        {{QStringLiteral("iterations"), QStringLiteral("1000000")}, {QStringLiteral("switch"), QStringLiteral("on")}},
        request.params, error));
    Session session;
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString();
    for (int i = 0; i < 300 && session.model().threadCount() < 3; ++i) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    session.setPaused(true);
    ASSERT_EQ(session.model().pauses().size(), 1u);
    const int64_t pausedAt = session.model().pauses()[0].first;
    // Paused until the sampler has seen every thread of the run waiting (held) a few times.
    auto heldSamples = [&] {
        std::map<uint32_t, int> held;
        for (const Event &e : session.model().data().events) {
            if (e.type == EventType::Sample && e.time > pausedAt && SampleArg::state(e.arg) == 'S')
                ++held[e.object];
        }
        return held;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto enough = [&] {
        const auto held = heldSamples();
        return held.size() >= 3 && std::all_of(held.begin(), held.end(), [](auto &h) { return h.second >= 3; });
    };
    while (!enough() && std::chrono::steady_clock::now() < deadline) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GT(session.pausedMs(), 0);
    session.setPaused(false);
    const size_t before = instrumentedEvents(session);
    const auto resumed = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (instrumentedEvents(session) <= before + 10 && std::chrono::steady_clock::now() < resumed) {
        session.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    session.stop();

    const TraceModel &model = session.model();
    const auto pauses = model.pauses();
    ASSERT_EQ(pauses.size(), 1u);
    const auto [p0, p1] = pauses[0];
    EXPECT_LT(p0, p1);
    EXPECT_EQ(model.pausedBefore(model.endTime()), p1 - p0);
    // Inside the pause no thread the sampler saw waiting is drawn running: the racers are held.
    int held = 0;
    for (uint32_t t = 0; t < model.threadCount(); ++t) {
        for (const CoreSample &s : model.coreSamplesOfThread(t, p0, p1)) {
            if (s.state != 'S' || s.time <= model.thread(t).start || s.time >= model.thread(t).end)
                continue;
            const StateSpan st = model.stateAt(t, s.time);
            EXPECT_NE(st.state, ThreadState::Running) << model.threadName(t) << " drawn running while held";
            held += st.state == ThreadState::Blocked && st.reason == BlockReason::Held;
        }
    }
    EXPECT_GE(held, 3) << "no thread drawn held by the pause";
    EXPECT_TRUE(session.leftoverProcesses().empty());
}
