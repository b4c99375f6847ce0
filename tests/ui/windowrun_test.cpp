// SPDX-License-Identifier: MIT
// The window driven as a student drives it: run a scenario for real, watch it grow, pause, step,
// scrub, replay, export every view, present.
#include "analysis/waitforgraph.h"
#include "io/iltrace.h"
#include "run/session.h"
#include "trace/tracemodel.h"
#include "ui/application.h"
#include "ui/code/codeview.h"
#include "ui/imageexport.h"
#include "ui/legend.h"
#include "ui/mainwindow.h"
#include "ui/parameterform.h"
#include "ui/playback.h"
#include "ui/stepsentence.h"
#include "ui/traceview.h"

#include "uitest.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>

using namespace interleave;
using ui::testing::app;
using ui::testing::waitFor;

namespace {

/// Instrumented events so far (the sampler keeps writing Samples while a run is paused).
size_t instrumentedEvents(const core::TraceModel &model)
{
    const auto &events = model.data().events;
    return size_t(std::count_if(events.begin(), events.end(),
                                [](const core::Event &e) { return e.type != core::EventType::Sample; }));
}

/// Opens a trace as the window does, on its worker thread, and waits for the outcome: true when
/// the trace is on screen; `error` gets what traceOpened() said.
bool openAndWait(ui::MainWindow &window, const QString &path, QString *error)
{
    QSignalSpy opened(&window, &ui::MainWindow::traceOpened);
    window.openTrace(path);
    if (opened.isEmpty() && !opened.wait(120'000)) {
        *error = QStringLiteral("no traceOpened() within two minutes");
        return false;
    }
    *error = opened.front().at(1).toString();
    return opened.front().at(0).toBool();
}

void setParam(ui::MainWindow &window, const char *name, const QVariant &value)
{
    QWidget *editor = window.parameterForm()->editor(QLatin1String(name));
    ASSERT_NE(editor, nullptr) << name;
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        spin->setValue(value.toInt());
    else if (auto *combo = qobject_cast<QComboBox *>(editor))
        combo->setCurrentIndex(combo->findData(value.toString()));
}

} // namespace

TEST(WindowRun, RunGrowsTheViewsLiveAndEndsWithTheWholeTrace)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("threads")));
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(window.running());
    ASSERT_NE(window.model(), nullptr);
    // While it runs, the views show the growing model and the playhead follows its end.
    ASSERT_TRUE(waitFor([&] { return window.model()->threadCount() >= 2 || !window.running(); }, 20000));
    if (window.running()) {
        EXPECT_EQ(window.playback()->mode(), ui::Playback::Mode::Live);
        EXPECT_GE(window.playback()->position(), window.model()->startTime());
    }
    ASSERT_TRUE(finished.wait(60000) || finished.count() == 1);
    EXPECT_FALSE(window.running());
    ASSERT_NE(window.session(), nullptr);
    EXPECT_EQ(window.session()->status(), core::RunStatus::Finished);
    // The chapter's threads example: MainThread and LoopThread.
    std::vector<std::string> names;
    for (uint32_t t = 0; t < window.model()->threadCount(); ++t)
        names.push_back(window.model()->threadName(t));
    EXPECT_NE(std::find(names.begin(), names.end(), "LoopThread"), names.end());
    EXPECT_EQ(window.playback()->position(), window.model()->endTime());
    EXPECT_FALSE(window.views().empty());
    for (ui::TraceView *view : window.views()) {
        EXPECT_EQ(view->model(), window.model()) << view->viewName().toStdString();
        EXPECT_EQ(view->playhead(), window.model()->endTime()) << view->viewName().toStdString();
        EXPECT_EQ(view->runInfo().scenario, QStringLiteral("threads"));
        EXPECT_EQ(view->runInfo().status, QStringLiteral("finished"));
    }
    EXPECT_TRUE(window.session()->leftoverProcesses().empty());
    // Under the timeline, its legend names the states the run went through, every row of it shown.
    auto *legend = window.findChild<ui::LegendStrip *>(QStringLiteral("TimelineLegend"));
    ASSERT_NE(legend, nullptr);
    // The strip follows the view a few times a second.
    EXPECT_TRUE(waitFor(
        [&] { return legend->height() > 0 && legend->height() >= legend->heightForWidth(legend->width()); }, 5000));
    std::vector<QString> labels;
    for (const ui::LegendEntry &entry : window.view(QStringLiteral("timeline"))->legend())
        labels.push_back(entry.label);
    EXPECT_NE(std::find(labels.begin(), labels.end(), QStringLiteral("sleeping")), labels.end());
    EXPECT_NE(std::find(labels.begin(), labels.end(), QStringLiteral("running")), labels.end());
}

