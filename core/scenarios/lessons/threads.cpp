// SPDX-License-Identifier: MIT
// The lesson of scenario "threads" (findings in ../threads.cpp): the chapter's LoopThread counts to
// five, one line a second; MainThread joins it.
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/thread.h"

#include <chrono>
#include <string>

namespace interleave::core {

void threadsLesson(ScenarioContext &ctx)
{
    const int count = ctx.intParam("count");
    const auto interval = std::chrono::duration<double>(ctx.doubleParam("interval"));

    // The code the new thread runs.
    auto loop = [&] {                                 // py: def loop():
        ctx.print("thread LoopThread is running..."); // py: print('thread %s is running...' % threading...
        for (int n = 1; n <= count; ++n) {            // py: while n < 5:
            ctx.print("thread LoopThread >>> " + std::to_string(n)); // py: print('thread %s >>> %s' % (...
            if (!sleepFor(std::chrono::duration_cast<std::chrono::nanoseconds>(interval))) // py: time.sleep(1)
                break; // the window asked the run to stop
        }
        ctx.print("thread LoopThread ended."); // py: print('thread %s ended.' % threading.current_thread().name)
    };

    // (Python prints these two lines with the same code as loop() does: markers would name loop's.)
    ctx.print("thread MainThread is running...");
    // Created and started at once.
    Thread t("LoopThread", loop); // py: t.start()
    t.join();                     // py: t.join()
    ctx.print("thread MainThread ended.");
}

} // namespace interleave::core
