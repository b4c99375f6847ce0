// SPDX-License-Identifier: MIT
// Scenario "process-vs-thread": the same buggy task crashes once in one of several worker
// processes, once in one of several threads of a server process; then the cost of creating N
// threads and N processes. Re-enacts "processes vs threads" (Apache's processes, IIS's threads).
#include "scenarios/scenario.h"

#include "instrument/blocking.h"
#include "instrument/process.h"
#include "instrument/thread.h"
#include "trace/tracemodel.h"

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
#include <string>
#include <vector>

namespace interleave::core {
namespace {

using std::chrono::milliseconds;

constexpr int kRequests = 5; // requests each worker handles
constexpr int kCrashAt = 2;  // the buggy worker dies on this request
constexpr int kBuggyWorker = 2;

constexpr const char *kProcessCrashPhase = "a crash in one of several processes";
constexpr const char *kThreadCrashPhase = "a crash in one of several threads";
constexpr const char *kThreadCostPhase = "creating threads";
constexpr const char *kProcessCostPhase = "creating processes";

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
    for (int request = 1; request <= kRequests; ++request) {
        sleepFor(step);
        if (buggy && request == kCrashAt) {
            ctx.print(who + " " + ids() + " hits a bug on request " + std::to_string(request) + "...");
            writeThroughNullPointer();
        }
        ctx.print(who + " " + ids() + " handled request " + std::to_string(request));
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

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double microsecondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

class ProcessVsThreadScenario final : public Scenario
{
public:
    const char *id() const override { return "process-vs-thread"; }
    const char *group() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Processes vs threads");
    }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "A crash in a process vs a crash in a thread");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("workers"), ParamSpec::Kind::Int, 3, 2, 8, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "worker processes, and threads of the server; worker 2 has the bug")},
                {QStringLiteral("step_ms"), ParamSpec::Kind::Int, 300, 10, 5000, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Request time (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long a worker takes for one request")},
                {QStringLiteral("create_count"), ParamSpec::Kind::Int, 100, 1, 2000, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Created for the cost"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "threads, then processes, created and joined one by one to time them")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int workers = ctx.intParam("workers");
        const milliseconds step(ctx.intParam("step_ms"));

        // 1. Multiprocessing, like Apache: each worker is a process of its own.
        ctx.phase(kProcessCrashPhase);
        ctx.print("Master " + ids() + " starts " + std::to_string(workers) + " worker processes.");
        std::vector<Process> processes;
        for (int k = 1; k <= workers; ++k) {
            const std::string name = "worker-" + std::to_string(k);
            processes.push_back(Process::fork(name, [&ctx, name, k, step] {
                handle_requests(ctx, name, k == kBuggyWorker, step);
                return 0;
            }));
        }
        joinAsTheyEnd(processes, [&ctx](const Process &p) {
            ctx.print(p.name() + " (" + std::to_string(p.pid()) + ") " + howItEnded(p) + ".");
        });
        ctx.print("Master " + ids() + " is still alive.");
        if (ctx.stopRequested())
            return;

        // 2. Multithreading, like IIS: the workers are threads of one server process. It runs in a
        // child so that its crash takes down the server, not this runner that tells the story.
        ctx.phase(kThreadCrashPhase);
        Process server = Process::fork("server", [&ctx, workers, step] {
            ctx.print("Server " + ids() + " starts " + std::to_string(workers) + " worker threads.");
            std::vector<Thread> threads;
            for (int k = 1; k <= workers; ++k) {
                const std::string name = "Thread-" + std::to_string(k);
                threads.emplace_back(name, handle_requests, std::ref(ctx), name, k == kBuggyWorker, step);
            }
            for (Thread &t : threads)
                t.join();
            ctx.print("Server " + ids() + " ends.");
            return 0;
        });
        server.join();
        ctx.print("server (" + std::to_string(server.pid()) + ") " + howItEnded(server) +
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
        const double threadMedian = std::round(median(threadUs) * 10) / 10;
        const double processMedian = std::round(median(processUs) * 10) / 10;
        ctx.note(QStringLiteral("thread_create_us_median"), threadMedian);
        ctx.note(QStringLiteral("process_create_us_median"), processMedian);
        ctx.print(std::to_string(count) + " threads: " + std::to_string(int(threadMedian)) + " µs each (median); " +
                  std::to_string(count) + " processes: " + std::to_string(int(processMedian)) + " µs each.");
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        const Phases phases = findPhases(model);
        return {{QStringLiteral("thread_crash_killed_process"), threadCrashKilledProcess(model, phases)},
                {QStringLiteral("process_crash_siblings_alive"), processCrashSiblingsAlive(model, phases)},
                // The run notes the clock's medians over these; a saved trace still has the spacing
                // of the creations (each one created and joined before the next).
                {QStringLiteral("thread_create_us_median"),
                 medianGapUs(model, EventType::ThreadStart, phases.threadCost, phases.processCost)},
                {QStringLiteral("process_create_us_median"),
                 medianGapUs(model, EventType::ProcessStart, phases.processCost, kTimeMax)}};
    }

private:
    struct Phases
    {
        int64_t processCrash = kTimeMax, threadCrash = kTimeMax, threadCost = kTimeMax, processCost = kTimeMax;
    };

    static Phases findPhases(const TraceModel &model)
    {
        Phases p;
        const auto &data = model.data();
        for (uint32_t index : model.phases()) {
            const std::string &name = data.string(data.events[index].object);
            const int64_t t = data.events[index].time;
            if (name == kProcessCrashPhase)
                p.processCrash = t;
            else if (name == kThreadCrashPhase)
                p.threadCrash = t;
            else if (name == kThreadCostPhase)
                p.threadCost = t;
            else if (name == kProcessCostPhase)
                p.processCost = t;
        }
        return p;
    }

    static bool wroteEvent(const TraceModel &model, uint32_t thread, EventType type)
    {
        for (uint32_t index : model.threadEvents(thread)) {
            if (model.data().events[index].type == type)
                return true;
        }
        return false;
    }

    static int64_t lastEventTime(const TraceModel &model, const ProcessInfo &p)
    {
        int64_t last = kTimeMin;
        for (uint32_t thread : p.threads) {
            const auto &own = model.threadEvents(thread);
            if (!own.empty())
                last = std::max(last, model.data().events[own.back()].time);
        }
        return last;
    }

    // The server of phase 2 died of SIGSEGV with several threads, and not one of them finished:
    // none wrote its ThreadExit.
    static bool threadCrashKilledProcess(const TraceModel &model, const Phases &phases)
    {
        for (const ProcessInfo &p : model.processes()) {
            if (p.start < phases.threadCrash || p.start >= phases.threadCost || p.name != "server")
                continue;
            const bool segv = p.exited && p.signaled && p.exitStatus == SIGSEGV;
            const bool noneFinished = std::none_of(p.threads.begin(), p.threads.end(), [&](uint32_t t) {
                return wroteEvent(model, t, EventType::ThreadExit);
            });
            return segv && p.threads.size() > 1 && noneFinished;
        }
        return false;
    }

    // In phase 1 one worker process died of SIGSEGV; every other worker went on recording after
    // that death and exited normally, and so did the parent that started them.
    static bool processCrashSiblingsAlive(const TraceModel &model, const Phases &phases)
    {
        std::vector<const ProcessInfo *> workers;
        for (const ProcessInfo &p : model.processes()) {
            if (p.traced() && p.start >= phases.processCrash && p.start < phases.threadCrash &&
                p.name.rfind("worker-", 0) == 0)
                workers.push_back(&p);
        }
        const ProcessInfo *crashed = nullptr;
        for (const ProcessInfo *p : workers) {
            if (p->exited && p->signaled && p->exitStatus == SIGSEGV)
                crashed = crashed ? nullptr : p; // exactly one
        }
        if (!crashed || workers.size() < 2)
            return false;
        // It died right after its own last event; its exit is recorded only when it is reaped.
        const int64_t crashedAt = lastEventTime(model, *crashed);
        for (const ProcessInfo *p : workers) {
            if (p == crashed)
                continue;
            if (!p->exited || p->signaled || p->exitStatus != 0 || lastEventTime(model, *p) <= crashedAt)
                return false;
        }
        const ProcessInfo *parent = model.process(crashed->ppid);
        return parent && lastEventTime(model, *parent) > crashedAt;
    }

    // Median spacing, in µs, of the `type` events written in [t0, t1): one per creation.
    static QJsonValue medianGapUs(const TraceModel &model, EventType type, int64_t t0, int64_t t1)
    {
        std::vector<int64_t> times;
        for (const Event &e : model.data().events) {
            if (e.type == type && e.time >= t0 && e.time < t1)
                times.push_back(e.time);
        }
        std::sort(times.begin(), times.end());
        if (times.size() < 2)
            return QJsonValue();
        std::vector<double> gaps;
        for (size_t i = 1; i < times.size(); ++i)
            gaps.push_back(double(times[i] - times[i - 1]) / 1000.0);
        return std::round(median(gaps) * 10) / 10;
    }
};

} // namespace

std::unique_ptr<Scenario> makeProcessVsThreadScenario()
{
    return std::make_unique<ProcessVsThreadScenario>();
}

} // namespace interleave::core