TEST(WindowRun, PauseHoldsTheRunAndStepLetsOneEventThrough)
{
    app();
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("race")));
    setParam(window, "iterations", 1000000);
    setParam(window, "switch", QStringLiteral("on"));
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(waitFor([&] { return window.model()->threadCount() >= 3; }, 20000));
    window.togglePause();
    ASSERT_TRUE(window.session()->paused());
    EXPECT_EQ(window.playback()->mode(), ui::Playback::Mode::Paused);
    // Settled: nothing more arrives while paused.
    size_t held = instrumentedEvents(*window.model());
    for (int quiet = 0; quiet < 20;) {
        QTest::qWait(15);
        const size_t now = instrumentedEvents(*window.model());
        quiet = now == held ? quiet + 1 : 0;
        held = now;
    }
    ASSERT_TRUE(window.running());
    for (int i = 0; i < 3; ++i)
        window.step();
    EXPECT_TRUE(waitFor([&] { return instrumentedEvents(*window.model()) >= held + 3; }, 5000));
    QTest::qWait(300);
    EXPECT_EQ(instrumentedEvents(*window.model()), held + 3);
    // Scrubbing back while paused moves every view's playhead.
    const int64_t middle = (window.model()->startTime() + window.model()->endTime()) / 2;
    window.playback()->seek(middle);
    for (ui::TraceView *view : window.views())
        EXPECT_EQ(view->playhead(), middle);
    window.stopRun();
    EXPECT_EQ(window.session()->status(), core::RunStatus::Stopped);
    EXPECT_TRUE(window.session()->leftoverProcesses().empty());
}

TEST(WindowRun, ReplayStepsScrubsAndPlaysSlowly)
{
    app();
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(finished.wait(60000));
    const core::TraceModel &model = *window.model();
    auto *playback = window.playback();
    playback->seek(model.startTime());
    window.step(); // not running: the next event
    EXPECT_EQ(playback->position(), ui::PlaybackMath::nextEventTime(model, model.startTime()));
    EXPECT_GT(playback->position(), model.startTime());
    // Each step says what happened and is shown: the timeline zooms in around it, so far that the
    // steps either side lie at least 1/kStepSpan of its width away.
    ui::TraceView *timeline = window.view(QStringLiteral("timeline"));
    ASSERT_NE(timeline, nullptr);
    for (int i = 0; i < 5; ++i) {
        window.step();
        const int64_t t = playback->position();
        EXPECT_EQ(window.statusBar()->currentMessage(), ui::StepSentence::at(model, t));
        EXPECT_FALSE(window.statusBar()->currentMessage().isEmpty());
        const auto [t0, t1] = timeline->visibleRange();
        EXPECT_LT(t0, t);
        EXPECT_GT(t1, t);
        const int64_t gap =
            std::min(t - ui::PlaybackMath::previousEventTime(model, t), ui::PlaybackMath::nextEventTime(model, t) - t);
        if (gap > 0) {
            EXPECT_LE(t1 - t0, gap * ui::PlaybackMath::kStepSpan);
        }
    }
    window.stepBack();
    EXPECT_EQ(window.statusBar()->currentMessage(), ui::StepSentence::at(model, playback->position()));
    // The scrub slider moves the playhead like a drag would.
    auto *slider = window.findChild<QSlider *>(QStringLiteral("ScrubSlider"));
    ASSERT_NE(slider, nullptr);
    Q_EMIT slider->sliderMoved(slider->maximum() / 2);
    const int64_t half = model.startTime() + (model.endTime() - model.startTime()) / 2;
    EXPECT_NEAR(double(playback->position()), double(half), double(model.endTime() - model.startTime()) / 1000);
    // 1/1000 of real time: 200 ms of wall moves at most about 0.2 ms of trace.
    playback->setSpeed(0.001);
    const int64_t before = playback->position();
    window.togglePause(); // play
    EXPECT_EQ(playback->mode(), ui::Playback::Mode::Playing);
    QTest::qWait(200);
    const int64_t moved = playback->position() - before;
    EXPECT_GT(moved, 0);
    EXPECT_LT(moved, 2'000'000);
    window.togglePause();
    EXPECT_EQ(playback->mode(), ui::Playback::Mode::Paused);
}

