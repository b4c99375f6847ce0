// SPDX-License-Identifier: MIT
#include "ui/qcp.h"

#include "analysis/lockstats.h"
#include "trace/tracemodel.h"
#include "ui/charts/chartdata.h"
#include "ui/charts/chartsview.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QBuffer>
#include <QImage>
#include <QJsonArray>
#include <QPainter>
#include <QSvgGenerator>
#include <QTranslator>

#include <gtest/gtest.h>

#include <map>

using namespace interleave;
using core::EventType;
using core::ObjectKind;
using core::testing::TraceBuilder;
using ui::ChartKind;
using ui::ChartsView;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Two queues between a writer and a reader; depth points at known times.
core::TraceModel queueModel()
{
    TraceBuilder b;
    const uint32_t w = b.thread(10, 10);
    const uint32_t r = b.thread(10, 11);
    b.ev(w, 0, EventType::ThreadStart);
    b.ev(r, 0, EventType::ThreadStart);
    b.object(w, 0, 1, ObjectKind::Queue, "jobs");
    b.object(w, 0, 2, ObjectKind::Queue, "results");
    b.ev(w, 10, EventType::QueueDepth, 1, 1);
    b.ev(w, 20, EventType::QueueDepth, 1, 2);
    b.ev(r, 30, EventType::QueueDepth, 1, 1);
    b.ev(r, 35, EventType::QueueDepth, 2, 1);
    b.ev(w, 40, EventType::QueueDepth, 1, 3);
    b.ev(r, 50, EventType::QueueDepth, 2, 0);
    b.ev(w, 60, EventType::ThreadExit);
    b.ev(r, 60, EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

/// Lock A: T1 holds 0-10 while T2 waits 2-10; T2 holds 10-20 while T1 waits 12-20.
/// Lock B: T1 holds from 21 on; T2 waits for it from 22 to the end of the trace (25).
core::TraceModel lockModel()
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(10, 10);
    const uint32_t t2 = b.thread(10, 11);
    b.ev(t1, 0, EventType::ThreadStart);
    b.ev(t2, 0, EventType::ThreadStart);
    b.object(t1, 0, 1, ObjectKind::Mutex, "A");
    b.object(t1, 0, 2, ObjectKind::Mutex, "B");
    b.ev(t1, 0, EventType::LockObtain, 1);
    b.ev(t2, 2, EventType::LockWait, 1);
    b.ev(t1, 10, EventType::LockRelease, 1);
    b.ev(t2, 10, EventType::LockObtain, 1);
    b.ev(t1, 12, EventType::LockWait, 1);
    b.ev(t2, 20, EventType::LockRelease, 1);
    b.ev(t1, 20, EventType::LockObtain, 1);
    b.ev(t1, 21, EventType::LockObtain, 2);
    b.ev(t2, 22, EventType::LockWait, 2);
    b.ev(t1, 25, EventType::LockRelease, 1);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

QImage render(ui::TraceView &view, const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    view.renderContent(painter, size);
    return image;
}

bool near(const QColor &a, const QColor &b, int tolerance = 40)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= tolerance;
}

QCPTextElement *plotTitle(QCustomPlot *plot)
{
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto *t = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i)))
            return t;
    }
    return nullptr;
}

} // namespace

TEST(ChartData, HistogramGivesOneBarPerValueWhileFewThenEqualRanges)
{
    const ui::Histogram few = ui::Histogram::of({5, -8, 5, 0, 5});
    EXPECT_EQ(few.centers, (std::vector<double>{-8, 0, 5}));
    EXPECT_EQ(few.counts, (std::vector<int>{1, 1, 3}));
    EXPECT_FALSE(few.binned);
    EXPECT_EQ(few.total(), 5);

    std::vector<double> many;
    for (int v = 0; v < 100; ++v)
        many.push_back(v);
    const ui::Histogram binned = ui::Histogram::of(many, 10);
    EXPECT_TRUE(binned.binned);
    EXPECT_EQ(binned.total(), 100);
    EXPECT_LE(binned.counts.size(), 11u);
    EXPECT_DOUBLE_EQ(binned.width, 10);
    EXPECT_EQ(binned.counts.front(), 10); // 0..9
    EXPECT_TRUE(ui::Histogram::of({}).centers.empty());
}

