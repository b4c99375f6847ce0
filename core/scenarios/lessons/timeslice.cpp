// SPDX-License-Identifier: MIT
// The lesson of scenario "timeslice" (findings in ../timeslice.cpp): twice as many busy threads as
// cores; the OS takes turns giving them a core.
#include "scenarios/lessons/lessons.h"

#include "instrument/thread.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace interleave::core {

namespace {

/// The cores this process may run on (what nproc prints).
int cpu_count()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) == 0 ? std::max(1, CPU_COUNT(&set)) : 1;
}

/// Pure computation, no waiting: this thread always wants a core until the deadline.
uint64_t count_until(std::chrono::steady_clock::time_point deadline, const ScenarioContext &ctx)
{
    volatile uint64_t x = 0; // volatile: the compiler must really do every step
    while (std::chrono::steady_clock::now() < deadline && !ctx.stopRequested()) { // py: while time.time() < deadline:
        for (int i = 0; i < 65536; ++i)
            x = x + 1; // py: x = x + 1
    }
    return x;
}

} // namespace

void timesliceLesson(ScenarioContext &ctx)
{
    const int cores = cpu_count();
    const int given = ctx.intParam("threads");
    const int count = given > 0 ? given : 2 * cores; // py: n = 2 * multiprocessing.cpu_count()
    const auto duration = std::chrono::duration<double>(ctx.doubleParam("duration"));
    const auto deadline = // py: deadline = time.time() + 3
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(duration);
    ctx.print(std::to_string(count) + " tasks, " + std::to_string(cores) + " cores");

    auto task = [&](const std::string &name) { // py: def task(name, deadline):
        const uint64_t steps = count_until(deadline, ctx);
        ctx.print(name + " counted to " + std::to_string(steps)); // py: print('%s counted to %d' % (name, x))
    };
    std::vector<Thread> tasks; // py: tasks = [threading.Thread(...
    for (int i = 1; i <= count; ++i) {
        const std::string name = "Task-" + std::to_string(i);
        tasks.emplace_back(name, task, name); // py: t.start()
    }
    for (Thread &t : tasks)
        t.join();                // py: t.join()
    ctx.print("all tasks done"); // py: print('all tasks done')
}

} // namespace interleave::core
