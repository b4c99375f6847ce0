// SPDX-License-Identifier: MIT
// The timeline's budgets: one frame <= 16 ms at any zoom for 10 M state intervals over 64 lanes,
// and hit-testing a point <= 1 us. The trace is built once, straight through TraceData events.
#include "trace/tracemodel.h"
#include "ui/timeline/timelineview.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

using namespace interleave;
using core::EventType;

namespace {

constexpr int kLanes = 64;
constexpr int64_t kIntervals = 10'000'000;
const QSize kFrame(1600, 900);

struct Fixture
{
    core::TraceModel model;
    std::unique_ptr<ui::TimelineView> view;
    double modelSeconds = 0;
    double summarySeconds = 0;
};

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

/// 64 threads in 8 processes; every event changes its thread's state (running, sleeping, blocked
/// in IO, in a join, on a condition), so events = state intervals.
std::unique_ptr<Fixture> build()
{
    auto f = std::make_unique<Fixture>();
    core::TraceData &d = f->model.data();
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int64_t> gap(200, 1800); // ns: ~1 ms per 1000 intervals
    const int64_t perLane = kIntervals / kLanes;
    d.events.reserve(size_t(kIntervals + kLanes * 4));
    const uint32_t io = d.addString("socket");
    const EventType enter[] = {EventType::SleepBegin, EventType::IoWaitBegin, EventType::JoinWait, EventType::CondWait};
    const EventType leave[] = {EventType::SleepEnd, EventType::IoWaitEnd, EventType::JoinDone, EventType::CondWake};
    const int64_t base = 1'000'000'000'000;
    for (int lane = 0; lane < kLanes; ++lane) {
        const int32_t pid = 1000 + lane / 8;
        const uint32_t th = d.threadIndex(pid, pid + lane % 8);
        const uint32_t name = d.addString("worker-" + std::to_string(lane));
        int64_t t = base + lane * 1000;
        core::Event e{};
        e.thread = th;
        e.time = t;
        e.type = lane % 8 == 0 ? EventType::ProcessStart : EventType::ThreadStart;
        e.object = lane % 8 == 0 ? d.addString("proc-" + std::to_string(lane / 8)) : 0;
        e.arg = lane % 8 == 0 ? 1 : pid;
        d.events.push_back(e);
        e.type = EventType::ThreadName;
        e.object = name;
        e.arg = 0;
        d.events.push_back(e);
        for (int64_t i = 0; i < perLane; ++i) {
            t += gap(rng);
            e.time = t;
            if (i % 2 == 0) {
                const size_t k = size_t(rng() % 4);
                e.type = enter[k];
                e.object = e.type == EventType::IoWaitBegin ? io : e.type == EventType::JoinWait ? 7 : 0;
            } else {
                e.type = leave[size_t(rng() % 4)];
                e.object = 0;
            }
            d.events.push_back(e);
        }
    }
    auto t0 = std::chrono::steady_clock::now();
    f->model.update();
    f->model.squeeze();
    f->modelSeconds = seconds(t0);

    f->view = std::make_unique<ui::TimelineView>();
    f->view->resize(kFrame);
    t0 = std::chrono::steady_clock::now();
    f->view->setModel(&f->model); // builds every lane's summary
    f->summarySeconds = seconds(t0);
    return f;
}

Fixture &fixture()
{
    static std::unique_ptr<Fixture> f = build();
    return *f;
}

void frame(benchmark::State &state, double fraction)
{
    Fixture &f = fixture();
    const int64_t a = f.model.startTime();
    const int64_t b = f.model.endTime();
    if (fraction >= 1.0) {
        f.view->setVisibleRange(0, 0);
    } else {
        const int64_t mid = a + (b - a) / 2;
        const auto half = int64_t(double(b - a) * fraction / 2);
        f.view->setVisibleRange(mid - half, mid + half);
    }
    QImage image(kFrame, QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        QPainter painter(&image);
        f.view->renderContent(painter, kFrame);
        painter.end();
        benchmark::DoNotOptimize(image.constBits());
    }
    const auto [v0, v1] = f.view->visibleRange();
    state.counters["visible_ms"] = double(v1 - v0) / 1e6;
}

void hitTest(benchmark::State &state)
{
    Fixture &f = fixture();
    f.view->setVisibleRange(0, 0);
    const ui::LaneFrame &frame = f.view->currentFrame();
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> x(frame.plot.left(), frame.plot.right());
    std::uniform_real_distribution<double> y(frame.plot.top(), frame.plot.bottom());
    std::vector<QPointF> points(4096);
    for (QPointF &p : points)
        p = QPointF(x(rng), y(rng));
    size_t i = 0;
    size_t found = 0;
    for (auto _ : state) {
        const auto hit = f.view->hitTest(points[i++ & 4095]);
        found += hit.span.found;
        benchmark::DoNotOptimize(hit);
    }
    state.counters["found"] = double(found) / double(state.iterations());
}

void spanAt(benchmark::State &state)
{
    Fixture &f = fixture();
    std::mt19937_64 rng(9);
    std::uniform_int_distribution<int64_t> t(f.model.startTime(), f.model.endTime());
    std::vector<std::pair<uint32_t, int64_t>> probes(4096);
    for (auto &p : probes)
        p = {uint32_t(rng() % kLanes), t(rng)};
    size_t i = 0;
    for (auto _ : state) {
        const auto &[lane, when] = probes[i++ & 4095];
        benchmark::DoNotOptimize(f.view->data().stateAt(lane, when));
    }
}

void playhead(benchmark::State &state)
{
    Fixture &f = fixture();
    int64_t t = f.model.startTime();
    for (auto _ : state) {
        f.view->setPlayhead(t);
        t += 1000;
    }
}

/// The window moves the playhead ~60 times a second: on a shown view that redraws the playhead's
/// own layer and composites it; the lanes are not drawn again.
void playheadShown(benchmark::State &state)
{
    Fixture &f = fixture();
    f.view->setVisibleRange(0, 0);
    f.view->show();
    f.view->replotNow();
    QCoreApplication::processEvents();
    const int64_t a = f.model.startTime();
    const int64_t span = f.model.endTime() - a;
    int64_t i = 0;
    const uint64_t version = f.view->contentVersion();
    for (auto _ : state) {
        f.view->setPlayhead(a + (i++ * 7919) % span);
        QCoreApplication::processEvents(); // the repaint
    }
    if (f.view->contentVersion() != version)
        state.SkipWithError("moving the playhead changed the content");
    f.view->hide();
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);