TEST(ChartData, PreferredChartCarriesTheScenarioLesson)
{
    using ui::ChartChoice;
    ChartChoice::Inputs all{true, true, true, true, true};
    const auto available = ChartChoice::available(all);
    EXPECT_EQ(available.size(), 5u);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("race"), available), ChartKind::Outcomes);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("lock"), available), ChartKind::LockWaits);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("cpu-vs-io"), available), ChartKind::Throughput);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("process-vs-thread"), available), ChartKind::CreationCost);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("queue"), available), ChartKind::QueueDepth);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("race"), {ChartKind::QueueDepth}), ChartKind::QueueDepth);
    EXPECT_EQ(ChartChoice::preferred(QStringLiteral("race"), {}), ChartKind::None);
    EXPECT_EQ(ChartChoice::byName(ChartChoice::name(ChartKind::LockWaits)), ChartKind::LockWaits);
}

TEST(ChartData, LockWaitTableMatchesLockStatsAndCutsAtTheCutoff)
{
    const core::TraceModel model = lockModel();
    const ui::LockWaitTable table = ui::LockWaitTable::build(model);
    const core::LockStats stats = core::LockStats::compute(model);

    std::map<uint32_t, double> total;
    std::map<uint32_t, double> longest;
    for (const auto &bar : table.at(core::kTimeMax)) {
        total[bar.thread] += bar.totalMs;
        longest[bar.thread] = std::max(longest[bar.thread], bar.maxMs);
    }
    ASSERT_EQ(stats.threads().size(), 2u);
    for (const core::ThreadWaitStat &t : stats.threads()) {
        EXPECT_NEAR(total[t.thread], t.waitMsTotal, 1e-9) << t.thread;
        EXPECT_NEAR(longest[t.thread], t.waitMsMax, 1e-9) << t.thread;
    }
    // T2: 8 ms on A, 3 ms (still waiting at the end) on B; T1: 8 ms on A.
    EXPECT_NEAR(total[1], 11.0, 1e-9);
    EXPECT_NEAR(total[0], 8.0, 1e-9);

    // At 5 ms only T2's first wait has begun, 3 ms of it.
    const auto early = table.at(ms(5));
    ASSERT_EQ(early.size(), 1u);
    EXPECT_EQ(early[0].thread, 1u);
    EXPECT_EQ(early[0].waits, 1u);
    EXPECT_NEAR(early[0].totalMs, 3.0, 1e-9);
    EXPECT_TRUE(table.at(ms(1)).empty());
}

TEST(ChartData, FindingsAreReadByTheirScenarioKeys)
{
    const QJsonObject f{
        {QStringLiteral("cores"), 2},
        {QStringLiteral("cpu"),
         QJsonArray{QJsonObject{{QStringLiteral("workers"), 2}, {QStringLiteral("tasks_per_s"), 20.5}},
                    QJsonObject{{QStringLiteral("workers"), 1}, {QStringLiteral("tasks_per_s"), 10.0}}}},
        {QStringLiteral("io"), QJsonArray{}},
        {QStringLiteral("thread_create_us_median"), 40.0},
        {QStringLiteral("process_create_us_median"), QJsonValue()}};
    const ui::ThroughputSweep sweep = ui::ThroughputSweep::fromFindings(f);
    ASSERT_EQ(sweep.cpu.size(), 2u);
    EXPECT_EQ(sweep.cpu[0].workers, 1); // sorted by workers
    EXPECT_DOUBLE_EQ(sweep.cpu[1].tasksPerSecond, 20.5);
    EXPECT_TRUE(sweep.io.empty());
    EXPECT_EQ(sweep.cores, 2);
    const ui::CreationCost cost = ui::CreationCost::fromFindings(f);
    EXPECT_EQ(cost.threadUs, 40.0);
    EXPECT_FALSE(cost.processUs.has_value());
}

