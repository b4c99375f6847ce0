// SPDX-License-Identifier: MIT
// Ingest of ~5 M synthetic events into the TraceModel: events/s (budget >= 5 M/s) and bytes per
// event once loaded (budget <= 48, the 32-byte events included).
#include "trace/tracemodel.h"

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <algorithm>
#include <random>

using namespace interleave::core;

namespace {

constexpr size_t kTarget = 5'000'000;
constexpr int kThreads = 8;

/// 8 worker threads doing lock wait/obtain/release and sleeps, a sampler sampling each every ~1 ms.
const TraceData &syntheticTrace()
{
    static const TraceData data = [] {
        TraceData d;
        std::mt19937 rng(1);
        for (int i = 0; i < kThreads; ++i)
            d.threadIndex(100, 101 + i);
        const uint32_t sampler = d.threadIndex(100, 200);
        d.events.reserve(kTarget + 64);
        std::vector<int64_t> clock(kThreads, 0);
        int64_t nextSample = 0;
        while (d.events.size() < kTarget) {
            const int th = int(rng() % kThreads);
            int64_t &t = clock[size_t(th)];
            auto push = [&](EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0) {
                t += 200 + rng() % 2000;
                Event e{};
                e.time = t;
                e.thread = uint32_t(th);
                e.type = type;
                e.object = object;
                e.arg = arg;
                e.flags = flags;
                e.cpu = uint16_t(th % 2);
                d.events.push_back(e);
            };
            const uint32_t lock = 1 + rng() % 4;
            if (rng() % 3 != 0) {
                push(EventType::LockWait, lock);
                push(EventType::LockObtain, lock);
                push(EventType::LockRelease, lock);
            } else {
                push(EventType::SleepBegin, 0, 1000);
                push(EventType::SleepEnd);
            }
            // The sampler follows the slowest clock: one sample per thread per ~20 us of trace time.
            const int64_t now = *std::min_element(clock.begin(), clock.end());
            while (nextSample < now) {
                nextSample += 20'000;
                for (int s = 0; s < kThreads; ++s) {
                    Event e{};
                    e.time = nextSample;
                    e.thread = sampler;
                    e.type = EventType::Sample;
                    e.object = uint32_t(101 + s);
                    e.arg = SampleArg::pack('R', rng() % 3 == 0 ? rng() % 5000 : 0);
                    e.cpu = uint16_t(rng() % 2);
                    d.events.push_back(e);
                }
            }
        }
        d.events.shrink_to_fit();
        return d;
    }();
    return data;
}

size_t heapInUse()
{
    return mallinfo2().uordblks;
}

/// `chunk` 0: one update() over the whole trace (a file being opened); else update() after each
/// `chunk` events appended, as the session does while a run goes on. `withCopy`: the appending
/// (the reader's copy out of the log) is timed too; else only the model's own work is.
void ingest(benchmark::State &state, size_t chunk, bool squeeze, bool withCopy = false)
{
    const TraceData &src = syntheticTrace();
    const size_t n = src.events.size();
    double derived = 0, heap = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto model = std::make_unique<TraceModel>();
        model->data().threads = src.threads;
        if (chunk == 0)
            model->data().events = src.events;
        else
            model->data().events.reserve(n);
        const size_t before = heapInUse();
        state.ResumeTiming();
        if (chunk == 0) {
            model->update();
        } else {
            // Live: the reader appends a chunk, the session calls update().
            auto &events = model->data().events;
            for (size_t i = 0; i < n; i += chunk) {
                if (!withCopy)
                    state.PauseTiming();
                events.insert(events.end(), src.events.begin() + ptrdiff_t(i),
                              src.events.begin() + ptrdiff_t(std::min(n, i + chunk)));
                if (!withCopy)
                    state.ResumeTiming();
                model->update();
            }
        }
        state.PauseTiming();
        if (squeeze)
            model->squeeze();
        derived = double(model->derivedBytes());
        heap = double(heapInUse() - before);
        model.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(int64_t(state.iterations() * n));
    state.counters["events"] = double(n);
    // Events (32 B each, stored once) plus everything the model derived.
    state.counters["bytes_per_event"] = double(sizeof(Event)) + derived / double(n);
    state.counters["heap_bytes_per_event"] = double(sizeof(Event)) + heap / double(n);
}

} // namespace

BENCHMARK_CAPTURE(ingest, loaded_squeezed, size_t(0), true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(ingest, loaded, size_t(0), false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(ingest, live_chunks_64k, size_t(65536), false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(ingest, live_chunks_64k_with_copy, size_t(65536), false, true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
