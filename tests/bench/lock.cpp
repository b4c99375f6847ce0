// SPDX-License-Identifier: MIT
// Budget (DESIGN.md): instrumented uncontended lock + unlock <= 4x a plain std::mutex, both
// measured in the same multi-threaded process (glibc takes a cheaper path while a process has
// a single thread, so a sleeping thread is started first).
#include "instrument/mutex.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracedata.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

using namespace interleave::core;

namespace {

/// Keeps the process multi-threaded for the whole run.
struct SleepingThread
{
    std::mutex mutex;
    std::condition_variable cv;
    bool stop = false;
    std::thread thread{[this] {
        std::unique_lock lock(mutex);
        cv.wait(lock, [this] { return stop; });
    }};
    ~SleepingThread()
    {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        cv.notify_all();
        thread.join();
    }
};

/// An attached log with a reader thread draining it, as during a real run.
struct DrainedLog
{
    std::unique_ptr<EventLog> log = EventLog::create(size_t(256) << 20);
    TraceData data;
    std::atomic<bool> stop{false};
    std::thread reader;

    DrainedLog()
    {
        recorder::attach(log.get());
        reader = std::thread([this] {
            while (!stop.load()) {
                log->drain(data);
                data.events.clear(); // only the draining matters here, not keeping the events
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
    }
    ~DrainedLog()
    {
        recorder::detach();
        stop = true;
        reader.join();
        log->finish(data);
    }
};

void BM_PlainMutex(benchmark::State &state)
{
    SleepingThread other;
    std::mutex m;
    for (auto _ : state) {
        m.lock();
        m.unlock();
    }
}
BENCHMARK(BM_PlainMutex);

void BM_MutexRecordingOff(benchmark::State &state)
{
    SleepingThread other;
    Mutex m("bench");
    for (auto _ : state) {
        m.lock();
        m.unlock();
    }
}
BENCHMARK(BM_MutexRecordingOff);

void BM_MutexRecordingOn(benchmark::State &state)
{
    SleepingThread other;
    DrainedLog log;
    Mutex m("bench");
    for (auto _ : state) {
        m.lock();
        m.unlock();
    }
    state.counters["dropped"] = double(log.log->droppedEvents());
}
BENCHMARK(BM_MutexRecordingOn);

} // namespace

BENCHMARK_MAIN();
