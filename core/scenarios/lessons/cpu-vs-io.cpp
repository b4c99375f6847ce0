// SPDX-License-Identifier: MIT
// The lesson of scenario "cpu-vs-io" (findings in ../cpu-vs-io.cpp): the same pool of worker
// threads, swept over 1, 2, 4, 8 ... workers, runs compute-bound tasks and then IO-bound tasks.
#include "scenarios/lessons/lessons.h"

#include "instrument/threadpool.h"
#include "scenarios/delayedreplyserver.h"

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

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
void compute(uint64_t steps) // py: def compute_task(_):
{
    uint64_t x = 88172645463325252ull + steps;
    for (uint64_t i = 0; i < steps; ++i) { // py: for i in range(2000000):
        x ^= x << 13;                      // py: x = x ^ i
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
template<class Task>
void runPhase( // py: def throughput(task, workers, tasks=16):
    ScenarioContext &ctx, const char *kind, int workers, int tasks, Task task)
{
    const std::string name = phaseName(kind, workers);
    ctx.phase(name);
    const auto t0 = std::chrono::steady_clock::now(); // py: start = time.time()
    {
        ThreadPool pool(workers, name); // py: with ThreadPool(workers) as pool:
        for (int i = 0; i < tasks && !ctx.stopRequested(); ++i)
            pool.submit(task); // py: pool.map(task, range(tasks))
        pool.close();
        pool.join();
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char line[128];
    std::snprintf(line, sizeof line, "%s: %d tasks in %.2f s, %.1f tasks/s", name.c_str(), tasks, s, tasks / s);
    ctx.print(line); // py: print('io, %d workers: %.1f tasks/s' % (workers, throughput(io_task, workers)))
}

} // namespace

void cpuVsIoLesson(ScenarioContext &ctx)
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
    auto compute_task = [steps] { compute(steps); };
    for (int round = 0; round < rounds; ++round) {
        for (int workers : sweep) {
            if (!ctx.stopRequested())
                runPhase(ctx, "cpu", workers, std::max(tasks, workers), compute_task);
        }
    }

    // IO-bound: every task sends a request to a server process and waits for its answer.
    DelayedReplyServer server(sweep.back());
    FreeSockets sockets(server);
    auto io_task = [&sockets, ioWait] {              // py: def io_task(_):
        const int fd = sockets.take();               // py: with socket.create_connection(('127.0.0.1', 8000)) as s:
        DelayedReplyServer::sendRequest(fd, ioWait); // py: s.sendall(b'GET / HTTP/1.0\r\n\r\n')
        DelayedReplyServer::waitForReply(fd);        // py: return s.recv(1024)
        sockets.give(fd);
    };
    for (int workers : sweep) { // py: for workers in (1, 2, 4, 8):
        if (ctx.stopRequested())
            break;
        runPhase(ctx, "io", workers, std::max(tasks, workers), io_task);
    }
}

} // namespace interleave::core
