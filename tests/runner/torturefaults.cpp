// SPDX-License-Identifier: MIT
// Test-only fault cases (see torture.h): a runner that segfaults while its threads write into the
// log, and a flood of events into a log far too small for it.
#include "torture.h"

#include "instrument/thread.h"
#include "scenarios/scenario.h"
#include "trace/recorder.h"
#include "trace/tracemodel.h"

#include <atomic>
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace interleave::core {

namespace {

/// SIGSEGV back to the default action with the raw system call: the sanitizers intercept
/// signal() and sigaction() and would otherwise turn the crash into their own report and exit.
void defaultAction(int sig)
{
    struct
    {
        void *handler; // nullptr is SIG_DFL
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } action{};
    ::syscall(SYS_rt_sigaction, sig, &action, nullptr, sizeof action.mask);
}

/// Prints `lines` numbered lines, starts `writers` threads that record as fast as they can, and
/// once they are well under way leaves a half-written record and segfaults for real.
class CrashScenario final : public Scenario
{
public:
    const char *id() const override { return "torture-crash"; }
    const char *group() const override { return "test"; }
    const char *title() const override { return "torture: the runner segfaults mid-write"; }
    std::vector<ParamSpec> parameters() const override
    {
        return {testIntParam("lines", 1000, 1, 100000), testIntParam("writers", 1, 0, 4),
                testChoiceParam("torn", {"on", "off"}, "leave a written but uncommitted record before the crash")};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int lines = ctx.intParam("lines");
        const int writers = ctx.intParam("writers");
        for (int i = 0; i < lines; ++i)
            ctx.print("line " + std::to_string(i));

        std::vector<std::atomic<int64_t>> written(static_cast<size_t>(writers));
        std::atomic<bool> quit{false};
        std::vector<Thread> threads;
        for (int w = 0; w < writers; ++w) {
            threads.emplace_back("writer-" + std::to_string(w), [&written, &quit, w] {
                const uint32_t counter = recorder::newObject(ObjectKind::SharedVar, "counter " + std::to_string(w));
                for (int64_t i = 0; !quit.load(std::memory_order_relaxed); ++i) {
                    recorder::record(EventType::VarStore, counter, i);
                    written[size_t(w)].store(i + 1, std::memory_order_relaxed);
                }
            });
        }
        // Crash while they write: each has recorded thousands of events and goes on.
        for (const auto &count : written) {
            while (count.load(std::memory_order_relaxed) < 20000)
                std::this_thread::yield();
        }

        if (ctx.textParam("torn") == QLatin1String("on"))
            recorder::detail::writeUncommittedForTest(EventType::Output, 0, 0);
        ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); // no core file left behind
        defaultAction(SIGSEGV);
        void *page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page != MAP_FAILED)
            *static_cast<volatile int *>(page) = 1; // the segfault
        quit = true;
        throw std::runtime_error("the planned segfault did not happen");
    }

    QJsonObject findings(const TraceModel &, const QJsonObject &) const override { return {}; }
};

/// `threads` threads record `events` events each as fast as they can; with a small log most are
/// dropped, and the drops must be counted, never silent, and never hang the run.
class FloodScenario final : public Scenario
{
public:
    const char *id() const override { return "torture-flood"; }
    const char *group() const override { return "test"; }
    const char *title() const override { return "torture: a flood into a small log"; }
    std::vector<ParamSpec> parameters() const override
    {
        return {testIntParam("threads", 4, 1, 16), testIntParam("events", 200000, 1, 50'000'000)};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int count = ctx.intParam("threads");
        const int64_t events = ctx.intParam("events");
        std::vector<Thread> threads;
        for (int t = 0; t < count; ++t) {
            threads.emplace_back("flood-" + std::to_string(t), [events, t] {
                const uint32_t counter = recorder::newObject(ObjectKind::SharedVar, "flood " + std::to_string(t));
                for (int64_t i = 0; i < events; ++i)
                    recorder::record(EventType::VarStore, counter, i);
            });
        }
        for (Thread &t : threads)
            t.join();
        ctx.note(QStringLiteral("attempted"), double(count * events));
    }

    QJsonObject findings(const TraceModel &, const QJsonObject &) const override { return {}; }
};

} // namespace

std::unique_ptr<Scenario> makeTortureCrashScenario()
{
    return std::make_unique<CrashScenario>();
}
std::unique_ptr<Scenario> makeTortureFloodScenario()
{
    return std::make_unique<FloodScenario>();
}

} // namespace interleave::core