    Fixture &f = fixture();
    size_t spans = 0;
    int levels = 0;
    for (const ui::ThreadLane &lane : f.view->data().lanes()) {
        spans += lane.states.size();
        levels = std::max(levels, lane.states.levelCount());
    }
    std::printf("trace: %zu events, %zu threads, %.3f s of trace time\n", f.model.data().events.size(),
                f.model.threadCount(), double(f.model.endTime() - f.model.startTime()) / 1e9);
    std::printf("model: built in %.2f s, %.1f MB derived + %.1f MB events\n", f.modelSeconds,
                double(f.model.derivedBytes()) / 1e6, double(f.model.data().events.size() * sizeof(core::Event)) / 1e6);
    std::printf("summary: %zu state intervals over %zu lanes, up to %d levels, built in %.2f s, %.1f MB "
                "(%.1f bytes per interval)\n",
                spans, f.view->data().lanes().size(), levels, f.summarySeconds, double(f.view->data().bytes()) / 1e6,
                double(f.view->data().bytes()) / double(std::max<size_t>(1, spans)));
    std::fflush(stdout);

    benchmark::RegisterBenchmark("BM_TimelineFrame/full", frame, 1.0)->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineFrame/zoom10pct", frame, 0.1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineFrame/zoom3pct", frame, 0.03)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineFrame/zoom1pct", frame, 0.01)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineFrame/zoom0.3pct", frame, 0.003)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineFrame/zoom0.1pct", frame, 0.001)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineFrame/zoom0.01pct", frame, 0.0001)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineHitTest", hitTest)->Unit(benchmark::kNanosecond)->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineSpanAt", spanAt)->Unit(benchmark::kNanosecond)->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelineSetPlayhead", playhead)->Unit(benchmark::kNanosecond)->UseRealTime();
    benchmark::RegisterBenchmark("BM_TimelinePlayheadShown", playheadShown)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    f.view.reset();
    return 0;
}
