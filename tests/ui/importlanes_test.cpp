// SPDX-License-Identifier: MIT
// What an imported Chrome trace holds is drawn: nested slices as depth rows under their thread,
// counters as lanes of their own and as charts.
#include "ui/qcp.h"

#include "io/chromejson.h"
#include "trace/tracemodel.h"
#include "ui/charts/chartsview.h"
#include "ui/timeline/timelinedata.h"
#include "ui/timeline/timelinelayout.h"

#include "uitest.h"

#include <gtest/gtest.h>

#include <QByteArray>

#include <algorithm>
#include <string>

using namespace interleave;
using ui::TimelineRow;

namespace {

// A main thread with three levels of slices, a worker with one, and two counters.
const char kTrace[] = R"({"traceEvents":[
  {"ph":"M","pid":1,"tid":1,"ts":0,"name":"thread_name","args":{"name":"main"}},
  {"ph":"X","pid":1,"tid":1,"ts":1000,"dur":500,"name":"RunTask"},
  {"ph":"B","pid":1,"tid":1,"ts":1100,"name":"Layout"},
  {"ph":"X","pid":1,"tid":1,"ts":1150,"dur":20,"name":"Style"},
  {"ph":"E","pid":1,"tid":1,"ts":1300},
  {"ph":"X","pid":1,"tid":1,"ts":1600,"dur":100,"name":"RunTask"},
  {"ph":"X","pid":1,"tid":2,"ts":1200,"dur":300,"name":"GC"},
  {"ph":"C","pid":1,"tid":1,"ts":1000,"name":"heap","args":{"used":10}},
  {"ph":"C","pid":1,"tid":1,"ts":1400,"name":"heap","args":{"used":-4}},
  {"ph":"C","pid":1,"tid":1,"ts":1000,"name":"queue","args":{"n":3}}
]})";

core::TraceModel importedModel()
{
    const QByteArray json(kTrace);
    core::LoadResult r = core::importChromeJson(json.constData(), size_t(json.size()), QStringLiteral("t.json"));
    EXPECT_TRUE(r.ok) << r.error.toStdString();
    core::TraceModel model(std::move(r.data));
    model.update();
    return model;
}

uint32_t threadOf(const core::TraceModel &model, int tid)
{
    for (const core::ThreadRecord &t : model.threads())
        if (t.tid == tid)
            return t.index;
    return core::kNoEvent;
}

} // namespace

TEST(ImportLanes, NestedSlicesGetADepthRowEachUnderTheirThread)
{
    const core::TraceModel model = importedModel();
    ui::TimelineData data;
    ASSERT_TRUE(data.update(model));
    const uint32_t main = threadOf(model, 1);
    const uint32_t worker = threadOf(model, 2);
    const ui::SliceLane *lane = data.slices().lane(main);
    ASSERT_NE(nullptr, lane);
    EXPECT_EQ(4u, lane->count);
    ASSERT_EQ(3u, lane->rows.size());
    ASSERT_EQ(2u, lane->rows[0].size()); // RunTask twice, one after the other
    EXPECT_EQ("RunTask", model.data().string(lane->rows[0][1].name));
    EXPECT_EQ(1'600'000, lane->rows[0][1].start);
    ASSERT_EQ(1u, lane->rows[1].size());
    EXPECT_EQ("Layout", model.data().string(lane->rows[1][0].name));
    EXPECT_EQ(1'300'000, lane->rows[1][0].end);
    EXPECT_EQ("Style", model.data().string(lane->rows[2][0].name));
    // A slice is found by time on its row, and nothing between slices.
    ASSERT_NE(nullptr, lane->at(1, 1'200'000));
    EXPECT_EQ(nullptr, lane->at(0, 1'550'000));

    const ui::RowMetrics metrics;
    const ui::TimelineLayout layout = ui::TimelineLayout::build(model, data, metrics);
    const int threadRow = layout.threadRow[main];
    ASSERT_GE(threadRow, 0);
    const TimelineRow &under = layout.rows[size_t(threadRow) + 1];
    EXPECT_EQ(TimelineRow::Kind::Slices, under.kind);
    EXPECT_EQ(main, under.index);
    EXPECT_DOUBLE_EQ(ui::TimelineLayout::slicesHeight(*lane, metrics), under.height);
    // Three depths are taller than the worker's one.
    const TimelineRow &workerSlices = layout.rows[size_t(layout.threadRow[worker]) + 1];
    EXPECT_EQ(TimelineRow::Kind::Slices, workerSlices.kind);
    EXPECT_GT(under.height, workerSlices.height * 2.5);
}

TEST(ImportLanes, CountersAreLanesUnderTheirOwnTitleAndMayGoNegative)
{
    const core::TraceModel model = importedModel();
    ui::TimelineData data;
    data.update(model);
    ASSERT_EQ(2u, data.counters().size());
    const ui::QueueSeries &heap = data.counters()[0];
    EXPECT_EQ("heap used", model.data().string(heap.id));
    EXPECT_EQ(10, heap.maxDepth);
    EXPECT_EQ(-4, heap.minValue);
    const ui::TimelineLayout layout = ui::TimelineLayout::build(model, data, ui::RowMetrics());
    const auto title = std::find_if(layout.rows.begin(), layout.rows.end(), [](const TimelineRow &r) {
        return r.kind == TimelineRow::Kind::QueueTitle && r.index == 1;
    });
    ASSERT_NE(layout.rows.end(), title);
    // A counter that never moves ("queue n" is 3 throughout) still has its lane: its value is news.
    EXPECT_EQ(2u, layout.count(TimelineRow::Kind::Counter));
    EXPECT_EQ(TimelineRow::Kind::Counter, (title + 1)->kind);
}

TEST(ImportLanes, TheChartsViewChartsEachCounter)
{
    ui::testing::app();
    const core::TraceModel model = importedModel();
    ui::ChartsView view;
    view.resize(800, 600);
    view.setModel(&model);
    view.show();
    const std::vector<ui::ChartKind> available = view.availableCharts();
    ASSERT_NE(available.end(), std::find(available.begin(), available.end(), ui::ChartKind::Counters));
    view.setChart(ui::ChartKind::Counters);
    ASSERT_EQ(ui::ChartKind::Counters, view.chart());
    ASSERT_EQ(2, view.plot()->graphCount());
    EXPECT_EQ(QStringLiteral("heap used"), view.plot()->graph(0)->name());
    ASSERT_EQ(2, view.plot()->graph(0)->dataCount());
    EXPECT_EQ(-4, view.plot()->graph(0)->data()->at(1)->value);
}
