// SPDX-License-Identifier: MIT
// "timeslice": more busy threads than cores, so the OS rotates them: several threads share each
// core, and every one of them spends time ready but not running, yet all make progress.
#include "scenariorun.h"

#include <map>
#include <set>
#include <string>
#include <thread>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(TimesliceScenario, MoreThreadsThanCoresTakeTurnsOnTheCores)
{
    const ScenarioRun run = runScenario("timeslice", {{QStringLiteral("duration"), QStringLiteral("1.5")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();

    std::set<uint32_t> tasks;
    for (const ThreadRecord &t : model.threads()) {
        if (model.threadName(t.index).starts_with("Task-"))
            tasks.insert(t.index);
    }
    // Default: twice the cores the runner may use.
    const int cores = int(std::thread::hardware_concurrency());
    ASSERT_GE(tasks.size(), 2u);
    EXPECT_GE(int(tasks.size()), 2 * std::min(cores, 2)) << "fewer threads than 2 x cores";

    // Which tasks were seen running or runnable on each core.
    std::map<int, std::set<uint32_t>> onCore;
    for (int cpu = 0; cpu < model.coreCount(); ++cpu) {
        for (const CoreSample &s : model.coreSamplesOfCore(cpu)) {
            if (tasks.contains(s.thread) && s.state == 'R')
                onCore[cpu].insert(s.thread);
        }
    }
    ASSERT_FALSE(onCore.empty()) << "the sampler recorded no task on any core";
    size_t most = 0;
    for (const auto &[cpu, seen] : onCore)
        most = std::max(most, seen.size());
    EXPECT_GE(most, 2u) << "no core ran more than one task: nothing was rotated";

    // Ready (runnable, no core) and running time of every task, from the tiled states.
    int64_t readyTotal = 0;
    for (uint32_t task : tasks) {
        int64_t running = 0;
        for (const StateSpan &span : model.states(task)) {
            if (span.state == ThreadState::Ready)
                readyTotal += span.end - span.start;
            else if (span.state == ThreadState::Running)
                running += span.end - span.start;
        }
        EXPECT_GT(running, 0) << model.threadName(task) << " never ran";
        EXPECT_FALSE(model.coreSamplesOfThread(task).empty()) << model.threadName(task) << " was never sampled";
    }
    EXPECT_GT(readyTotal, 0) << "no task ever waited for a core";

    // Every task made progress: it printed a count above zero.
    std::set<uint32_t> counted;
    for (uint32_t index : model.outputs()) {
        const Event &e = data.events[index];
        const std::string line = data.string(e.object);
        const auto at = line.find(" counted to ");
        if (tasks.contains(e.thread) && at != std::string::npos && std::stoull(line.substr(at + 12)) > 0)
            counted.insert(e.thread);
    }
    EXPECT_EQ(counted, tasks);

    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("threads")).toInt(), int(tasks.size()));
    EXPECT_EQ(f.value(QStringLiteral("cores")).toInt(), int(onCore.size()));
    EXPECT_GT(f.value(QStringLiteral("ready_ms_total")).toDouble(), 0.0);
    expectNothingLeft(run);
}
