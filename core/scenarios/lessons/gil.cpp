// SPDX-License-Identifier: MIT
// The lesson of scenario "gil" (findings in ../gil.cpp): one busy thread per core, with and without
// a global interpreter lock.
#include "scenarios/lessons/lessons.h"

#include "instrument/condvar.h"
#include "instrument/lockguard.h"
#include "instrument/mutex.h"
#include "instrument/thread.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace interleave::core {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kSwitchInterval = std::chrono::milliseconds(5); // sys.getswitchinterval() of CPython

/// The cores this process may run on (multiprocessing.cpu_count()).
int cpu_count()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) == 0 ? std::max(1, CPU_COUNT(&set)) : 1;
}

/// x = x ^ 1 until `until` (or a stop request): pure computation. Returns how many steps it made.
uint64_t loop_until(Clock::time_point until, const ScenarioContext &ctx)
{
    volatile uint64_t x = 0; // volatile: the compiler must really do every step
    uint64_t steps = 0;
    while (Clock::now() < until && !ctx.stopRequested()) { // py: while True:
        for (int i = 0; i < 4096; ++i)
            x = x ^ 1; // py: x = x ^ 1
        steps += 4096;
    }
    return steps;
}

/// CPython's global interpreter lock: a mutex only the running thread holds, and a condition the
/// holder uses to hand it over when its switch interval is up ("forced switching": the thread that
/// let go waits until someone else has had it, so it cannot grab it straight back).
struct Gil
{
    Mutex mutex{"GIL"};
    CondVar handOver{"GIL hand-over"};
    int lastHolder = -1; ///< guarded by mutex
    int running = 0;     ///< threads still looping; guarded by mutex

    /// Called holding the GIL: let the others run, return holding it again.
    void yield(UniqueLock<Mutex> &held, int me)
    {
        lastHolder = me;
        handOver.notify_all();
        handOver.wait(held, [&] { return lastHolder != me || running == 1; });
        lastHolder = me;
    }
};

} // namespace

void gilLesson(ScenarioContext &ctx)
{
    const bool withGil = ctx.textParam("gil") == QLatin1String("on");
    const int count = ctx.intParam("threads") > 0 ? ctx.intParam("threads") : cpu_count();
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(ctx.doubleParam("duration")));
    Gil gil;
    gil.running = count;

    // Without a GIL: every thread loops on its own core.
    auto loop = [&](const std::string &name) { // py: def loop():
        const uint64_t steps = loop_until(deadline, ctx);
        ctx.print(name + " looped " + std::to_string(steps) + " times");
    };
    // With a GIL: a thread loops only while it holds the lock, and gives it up every 5 ms.
    auto loop_with_gil = [&](const std::string &name, int me) {
        uint64_t steps = 0;
        UniqueLock held(gil.mutex);
        while (Clock::now() < deadline && !ctx.stopRequested()) {
            steps += loop_until(std::min(deadline, Clock::now() + kSwitchInterval), ctx);
            gil.yield(held, me);
        }
        ctx.print(name + " looped " + std::to_string(steps) + " times");
        --gil.running;
        gil.handOver.notify_all(); // the others may now be the last ones left
    };

    std::vector<Thread> threads;
    for (int i = 1; i <= count; ++i) { // py: for i in range(multiprocessing.cpu_count()):
        const std::string name = "Thread-" + std::to_string(i);
        if (withGil)
            threads.emplace_back(name, loop_with_gil, name, i); // py: t.start()
        else
            threads.emplace_back(name, loop, name); // py: t.start()
    }
    for (Thread &t : threads)
        t.join();
}

} // namespace interleave::core
