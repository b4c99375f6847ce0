// SPDX-License-Identifier: MIT
// Budgets of a whole run: Stop -> every process of the run gone (<= 100 ms), and how long a real
// deadlock stays unnoticed (detected within 1 s). Each iteration is a real run of the runner.
#include "run/session.h"
#include "analysis/waitforgraph.h"
#include "run/reaper.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include <benchmark/benchmark.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <thread>

using namespace interleave::core;

namespace {

RunRequest deadlockRequest(const char *variant, const char *holdMs)
{
    const Scenario *scenario = ScenarioRegistry::instance().find("deadlock");
    RunRequest request;
    request.scenario = scenario;
    request.timeout = std::chrono::seconds(30);
    QString error;
    ScenarioRegistry::resolveParams(
        *scenario,
        {{QStringLiteral("variant"), QLatin1String(variant)}, {QStringLiteral("hold_ms"), QLatin1String(holdMs)}},
        request.params, error);
    return request;
}

// From the stop request until the runner and every descendant are reaped.
void BM_StopUntilEverythingIsGone(benchmark::State &state)
{
    for (auto _ : state) {
        Session session;
        QString error;
        if (!session.start(deadlockRequest("ordered", "5000"), &error)) {
            state.SkipWithError(error.toUtf8().constData());
            return;
        }
        // Wait until both threads of the lesson exist and one holds a lock.
        for (int i = 0; i < 500 && session.model().threadCount() < 4; ++i) {
            session.poll();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        session.stop();
        state.SetIterationTime(double(session.stopDuration().count()) / 1e6);
        if (!session.leftoverProcesses().empty())
            state.SkipWithError("a process outlived the stop");
    }
}
BENCHMARK(BM_StopUntilEverythingIsGone)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

// Baseline of the stop: SIGKILL to one idle child and waitpid until the kernel has reaped it.
void BM_KillAndReapIdleChild(benchmark::State &state)
{
    for (auto _ : state) {
        const pid_t child = ::fork();
        if (child == 0) {
            ::pause();
            ::_exit(0);
        }
        if (child < 0) {
            state.SkipWithError("fork failed");
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5)); // let it reach pause()
        const auto t0 = std::chrono::steady_clock::now();
        ::kill(child, SIGKILL);
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
}
BENCHMARK(BM_KillAndReapIdleChild)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);

// From the moment the wait-for cycle formed (in the trace) to the Deadlock event the session added.
void BM_DeadlockDetectionDelay(benchmark::State &state)
{
    for (auto _ : state) {
        Session session;
        QString error;
        if (!session.start(deadlockRequest("naive", "50"), &error)) {
            state.SkipWithError(error.toUtf8().constData());
            return;
        }
        session.wait();
        const auto cycle = findFirstDeadlock(session.model());
        int64_t marked = 0;
        for (const Event &e : session.model().data().events) {
            if (e.type == EventType::Deadlock)
                marked = e.time;
        }
        if (session.status() != RunStatus::Deadlocked || !cycle || marked == 0) {
            state.SkipWithError("no deadlock recorded");
            return;
        }
        state.SetIterationTime(double(marked - cycle->time) / 1e9);
    }
}
BENCHMARK(BM_DeadlockDetectionDelay)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

} // namespace

BENCHMARK_MAIN();
