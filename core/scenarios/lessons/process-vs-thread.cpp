// SPDX-License-Identifier: MIT
// The lesson of scenario "process-vs-thread" (findings in ../process-vs-thread.cpp): the same buggy
// task crashes once in one of several worker processes, once in one of several threads of a server
// process; then the cost of creating N threads and N processes.
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/process.h"
#include "instrument/thread.h"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace interleave::core {

double processVsThreadMedian(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

namespace {

using std::chrono::milliseconds;

constexpr int kRequests = 5; // requests each worker handles
constexpr int kCrashAt = 2;  // the buggy worker dies on this request
constexpr int kBuggyWorker = 2;

// "(pid/tid)". Built with append: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
std::string ids()
{
    return std::string()
        .append("(")
        .append(std::to_string(getpid()))
        .append("/")
        .append(std::to_string(currentTid()))
        .append(")");
}

// A real bug, not a simulated one: a write through a null pointer, which the CPU refuses and the
// kernel answers with SIGSEGV for the whole process. UBSan must not turn it into a report: the
// attribute only covers this function's own body, so it must not be inlined into its callers.
[[noreturn, gnu::noinline, gnu::no_sanitize("null")]] void writeThroughNullPointer()
{
    // A sanitizer or debugger may have installed its own handler: the lesson is the default action.
    std::signal(SIGSEGV, SIG_DFL);
    // An intended crash needs no core file.
    const rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    volatile int *volatile nowhere = nullptr;
    *nowhere = 42;
    std::abort(); // not reached
}

// The task every worker runs, processes and threads alike: handle a few requests, one per step.
void handle_requests(ScenarioContext &ctx, const std::string &who, bool buggy, milliseconds step)
{
    for (int request = 1; request <= kRequests; ++request) { // py: for request in range(1, 6):
        sleepFor(step);                                      // py: time.sleep(0.3)
        if (buggy && request == kCrashAt) {
            ctx.print(who + " " + ids() + " hits a bug on request " + std::to_string(request) + "...");
            writeThroughNullPointer(); // py: ctypes.string_at(0)
        }
        ctx.print(who + " " + ids() + " handled request " + std::to_string(request)); // py: print('%s (%s)...
    }
}

std::string howItEnded(const Process &p)
{
    if (p.signal())
        return "was killed by signal " + std::to_string(*p.signal()) + " (" + sigabbrev_np(*p.signal()) + ")";
    return "exited with code " + std::to_string(p.exitCode().value_or(-1));
}

// Reaps the processes in the order they end, so that each exit is recorded when it happens.
template<class OnExit> void joinAsTheyEnd(std::vector<Process> &processes, OnExit onExit)
{
    for (;;) {
        std::vector<pollfd> exits;
        for (Process &p : processes) {
            if (!p.finished() && p.poll())
                onExit(p);
            if (!p.finished() && p.pidfd() >= 0)
                exits.push_back({p.pidfd(), POLLIN, 0});
        }
        const bool allDone =
            std::all_of(processes.begin(), processes.end(), [](const Process &p) { return p.finished(); });
        if (allDone || instrument::stopRequested())
            return;
        ::poll(exits.data(), nfds_t(exits.size()), int(instrument::kStopPollInterval.count()));
    }
}

double microsecondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

void processVsThreadLesson(ScenarioContext &ctx)
{
    const int workers = ctx.intParam("workers");
    const milliseconds step(ctx.intParam("step_ms"));

    // 1. Multiprocessing, like Apache: each worker is a process of its own.
    ctx.phase(kProcessCrashPhase);
    ctx.print("Master " + ids() + " starts " + std::to_string(workers) + " worker processes.");
    std::vector<Process> processes;
    for (int k = 1; k <= workers; ++k) {
        const std::string name = "worker-" + std::to_string(k);
        processes.push_back(Process::fork(name, [&ctx, name, k, step] { // py: p.start()
            handle_requests(ctx, name, k == kBuggyWorker, step);
            return 0;
        }));
    }
    joinAsTheyEnd(processes, [&ctx](const Process &p) {                                    // py: p.join()
        ctx.print(p.name() + " (" + std::to_string(p.pid()) + ") " + howItEnded(p) + "."); // py: print(p.name, ...
    });
    ctx.print("Master " + ids() + " is still alive.");
    if (ctx.stopRequested())
        return;

    // 2. Multithreading, like IIS: the workers are threads of one server process. It runs in a
    // child so that its crash takes down the server, not this runner that tells the story.
    ctx.phase(kThreadCrashPhase);
    Process s = Process::fork("server", [&ctx, workers, step] { // py: s.start()
        ctx.print("Server " + ids() + " starts " + std::to_string(workers) + " worker threads.");
        std::vector<Thread> threads;
        for (int k = 1; k <= workers; ++k) {
            const std::string name = "Thread-" + std::to_string(k);
            threads.emplace_back(name, handle_requests, std::ref(ctx), name, k == kBuggyWorker, step); // py: t.start()
        }
        for (Thread &t : threads)
            t.join(); // py: t.join()
        ctx.print("Server " + ids() + " ends.");
        return 0;
    });
    s.join();                                                               // py: s.join()
    ctx.print("server (" + std::to_string(s.pid()) + ") " + howItEnded(s) + // py: print('server exit code', s.exitcode)
              ": all its threads are gone with it.");
    if (ctx.stopRequested())
        return;

    // 3. What each costs to create (and to wait for): one at a time, timed with the clock.
    const int count = ctx.intParam("create_count");
    std::vector<double> threadUs, processUs;
    ctx.phase(kThreadCostPhase);
    for (int i = 0; i < count && !ctx.stopRequested(); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        Thread t("T-" + std::to_string(i + 1), [] {});
        t.join();
        threadUs.push_back(microsecondsSince(t0));
    }
    ctx.phase(kProcessCostPhase);
    for (int i = 0; i < count && !ctx.stopRequested(); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        Process p = Process::fork("P-" + std::to_string(i + 1), [] { return 0; });
        p.join();
        processUs.push_back(microsecondsSince(t0));
    }
    const double threadMedian = std::round(processVsThreadMedian(threadUs) * 10) / 10;
    const double processMedian = std::round(processVsThreadMedian(processUs) * 10) / 10;
    ctx.note(QStringLiteral("thread_create_us_median"), threadMedian);
    ctx.note(QStringLiteral("process_create_us_median"), processMedian);
    ctx.print(std::to_string(count) + " threads: " + std::to_string(int(threadMedian)) + " µs each (median); " +
              std::to_string(count) + " processes: " + std::to_string(int(processMedian)) + " µs each.");
}

} // namespace interleave::core
