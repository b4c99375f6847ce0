// SPDX-License-Identifier: MIT
// The lesson of scenario "deadlock" (findings in ../deadlock.cpp): two threads take two locks in
// opposite orders, and three ways out.
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/lockguard.h"
#include "instrument/mutex.h"
#include "instrument/thread.h"

#include <chrono>
#include <functional>
#include <random>
#include <string>

namespace interleave::core {

void deadlockLesson(ScenarioContext &ctx)
{
    const QString variant = ctx.textParam("variant");
    const auto hold = std::chrono::milliseconds(ctx.intParam("hold_ms"));
    const int rounds = ctx.intParam("rounds");
    TimedMutex lock_a("lock A"); // py: lock_a = threading.Lock()
    TimedMutex lock_b("lock B"); // py: lock_b = threading.Lock()

    // Each thread backs off by its own random engine (one engine shared would be a data race),
    // both seeded from the run's seed so a run repeats.
    const uint64_t backoffSeed = ctx.random()();

    // Thread-1 transfers A -> B, Thread-2 transfers B -> A.
    auto transfer = [&](TimedMutex &first, TimedMutex &second, const char *name) { // py: def transfer(...
        std::mt19937_64 backoff(backoffSeed + (&first == &lock_a ? 1 : 2));
        for (int round = 0; round < rounds && !ctx.stopRequested(); ++round) {
            if (variant == QLatin1String("naive")) {
                LockGuard one(first); // py: with first:
                sleepFor(hold);       // py: time.sleep(0.3)
                // The other thread holds it and wants ours.
                LockGuard two(second); // py: with second:
            } else if (variant == QLatin1String("ordered")) {
                // Everyone takes lock A before lock B: no cycle can form.
                TimedMutex &low = &first == &lock_a ? first : second;
                TimedMutex &high = &first == &lock_a ? second : first;
                LockGuard one(low);  // py: with first:
                sleepFor(hold);      // py: time.sleep(0.3)
                LockGuard two(high); // py: with second:
            } else if (variant == QLatin1String("scoped_lock")) {
                // ScopedLock (as std::scoped_lock) takes both with a deadlock-avoiding algorithm.
                ScopedLock both(first, second); // py: with first:
                sleepFor(hold);                 // py: time.sleep(0.3)
            } else {
                // try_lock: give up the first lock when the second does not come in time.
                for (;;) {
                    UniqueLock one(first);                                              // py: with first:
                    sleepFor(hold);                                                     // py: time.sleep(0.3)
                    if (second.try_lock_for(hold / 2 + std::chrono::milliseconds(1))) { // py: with second:
                        second.unlock();
                        break;
                    }
                    one.unlock();
                    sleepFor(std::chrono::milliseconds(1 + backoff() % 20)); // back off
                    if (ctx.stopRequested())
                        return;
                }
            }
            ctx.print(std::string(name) + " finished transfer " + std::to_string(round + 1)); // py: print('%s...
        }
    };
    Thread t1("Thread-1", transfer, std::ref(lock_a), std::ref(lock_b), "Thread-1"); // py: t1 = threading.Thread(...
    Thread t2("Thread-2", transfer, std::ref(lock_b), std::ref(lock_a), "Thread-2"); // py: t2 = threading.Thread(...
    t1.join();                                                                       // py: t1.join()
    t2.join();                                                                       // py: t2.join()
    ctx.print("both threads finished");
}

} // namespace interleave::core