TEST(ChartsView, QueueDepthGraphsHoldTheModelsPointsAndAppendLive)
{
    ui::testing::app();
    core::TraceModel model = queueModel();
    ChartsView view;
    view.resize(800, 500);
    view.setModel(&model);
    view.show();
    view.refresh();
    ASSERT_EQ(view.chart(), ChartKind::QueueDepth);
    QCustomPlot *plot = view.plot();
    ASSERT_EQ(plot->graphCount(), 2);

    const int64_t start = model.startTime();
    for (int g = 0; g < 2; ++g) {
        const auto points = model.queueDepth(uint32_t(g + 1));
        QCPGraph *graph = plot->graph(g);
        ASSERT_EQ(graph->dataCount(), int(points.size()));
        for (size_t i = 0; i < points.size(); ++i) {
            EXPECT_DOUBLE_EQ(graph->data()->at(int(i))->key, double(points[i].time - start) / 1e6); // ms
            EXPECT_DOUBLE_EQ(graph->data()->at(int(i))->value, points[i].value);
        }
    }
    EXPECT_EQ(plot->graph(0)->name(), QStringLiteral("jobs"));
    EXPECT_EQ(plot->graph(0)->lineStyle(), QCPGraph::lsStepLeft);

    // The run goes on: two more points; the same graph object gets them appended.
    QCPGraph *jobs = plot->graph(0);
    const uint32_t writer = 0;
    core::Event e{};
    e.thread = writer;
    e.type = EventType::QueueDepth;
    e.object = 1;
    e.time = ms(55);
    e.arg = 2;
    model.data().events.push_back(e);
    e.time = ms(58);
    e.arg = 1;
    model.data().events.push_back(e);
    model.update();
    view.refresh();
    ASSERT_EQ(plot->graph(0), jobs);
    const auto points = model.queueDepth(1);
    ASSERT_EQ(jobs->dataCount(), int(points.size()));
    EXPECT_DOUBLE_EQ(jobs->data()->at(jobs->dataCount() - 1)->key, 58.0);
    EXPECT_DOUBLE_EQ(jobs->data()->at(jobs->dataCount() - 1)->value, 1.0);
}

TEST(ChartsView, PlayheadIsDrawnAtItsTimeOnTheQueueChart)
{
    ui::testing::app();
    core::TraceModel model = queueModel();
    ChartsView view;
    view.setTheme(ui::Theme::get(ui::Theme::Id::Projector));
    view.resize(900, 500);
    view.setModel(&model);
    view.show();
    view.setPlayhead(ms(25));
    const QSize size(900, 500);
    const QImage image = render(view, size);
    // Right after drawing, the axes map coordinates as in the image just drawn.
    QCPAxisRect *rect = view.plot()->axisRect(0);
    ASSERT_NE(rect, nullptr);
    const int x = int(std::lround(rect->axis(QCPAxis::atBottom)->coordToPixel(25.0)));
    const int y = rect->top() + rect->height() / 3;
    const QColor playhead = ui::Theme::get(ui::Theme::Id::Projector).playhead;
    bool found = false;
    for (int dx = -2; dx <= 2 && !found; ++dx)
        found = near(image.pixelColor(x + dx, y), playhead);
    EXPECT_TRUE(found) << "no playhead colour at x=" << x;
    // ... and nowhere else on that row of pixels, far from it.
    EXPECT_FALSE(near(image.pixelColor(x + 60, y), playhead));
}

