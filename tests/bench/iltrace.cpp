// SPDX-License-Identifier: MIT
// Saving and opening traces: .iltrace save / load of 5 M events (budget: open ≥ 5 M events/s),
// load of 1 M compressed events beside the same events plain, the CRC-32 under it, and the
// Chrome JSON export and import of a recorded-looking run.
#include "io/iltrace.h"
#include "io/chromejson.h"
#include "trace/tracemodel.h"

#include <benchmark/benchmark.h>

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>

#include <unistd.h>

#include <cstdio>
#include <random>
#include <vector>

using namespace interleave::core;

namespace {

constexpr size_t kEvents = 5'000'000;

/// Lock traffic of 8 threads in 2 processes: wait, obtain, release, with a few names.
TraceData syntheticRun(size_t events)
{
    TraceData data;
    for (int t = 0; t < 8; ++t)
        data.threadIndex(1000 + t / 4, 1000 + t);
    data.setString(1, "lock A");
    data.setString(2, "worker");
    data.events.reserve(events);
    for (uint32_t t = 0; t < 8; ++t) {
        Event e{};
        e.time = 1'000 + t;
        e.thread = t;
        e.type = EventType::ThreadName;
        e.object = 2;
        data.events.push_back(e);
    }
    Event lock{};
    lock.type = EventType::ObjectNew;
    lock.object = 7;
    lock.arg = 1;
    lock.flags = uint8_t(ObjectKind::Mutex);
    data.events.push_back(lock);
    static constexpr EventType cycle[] = {EventType::LockWait, EventType::LockObtain, EventType::LockRelease};
    int64_t time = 10'000;
    for (size_t i = data.events.size(); i < events; ++i) {
        Event e{};
        const size_t step = i / 8;
        e.thread = uint32_t(i % 8);
        e.type = cycle[step % 3];
        e.object = 7 + uint32_t(e.thread % 2); // two locks, so holds of different threads overlap
        e.time = time;
        e.cpu = uint16_t(e.thread % 2);
        time += 13;
        data.events.push_back(e);
    }
    return data;
}

const TraceData &sharedRun()
{
    static const TraceData data = syntheticRun(kEvents);
    return data;
}

QString tracePath()
{
    static QTemporaryDir dir;
    static const QString path = [] {
        const QString p = dir.filePath(QStringLiteral("bench.iltrace"));
        QString error;
        if (!saveIltrace(sharedRun(), p, &error)) {
            fprintf(stderr, "%s\n", qPrintable(error));
            abort();
        }
        return p;
    }();
    return path;
}

void BM_IltraceSave(benchmark::State &state)
{
    const TraceData &data = sharedRun();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("save.iltrace"));
    for (auto _ : state) {
        QString error;
        if (!saveIltrace(data, path, &error))
            state.SkipWithError(qPrintable(error));
    }
    state.SetItemsProcessed(int64_t(state.iterations() * data.events.size()));
    state.SetBytesProcessed(int64_t(state.iterations() * QFile(path).size()));
}
BENCHMARK(BM_IltraceSave)->Unit(benchmark::kMillisecond)->Iterations(3)->Repetitions(5)->ReportAggregatesOnly(true);

// Opening a saved file (page cache warm): map, check every chunk's CRC, copy, validate.
void BM_IltraceLoad(benchmark::State &state)
{
    const QString path = tracePath();
    size_t events = 0;
    for (auto _ : state) {
        LoadResult r = loadIltrace(path);
        if (!r.ok)
            state.SkipWithError(qPrintable(r.error));
        events = r.data.events.size();
        benchmark::DoNotOptimize(r.data.events.data());
    }
    state.SetItemsProcessed(int64_t(state.iterations() * events));
    state.SetBytesProcessed(int64_t(state.iterations() * QFile(path).size()));
}
BENCHMARK(BM_IltraceLoad)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// Opening a saved trace as the window does: load the file, then build the model from it.
void BM_OpenTrace(benchmark::State &state)
{
    const QString path = tracePath();
    size_t events = 0;
    for (auto _ : state) {
        LoadResult r = loadIltrace(path);
        if (!r.ok)
            state.SkipWithError(qPrintable(r.error));
        events = r.data.events.size();
        TraceModel model(std::move(r.data));
        model.squeeze();
        benchmark::DoNotOptimize(model.threadCount());
    }
    state.SetItemsProcessed(int64_t(state.iterations() * events));
}
BENCHMARK(BM_OpenTrace)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Baseline of opening: reading the same file's bytes into memory, nothing else (events/s of its size).
void BM_ReadFile(benchmark::State &state)
{
    const QString path = tracePath();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        state.SkipWithError("cannot open the trace");
        return;
    }
    std::vector<char> buffer(size_t(file.size()));
    for (auto _ : state) {
        size_t done = 0;
        while (done < buffer.size()) {
            const ssize_t n = ::pread(file.handle(), buffer.data() + done, buffer.size() - done, off_t(done));
            if (n <= 0)
                break;
            done += size_t(n);
        }
        benchmark::DoNotOptimize(buffer.data());
    }
    state.SetItemsProcessed(int64_t(state.iterations() * kEvents));
    state.SetBytesProcessed(int64_t(state.iterations() * buffer.size()));
}
BENCHMARK(BM_ReadFile)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

