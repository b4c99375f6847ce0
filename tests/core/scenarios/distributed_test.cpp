// SPDX-License-Identifier: MIT
// "distributed": every task travels master -> worker process -> master and completes once; a worker
// killed in the middle of a task gives it back, and another worker process finishes it. Workers that
// run as the `interleave worker` program send their events over the network: the run's trace shows
// them as processes of their own, with every trip drawn forward in time.
#include "net/master.h"
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
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

/// A worker that sent its events over loopback is one process with its real pid, named
/// "NAME@127.0.0.1": the row its spawn made (the Exec, without the key or the build path).
void expectHonestNetworkWorker(const ProcessInfo &p, int32_t master)
{
    SCOPED_TRACE(p.name);
    EXPECT_LT(p.pid, net::kForeignPidBase);
    EXPECT_EQ(p.ppid, master);
    EXPECT_NE(p.name.find("@127.0.0.1"), std::string::npos);
    EXPECT_EQ(p.command.rfind("interleave worker --connect 127.0.0.1:", 0), 0u) << p.command;
    for (const std::string &text : {p.name, p.command}) {
        EXPECT_EQ(text.find("authkey"), std::string::npos) << text;
        EXPECT_EQ(text.find("abc"), std::string::npos) << text;
        EXPECT_EQ(text.find('/'), std::string::npos) << text;
    }
}

/// Task and queue flows that go back in time (none may).
int backwardFlows(const TraceModel &model)
{
    int backward = 0;
    for (const Flow &f : model.flows()) {
        if ((f.kind == FlowKind::Task || f.kind == FlowKind::Queue) && f.toTime < f.fromTime) {
            ADD_FAILURE() << flowKindName(f.kind) << " flow " << f.id << " goes back by " << f.fromTime - f.toTime
                          << " ns";
            ++backward;
        }
    }
    return backward;
}

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
    // Slow enough that the third worker, a program started with exec, logs in before the work is done.
    const ScenarioRun run = runScenario("distributed", {{QStringLiteral("workers"), QStringLiteral("3")},
                                                        {QStringLiteral("pace_s"), QStringLiteral("0.2")}});
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
    EXPECT_EQ(findings.value(QStringLiteral("network_workers")).toInt(), 1);
    EXPECT_EQ(findings.value(QStringLiteral("requeued")).toInt(), 0);
    // The third worker is the program that sent its events: one process, its real pid, its host.
    const ProcessInfo *networked = nullptr;
    for (const ProcessInfo &p : run.model().processes()) {
        EXPECT_LT(p.pid, net::kForeignPidBase) << p.name;
        if (p.name == "worker-3@127.0.0.1")
            networked = &p;
    }
    ASSERT_NE(networked, nullptr);
    expectHonestNetworkWorker(*networked, master);
    EXPECT_FALSE(networked->threads.empty()) << "its events are on the row of its real pid";
    EXPECT_TRUE(networked->exited);
    EXPECT_EQ(backwardFlows(run.model()), 0);
    expectNothingLeft(run);
}