TEST(ChartsView, LockWaitBarsAreEachThreadsWaitsAsLockStatsCountsThem)
{
    ui::testing::app();
    const core::TraceModel model = lockModel();
    ChartsView view;
    view.resize(800, 500);
    view.setModel(&model);
    view.setPlayhead(model.endTime());
    view.show();
    view.refresh();
    ASSERT_EQ(view.chart(), ChartKind::LockWaits);
    const core::LockStats stats = core::LockStats::compute(model);
    // Bars: per lock a "total" and a "longest" series; a thread's totals over locks = LockStats'.
    std::map<double, double> totalByKey;
    int series = 0;
    for (int i = 0; i < view.plot()->plottableCount(); ++i) {
        auto *bars = qobject_cast<QCPBars *>(view.plot()->plottable(i));
        ASSERT_NE(bars, nullptr);
        if (!bars->name().contains(QStringLiteral("total")))
            continue;
        ++series;
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
            totalByKey[it->key] += it->value;
    }
    EXPECT_EQ(series, 2); // locks A and B
    // Categories are the waiting threads in index order: key 1 = thread 0, key 2 = thread 1.
    for (const core::ThreadWaitStat &t : stats.threads())
        EXPECT_NEAR(totalByKey[double(t.thread + 1)], t.waitMsTotal, 1e-9);

    // Replaying from 5 ms: only T2's 3 ms so far.
    view.setPlayhead(ms(5));
    double sum = 0;
    for (int i = 0; i < view.plot()->plottableCount(); ++i) {
        auto *bars = qobject_cast<QCPBars *>(view.plot()->plottable(i));
        if (bars->name().contains(QStringLiteral("total")))
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
                sum += it->value;
    }
    EXPECT_NEAR(sum, 3.0, 1e-9);
}

TEST(ChartsView, SelectorAndPropertySwitchCharts)
{
    ui::testing::app();
    const core::TraceModel model = lockModel();
    ChartsView view;
    view.resize(800, 500);
    view.setModel(&model);
    view.show();
    EXPECT_EQ(view.chart(), ChartKind::LockWaits);
    view.addOutcome({{QStringLiteral("final_balance"), 5}, {QStringLiteral("lost_updates"), 1}});
    EXPECT_EQ(view.availableCharts(), (std::vector<ChartKind>{ChartKind::LockWaits, ChartKind::Outcomes}));
    EXPECT_TRUE(view.setProperty("chart", QVariant::fromValue(ChartKind::Outcomes)));
    EXPECT_EQ(view.chart(), ChartKind::Outcomes);
    EXPECT_EQ(view.property("chart").value<ChartKind>(), ChartKind::Outcomes);
    view.clearOutcomes(); // the choice has no data any more: back to what fits
    EXPECT_EQ(view.chart(), ChartKind::LockWaits);
}

TEST(ChartsView, SaysWhenLostUpdatesCancelledOut)
{
    ui::testing::app();
    ChartsView view;
    view.resize(800, 600);
    ui::RunInfo info;
    info.scenario = QStringLiteral("race");
    view.setRunInfo(info);
    view.show();
    auto outcome = [](double balance, double lost, bool cancelled) {
        return QJsonObject{{QStringLiteral("expected"), 0},
                           {QStringLiteral("final_balance"), balance},
                           {QStringLiteral("lost_updates"), lost},
                           {QStringLiteral("lost_delta"), -balance},
                           {QStringLiteral("cancelled_out"), cancelled}};
    };
    auto note = [&]() -> QCPTextElement * {
        for (int i = 0; i < view.plot()->plotLayout()->elementCount(); ++i)
            if (auto *t = qobject_cast<QCPTextElement *>(view.plot()->plotLayout()->elementAt(i));
                t && t->objectName() == QLatin1String("cancelledOut"))
                return t;
        return nullptr;
    };
    view.addOutcome(outcome(5, 1, false));
    EXPECT_EQ(note(), nullptr); // nothing cancelled: nothing to say
    view.addOutcome(outcome(0, 2, true));
    view.addOutcome(outcome(0, 4, true));
    QCPTextElement *said = note();
    ASSERT_NE(said, nullptr);
    EXPECT_TRUE(said->text().contains(QLatin1Char('2'))) << said->text().toStdString(); // two such runs
    view.clearOutcomes();
    view.addOutcome(outcome(-8, 1, false));
    EXPECT_EQ(note(), nullptr); // rebuilt from the runs kept, not left over
}