/// A race run's traffic: two threads loading and storing a shared balance at irregular times,
/// as `interleave run race` records it (what the compressed format is measured on).
TraceData raceLikeRun(size_t events)
{
    TraceData data;
    data.threadIndex(4242, 4242);
    data.threadIndex(4242, 4243);
    data.threadIndex(4242, 4244);
    data.setString(1, "balance");
    data.setString(2, "race.cpp:31");
    data.events.reserve(events);
    std::mt19937 random(1);
    int64_t time = 1'000'000'000;
    int64_t balance = 0;
    for (size_t i = 0; i < events; ++i) {
        Event e{};
        time += 20 + int64_t(random() % 60);
        e.time = time;
        e.thread = 1 + uint32_t(i / 2 % 2);
        e.type = i % 2 ? EventType::VarStore : EventType::VarLoad;
        e.object = 1;
        e.loc = 2;
        e.cpu = uint16_t(random() % 2);
        balance += i % 2 ? (e.thread == 1 ? 5 : -8) : 0;
        e.arg = balance;
        data.events.push_back(e);
    }
    return data;
}

// Loading a 1 M-event .iltrace from a file (page cache warm): arg 1 the compressed format
// (version 2, zstd), arg 0 the plain one (version 1), the machine's baseline for the same events.
void BM_IltraceLoad1M(benchmark::State &state)
{
    const auto storage = state.range(0) ? iltrace::EventStorage::Compressed : iltrace::EventStorage::Plain;
    const TraceData data = raceLikeRun(1'000'000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("race.iltrace"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || !writeIltrace(data, out, storage)) {
        state.SkipWithError("cannot write the trace");
        return;
    }
    out.close();
    size_t events = 0;
    for (auto _ : state) {
        LoadResult r = loadIltrace(path);
        if (!r.ok)
            state.SkipWithError(qPrintable(r.error));
        events = r.data.events.size();
        benchmark::DoNotOptimize(r.data.events.data());
    }
    state.SetItemsProcessed(int64_t(state.iterations() * events));
    state.counters["file_bytes"] = double(QFile(path).size());
    state.counters["event_bytes"] = double(data.events.size() * sizeof(Event));
}
BENCHMARK(BM_IltraceLoad1M)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

void BM_IltraceLoadFromMemory(benchmark::State &state)
{
    const QByteArray bytes = iltraceBytes(sharedRun());
    for (auto _ : state) {
        LoadResult r = loadIltrace(bytes, QStringLiteral("memory"));
        benchmark::DoNotOptimize(r.data.events.data());
    }
    state.SetItemsProcessed(int64_t(state.iterations() * kEvents));
    state.SetBytesProcessed(int64_t(state.iterations() * bytes.size()));
}
BENCHMARK(BM_IltraceLoadFromMemory)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_Crc32(benchmark::State &state)
{
    const QByteArray bytes(1 << 24, 'x');
    for (auto _ : state)
        benchmark::DoNotOptimize(iltrace::crc32(bytes.constData(), size_t(bytes.size())));
    state.SetBytesProcessed(int64_t(state.iterations() * bytes.size()));
}
BENCHMARK(BM_Crc32)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

// Chrome JSON export of 1 M events to memory: states, lock spans, metadata.
void BM_ChromeExport(benchmark::State &state)
{
    const TraceModel model(syntheticRun(1'000'000));
    QByteArray bytes;
    for (auto _ : state) {
        bytes.clear();
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QString error;
        if (!exportChromeJson(model, buffer, &error))
            state.SkipWithError(qPrintable(error));
    }
    state.SetItemsProcessed(int64_t(state.iterations() * model.data().events.size()));
    state.SetBytesProcessed(int64_t(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ChromeExport)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);

/// Imports `bytes` once per iteration; what the last import read.
TraceData importEach(benchmark::State &state, const QByteArray &bytes)
{
    TraceData last;
    for (auto _ : state) {
        LoadResult r = importChromeJson(bytes, QStringLiteral("bench.json"));
        if (!r.ok)
            state.SkipWithError(qPrintable(r.error));
        last = std::move(r.data);
    }
    return last;
}

// Chrome JSON import (streamed through RapidJSON's reader) of the export of a 200 k-event run.
void BM_ChromeImport(benchmark::State &state)
{
    QByteArray bytes;
    {
        const TraceModel model(syntheticRun(200'000));
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QString error;
        exportChromeJson(model, buffer, &error);
    }
    state.counters["imported_events"] = double(importEach(state, bytes).events.size());
    state.SetBytesProcessed(int64_t(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ChromeImport)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);

// Chrome JSON of 300 k complete events, on as many threads (arg 1) or on one (arg 0, the
// machine's baseline for the same bytes). Adding a thread searched the thread list, and listing a
// process' threads searched them again: 300 k threads took 20 s. Now a thread costs what an
// event does.
void BM_ChromeImportThreads(benchmark::State &state)
{
    const bool manyThreads = state.range(0) != 0;
    constexpr int kEvents = 300'000;
    QByteArray bytes = "{\"traceEvents\":[";
    for (int i = 0; i < kEvents; ++i) {
        if (i)
            bytes += ',';
        bytes += "{\"ph\":\"X\",\"name\":\"w\",\"pid\":1,\"tid\":" + QByteArray::number(manyThreads ? i + 1 : 1) +
                 ",\"ts\":" + QByteArray::number(i) + ",\"dur\":1}";
    }
    bytes += "]}";
    state.counters["threads"] = double(importEach(state, bytes).threads.size());
}
BENCHMARK(BM_ChromeImportThreads)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

} // namespace

BENCHMARK_MAIN();
