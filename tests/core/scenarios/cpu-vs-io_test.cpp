// SPDX-License-Identifier: MIT
// "cpu-vs-io": more workers than cores do not make computing faster; more workers waiting for IO do.
#include "scenariorun.h"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <sched.h>

#include <algorithm>
#include <map>
#include <string>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

int usableCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) == 0 ? std::max(1, CPU_COUNT(&set)) : 1;
}

struct Step
{
    int64_t first = kTimeMax, last = kTimeMin;
    int tasks = 0;
    double perSecond() const { return tasks / (double(last - first) / 1e9); }
};

} // namespace

TEST(CpuVsIoScenario, ComputeStopsScalingAtTheCoresIoKeepsScaling)
{
    const int cores = usableCores();
    const int maxWorkers = std::min(2 * cores, 16);
    const ScenarioRun run = runScenario("cpu-vs-io", {{QStringLiteral("max_workers"), QString::number(maxWorkers)},
                                                      {QStringLiteral("tasks"), QString::number(2 * maxWorkers)},
                                                      {QStringLiteral("cpu_task_ms"), QStringLiteral("20")},
                                                      {QStringLiteral("io_wait_ms"), QStringLiteral("25")},
                                                      {QStringLiteral("rounds"), QStringLiteral("3")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();

    // Per pool (one per phase, named "cpu, N workers" / "io, N workers"): tasks, first start, last
    // end, from the trace. The rounds give each compute worker count several pools; the best one counts.
    std::map<uint32_t, Step> pools;
    int ioBlockedOnIo = 0, ioSampled = 0, cpuOnCore = 0, cpuSampled = 0;
    for (const TaskInfo &task : model.tasks()) {
        ASSERT_NE(task.started, kTimeMax);
        ASSERT_NE(task.ended, kTimeMax);
        EXPECT_FALSE(task.failed);
        Step &s = pools[task.pool];
        s.first = std::min(s.first, task.started);
        s.last = std::max(s.last, task.ended);
        ++s.tasks;
        // What the worker did in the middle of the task: waited for the server, or computed.
        const StateSpan mid = model.stateAt(task.worker, (task.started + task.ended) / 2);
        if (model.objectName(task.pool).rfind("cpu, ", 0) == 0) {
            ++cpuSampled;
            cpuOnCore += mid.state == ThreadState::Running || mid.state == ThreadState::Ready;
        } else {
            ++ioSampled;
            ioBlockedOnIo += mid.state == ThreadState::Blocked && mid.reason == BlockReason::Io;
        }
    }
    std::map<int, double> cpu, io;
    std::map<int, int> cpuRounds, ioRounds;
    for (const auto &[pool, step] : pools) {
        const std::string name = model.objectName(pool);
        const bool isCpu = name.rfind("cpu, ", 0) == 0;
        ASSERT_TRUE(isCpu || name.rfind("io, ", 0) == 0) << name;
        const int workers = std::stoi(name.substr(isCpu ? 5 : 4));
        EXPECT_EQ(step.tasks, std::max(2 * maxWorkers, workers)) << name;
        double &best = (isCpu ? cpu : io)[workers];
        best = std::max(best, step.perSecond());
        ++(isCpu ? cpuRounds : ioRounds)[workers];
    }
    ASSERT_TRUE(cpu.count(1) && io.count(1));
    ASSERT_TRUE(cpu.count(maxWorkers) && io.count(maxWorkers));
    for (const auto &[workers, n] : cpuRounds)
        EXPECT_EQ(n, 3) << "cpu, " << workers;
    for (const auto &[workers, n] : ioRounds)
        EXPECT_EQ(n, 1) << "io, " << workers;
    // IO tasks spend their time blocked on the socket; compute tasks on a core.
    EXPECT_EQ(ioBlockedOnIo, ioSampled);
    EXPECT_EQ(cpuOnCore, cpuSampled);

    // IO-bound: many waiting workers overlap their waits.
    EXPECT_GT(io[maxWorkers], 2.0 * io[1]);
    // Compute-bound: twice as many workers as cores is no faster than one per core. (Other
    // programs busy on the same cores give more threads a larger share of them, so this holds on
    // a loaded machine only up to a few competing busy threads: hence the generous 1.5.)
    if (maxWorkers == 2 * cores && cpu.count(cores)) {
        EXPECT_LE(cpu[2 * cores], 1.5 * cpu[cores]) << cpu[2 * cores] << " vs " << cpu[cores];
    }

    // The findings say the same.
    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("cores")).toInt(), cores);
    const QJsonArray fio = f.value(QStringLiteral("io")).toArray();
    ASSERT_EQ(fio.size(), qsizetype(io.size()));
    EXPECT_GT(fio.last().toObject().value(QStringLiteral("tasks_per_s")).toDouble(),
              2.0 * fio.first().toObject().value(QStringLiteral("tasks_per_s")).toDouble());
    EXPECT_EQ(f.value(QStringLiteral("cpu")).toArray().size(), qsizetype(cpu.size()));
    expectNothingLeft(run);
}