TEST(ChartsView, RepeatedRunsMakeAHistogramWithTheirCount)
{
    ui::testing::app();
    ChartsView view;
    view.resize(800, 600);
    ui::RunInfo info;
    info.scenario = QStringLiteral("race");
    view.setRunInfo(info);
    view.show();
    auto outcome = [](double balance, double lost) {
        return QJsonObject{{QStringLiteral("expected"), 0},
                           {QStringLiteral("final_balance"), balance},
                           {QStringLiteral("lost_updates"), lost}};
    };
    view.addOutcome(outcome(5, 1));
    view.addOutcome(outcome(-8, 1));
    view.addOutcome(outcome(5, 2));
    ASSERT_EQ(view.chart(), ChartKind::Outcomes);
    EXPECT_EQ(view.outcomeCount(), 3u);

    std::vector<std::map<double, double>> histograms;
    for (int i = 0; i < view.plot()->plottableCount(); ++i) {
        auto *bars = qobject_cast<QCPBars *>(view.plot()->plottable(i));
        ASSERT_NE(bars, nullptr);
        std::map<double, double> counts;
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
            counts[it->key] = it->value;
        histograms.push_back(counts);
    }
    ASSERT_EQ(histograms.size(), 2u); // final balance, lost updates
    EXPECT_EQ(histograms[0], (std::map<double, double>{{-8, 1}, {5, 2}}));
    EXPECT_EQ(histograms[1], (std::map<double, double>{{1, 2}, {2, 1}}));
    QCPTextElement *title = plotTitle(view.plot());
    ASSERT_NE(title, nullptr);
    EXPECT_TRUE(title->text().contains(QLatin1Char('3'))) << title->text().toStdString();

    view.clearOutcomes();
    EXPECT_EQ(view.outcomeCount(), 0u);
    EXPECT_EQ(view.chart(), ChartKind::None);
    // Findings without these keys add nothing.
    view.addOutcome({{QStringLiteral("put"), 3}});
    EXPECT_EQ(view.outcomeCount(), 0u);
}

