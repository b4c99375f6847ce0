// SPDX-License-Identifier: MIT
// Budget (DESIGN.md): a scenario's own work runs within 2 % (median) of the same work unrecorded.
// The work is the cpu-vs-io lesson's compute-bound phase: a ThreadPool with one worker per core
// running tasks of pure computation. Recorded, everything a run adds is there in this process:
// the log attached (the pool records submit / start / end and its queue), the /proc sampler
// every 2 ms as the runner starts it, and a reader draining the log into a TraceModel every
// 20 ms as Session::wait does. Unrecorded, none of it exists and the pool's recording calls are
// the one branch they cost when off. Runs alternate (off, on, on, off, ...) in one process so
// that whatever else the machine does falls on both alike; each side's median is compared.
#include "instrument/sampler.h"
#include "instrument/sharedvar.h"
#include "instrument/threadpool.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracemodel.h"

#include <benchmark/benchmark.h>

#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using namespace interleave::core;
using Clock = std::chrono::steady_clock;

namespace {

std::atomic<uint64_t> g_sink{0};

/// cpu-vs-io's compute(): a xorshift walk, no memory traffic, no system calls.
void compute(uint64_t steps)
{
    uint64_t x = 88172645463325252ull + steps;
    for (uint64_t i = 0; i < steps; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    g_sink.fetch_add(x, std::memory_order_relaxed);
}

int usableCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) == 0 ? std::max(1, CPU_COUNT(&set)) : 2;
}