TEST(WindowRun, ExportsEveryViewAsPngSvgAndPdf)
{
    app();
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("deadlock")));
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_EQ(window.session()->status(), core::RunStatus::Deadlocked);
    // The run ends where its lesson is: at the deadlock, not at the end where every thread of it
    // has been killed, so the Code tab marks both workers at the line each is stuck on.
    const auto deadlockAt = core::recordedDeadlockTime(*window.model());
    ASSERT_TRUE(deadlockAt.has_value());
    EXPECT_EQ(window.playback()->position(), *deadlockAt);
    auto *code = qobject_cast<ui::CodeView *>(window.view(QStringLiteral("code")));
    ASSERT_NE(code, nullptr);
    // As the student does: the Code tab in front (a hidden view catches up when shown).
    window.show();
    auto *tabs = window.findChild<QTabWidget *>();
    ASSERT_NE(tabs, nullptr);
    tabs->setCurrentWidget(code);
    ASSERT_TRUE(code->isVisible());
    std::vector<std::string> marked;
    for (const ui::CodeMark &m : code->marks())
        if (m.line > 0 && m.pythonMapped && m.pythonLines.size() == 1)
            marked.push_back(window.model()->threadName(m.thread));
    for (const char *worker : {"Thread-1", "Thread-2"})
        EXPECT_NE(std::find(marked.begin(), marked.end(), worker), marked.end()) << worker;
    QTemporaryDir dir;
    ASSERT_EQ(window.views().size(), size_t(ui::ImageExport::viewNames().size()));
    for (const QString &name : ui::ImageExport::viewNames()) {
        for (const char *suffix : {"png", "svg", "pdf"}) {
            const QString path = dir.filePath(name + QLatin1Char('.') + QLatin1String(suffix));
            QString error;
            ASSERT_TRUE(window.exportImage(name, path, QSize(1000, 600), 1.5, &error))
                << name.toStdString() << ": " << error.toStdString();
            QFile file(path);
            ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
            const QByteArray bytes = file.readAll();
            if (QLatin1String(suffix) == QLatin1String("png")) {
                EXPECT_EQ(QImage::fromData(bytes, "PNG").size(), QSize(1500, 900)) << name.toStdString();
            } else if (QLatin1String(suffix) == QLatin1String("svg")) {
                EXPECT_TRUE(bytes.contains("<svg")) << name.toStdString();
                EXPECT_FALSE(bytes.contains("<image")) << name.toStdString(); // vector, not a bitmap
            } else {
                EXPECT_TRUE(bytes.startsWith("%PDF-")) << name.toStdString();
            }
        }
    }
    // Saved and opened again, the trace is the same.
    const QString trace = dir.filePath(QStringLiteral("deadlock.iltrace"));
    QString error;
    ASSERT_TRUE(window.saveTrace(trace, &error)) << error.toStdString();
    const size_t events = window.model()->data().events.size();
    ASSERT_TRUE(openAndWait(window, trace, &error)) << error.toStdString();
    EXPECT_EQ(window.model()->data().events.size(), events);
    EXPECT_EQ(window.playback()->position(), *deadlockAt); // opened, it shows the deadlock too
    EXPECT_EQ(window.session(), nullptr);
    for (ui::TraceView *view : window.views()) {
        EXPECT_EQ(view->model(), window.model());
        EXPECT_EQ(view->runInfo().scenario, QStringLiteral("deadlock"));
    }
    EXPECT_FALSE(openAndWait(window, dir.filePath(QStringLiteral("nothing.iltrace")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("does not exist"))) << error.toStdString();
    // Told in a box that does not block the window; the trace on screen stays.
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("OpenError"));
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->text(), error);
    EXPECT_EQ(window.model()->data().events.size(), events);
}

