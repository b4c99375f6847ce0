// SPDX-License-Identifier: MIT
// Ingest of ~5 M synthetic events into the TraceModel: events/s (budget >= 5 M/s) and bytes per
// event once loaded (budget <= 48, the 32-byte events included).
#include "synthetic.h"
#include "trace/tracemodel.h"

#include <benchmark/benchmark.h>

#include <malloc.h>

using namespace interleave::core;
using interleave::bench::syntheticTrace;

namespace {

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
