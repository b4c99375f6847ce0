// SPDX-License-Identifier: MIT
// The lesson of scenario "pool" (findings in ../pool.cpp): Pool(4), five tasks that each sleep
// random() x 3 s, then close() and join().
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/processpool.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace interleave::core {

namespace {

// The task function is fixed before the workers are forked (Python pickles it by reference), so
// the workers reach the context through this pointer, copied into them by fork().
ScenarioContext *g_context = nullptr;

// The argument carries the task number and its sleep: only an int64 travels to the worker.
int64_t long_time_task(int64_t arg, TaskContext &task) // py: def long_time_task(name):
{
    const int64_t name = arg & 0xffff;
    const int64_t sleepMs = arg >> 16;
    g_context->print("Run task " + std::to_string(name) + " (" + // py: print('Run task %s (%s)...'...
                     std::to_string(task.pid) + ")...");
    const auto start = std::chrono::steady_clock::now(); // py: start = time.time()
    sleepFor(std::chrono::milliseconds(sleepMs));        // py: time.sleep(random.random() * 3)
    const auto end = std::chrono::steady_clock::now();   // py: end = time.time()
    const double seconds = std::chrono::duration<double>(end - start).count();
    char line[96];
    std::snprintf(line, sizeof line, "Task %lld runs %.2f seconds.", static_cast<long long>(name), seconds);
    g_context->print(line); // py: print('Task %s runs %0.2f seconds.' % (name, (end - start)))
    return name;
}

} // namespace

void poolLesson(ScenarioContext &ctx)
{
    const int tasks = ctx.intParam("tasks");
    const double maxSleep = ctx.doubleParam("max_sleep_s");
    g_context = &ctx;
    ctx.print("Parent process " + std::to_string(getpid()) + ".");  // py: print('Parent process %s.' % os.getpid())
    ProcessPool p(ctx.intParam("workers"), long_time_task, "Pool"); // py: p = Pool(4)
    // Each task's random() x 3 s is drawn here, in the parent, so that a run repeats from its seed.
    std::uniform_real_distribution<double> random(0.0, 1.0);
    std::vector<AsyncResult> results;
    for (int i = 0; i < tasks; ++i) { // py: for i in range(5):
        const auto sleepMs = int64_t(random(ctx.random()) * maxSleep * 1000.0);
        results.push_back(p.applyAsync(i | (sleepMs << 16))); // py: p.apply_async(long_time_task, args=(i,))
    }
    ctx.print("Waiting for all subprocesses done..."); // py: print('Waiting for all subprocesses done...')
    p.close();                                         // py: p.close()
    p.join();                                          // py: p.join()
    ctx.print("All subprocesses done.");               // py: print('All subprocesses done.')
}

} // namespace interleave::core
