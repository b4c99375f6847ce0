// SPDX-License-Identifier: MIT
// The lesson of scenario "process" (findings in ../process.cpp): Process(target=run_proc,
// args=('test',)), start() and join().
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/process.h"

#include <unistd.h>

#include <chrono>
#include <string>

namespace interleave::core {

namespace {

// What the child process runs: the chapter's run_proc, plus some work long enough to see.
int run_proc(ScenarioContext &ctx, const std::string &name, std::chrono::milliseconds work) // py: def run_proc(name):
{
    ctx.print("Run child process " + name + " (" + std::to_string(getpid()) + ")..."); // py: print('Run child...
    sleepFor(work);                                                                    // py: time.sleep(1)
    return 0;
}

} // namespace

void processLesson(ScenarioContext &ctx)
{
    const auto work = std::chrono::milliseconds(int64_t(ctx.doubleParam("work_s") * 1000.0));
    ctx.print("Parent process " + std::to_string(getpid()) + "."); // py: print('Parent process %s.' % os.getpid())
    ctx.print("Child process will start.");                        // py: print('Child process will start.')
    // start(): a real child process with its own pid runs run_proc('test').
    Process p = Process::fork("run_proc", [&ctx, work] { return run_proc(ctx, "test", work); }); // py: p.start()
    // join(): the parent blocks here until the child has exited.
    p.join();                        // py: p.join()
    ctx.print("Child process end."); // py: print('Child process end.')
}

} // namespace interleave::core
