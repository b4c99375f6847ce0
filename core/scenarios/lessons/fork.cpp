// SPDX-License-Identifier: MIT
// The lesson of scenario "fork" (findings in ../fork.cpp): the chapter's os.fork() example.
#include "scenarios/lessons/lessons.h"

#include "instrument/process.h"

#include <unistd.h>

#include <string>

namespace interleave::core {

void forkLesson(ScenarioContext &ctx)
{
    ctx.print("Process (" + std::to_string(getpid()) + ") start..."); // py: print('Process (%s) start...'...
    // Process::fork calls fork() once; it returns twice: 0 in the child, the child's pid here.
    Process child = Process::fork("child", [&ctx] {                                           // py: pid = os.fork()
        ctx.print("I am child process (" + std::to_string(getpid()) + ") and my parent is " + // py: print('I am...
                  std::to_string(getppid()) + ".");
        return 0;
    });
    ctx.print("I (" + std::to_string(getpid()) + ") just created a child process (" + // py: print('I (%s) just...
              std::to_string(child.pid()) + ").");
    child.join();
}

} // namespace interleave::core