TEST(DistributedScenario, WorkersThatSendTheirEventsShowEveryTripForwardInTime)
{
    // Every worker is the `interleave worker` program: everything the trace knows of them came over
    // the network, shifted by the clock offset the master estimated at login.
    const ScenarioRun run = runScenario("distributed", {{QStringLiteral("workers"), QStringLiteral("2")},
                                                        {QStringLiteral("network_workers"), QStringLiteral("2")},
                                                        {QStringLiteral("pace_s"), QStringLiteral("0.1")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const int32_t master = run.session->runnerPid();
    std::map<int32_t, std::string> workers; // pid -> process name
    for (const ProcessInfo &p : model.processes()) {
        if (p.name.rfind("worker-", 0) == 0) {
            expectHonestNetworkWorker(p, master);
            EXPECT_TRUE(p.exited) << p.name;
            workers[p.pid] = p.name;
        }
    }
    EXPECT_EQ(workers.size(), 2u);
    const TaskTrips trips = tripsOf(run);
    ASSERT_EQ(trips.submits.size(), 10u);
    for (const auto &[id, count] : trips.submits) {
        SCOPED_TRACE("task " + std::to_string(id));
        ASSERT_EQ(trips.startPids.count(id), 1u);
        ASSERT_EQ(trips.startPids.at(id).size(), 1u);
        EXPECT_TRUE(workers.count(trips.startPids.at(id).front())) << "started in a worker that sent its events";
        EXPECT_EQ(trips.ends.count(id) ? trips.ends.at(id) : 0, 1);
        EXPECT_EQ(trips.endPid.at(id), trips.startPids.at(id).front());
    }
    int taskFlows = 0;
    int toWorkers = 0;
    int fromWorkers = 0;
    for (const Flow &f : model.flows()) {
        const int32_t from = model.thread(f.fromThread).pid;
        const int32_t to = model.thread(f.toThread).pid;
        if (f.kind == FlowKind::Task) {
            ++taskFlows;
            EXPECT_EQ(from, master);
            EXPECT_TRUE(workers.count(to));
        } else if (f.kind == FlowKind::Queue) {
            toWorkers += from == master && workers.count(to);
            fromWorkers += workers.count(from) && to == master;
        }
    }
    EXPECT_EQ(taskFlows, 10);
    EXPECT_EQ(toWorkers, 10) << "master -> worker";
    EXPECT_EQ(fromWorkers, 10) << "worker -> master";
    EXPECT_EQ(backwardFlows(model), 0);
    const QJsonObject findings = run.findings();
    EXPECT_EQ(findings.value(QStringLiteral("results")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("correct")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("workers")).toInt(), 2);
    EXPECT_EQ(findings.value(QStringLiteral("network_workers")).toInt(), 2);
    expectNothingLeft(run);
}

/// kill_worker with `networkWorkers` of the two workers sending their events (2: the victim surely is one).
void expectKilledWorkersTaskRequeued(const char *networkWorkers)
{
    const ScenarioRun run =
        runScenario("distributed", {{QStringLiteral("workers"), QStringLiteral("2")},
                                    {QStringLiteral("network_workers"), QLatin1String(networkWorkers)},
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
    EXPECT_EQ(backwardFlows(run.model()), 0);
    if (std::string_view(networkWorkers) == "2") {
        // The killed worker sent its events: they are on the row of its real pid, which its
        // reaper ended with the signal.
        EXPECT_FALSE(victim->threads.empty()) << "the killed worker sent no events";
        expectHonestNetworkWorker(*victim, run.session->runnerPid());
    }
    expectNothingLeft(run);
}

TEST(DistributedScenario, KilledWorkersTaskIsRequeuedAndCompletedByAnother)
{
    expectKilledWorkersTaskRequeued("1");
}

TEST(DistributedScenario, KilledNetworkWorkersTaskIsRequeuedAndItsEventsUpToTheKillAreKept)
{
    expectKilledWorkersTaskRequeued("2");
}

namespace {

/// The "interleave-redis-*" folders in the temporary folder (where a redis-server of a run keeps its socket).
std::set<std::string> redisFolders()
{
    std::set<std::string> found;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path(ec), ec)) {
        if (entry.path().filename().string().rfind("interleave-redis-", 0) == 0)
            found.insert(entry.path().string());
    }
    return found;
}

} // namespace

// broker=redis: the same lesson through a real Redis server of the run's own. Workers take tasks
// with BLMOVE into their processing lists; the killed worker's list goes back to the task list, and
// every task still gets its one result. The server is a process of the trace and is gone after.
TEST(DistributedScenario, ThroughRedisAKilledWorkersTaskIsRequeuedAndNothingIsLeft)
{
    const std::set<std::string> before = redisFolders();
    const ScenarioRun run = runScenario("distributed", {{QStringLiteral("broker"), QStringLiteral("redis")},
                                                        {QStringLiteral("pace_s"), QStringLiteral("0.4")},
                                                        {QStringLiteral("kill_worker"), QStringLiteral("on")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const QJsonObject findings = run.findings();
    EXPECT_EQ(findings.value(QStringLiteral("tasks")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("results")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("correct")).toInt(), 10);
    EXPECT_GE(findings.value(QStringLiteral("requeued")).toInt(), 1);

    int32_t killed = 0;
    for (const Event *e : run.events(EventType::Signal)) {
        if (e->arg == SIGKILL)
            killed = int32_t(e->object);
    }
    ASSERT_NE(killed, 0) << "no worker was killed";
    const TaskTrips trips = tripsOf(run);
    EXPECT_EQ(trips.submits.size(), 10u);
    int again = 0;
    for (const auto &[id, pids] : trips.startPids) {
        if (pids.size() >= 2 && pids.front() == killed && trips.endPid.count(id) && trips.endPid.at(id) != killed)
            ++again;
    }
    EXPECT_GE(again, 1) << "the killed worker's task was not done again by another worker";

    // redis-server ran as a process of the run, and ended with it.
    const ProcessInfo *server = nullptr;
    for (const ProcessInfo &p : run.model().processes()) {
        if (p.name.find("redis-server") != std::string::npos)
            server = &p;
    }
    ASSERT_NE(server, nullptr) << "no redis-server process in the trace";
    EXPECT_FALSE(reaper::alive(server->pid));
    // The list lengths are counters of the trace.
    EXPECT_FALSE(run.events(EventType::QueueDepth).empty());
    EXPECT_EQ(redisFolders(), before) << "the redis-server's socket folder was left behind";
    expectNothingLeft(run);
}
