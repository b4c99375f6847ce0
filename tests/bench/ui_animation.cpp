// SPDX-License-Identifier: MIT
// The animated export of a 10 s replay at 1280x720, 15 fps (151 frames of the timeline), per
// format; beside it the baseline: drawing the same frames as an image export draws them, with
// no encoding.
#include "trace/tracedata.h"
#include "trace/tracemodel.h"
#include "ui/animationexport.h"
#include "ui/imageexport.h"
#include "ui/traceview.h"

#include <QApplication>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

using namespace interleave;

namespace {

constexpr int64_t kSpan = 10'000'000'000; // 10 s of trace time

/// A lesson-sized trace over 10 s: 8 threads taking 2 locks and sleeping, about 10 k events.
core::TraceModel &tenSecondModel()
{
    static core::TraceModel *model = [] {
        core::TraceData d;
        std::mt19937 rng(7);
        for (int i = 0; i < 8; ++i) {
            const uint32_t th = d.threadIndex(100, 101 + i);
            int64_t t = 0;
            auto push = [&](core::EventType type, uint32_t object = 0, int64_t arg = 0) {
                core::Event e{};
                e.time = t;
                e.thread = th;
                e.type = type;
                e.object = object;
                e.arg = arg;
                e.cpu = uint16_t(i % 2);
                d.events.push_back(e);
            };
            push(core::EventType::ThreadStart);
            while (t < kSpan - 50'000'000) {
                const uint32_t lock = 1 + rng() % 2;
                t += 1'000'000 + rng() % 20'000'000;
                push(core::EventType::LockWait, lock);
                t += rng() % 5'000'000;
                push(core::EventType::LockObtain, lock);
                t += 1'000'000 + rng() % 10'000'000;
                push(core::EventType::LockRelease, lock);
                t += rng() % 10'000'000;
                push(core::EventType::SleepBegin, 0, 5);
                t += 5'000'000;
                push(core::EventType::SleepEnd);
            }
            t = kSpan;
            push(core::EventType::ThreadExit);
        }
        std::stable_sort(d.events.begin(), d.events.end(),
                         [](const core::Event &a, const core::Event &b) { return a.time < b.time; });
        auto *m = new core::TraceModel(std::move(d));
        m->update();
        return m;
    }();
    return *model;
}

ui::RunInfo info()
{
    ui::RunInfo i;
    i.scenario = QStringLiteral("lock");
    i.title = QStringLiteral("Lock");
    i.status = QStringLiteral("finished");
    return i;
}

void BM_AnimationExport(benchmark::State &state, const char *suffix)
{
    QTemporaryDir dir;
    ui::AnimationRequest request;
    request.path = dir.filePath(QStringLiteral("replay.") + QLatin1String(suffix));
    int64_t frames = 0;
    for (auto _ : state) {
        QString error;
        if (!ui::AnimationExport::write(
                QStringLiteral("timeline"), tenSecondModel(), info(), request,
                [&](int64_t done, int64_t) {
                    frames = done;
                    return true;
                },
                &error))
            state.SkipWithError(error.toUtf8().constData());
    }
    state.counters["frames"] = double(frames);
    state.counters["bytes"] = double(QFileInfo(request.path).size());
}
BENCHMARK_CAPTURE(BM_AnimationExport, gif, "gif")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_AnimationExport, mp4, "mp4")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_AnimationExport, webm, "webm")->Unit(benchmark::kSecond)->Iterations(1);

/// Baseline: the 151 frames drawn as an --image export draws a page, without encoding them.
void BM_AnimationFramesOnly(benchmark::State &state)
{
    const core::TraceModel &model = tenSecondModel();
    std::unique_ptr<ui::TraceView> view = ui::ImageExport::createView(QStringLiteral("timeline"));
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->setModel(&model);
    view->setRunInfo(info());
    view->resize(1280, 720);
    view->show();
    view->refresh();
    const ui::Theme &theme = ui::Theme::get(ui::Theme::Id::Light);
    QImage frame(QSize(1280, 720), QImage::Format_RGB32);
    const int64_t frames = ui::AnimationExport::frameCount(kSpan, 15, 1.0);
    for (auto _ : state) {
        for (int64_t k = 0; k < frames; ++k) {
            view->setPlayhead(model.startTime() + ui::AnimationExport::frameTime(k, 15, 1.0));
            frame.fill(theme.background);
            QPainter painter(&frame);
            ui::ImageExport::paint(painter, *view, theme, frame.size());
        }
        benchmark::DoNotOptimize(frame.constBits());
    }
    state.counters["frames"] = double(frames);
}
BENCHMARK(BM_AnimationFramesOnly)->Unit(benchmark::kSecond)->Iterations(1);

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
