// SPDX-License-Identifier: MIT
// "distributed": every task travels master -> worker process -> master and completes once; a worker
// killed in the middle of a task gives it back, and another worker process finishes it.
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <set>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

struct TaskTrips
{
    std::map<int64_t, int> submits;                    // task id -> TaskSubmit count
    std::map<int64_t, std::vector<int32_t>> startPids; // task id -> pid of each TaskStart, in order
    std::map<int64_t, int> ends;                       // task id -> TaskEnd count
    std::map<int64_t, int32_t> endPid;
};

TaskTrips tripsOf(const ScenarioRun &run)
{
    TaskTrips trips;
    const auto &data = run.model().data();
    std::vector<const Event *> starts = run.events(EventType::TaskStart);
    std::sort(starts.begin(), starts.end(), [](auto *a, auto *b) { return a->time < b->time; });
    for (const Event *e : run.events(EventType::TaskSubmit))
        ++trips.submits[e->arg];
    for (const Event *e : starts)
        trips.startPids[e->arg].push_back(data.threads[e->thread].pid);
    for (const Event *e : run.events(EventType::TaskEnd)) {
        ++trips.ends[e->arg];
        trips.endPid[e->arg] = data.threads[e->thread].pid;
    }
    return trips;
}

} // namespace

TEST(DistributedScenario, TenTasksTravelToWorkerProcessesAndEachCompletesOnce)
{
    const ScenarioRun run = runScenario("distributed", {{QStringLiteral("workers"), QStringLiteral("3")},
                                                        {QStringLiteral("pace_s"), QStringLiteral("0.05")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const int32_t master = run.session->runnerPid();
    const TaskTrips trips = tripsOf(run);
    ASSERT_EQ(trips.submits.size(), 10u);
    for (const auto &[id, count] : trips.submits) {
        SCOPED_TRACE("task " + std::to_string(id));
        EXPECT_EQ(count, 1);
        EXPECT_EQ(trips.ends.count(id) ? trips.ends.at(id) : 0, 1) << "completed once per id";
        ASSERT_EQ(trips.startPids.count(id), 1u);
        // Started in a worker process, not in the master.
        EXPECT_NE(trips.startPids.at(id).front(), master);
        EXPECT_NE(run.model().process(trips.startPids.at(id).front()), nullptr);
    }
    // Every task's trip is drawn: task flow master -> worker, and queue flows both ways.
    int taskFlows = 0;
    int queueFlows = 0;
    for (const Flow &f : run.model().flows()) {
        taskFlows += f.kind == FlowKind::Task;
        queueFlows += f.kind == FlowKind::Queue;
    }
    EXPECT_EQ(taskFlows, 10);
    EXPECT_EQ(queueFlows, 20);
    const QJsonObject findings = run.findings();
    EXPECT_EQ(findings.value(QStringLiteral("tasks")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("results")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("correct")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("workers")).toInt(), 3);
    EXPECT_EQ(findings.value(QStringLiteral("requeued")).toInt(), 0);
    expectNothingLeft(run);
}

TEST(DistributedScenario, KilledWorkersTaskIsRequeuedAndCompletedByAnother)
{
    const ScenarioRun run = runScenario("distributed", {{QStringLiteral("workers"), QStringLiteral("2")},
                                                        {QStringLiteral("pace_s"), QStringLiteral("0.4")},
                                                        {QStringLiteral("kill_worker"), QStringLiteral("on")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    // The kill is in the trace: a SIGKILL sent to a worker, which exited by it.
    int32_t killed = 0;
    for (const Event *e : run.events(EventType::Signal)) {
        if (e->arg == SIGKILL)
            killed = int32_t(e->object);
    }
    ASSERT_NE(killed, 0) << "no worker was killed";
    const ProcessInfo *victim = run.model().process(killed);
    ASSERT_NE(victim, nullptr);
    EXPECT_TRUE(victim->signaled);
    EXPECT_EQ(victim->exitStatus, SIGKILL);

    const TaskTrips trips = tripsOf(run);
    ASSERT_EQ(trips.submits.size(), 10u);
    int requeued = 0;
    for (const auto &[id, pids] : trips.startPids) {
        SCOPED_TRACE("task " + std::to_string(id));
        EXPECT_EQ(trips.ends.count(id) ? trips.ends.at(id) : 0, 1) << "every task completes exactly once";
        if (pids.size() < 2)
            continue;
        ++requeued;
        // Started first in the killed worker, then again in another one, which completed it.
        EXPECT_EQ(pids.front(), killed);
        EXPECT_NE(pids.back(), killed);
        EXPECT_EQ(trips.endPid.at(id), pids.back());
    }
    EXPECT_EQ(requeued, 1);
    EXPECT_EQ(trips.ends.size(), 10u) << "nothing lost";
    const QJsonObject findings = run.findings();
    EXPECT_EQ(findings.value(QStringLiteral("results")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("correct")).toInt(), 10);
    EXPECT_GE(findings.value(QStringLiteral("requeued")).toInt(), 1);
    expectNothingLeft(run);
}
