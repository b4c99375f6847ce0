// SPDX-License-Identifier: MIT
// "process-vs-thread": the same crash kills only its own process when the workers are processes,
// and the whole server when the workers are threads; creating either has a measurable cost.
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <string>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

int64_t lastEventOf(const TraceModel &model, const ProcessInfo &p)
{
    int64_t last = kTimeMin;
    for (uint32_t t : p.threads) {
        const auto &events = model.threadEvents(t);
        if (!events.empty())
            last = std::max(last, model.data().events[events.back()].time);
    }
    return last;
}

// Output lines of one thread containing `text`.
int linesOf(const TraceModel &model, uint32_t thread, const std::string &text)
{
    int n = 0;
    for (uint32_t index : model.outputs()) {
        const Event &e = model.data().events[index];
        if (e.thread == thread && model.data().string(e.object).find(text) != std::string::npos)
            ++n;
    }
    return n;
}

bool wrote(const TraceModel &model, uint32_t thread, EventType type)
{
    const auto &events = model.threadEvents(thread);
    return std::any_of(events.begin(), events.end(), [&](uint32_t i) { return model.data().events[i].type == type; });
}

} // namespace

TEST(ProcessVsThreadScenario, AThreadCrashKillsItsProcessAProcessCrashKillsOnlyItself)
{
    const int workers = 3;
    const int created = 20;
    const ScenarioRun run =
        runScenario("process-vs-thread", {{QStringLiteral("workers"), QString::number(workers)},
                                          {QStringLiteral("step_ms"), QStringLiteral("100")},
                                          {QStringLiteral("create_count"), QString::number(created)}});
    // The runner survived both crashes and finished the lesson.
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const int32_t runner = run.session->runnerPid();
    const ProcessInfo *master = model.process(runner);
    ASSERT_NE(master, nullptr);

    std::vector<const ProcessInfo *> workerProcs;
    const ProcessInfo *server = nullptr;
    for (const ProcessInfo &p : model.processes()) {
        if (p.ppid == runner && p.name.rfind("worker-", 0) == 0)
            workerProcs.push_back(&p);
        if (p.ppid == runner && p.name == "server")
            server = &p;
    }

    // 1. Processes: exactly worker-2 died of SIGSEGV; its siblings went on handling requests after
    // its death and exited normally, and the master kept going too.
    ASSERT_EQ(workerProcs.size(), size_t(workers));
    const ProcessInfo *crashed = nullptr;
    for (const ProcessInfo *p : workerProcs) {
        ASSERT_TRUE(p->exited) << p->name;
        if (p->signaled) {
            EXPECT_EQ(p->exitStatus, SIGSEGV) << p->name;
            EXPECT_EQ(crashed, nullptr) << "more than one worker crashed";
            crashed = p;
        }
    }
    ASSERT_NE(crashed, nullptr);
    EXPECT_EQ(crashed->name, "worker-2");
    const int64_t crashTime = lastEventOf(model, *crashed);
    EXPECT_EQ(linesOf(model, crashed->threads.front(), "hits a bug"), 1);
    EXPECT_EQ(linesOf(model, crashed->threads.front(), "handled request"), 1); // request 1 only
    for (const ProcessInfo *p : workerProcs) {
        if (p == crashed)
            continue;
        EXPECT_FALSE(p->signaled) << p->name;
        EXPECT_EQ(p->exitStatus, 0) << p->name;
        EXPECT_GT(lastEventOf(model, *p), crashTime) << p->name << " did not outlive worker-2";
        EXPECT_EQ(linesOf(model, p->threads.front(), "handled request"), 5) << p->name;
    }
    EXPECT_GT(lastEventOf(model, *master), crashTime);

    // 2. Threads: the server process died of SIGSEGV, and with it every one of its threads: none
    // finished its requests, none wrote ThreadExit, each ended at the process' end.
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->exited);
    EXPECT_TRUE(server->signaled);
    EXPECT_EQ(server->exitStatus, SIGSEGV);
    ASSERT_EQ(server->threads.size(), size_t(workers + 1)); // its main thread and the workers
    int buggy = 0;
    for (uint32_t t : server->threads) {
        EXPECT_FALSE(wrote(model, t, EventType::ThreadExit)) << model.threadName(t);
        EXPECT_LT(linesOf(model, t, "handled request"), 5) << model.threadName(t);
        EXPECT_EQ(model.thread(t).end, server->end);
        buggy += linesOf(model, t, "hits a bug");
    }
    EXPECT_EQ(buggy, 1);
    EXPECT_GT(lastEventOf(model, *master), server->end); // the runner outlived the server

    // 3. The creations happened for real: N thread starts in the runner, N processes.
    int threadStarts = 0, costProcesses = 0;
    for (uint32_t t : master->threads)
        threadStarts += model.threadName(t).rfind("T-", 0) == 0 ? 1 : 0;
    for (const ProcessInfo &p : model.processes())
        costProcesses += p.ppid == runner && p.name.rfind("P-", 0) == 0 && p.exited && p.exitStatus == 0 ? 1 : 0;
    EXPECT_EQ(threadStarts, created);
    EXPECT_EQ(costProcesses, created);

    const QJsonObject f = run.findings();
    EXPECT_TRUE(f.value(QStringLiteral("thread_crash_killed_process")).toBool());
    EXPECT_TRUE(f.value(QStringLiteral("process_crash_siblings_alive")).toBool());
    EXPECT_GT(f.value(QStringLiteral("thread_create_us_median")).toDouble(), 0.0);
    EXPECT_GT(f.value(QStringLiteral("process_create_us_median")).toDouble(), 0.0);
    expectNothingLeft(run);
}