// A trace that lost events cannot be trusted whole: the window says so over the timeline, and
// stops saying it for a complete one.
TEST(WindowRun, ATraceWithLostEventsShowsABannerOverTheTimeline)
{
    app();
    ui::MainWindow window;
    auto *banner = window.findChild<QLabel *>(QStringLiteral("LossBanner"));
    ASSERT_NE(banner, nullptr);
    EXPECT_TRUE(banner->isHidden());
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto save = [&](uint64_t dropped) {
        core::TraceData data;
        const uint32_t thread = data.threadIndex(100, 100);
        for (int i = 0; i < 10; ++i) {
            core::Event e{};
            e.time = 1'000'000 + i * 1000;
            e.thread = thread;
            e.type = core::EventType::SleepBegin;
            data.events.push_back(e);
        }
        data.droppedEvents = dropped;
        const QString path = dir.filePath(QStringLiteral("t%1.iltrace").arg(dropped));
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        EXPECT_TRUE(core::writeIltrace(data, file));
        return path;
    };
    QString error;
    ASSERT_TRUE(openAndWait(window, save(5), &error)) << error.toStdString();
    EXPECT_FALSE(banner->isHidden());
    EXPECT_TRUE(banner->text().startsWith(QStringLiteral("5 of 15 events were lost"))) << banner->text().toStdString();
    ASSERT_TRUE(openAndWait(window, save(0), &error)) << error.toStdString();
    EXPECT_TRUE(banner->isHidden());
}