/// Steps of compute() that take about `ms` of one core (best of three probes).
uint64_t stepsFor(double ms)
{
    constexpr uint64_t probe = 2'000'000;
    double best = 1e18;
    for (int i = 0; i < 3; ++i) {
        const auto t0 = Clock::now();
        compute(probe);
        best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    return std::max<uint64_t>(1, uint64_t(double(probe) * ms / best));
}

/// What a run adds around the scenario's code, in this process.
class Recording
{
public:
    /// `samplerMs`: the /proc sampler's interval (0: no sampler).
    explicit Recording(int samplerMs)
    {
        std::string error;
        m_log = EventLog::create(size_t(64) << 20, &error); // the runner's default log size
        if (!m_log) {
            std::fprintf(stderr, "%s\n", error.c_str());
            std::abort();
        }
        recorder::attach(m_log.get());
        if (samplerMs > 0) {
            m_sampler = std::make_unique<Sampler>(Sampler::Options{
                .interval = std::chrono::milliseconds(samplerMs), .pids = {}, .root = getpid(), .log = m_log.get()});
            m_sampler->start();
        }
        m_reader = std::thread([this] {
            while (!m_stop.load()) {
                m_log->drain(m_model.data());
                m_model.update();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }
    ~Recording()
    {
        if (m_sampler)
            m_sampler->stop();
        recorder::detach();
        m_stop = true;
        m_reader.join();
        m_log->finish(m_model.data());
        m_model.update();
    }
    uint64_t dropped() const { return m_log->droppedEvents(); }

private:
    std::unique_ptr<EventLog> m_log;
    TraceModel m_model;
    std::unique_ptr<Sampler> m_sampler;
    std::atomic<bool> m_stop{false};
    std::thread m_reader;
};

/// CPU time of the whole process (the workers, and when recording the sampler and the reader too).
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// Runs `work` unrecorded and recorded in alternating order, one pair per iteration; reports the
/// recorded time as the iteration time and both medians with their ratio as counters, in wall
/// time (the budget) and in the process' CPU time (what recording costs, whatever else runs on
/// the machine: on a busy shared machine wall times scatter far more than 2 %).
template<class Work> void pairs(benchmark::State &state, int samplerMs, Work work)
{
    std::vector<double> off, on, offCpu, onCpu;
    uint64_t dropped = 0;
    int k = 0;
    for (auto _ : state) {
        double onSeconds = 0;
        for (int half = 0; half < 2; ++half) {
            const bool recorded = (half == 0) == (k % 2 == 1); // off-on, on-off, off-on, ...
            std::unique_ptr<Recording> recording;
            if (recorded)
                recording = std::make_unique<Recording>(samplerMs);
            const double cpu0 = processCpuMs();
            const auto t0 = Clock::now();
            work();
            const double s = std::chrono::duration<double>(Clock::now() - t0).count();
            (recorded ? onCpu : offCpu).push_back(processCpuMs() - cpu0);
            if (recording) {
                dropped += recording->dropped();
                recording.reset(); // drains the rest, outside the timed part
                onSeconds = s;
                on.push_back(s * 1e3);
            } else {
                off.push_back(s * 1e3);
            }
        }
        state.SetIterationTime(onSeconds);
        ++k;
    }
    state.counters["off_ms"] = median(off);
    state.counters["on_ms"] = median(on);
    state.counters["overhead_pct"] = (median(on) / median(off) - 1.0) * 100.0;
    state.counters["off_cpu_ms"] = median(offCpu);
    state.counters["on_cpu_ms"] = median(onCpu);
    state.counters["cpu_overhead_pct"] = (median(onCpu) / median(offCpu) - 1.0) * 100.0;
    state.counters["dropped"] = double(dropped);
}

// The budget's case: one worker per core, 4 tasks per worker of ~10 ms each. The argument is the
// sampler's interval in ms: 2 as the runner starts it (core/run/runner.cpp; the budget's figure),
// 4 to show what a slower sampler would cost, 0 without a sampler to show its share.
void BM_ScenarioWork(benchmark::State &state)
{
    const int workers = usableCores();
    const int tasks = 4 * workers;
    const uint64_t steps = stepsFor(10.0);
    state.SetLabel(std::to_string(workers) + " workers x " + std::to_string(tasks) + " compute tasks of ~10 ms, " +
                   (state.range(0) ? "sampler every " + std::to_string(state.range(0)) + " ms" : "no sampler"));
    pairs(state, int(state.range(0)), [&] {
        ThreadPool pool(workers, "bench");
        for (int i = 0; i < tasks; ++i)
            pool.submit([steps] { compute(steps); });
        pool.close();
        pool.join();
    });
}
BENCHMARK(BM_ScenarioWork)->Arg(2)->Arg(4)->Arg(0)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

// Context: what the /proc sampler alone costs, at the runner's 2 ms interval, watching this process
// with three threads that sleep (as the work's main thread and two workers would between tasks).
void BM_SamplerCost(benchmark::State &state)
{
    std::string error;
    auto log = EventLog::create(size_t(64) << 20, &error);
    std::atomic<bool> stop{false};
    std::vector<std::thread> idle;
    for (int i = 0; i < 2; ++i)
        idle.emplace_back([&] {
            while (!stop.load())
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        });
    double cpuMs = 0, wallMs = 0;
    uint64_t samples = 0;
    for (auto _ : state) {
        Sampler sampler({.interval = std::chrono::milliseconds(2), .pids = {}, .root = getpid(), .log = log.get()});
        sampler.start();
        const double cpu0 = processCpuMs();
        const auto t0 = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(1));
        cpuMs += processCpuMs() - cpu0;
        wallMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        sampler.stop();
        samples += sampler.samples();
        TraceData drained;
        log->drain(drained); // keep chunks free for the next iteration
    }
    stop = true;
    for (auto &t : idle)
        t.join();
    state.counters["cpu_pct_of_a_core"] = cpuMs / wallMs * 100.0;
    state.counters["samples_per_s"] = double(samples) / (wallMs / 1e3);
}
BENCHMARK(BM_SamplerCost)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// Context, not the budget: the race lesson's loop, where every step of the work is itself a
// recorded load and store (balance = balance + n), so recording is most of what it does.
void BM_RaceLoopWork(benchmark::State &state)
{
    constexpr int kIterations = 200'000;
    pairs(state, 2, [&] {
        SharedVar balance("balance");
        auto changeIt = [&](int64_t n) {
            for (int i = 0; i < kIterations; ++i) {
                balance.add(n);
                balance.add(-n);
            }
        };
        std::thread a(changeIt, 5);
        std::thread b(changeIt, 8);
        a.join();
        b.join();
        benchmark::DoNotOptimize(balance.peek());
    });
}
BENCHMARK(BM_RaceLoopWork)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(6);

} // namespace

BENCHMARK_MAIN();
