// SPDX-License-Identifier: MIT
// Budget (DESIGN.md): a traced (preloaded) program's intercepted call costs no more than the
// instrumented mutex. This program runs itself again under libinterleave-preload.so, recording
// into a log that this first process drains (as the runner does), and measures an uncontended
// pthread_mutex_lock + unlock there, in a multi-threaded process. Compare with bench_lock's
// BM_MutexRecordingOn.
#include "trace/eventlog.h"
#include "trace/tracedata.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

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

/// Runs this program again under the recorder and drains its log until it ends.
int runPreloaded(char **argv)
{
    std::unique_ptr<EventLog> log = EventLog::create(size_t(256) << 20);
    if (!log)
        return 1;
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
