// SPDX-License-Identifier: MIT
// The lesson of scenario "lock" (findings in ../lock.cpp and ../balance.cpp): the race's balance,
// each change_it under one lock, taken before and given back after, as the chapter's
// acquire / try / finally release. (change_it is the race lesson's again: the chapter repeats it
// too, and the class reads each program whole.)
#include "scenarios/balance.h"
#include "scenarios/lessons/lessons.h"

#include "instrument/lockguard.h"
#include "instrument/mutex.h"
#include "instrument/sharedvar.h"
#include "instrument/thread.h"

#include <string>

namespace interleave::core {

void lockLesson(ScenarioContext &ctx)
{
    const int64_t iterations = ctx.intParam("iterations");
    SharedVar balance("balance", 0); // py: balance = 0
    Mutex lock("lock");              // py: lock = threading.Lock()
    const MidStatementSwitch maybeSwitch(ctx);

    auto change_it = [&](int64_t n) {   // py: def change_it(n):
        int64_t x = balance.load() + n; // py: balance = balance + n
        maybeSwitch();
        balance.store(x);       // py: balance = balance + n
        x = balance.load() - n; // py: balance = balance - n
        maybeSwitch();
        balance.store(x); // py: balance = balance - n
    };
    auto run_thread = [&](int64_t n) {                                     // py: def run_thread(n):
        for (int64_t i = 0; i < iterations && !ctx.stopRequested(); ++i) { // py: for i in range(100000):
            UniqueLock held(lock);                                         // py: lock.acquire()
            change_it(n);                                                  // py: change_it(n)
            held.unlock();                                                 // py: lock.release()
        }
    };
    Thread t1("Thread-1", run_thread, 5);                     // py: t1.start()
    Thread t2("Thread-2", run_thread, 8);                     // py: t2.start()
    t1.join();                                                // py: t1.join()
    t2.join();                                                // py: t2.join()
    ctx.print("balance = " + std::to_string(balance.load())); // py: print(balance)
}

} // namespace interleave::core