// Opening reads and ingests the file on a worker thread: openTrace returns at once and the trace
// on screen stays while the file is read; Cancel leaves it there, and a newer open replaces an
// older one.
TEST(WindowRun, OpeningReadsOffTheGuiThreadAndCancelKeepsTheTraceOnScreen)
{
    app();
    ui::MainWindow window;
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto save = [&](const QString &name, int threads, int sleepsPerThread) {
        core::TraceData data;
        for (int t = 0; t < threads; ++t)
            data.threadIndex(100, 100 + t);
        for (int i = 0; i < sleepsPerThread; ++i) {
            for (int t = 0; t < threads; ++t) {
                core::Event e{};
                e.thread = uint32_t(t);
                e.time = 1'000'000 + int64_t(i) * 1000 + t;
                e.type = core::EventType::SleepBegin;
                data.events.push_back(e);
                e.time += 500;
                e.type = core::EventType::SleepEnd;
                data.events.push_back(e);
            }
        }
        std::sort(data.events.begin(), data.events.end(),
                  [](const core::Event &a, const core::Event &b) { return a.time < b.time; });
        const QString path = dir.filePath(name);
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        EXPECT_TRUE(core::writeIltrace(data, file));
        return path;
    };
    const QString small = save(QStringLiteral("small.iltrace"), 2, 10);
    const QString big = save(QStringLiteral("big.iltrace"), 8, 50'000);
    QString error;
    ASSERT_TRUE(openAndWait(window, small, &error)) << error.toStdString();
    const core::TraceModel *shown = window.model();
    ASSERT_NE(shown, nullptr);
    ASSERT_EQ(40u, shown->data().events.size());
    auto *center = qobject_cast<QStackedWidget *>(window.centralWidget());
    auto *panel = window.findChild<QWidget *>(QStringLiteral("OpenPanel"));
    auto *cancel = window.findChild<QPushButton *>(QStringLiteral("OpenCancel"));
    ASSERT_TRUE(center && panel && cancel);

    QSignalSpy opened(&window, &ui::MainWindow::traceOpened);
    window.openTrace(big);
    // Returned before the file reached the window: the trace shown is still the small one.
    EXPECT_TRUE(window.opening());
    EXPECT_EQ(window.model(), shown);
    cancel->click();
    ASSERT_TRUE(waitFor([&] { return !opened.isEmpty(); }, 120'000));
    ASSERT_EQ(1, opened.size());
    EXPECT_FALSE(opened.front().at(0).toBool());
    EXPECT_TRUE(opened.front().at(1).toString().contains(QStringLiteral("cancelled")))
        << opened.front().at(1).toString().toStdString();
    EXPECT_FALSE(window.opening());
    EXPECT_EQ(window.model(), shown);
    for (ui::TraceView *view : window.views())
        EXPECT_EQ(view->model(), shown);
    EXPECT_NE(center->currentWidget(), panel);
    EXPECT_EQ(window.findChild<QMessageBox *>(QStringLiteral("OpenError")), nullptr); // a cancel is no error

    // A newer open replaces an older one still reading: the older says it was cancelled.
    opened.clear();
    window.openTrace(small);
    window.openTrace(big);
    ASSERT_TRUE(waitFor([&] { return opened.size() == 2; }, 120'000));
    EXPECT_FALSE(opened.at(0).at(0).toBool());
    EXPECT_TRUE(opened.at(1).at(0).toBool()) << opened.at(1).at(1).toString().toStdString();
    ASSERT_NE(window.model(), nullptr);
    EXPECT_EQ(800'000u, window.model()->data().events.size());
    for (ui::TraceView *view : window.views())
        EXPECT_EQ(view->model(), window.model());
    EXPECT_EQ(center->currentWidget(), window.findChild<QWidget *>(QStringLiteral("ViewSplitter")));
    QTest::qWait(50);
    EXPECT_EQ(2, opened.size()); // nothing more arrives from the abandoned open
}

TEST(WindowRun, PresentationModeIsFullScreenProjectorThemeAndRestores)
{
    app();
    ui::MainWindow window;
    window.setTheme(ui::Theme::Id::Dark);
    window.show();
    const qreal normalFont = QApplication::font().pointSizeF();
    window.setPresentationMode(true);
    EXPECT_TRUE(window.presentationMode());
    EXPECT_TRUE(window.isFullScreen());
    EXPECT_EQ(window.theme(), ui::Theme::Id::Projector);
    EXPECT_GT(QApplication::font().pointSizeF(), normalFont * 1.3);
    for (ui::TraceView *view : window.views())
        EXPECT_EQ(view->theme().id, ui::Theme::Id::Projector);
    window.setPresentationMode(false);
    EXPECT_FALSE(window.isFullScreen());
    EXPECT_EQ(window.theme(), ui::Theme::Id::Dark);
    EXPECT_DOUBLE_EQ(QApplication::font().pointSizeF(), normalFont);
    window.setTheme(ui::Theme::Id::Light);
}

TEST(WindowRun, ChoicesAreKeptAtOnceNotOnlyWhenTheWindowCloses)
{
    app();
    QSettings().setValue(QStringLiteral("lastScenario"), QStringLiteral("fork"));
    QSettings().setValue(QStringLiteral("theme"), QStringLiteral("light"));
    const auto themeAction = [](ui::MainWindow &window, ui::Theme::Id id) -> QAction * {
        for (QAction *action : window.findChildren<QAction *>())
            if (action->actionGroup() && action->data() == QVariant(int(id)))
                return action;
        return nullptr;
    };
    const auto languageAction = [](ui::MainWindow &window, const QString &text) -> QAction * {
        for (QAction *action : window.findChildren<QAction *>())
            if (action->actionGroup() && action->text() == text)
                return action;
        return nullptr;
    };
    {
        ui::MainWindow window;
        ASSERT_TRUE(window.selectScenario(QStringLiteral("queue")));
        QAction *dark = themeAction(window, ui::Theme::Id::Dark);
        ASSERT_NE(dark, nullptr);
        dark->trigger();
        QAction *chinese = languageAction(window, QStringLiteral("中文（简体）"));
        ASSERT_NE(chinese, nullptr);
        chinese->trigger();
        EXPECT_EQ(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("zh_CN"));
        languageAction(window, QStringLiteral("English"))->trigger();
        EXPECT_EQ(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
        // Gone without a close event, as when the window's process is killed.
    }
    ui::MainWindow again;
    EXPECT_EQ(again.selectedScenario(), QStringLiteral("queue"));
    EXPECT_EQ(again.theme(), ui::Theme::Id::Dark);
    themeAction(again, ui::Theme::Id::Light)->trigger();
    again.close();
}

TEST(WindowRun, RemembersThemeScenarioAndParameters)
{
    app();
    {
        ui::MainWindow window;
        ASSERT_TRUE(window.selectScenario(QStringLiteral("pool")));
        setParam(window, "tasks", 7);
        window.setTheme(ui::Theme::Id::Projector);
        window.close();
    }
    ui::MainWindow again;
    EXPECT_EQ(again.selectedScenario(), QStringLiteral("pool"));
    EXPECT_EQ(again.theme(), ui::Theme::Id::Projector);
    auto *tasks = qobject_cast<QSpinBox *>(again.parameterForm()->editor(QStringLiteral("tasks")));
    ASSERT_NE(tasks, nullptr);
    EXPECT_EQ(tasks->value(), 7);
    again.setTheme(ui::Theme::Id::Light);
    tasks->setValue(tasks->minimum()); // leave the defaults behind for other tests
    again.parameterForm()->resetToDefaults();
    again.close();
}
