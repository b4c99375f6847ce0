// SPDX-License-Identifier: MIT
// The lesson of scenario "threadlocal" (findings in ../threadlocal.cpp): one global local_school,
// and each thread sees only the student it set.
// threadlocal.h first: it names a variable `slots`, which Qt's headers (via lessons.h) define away.
#include "instrument/threadlocal.h"

#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/thread.h"

#include <pthread.h>

#include <chrono>
#include <string>

namespace interleave::core {

namespace {

/// threading.current_thread().name: the name the Thread gave the operating system.
std::string current_thread_name()
{
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    return name;
}

} // namespace

void threadlocalLesson(ScenarioContext &ctx)
{
    const auto pause = std::chrono::milliseconds(ctx.intParam("pause_ms"));
    // One global object; each thread that writes local_school.student gets its own copy.
    ThreadLocal<std::string> local_school("local_school.student"); // py: local_school = threading.local()

    auto process_student = [&] {                                                // py: def process_student():
        const std::string &student = local_school.get();                        // py: std = local_school.student
        ctx.print("Hello, " + student + " (in " + current_thread_name() + ")"); // py: print('Hello, %s (in %s)'...
    };
    auto process_thread = [&](const std::string &name) { // py: def process_thread(name):
        local_school.set(name);                          // py: local_school.student = name
        sleepFor(pause);   // not in the chapter: meanwhile the other thread sets *its* student
        process_student(); // py: process_student()
    };

    Thread t1("Thread-A", process_thread, std::string("Alice")); // py: t1 = threading.Thread(...
    Thread t2("Thread-B", process_thread, std::string("Bob"));   // py: t2 = threading.Thread(...
    t1.join();                                                   // py: t1.join()
    t2.join();                                                   // py: t2.join()
}

} // namespace interleave::core
