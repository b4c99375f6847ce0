// SPDX-License-Identifier: MIT
// A foreign Chrome trace is read as Perfetto reads it: its span is its events' span, its tracks
// come in the order its sort indexes ask, its instants are marks of their threads.
#include "analysis/instantmarks.h"
#include "analysis/processgroups.h"
#include "io/chromejson.h"
#include "trace/tracemodel.h"

#include <gtest/gtest.h>

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

using namespace interleave::core;

namespace {

TraceModel imported(const QByteArray &json)
{
    LoadResult r = importChromeJson(json.constData(), size_t(json.size()), QStringLiteral("test.json"));
    EXPECT_TRUE(r.ok) << r.error.toStdString();
    TraceModel model(std::move(r.data));
    model.update();
    return model;
}

// Stamped like Node.js and Chrome: microseconds since boot (here about 1437 s), names at ts 0.
const char kSinceBoot[] = R"({"traceEvents":[
  {"ph":"M","pid":7,"tid":7,"ts":0,"name":"process_name","args":{"name":"node"}},
  {"ph":"M","pid":7,"tid":7,"ts":0,"name":"thread_name","args":{"name":"main"}},
  {"ph":"M","pid":7,"tid":9,"ts":0,"name":"thread_name","args":{"name":"idle worker"}},
  {"ph":"X","pid":7,"tid":7,"ts":1437000000,"dur":150000,"name":"RunTask"},
  {"ph":"X","pid":7,"tid":7,"ts":1437010000,"dur":50000,"name":"Parse"},
  {"ph":"i","pid":7,"tid":7,"ts":1437100000,"name":"navigationStart","s":"t"},
  {"ph":"X","pid":7,"tid":8,"ts":1437200000,"dur":18000,"name":"GC"}
]})";

} // namespace

TEST(ChromeFaithful, TheSpanIsTheEventsSpanNotStretchedByMetadata)
{
    const TraceModel model = imported(QByteArray(kSinceBoot));
    // 1437.000 s to 1437.218 s: 218 ms, not 0 to 1437 s.
    EXPECT_EQ(1'437'000'000'000, model.startTime());
    EXPECT_EQ(1'437'218'000'000, model.endTime());
    // The thread the file only names is there, placed at the first event, not at 0.
    bool idleFound = false;
    for (const ThreadRecord &t : model.threads()) {
        if (t.tid == 9) {
            idleFound = true;
            EXPECT_EQ("idle worker", model.threadName(t.index));
            EXPECT_EQ(1'437'000'000'000, t.start);
        }
    }
    EXPECT_TRUE(idleFound);
    size_t slices = 0;
    for (const ThreadRecord &t : model.threads())
        slices += model.slices(t.index).size();
    EXPECT_EQ(3u, slices);
}

TEST(ChromeFaithful, InstantsAreMarksOfTheirThreadsWithTheirNames)
{
    const TraceModel model = imported(QByteArray(kSinceBoot));
    const std::vector<InstantMark> marks = instantMarks(model, model.startTime(), model.endTime());
    ASSERT_EQ(1u, marks.size());
    EXPECT_EQ(InstantKind::Imported, marks[0].kind);
    EXPECT_EQ("navigationStart", marks[0].program);
    EXPECT_EQ(1'437'100'000'000, marks[0].time);
    EXPECT_EQ(7, model.thread(marks[0].thread).tid);
    // Outside the window asked for, none.
    EXPECT_TRUE(instantMarks(model, model.startTime(), 1'437'099'999'999).empty());
}

TEST(ChromeFaithful, SortIndexesOrderProcessesAndThreads)
{
    // Process 10 starts first but asks to go last; in process 20, thread 22 asks to go first.
    const QByteArray json = R"({"traceEvents":[
      {"ph":"M","pid":10,"tid":10,"ts":0,"name":"process_sort_index","args":{"sort_index":5}},
      {"ph":"M","pid":20,"tid":20,"ts":0,"name":"process_sort_index","args":{"sort_index":-1}},
      {"ph":"M","pid":20,"tid":22,"ts":0,"name":"thread_sort_index","args":{"sort_index":-3}},
      {"ph":"X","pid":10,"tid":10,"ts":100,"dur":10,"name":"a"},
      {"ph":"X","pid":20,"tid":21,"ts":200,"dur":10,"name":"b"},
      {"ph":"X","pid":20,"tid":22,"ts":300,"dur":10,"name":"c"},
      {"ph":"X","pid":30,"tid":30,"ts":150,"dur":10,"name":"d"}
    ]})";
    const TraceModel model = imported(json);
    std::vector<int32_t> pids;
    std::vector<int32_t> tidsOf20;
    for (const ProcessGroup &g : processGroups(model)) {
        for (size_t k = 0; k < g.processes.size(); ++k) {
            const ProcessInfo &p = model.processes()[g.processes[k]];
            pids.push_back(p.pid);
            if (p.pid == 20)
                for (const uint32_t t : g.threads[k])
                    tidsOf20.push_back(model.thread(t).tid);
        }
    }
    // -1 first, then the unplaced (0) by start, then 5.
    EXPECT_EQ((std::vector<int32_t>{20, 30, 10}), pids);
    EXPECT_EQ((std::vector<int32_t>{22, 21}), tidsOf20);
}

TEST(ChromeFaithful, WithoutSortIndexesProcessesKeepTheirStartOrder)
{
    const QByteArray json = R"({"traceEvents":[
      {"ph":"X","pid":20,"tid":20,"ts":200,"dur":10,"name":"b"},
      {"ph":"X","pid":10,"tid":10,"ts":100,"dur":10,"name":"a"}
    ]})";
    const TraceModel model = imported(json);
    std::vector<int32_t> pids;
    for (const ProcessGroup &g : processGroups(model))
        for (const uint32_t pi : g.processes)
            pids.push_back(model.processes()[pi].pid);
    EXPECT_EQ((std::vector<int32_t>{10, 20}), pids);
}
