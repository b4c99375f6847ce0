// SPDX-License-Identifier: MIT
// Budget (DESIGN.md): a traced (preloaded) program's intercepted call costs no more than the
// instrumented mutex. This program runs itself again under libinterleave-preload.so, recording
// into a log that this first process drains (as the runner does), and measures an uncontended
// pthread_mutex_lock + unlock there, in a multi-threaded process. Compare with bench_lock's
// BM_MutexRecordingOn.
#include "trace/eventlog.h"
#include "trace/tracedata.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace interleave::core;

namespace {

void BM_PreloadedMutexRecordingOn(benchmark::State &state)
{
    // Keeps the process multi-threaded (glibc's single-thread path is cheaper).
    std::mutex sleepMutex;
    std::condition_variable cv;
    bool stop = false;
    std::thread other([&] {
        std::unique_lock lock(sleepMutex);
        cv.wait(lock, [&] { return stop; });
    });
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    for (auto _ : state) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    {
        std::lock_guard lock(sleepMutex);
        stop = true;
    }
    cv.notify_all();
    other.join();
}
BENCHMARK(BM_PreloadedMutexRecordingOn);

/// A condvar-heavy program's core: two threads hand a token back and forth `rounds` times, each
/// hand-off a pthread mutex + condition variable wait and signal. Wall ns.
int64_t condvarPingPong(int rounds)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t turnChanged = PTHREAD_COND_INITIALIZER;
    int turn = 0;
    auto player = [&](int me) {
        for (int i = 0; i < rounds; ++i) {
            pthread_mutex_lock(&m);
            while (turn != me)
                pthread_cond_wait(&turnChanged, &m);
            turn = 1 - me;
            pthread_cond_signal(&turnChanged);
            pthread_mutex_unlock(&m);
        }
    };
    const auto begin = std::chrono::steady_clock::now();
    std::thread other(player, 1);
    player(0);
    other.join();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - begin).count();
}

constexpr int kPingPongRounds = 20000;
constexpr char kUntracedEnv[] = "INTERLEAVE_BENCH_UNTRACED_NS";

/// Budget: a condvar-heavy C program runs at most 3x its untraced wall time when traced. The
/// untraced time is the first (untraced) process's median, passed in the environment.
void BM_TracedCondvarSlowdown(benchmark::State &state)
{
    const char *untraced = getenv(kUntracedEnv);
    const double untracedNs = untraced ? std::atof(untraced) : 0;
    int64_t traced = 0;
    for (auto _ : state)
        traced = condvarPingPong(kPingPongRounds);
    state.counters["traced_ms"] = double(traced) / 1e6;
    state.counters["untraced_ms"] = untracedNs / 1e6;
    state.counters["slowdown"] = untracedNs > 0 ? double(traced) / untracedNs : 0;
}
BENCHMARK(BM_TracedCondvarSlowdown)->Iterations(1)->Unit(benchmark::kMillisecond);

/// Runs this program again under the recorder and drains its log until it ends.
int runPreloaded(char **argv)
{
    std::unique_ptr<EventLog> log = EventLog::create(size_t(256) << 20);
    if (!log)
        return 1;
    // The same condvar program untraced first: the median of five runs.
    std::vector<int64_t> untraced;
    for (int i = 0; i < 5; ++i)
        untraced.push_back(condvarPingPong(kPingPongRounds));
    std::sort(untraced.begin(), untraced.end());
    setenv(kUntracedEnv, std::to_string(untraced[2]).c_str(), 1);
    const int fd = fcntl(log->fd(), F_DUPFD, 10); // inherited, as the runner passes it
    setenv("LD_PRELOAD", INTERLEAVE_PRELOAD_LIBRARY, 1);
    setenv(EventLog::kEnvFd, std::to_string(fd).c_str(), 1);
    setenv("INTERLEAVE_ROOT_PID", std::to_string(getpid()).c_str(), 1);
    const pid_t child = fork();
    if (child == 0) {
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(fd);
    unsetenv("LD_PRELOAD");
    TraceData data;
    int status = 0;
    while (waitpid(child, &status, WNOHANG) == 0) {
        log->drain(data);
        data.events.clear(); // only the draining matters here
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    log->finish(data);
    if (log->droppedEvents() != 0)
        std::fprintf(stderr, "bench_preload: %llu events dropped\n",
                     static_cast<unsigned long long>(log->droppedEvents()));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (!getenv(EventLog::kEnvFd))
        return runPreloaded(argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
