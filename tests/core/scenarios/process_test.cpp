// SPDX-License-Identifier: MIT
// "process": the parent is blocked in join() for as long as the child lives, and no longer.
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(ProcessScenario, JoinEndsOnlyAfterTheChildHasExited)
{
    const ScenarioRun run = runScenario("process", {{QStringLiteral("work_s"), QStringLiteral("0.4")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();
    const int32_t parentPid = run.session->runnerPid();

    // One child, forked by the runner, a different process that exited normally.
    const auto forks = run.events(EventType::ForkReturn);
    ASSERT_EQ(forks.size(), 2u);
    const Event *inParent = forks[0]->arg != 0 ? forks[0] : forks[1];
    const int32_t childPid = int32_t(inParent->arg);
    EXPECT_EQ(data.threads[inParent->thread].pid, parentPid);
    ASSERT_NE(childPid, parentPid);
    const ProcessInfo *child = model.process(childPid);
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->ppid, parentPid);
    ASSERT_TRUE(child->exited);
    EXPECT_FALSE(child->signaled);
    EXPECT_EQ(child->exitStatus, 0);

    // The child printed its own pid, as the child.
    bool childSpoke = false;
    for (uint32_t index : model.outputs()) {
        const Event &e = data.events[index];
        if (data.string(e.object) == "Run child process test (" + std::to_string(childPid) + ")...") {
            EXPECT_EQ(data.threads[e.thread].pid, childPid);
            childSpoke = true;
        }
    }
    EXPECT_TRUE(childSpoke);

    // The parent's join on the child's pid: it began before the child's last event and ended
    // after the child's exit — the parent cannot pass join() while the child still runs.
    const auto waits = run.events(EventType::JoinWait);
    const auto dones = run.events(EventType::JoinDone);
    ASSERT_EQ(waits.size(), 1u);
    ASSERT_EQ(dones.size(), 1u);
    EXPECT_TRUE(waits[0]->flags & OnProcess);
    EXPECT_EQ(int32_t(waits[0]->object), childPid);
    EXPECT_EQ(data.threads[waits[0]->thread].pid, parentPid);
    int64_t childLast = 0;
    for (uint32_t t : child->threads) {
        const auto &events = model.threadEvents(t);
        ASSERT_FALSE(events.empty());
        childLast = std::max(childLast, data.events[events.back()].time);
    }
    EXPECT_LT(waits[0]->time, childLast);
    EXPECT_GE(dones[0]->time, childLast);
    EXPECT_GE(dones[0]->time, child->end);

    // In between, the parent's main thread was blocked on the join, not running.
    const uint32_t parentThread = waits[0]->thread;
    const int64_t middle = (waits[0]->time + dones[0]->time) / 2;
    const StateSpan state = model.stateAt(parentThread, middle);
    EXPECT_EQ(state.state, ThreadState::Blocked);
    EXPECT_EQ(state.reason, BlockReason::Join);

    // "Child process end." comes from the parent, after the join.
    const uint32_t last = model.outputs().back();
    EXPECT_EQ(data.string(data.events[last].object), "Child process end.");
    EXPECT_GE(data.events[last].time, dones[0]->time);

    // The findings: the join lasted about as long as the child lived (it slept 0.4 s of it).
    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("child_pid")).toInt(), childPid);
    const double joinMs = f.value(QStringLiteral("join_wait_ms")).toDouble(-1);
    const double lifeMs = f.value(QStringLiteral("child_lifetime_ms")).toDouble(-1);
    EXPECT_GE(joinMs, 350.0);
    EXPECT_GE(lifeMs, 350.0);
    EXPECT_GT(joinMs, 0.6 * lifeMs);
    EXPECT_LT(joinMs, lifeMs + 1000.0);
    expectNothingLeft(run);
}
