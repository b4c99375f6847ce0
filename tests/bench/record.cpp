// SPDX-License-Identifier: MIT
// Cost of recording one event, beside its baselines (the cycle counter, clock_gettime), and
// sustained throughput of several writers with a draining reader.
#include "trace/clock.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracedata.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

using namespace interleave::core;

namespace {

// A log plus a reader thread that drains it continuously and throws the events away (keeping
// threads and strings), as the window's reader would hand them on.
class DrainedLog
{
public:
    explicit DrainedLog(size_t bytes)
    {
        std::string error;
        m_log = EventLog::create(bytes, &error);
        if (!m_log) {
            fprintf(stderr, "%s\n", error.c_str());
            abort();
        }
        m_reader = std::thread([this] {
            TraceData data;
            while (!m_stop.load(std::memory_order_relaxed)) {
                m_log->drain(data);
                m_read.fetch_add(data.events.size(), std::memory_order_relaxed);
                // Sleep only when there was nothing: on 2 shared cores a reader that naps while
                // data waits falls behind a writer recording at full speed.
                if (data.events.empty())
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                data.events.clear();
            }
            m_log->drain(data);
            m_read.fetch_add(data.events.size(), std::memory_order_relaxed);
        });
        recorder::attach(m_log.get());
    }
    ~DrainedLog()
    {
        recorder::detach();
        m_stop = true;
        m_reader.join();
    }
    EventLog &log() { return *m_log; }
    uint64_t read() const { return m_read.load(); }

private:
    std::unique_ptr<EventLog> m_log;
    std::atomic<bool> m_stop{false};
    std::atomic<uint64_t> m_read{0};
    std::thread m_reader;
};

void BM_Rdtsc(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(clock::readTicks(ClockCalibration::Tsc));
}
BENCHMARK(BM_Rdtsc);

// The baseline of a load-like event: the counter read ordered after the acquire before it.
void BM_RdtscOrdered(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(clock::readTicksOrdered(ClockCalibration::Tsc));
}
BENCHMARK(BM_RdtscOrdered);

// The loop of BM_RecordOff without the record call: what "off" adds is the difference.
void BM_EmptyLoop(benchmark::State &state)
{
    int64_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(++i);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_EmptyLoop);

void BM_ClockGettime(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(clock::monotonicNs());
}
BENCHMARK(BM_ClockGettime);

// Arg 0: a store-like event (plain rdtsc); arg 1: a load-like event, whose timestamp is fenced
// so it cannot float above the acquire before it (clock::readTicksOrdered).
void BM_RecordOn(benchmark::State &state)
{
    const EventType type = state.range(0) == 0 ? EventType::VarStore : EventType::VarLoad;
    state.SetLabel(state.range(0) == 0 ? "store-like" : "load-like (fenced)");
    DrainedLog drained(256u << 20);
    const uint64_t dropped0 = drained.log().droppedEvents();
    const uint64_t capacity = uint64_t(drained.log().chunkCount()) * drained.log().slotsPerChunk();
    const uint64_t read0 = drained.read();
    int64_t i = 0;
    for (auto _ : state) {
        recorder::record(type, 1, ++i);
        // A single writer outruns a reader that shares 2 cores with it; rather than measure the
        // (cheaper) drop path, wait untimed for the reader when the log is half full.
        if ((i & 0xffff) == 0 && uint64_t(i) > drained.read() - read0 + capacity / 2) {
            state.PauseTiming();
            while (uint64_t(i) > drained.read() - read0 + capacity / 4)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            state.ResumeTiming();
        }
    }
    recorder::closeThread();
    state.counters["dropped"] = double(drained.log().droppedEvents() - dropped0);
}
BENCHMARK(BM_RecordOn)->Arg(0)->Arg(1);

void BM_RecordOff(benchmark::State &state)
{
    int64_t i = 0;
    for (auto _ : state) {
        recorder::record(EventType::VarStore, 1, ++i);
        benchmark::ClobberMemory(); // keep the loop (and the g_on check) from being hoisted away
    }
}
BENCHMARK(BM_RecordOff);

// Several writers for 3 s of wall time while the reader drains. range(0) = total target rate in
// events/s (the budget: >= 10 M/s with zero drops), 0 = as fast as they can (with more writers
// than cores the reader cannot get enough CPU to keep up, so drops are expected there).
DrainedLog *g_flood = nullptr;
std::atomic<uint64_t> g_floodEvents{0};
std::atomic<int> g_floodDone{0};
std::chrono::steady_clock::time_point g_floodStart;

void BM_Flood(benchmark::State &state)
{
    using namespace std::chrono;
    if (state.thread_index() == 0) {
        g_flood = new DrainedLog(256u << 20);
        g_floodEvents = 0;
        g_floodDone = 0;
    }
    const double perThread = double(state.range(0)) / state.threads();
    uint64_t mine = 0;
    for (auto _ : state) {
        const auto start = steady_clock::now();
        if (state.thread_index() == 0)
            g_floodStart = start;
        const auto end = start + seconds(3);
        for (auto now = start; now < end; now = steady_clock::now()) {
            for (int k = 0; k < 1024; ++k)
                recorder::record(EventType::VarStore, 1, int64_t(++mine));
            if (perThread > 0) {
                const auto due = start + duration_cast<steady_clock::duration>(duration<double>(mine / perThread));
                if (due > steady_clock::now())
                    std::this_thread::sleep_until(due);
            }
        }
        recorder::closeThread();
    }
    g_floodEvents.fetch_add(mine);
    g_floodDone.fetch_add(1);
    if (state.thread_index() == 0) {
        const double secondsTaken = duration<double>(steady_clock::now() - g_floodStart).count();
        while (g_floodDone.load() < state.threads())
            std::this_thread::sleep_for(1ms);
        const uint64_t written = g_floodEvents.load();
        const uint64_t dropped = g_flood->log().droppedEvents();
        delete g_flood; // drains the rest
        g_flood = nullptr;
        state.counters["events_per_s"] = double(written - dropped) / secondsTaken;
        state.counters["dropped"] = double(dropped);
    }
}
BENCHMARK(BM_Flood)->Arg(12'000'000)->Threads(2)->Threads(4)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Flood)->Name("BM_FloodUnpaced")->Arg(0)->Threads(2)->Threads(4)->Iterations(1)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