TEST(ChartsView, CpuVsIoSweepHasAPointPerWorkerCountFromTheFindings)
{
    ui::testing::app();
    auto run = core::testing::runScenario("cpu-vs-io", {{QStringLiteral("max_workers"), QStringLiteral("4")},
                                                        {QStringLiteral("tasks"), QStringLiteral("4")},
                                                        {QStringLiteral("cpu_task_ms"), QStringLiteral("2")},
                                                        {QStringLiteral("io_wait_ms"), QStringLiteral("5")},
                                                        {QStringLiteral("rounds"), QStringLiteral("1")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    const QJsonObject findings = run.findings();
    const QJsonArray cpu = findings.value(QStringLiteral("cpu")).toArray();
    const QJsonArray io = findings.value(QStringLiteral("io")).toArray();
    ASSERT_FALSE(cpu.isEmpty());
    ASSERT_FALSE(io.isEmpty());

    auto expectSweep = [&](ChartsView &view) {
        ASSERT_EQ(view.chart(), ChartKind::Throughput);
        ASSERT_EQ(view.plot()->graphCount(), 2);
        for (const auto &[g, array] : {std::pair{0, cpu}, std::pair{1, io}}) {
            QCPGraph *graph = view.plot()->graph(g);
            ASSERT_EQ(graph->dataCount(), int(array.size()));
            for (int i = 0; i < array.size(); ++i) {
                const QJsonObject p = array[i].toObject();
                EXPECT_DOUBLE_EQ(graph->data()->at(i)->key, p.value(QStringLiteral("workers")).toDouble());
                EXPECT_DOUBLE_EQ(graph->data()->at(i)->value, p.value(QStringLiteral("tasks_per_s")).toDouble());
            }
        }
    };

    // A finished run: the findings of its summary.
    {
        ChartsView view;
        view.resize(800, 500);
        view.setModel(&run.model());
        view.setRunInfo(
            {QStringLiteral("cpu-vs-io"), QStringLiteral("cpu-vs-io"), {}, findings, QStringLiteral("finished")});
        view.show();
        expectSweep(view);
        // The core count is marked with a vertical line at it.
        bool marked = false;
        for (int i = 0; i < view.plot()->itemCount(); ++i) {
            if (auto *line = qobject_cast<QCPItemStraightLine *>(view.plot()->item(i)))
                marked = marked || line->point1->coords().x() == findings.value(QStringLiteral("cores")).toDouble();
        }
        EXPECT_TRUE(marked);
    }
    // While it runs there are no findings yet: the scenario's own findings() of the model so far.
    {
        ChartsView view;
        view.resize(800, 500);
        view.setModel(&run.model());
        view.setRunInfo({QStringLiteral("cpu-vs-io"), QStringLiteral("cpu-vs-io"), {}, {}, QString()});
        view.show();
        view.refresh();
        expectSweep(view);
    }
    core::testing::expectNothingLeft(run);
}

TEST(ChartsView, CreationCostBarsComeFromProcessVsThreadFindings)
{
    ui::testing::app();
    ChartsView view;
    view.resize(800, 500);
    view.setRunInfo(
        {QStringLiteral("process-vs-thread"),
         QString(),
         {},
         {{QStringLiteral("thread_create_us_median"), 40.5}, {QStringLiteral("process_create_us_median"), 810.0}},
         QStringLiteral("finished")});
    view.show();
    ASSERT_EQ(view.chart(), ChartKind::CreationCost);
    std::map<double, double> bars;
    for (int i = 0; i < view.plot()->plottableCount(); ++i) {
        auto *b = qobject_cast<QCPBars *>(view.plot()->plottable(i));
        ASSERT_NE(b, nullptr);
        for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
            bars[it->key] = it->value;
    }
    EXPECT_EQ(bars, (std::map<double, double>{{1, 40.5}, {2, 810.0}}));
}

TEST(ChartsView, ExportIsVectorAndFitsAnySize)
{
    ui::testing::app();
    const core::TraceModel model = queueModel();
    ChartsView view; // never shown, as the exporter's fresh view
    view.setModel(&model);
    view.setPlayhead(ms(30));
    QBuffer svg;
    svg.open(QIODevice::WriteOnly);
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&svg);
        generator.setSize(QSize(1200, 700));
        generator.setViewBox(QRect(0, 0, 1200, 700));
        QPainter painter(&generator);
        view.renderContent(painter, QSize(1200, 700));
    }
    const QByteArray text = svg.data();
    EXPECT_TRUE(text.contains("<path") || text.contains("<polyline"));
    EXPECT_FALSE(text.contains("<image")); // no pixmap inside
    EXPECT_TRUE(text.contains("jobs") || text.contains("items in the queue"));

    // A small image still shows the step lines in the first queue's colour.
    const QImage small = render(view, QSize(320, 200));
    const QColor jobs = view.plot()->graph(0)->pen().color();
    int hits = 0;
    for (int y = 0; y < small.height(); ++y)
        for (int x = 0; x < small.width(); ++x)
            hits += near(small.pixelColor(x, y), jobs, 30);
    EXPECT_GT(hits, 20);
}

TEST(ChartsView, CopesWithNoModelAndRetranslates)
{
    ui::testing::app();
    ChartsView view;
    view.resize(600, 400);
    view.show();
    view.refresh();
    EXPECT_EQ(view.chart(), ChartKind::None);
    const QImage image = render(view, QSize(600, 400));
    EXPECT_FALSE(image.isNull());

    // A translator that marks every string of this view: the visible texts follow a language change.
    class Marker : public QTranslator
    {
    public:
        QString translate(const char *context, const char *source, const char *, int) const override
        {
            return QLatin1String(context) == QLatin1String("interleave::ui::ChartsView")
                       ? QStringLiteral("ZH ") + QString::fromUtf8(source)
                       : QString();
        }
        bool isEmpty() const override { return false; }
    } marker;
    const core::TraceModel model = queueModel();
    view.setModel(&model);
    QCoreApplication::installTranslator(&marker);
    QCoreApplication::processEvents();
    QCPTextElement *title = plotTitle(view.plot());
    ASSERT_NE(title, nullptr);
    EXPECT_TRUE(title->text().startsWith(QStringLiteral("ZH "))) << title->text().toStdString();
    EXPECT_TRUE(view.plot()->axisRect(0)->axis(QCPAxis::atBottom)->label().startsWith(QStringLiteral("ZH ")));
    QCoreApplication::removeTranslator(&marker);
    QCoreApplication::processEvents();
    EXPECT_FALSE(plotTitle(view.plot())->text().startsWith(QStringLiteral("ZH ")));
}
