// SPDX-License-Identifier: MIT
// Scenario "cpu-vs-io": the same pool of worker threads, swept over 1, 2, 4, 8 ... workers, runs
// compute-bound tasks and then IO-bound tasks. Re-enacts "compute-bound vs IO-bound" of the chapter.
#include "scenarios/scenario.h"

#include "instrument/threadpool.h"
#include "scenarios/delayedreplyserver.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace interleave::core {
namespace {

using std::chrono::milliseconds;

// Cores this process may run on (what the scheduler gives us, not what the machine has).
int usableCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return std::max(1, CPU_COUNT(&set));
    return std::max(1, int(std::thread::hardware_concurrency()));
}

std::atomic<uint64_t> g_sink{0}; // keeps the compiler from deleting the computation

// Pure computation: a xorshift random walk. No memory traffic, no system calls.
void compute(uint64_t steps)
{
    uint64_t x = 88172645463325252ull + steps;
    for (uint64_t i = 0; i < steps; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    g_sink.fetch_add(x, std::memory_order_relaxed);
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// How many steps of compute() take `ms` of one core here. Timed in CPU time of this thread, so
// that other programs taking the core away meanwhile do not shorten the tasks.
uint64_t stepsFor(int ms)
{
    const uint64_t probe = 2'000'000;
    double best = 1e18;
    for (int i = 0; i < 3; ++i) {
        const double t0 = threadCpuMs();
        compute(probe);
        best = std::min(best, threadCpuMs() - t0);
    }
    return std::max<uint64_t>(1, uint64_t(double(probe) * ms / std::max(best, 1e-3)));
}

// The connections to the reply server not in use by a task right now.
class FreeSockets
{
public:
    explicit FreeSockets(const DelayedReplyServer &server)
    {
        for (int i = 0; i < server.connections(); ++i)
            m_free.push_back(server.socket(i));
    }
    int take()
    {
        const std::lock_guard lock(m_mutex);
        const int fd = m_free.back();
        m_free.pop_back();
        return fd;
    }
    void give(int fd)
    {
        const std::lock_guard lock(m_mutex);
        m_free.push_back(fd);
    }

private:
    std::mutex m_mutex;
    std::vector<int> m_free;
};

// 1, 2, 4, 8 ... up to maxWorkers, plus the core count and twice it, where the lesson turns.
std::vector<int> workerCounts(int maxWorkers, int cores)
{
    std::set<int> counts;
    for (int w = 1; w <= maxWorkers; w *= 2)
        counts.insert(w);
    for (int w : {cores, 2 * cores, maxWorkers})
        if (w <= maxWorkers)
            counts.insert(w);
    return {counts.begin(), counts.end()};
}

std::string phaseName(const char *kind, int workers)
{
    return std::string(kind) + ", " + std::to_string(workers) + (workers == 1 ? " worker" : " workers");
}

// Runs `tasks` copies of `task` on a pool of `workers` threads named after the phase, and waits.
template<class Task> void runPhase(ScenarioContext &ctx, const char *kind, int workers, int tasks, Task task)
{
    const std::string name = phaseName(kind, workers);
    ctx.phase(name);
    const auto t0 = std::chrono::steady_clock::now();
    {
        ThreadPool pool(workers, name);
        for (int i = 0; i < tasks && !ctx.stopRequested(); ++i)
            pool.submit(task);
        pool.close();
        pool.join();
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char line[128];
    std::snprintf(line, sizeof line, "%s: %d tasks in %.2f s, %.1f tasks/s", name.c_str(), tasks, s, tasks / s);
    ctx.print(line);
}

class CpuVsIoScenario final : public Scenario
{
public:
    const char *id() const override { return "cpu-vs-io"; }
    const char *group() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Processes vs threads");
    }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Compute-bound vs IO-bound: how many workers?");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("max_workers"), ParamSpec::Kind::Int, 8, 1, 64, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Most workers"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "the sweep tries 1, 2, 4, 8 ... worker threads up to this many")},
                {QStringLiteral("tasks"), ParamSpec::Kind::Int, 16, 1, 128, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Tasks per step"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "tasks each step of the sweep runs (at least as many as workers)")},
                {QStringLiteral("cpu_task_ms"), ParamSpec::Kind::Int, 30, 1, 500, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Compute task (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long one compute-bound task computes on one core")},
                {QStringLiteral("io_wait_ms"), ParamSpec::Kind::Int, 100, 1, 1000, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "IO wait (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long the server takes to answer one IO-bound task")},
                {QStringLiteral("rounds"), ParamSpec::Kind::Int, 2, 1, 10, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Rounds"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "the compute sweep runs this many times; each count keeps its best round")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int maxWorkers = ctx.intParam("max_workers");
        const int tasks = ctx.intParam("tasks");
        const milliseconds ioWait(ctx.intParam("io_wait_ms"));
        const int cores = usableCores();
        ctx.note(QStringLiteral("cores"), cores);
        ctx.print("This machine gives us " + std::to_string(cores) + " cores.");
        const std::vector<int> sweep = workerCounts(maxWorkers, cores);

        // Rounds of the whole compute sweep, one after the other: a moment when the machine is busy
        // with something else then spoils one round of a worker count, not the count itself.
        const int rounds = ctx.intParam("rounds");

        // Compute-bound: every task keeps one core busy for cpu_task_ms.
        const uint64_t steps = stepsFor(ctx.intParam("cpu_task_ms"));
        for (int round = 0; round < rounds; ++round) {
            for (int workers : sweep) {
                if (!ctx.stopRequested())
                    runPhase(ctx, "cpu", workers, std::max(tasks, workers), [steps] { compute(steps); });
            }
        }

        // IO-bound: every task sends a request to a server process and waits for its answer.
        DelayedReplyServer server(sweep.back());
        FreeSockets sockets(server);
        for (int workers : sweep) {
            if (ctx.stopRequested())
                break;
            runPhase(ctx, "io", workers, std::max(tasks, workers), [&sockets, ioWait] {
                const int fd = sockets.take();
                DelayedReplyServer::sendRequest(fd, ioWait);
                DelayedReplyServer::waitForReply(fd);
                sockets.give(fd);
            });
        }
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Each phase ran on its own pool, named "cpu, N workers" / "io, N workers": its throughput
        // is its task count over the time from its first task's start to its last task's end. Of
        // the rounds of one worker count the best is kept: other programs only ever slow one down.
        struct Span
        {
            int64_t first = kTimeMax, last = kTimeMin;
            int count = 0;
        };
        std::map<uint32_t, Span> pools;
        for (const TaskInfo &task : model.tasks()) {
            if (task.started == kTimeMax || task.ended == kTimeMax || task.failed)
                continue;
            Span &s = pools[task.pool];
            s.first = std::min(s.first, task.started);
            s.last = std::max(s.last, task.ended);
            ++s.count;
        }
        std::map<int, double> cpu, io;
        for (const auto &[pool, span] : pools) {
            const std::string name = model.objectName(pool);
            const bool isCpu = name.rfind("cpu, ", 0) == 0;
            const bool isIo = name.rfind("io, ", 0) == 0;
            if ((!isCpu && !isIo) || span.last <= span.first)
                continue;
            const int workers = std::atoi(name.c_str() + (isCpu ? 5 : 4));
            const double perSecond = span.count / (double(span.last - span.first) / 1e9);
            double &best = (isCpu ? cpu : io)[workers];
            best = std::max(best, perSecond);
        }
        auto toJson = [](const std::map<int, double> &sweep) {
            QJsonArray out;
            for (const auto &[workers, perSecond] : sweep)
                out.append(QJsonObject{{QStringLiteral("workers"), workers},
                                       {QStringLiteral("tasks_per_s"), std::round(perSecond * 10) / 10}});
            return out;
        };
        // The run notes the usable core count; the sampled cores are the fallback for a saved trace.
        return {{QStringLiteral("cores"), model.coreCount() > 0 ? QJsonValue(model.coreCount()) : QJsonValue()},
                {QStringLiteral("cpu"), toJson(cpu)},
                {QStringLiteral("io"), toJson(io)}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeCpuVsIoScenario()
{
    return std::make_unique<CpuVsIoScenario>();
}

} // namespace interleave::core
