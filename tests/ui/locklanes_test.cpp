// SPDX-License-Identifier: MIT
#include "ui/timeline/inflight.h"
#include "ui/timeline/locklanes.h"
#include "ui/timeline/timelinedata.h"
#include "ui/timeline/timelinelayout.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"

#include <gtest/gtest.h>

using namespace interleave;
using core::EventType;
using core::ObjectKind;
using core::testing::TraceBuilder;
using ui::LockLane;
using ui::LockLanes;
using ui::PixelRun;
using ui::TimelineData;
using ui::TimelineRow;
using ui::TimeMapping;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Two threads of pid 100 take turns on lock 7 (the second waits 10-20 ms); a thread of pid 200
/// holds lock 8, waits for it a second time with a 1 µs wait at 40 ms, and is still holding it at
/// the end.
core::TraceData twoLocks(uint32_t &a, uint32_t &b, uint32_t &c)
{
    TraceBuilder t;
    a = t.thread(100, 100);
    b = t.thread(100, 101);
    c = t.thread(200, 200);
    t.ev(a, 0, EventType::ProcessStart, t.str("p"), 1);
    t.ev(c, 0, EventType::ProcessStart, t.str("q"), 100);
    t.object(a, 0, 7, ObjectKind::Mutex, "lock A");
    t.object(c, 0, 8, ObjectKind::Mutex, "lock B");
    t.ev(b, 1, EventType::ThreadStart, 0, 100);
    t.ev(a, 5, EventType::LockObtain, 7);
    t.ev(b, 10, EventType::LockWait, 7);
    t.ev(a, 20, EventType::LockRelease, 7);
    t.ev(b, 20, EventType::LockObtain, 7);
    t.ev(b, 25, EventType::LockRelease, 7);
    t.ev(c, 30, EventType::LockObtain, 8);
    t.ev(c, 35, EventType::LockRelease, 8);
    t.data.events.push_back(t.data.events.back());
    t.data.events.back().type = EventType::LockWait;
    t.data.events.back().time = ms(40);
    t.data.events.push_back(t.data.events.back());
    t.data.events.back().type = EventType::LockObtain;
    t.data.events.back().time = ms(40) + 1000;
    t.ev(a, 60, EventType::Output, t.str("end"), 1);
    return std::move(t.data);
}

struct Piece
{
    int64_t start, end;
    uint16_t code;
    bool operator==(const Piece &) const = default;
};

/// A lane's holders with neighbours of one code merged (an update may cut a span in two).
std::vector<Piece> holders(const LockLane &lane)
{
    std::vector<Piece> out;
    for (size_t i = 0; i < lane.holders.size(); ++i) {
        const Piece p{lane.holders.start(i), lane.holders.end(i), lane.holders.code(i)};
        if (!out.empty() && out.back().end == p.start && out.back().code == p.code)
            out.back().end = p.end;
        else
            out.push_back(p);
    }
    return out;
}

} // namespace

TEST(LockLanes, ALanePerLockUnderItsProcessWithHoldersAndWaiters)
{
    uint32_t a = 0, b = 0, c = 0;
    const core::TraceModel model(twoLocks(a, b, c));
    TimelineData data;
    data.update(model);
    const auto &lanes = data.lockLanes().lanes();
    ASSERT_EQ(lanes.size(), 2u);
    EXPECT_EQ(lanes[0].lock, 7u);
    EXPECT_EQ(lanes[0].pid, 100);
    EXPECT_EQ(lanes[1].pid, 200);
    EXPECT_EQ(holders(lanes[0]), (std::vector<Piece>{{ms(5), ms(20), LockLane::holderCode(a)},
                                                     {ms(20), ms(25), LockLane::holderCode(b)}}));
    ASSERT_EQ(lanes[0].waits.size(), 1u);
    EXPECT_EQ(lanes[0].waits[0].thread, b);
    EXPECT_EQ(lanes[0].waits[0].start, ms(10));
    EXPECT_EQ(lanes[0].waits[0].end, ms(20));
    // Lock B is still held at the end: its hold reaches the trace's end.
    EXPECT_EQ(lanes[1].holders.endTime(), model.endTime());
    EXPECT_TRUE(lanes[1].waits.size() == 1 && lanes[1].waits[0].end - lanes[1].waits[0].start == 1000);

    // Each lock's row comes right after the threads of its own process.
    const ui::TimelineLayout layout = ui::TimelineLayout::build(model, data, ui::RowMetrics{});
    ASSERT_EQ(layout.lockRow.size(), 2u);
    const int rowA = layout.lockRow[0];
    const int rowB = layout.lockRow[1];
    ASSERT_GE(rowA, 0);
    ASSERT_GE(rowB, 0);
    EXPECT_EQ(layout.rows[size_t(rowA)].kind, TimelineRow::Kind::Lock);
    EXPECT_GT(rowA, std::max(layout.threadRow[a], layout.threadRow[b]));
    EXPECT_LT(rowA, layout.threadRow[c]);
    EXPECT_GT(rowB, layout.threadRow[c]);
}

TEST(LockLanes, GrowingEventByEventEndsExactlyLikeAFreshRead)
{
    uint32_t a = 0, b = 0, c = 0;
    core::TraceData all = twoLocks(a, b, c);
    core::TraceModel growing;
    growing.data().threads = all.threads;
    growing.data().strings = all.strings;
    TimelineData data;
    for (const core::Event &e : all.events) {
        growing.data().events.push_back(e);
        growing.update();
        data.update(growing);
    }
    TimelineData fresh;
    fresh.update(growing);
    const auto &x = data.lockLanes().lanes();
    const auto &y = fresh.lockLanes().lanes();
    ASSERT_EQ(x.size(), y.size());
    for (size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(holders(x[i]), holders(y[i])) << i;
        ASSERT_EQ(x[i].waits.size(), y[i].waits.size()) << i;
        for (size_t k = 0; k < x[i].waits.size(); ++k) {
            EXPECT_EQ(x[i].waits[k].start, y[i].waits[k].start);
            EXPECT_EQ(x[i].waits[k].end, y[i].waits[k].end);
            EXPECT_EQ(x[i].waits[k].thread, y[i].waits[k].thread);
        }
    }
}

TEST(LockLanes, EveryWaitShowsAtAnyZoomAndNeighboursMergeWithACount)
{
    LockLane lane;
    // Three 1 µs waits 100 µs apart, then one of 10 ms at 500 ms, in a 1 s trace.
    for (int i = 0; i < 3; ++i)
        lane.waits.push_back({ms(100) + i * 100'000, ms(100) + i * 100'000 + 1000, uint32_t(i), false, false});
    lane.waits.push_back({ms(500), ms(510), 3, false, false});
    lane.maxWait = ms(10);
    const TimeMapping wide(0, ms(1000), 0, 1000); // 1 ms a pixel
    auto marks = LockLanes::waitMarks(lane, wide, 3);
    ASSERT_EQ(marks.size(), 2u);
    EXPECT_EQ(marks[0].count, 3) << "three waits within a pixel: one mark, ×3";
    EXPECT_GE(marks[0].x1 - marks[0].x0, 3.0) << "never narrower than the minimum";
    EXPECT_EQ(marks[1].count, 1);
    EXPECT_NEAR(marks[1].x1 - marks[1].x0, 10.0, 0.01);
    // Zoomed in on the first three: each its own mark again.
    const TimeMapping close(ms(100), ms(101), 0, 1000); // 1 µs a pixel
    marks = LockLanes::waitMarks(lane, close, 3);
    ASSERT_EQ(marks.size(), 3u);
    for (const ui::WaitMark &m : marks)
        EXPECT_EQ(m.count, 1);
    // A long wait that began before the view still shows.
    marks = LockLanes::waitMarks(lane, TimeMapping(ms(505), ms(600), 0, 1000), 3);
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_DOUBLE_EQ(marks[0].x0, 0.0);
}

TEST(LockLanes, ShortRunsAreWidenedAndTheirNeighboursGiveWay)
{
    std::vector<PixelRun> runs{{0, 10, 0}, {10, 11, 1}, {11, 12, 0}, {12, 13, 1}, {13, 40, 0}, {40, 50, 1}};
    LockLanes::widenRuns(runs, 3);
    EXPECT_EQ(runs, (std::vector<PixelRun>{{0, 10, 0}, {10, 13, 1}, {13, 16, 1}, {16, 40, 0}, {40, 50, 1}}));
}

TEST(InFlight, OverlappingAsyncSpansGetASubRowEachAndPhasesEndAtTheNext)
{
    TraceBuilder t;
    const uint32_t loop = t.thread(100, 100);
    const uint32_t other = t.thread(100, 101);
    t.ev(loop, 0, EventType::ProcessStart, t.str("p"), 1);
    t.ev(loop, 0, EventType::Phase, t.str("event loop"));
    const uint32_t r1 = t.str("request 1"), r2 = t.str("request 2"), r3 = t.str("request 3");
    t.ev(loop, 1, EventType::AsyncBegin, r1, 1);
    t.ev(loop, 2, EventType::AsyncBegin, r2, 2);
    t.ev(loop, 3, EventType::AsyncBegin, r3, 3);
    t.ev(loop, 10, EventType::AsyncEnd, r2, 2);
    t.ev(loop, 12, EventType::AsyncEnd, r1, 1);
    t.ev(loop, 15, EventType::AsyncEnd, r3, 3);
    t.ev(loop, 20, EventType::Phase, t.str("threads"));
    t.ev(other, 21, EventType::AsyncBegin, r1, 4); // one at a time: no in-flight row
    t.ev(other, 30, EventType::AsyncEnd, r1, 4);
    const core::TraceModel model(std::move(t.data));
    TimelineData data;
    data.update(model);
    const auto &lanes = data.inFlight().lanes();
    ASSERT_EQ(lanes.size(), 1u);
    EXPECT_EQ(lanes[0].thread, loop);
    EXPECT_EQ(lanes[0].depth, 3u);
    std::vector<uint16_t> subRows;
    for (const ui::InFlightSpan &s : lanes[0].spans)
        subRows.push_back(s.slot);
    EXPECT_EQ(subRows, (std::vector<uint16_t>{0, 1, 2}));
    const auto &phases = data.inFlight().phases();
    ASSERT_EQ(phases.size(), 2u);
    EXPECT_EQ(phases[0].name, "event loop");
    EXPECT_EQ(phases[0].end, ms(20));
    EXPECT_EQ(phases[1].end, model.endTime());
    const ui::TimelineLayout layout = ui::TimelineLayout::build(model, data, ui::RowMetrics{});
    const int row = layout.threadRow[loop] + 1;
    ASSERT_LT(size_t(row), layout.rows.size());
    EXPECT_EQ(layout.rows[size_t(row)].kind, TimelineRow::Kind::InFlight);
}

TEST(LockLanes, ARealRunReadInBatchesEndsLikeAFreshRead)
{
    // Switching inside the lock makes the other thread wait, unless a busy machine happened to
    // run the two threads one after the other: then the run is made again, up to five times.
    size_t waits = 0;
    for (int attempt = 0; attempt < 5 && waits == 0; ++attempt) {
        const auto run = core::testing::runScenario("lock", {{QStringLiteral("iterations"), QStringLiteral("2000")},
                                                             {QStringLiteral("switch"), QStringLiteral("on")}});
        ASSERT_EQ(run.status(), core::RunStatus::Finished);
        const core::TraceData &all = run.model().data();
        core::TraceModel growing;
        growing.data().threads = all.threads;
        growing.data().strings = all.strings;
        TimelineData data;
        const size_t batches = 37;
        for (size_t k = 1; k <= batches; ++k) {
            const size_t upto = all.events.size() * k / batches;
            while (growing.data().events.size() < upto)
                growing.data().events.push_back(all.events[growing.data().events.size()]);
            growing.update();
            data.update(growing);
        }
        TimelineData fresh;
        fresh.update(growing);
        ASSERT_EQ(data.lockLanes().lanes().size(), 1u);
        const LockLane &x = data.lockLanes().lanes()[0];
        const LockLane &y = fresh.lockLanes().lanes()[0];
        EXPECT_EQ(holders(x), holders(y));
        ASSERT_EQ(x.waits.size(), y.waits.size());
        for (size_t k = 0; k < x.waits.size(); ++k) {
            EXPECT_EQ(x.waits[k].start, y.waits[k].start) << k;
            EXPECT_EQ(x.waits[k].end, y.waits[k].end) << k;
        }
        waits = x.waits.size();
        core::testing::expectNothingLeft(run);
    }
    EXPECT_GT(waits, 0u) << "in five runs no thread ever waited for the lock";
}

// A traced program's libraries take locks of their own, each by one thread, uncontended
// (libcrypto's, logging's): such a lock gets no lane there. A scenario's keeps it.
TEST(LockLanes, ATracedProgramsLockOnlyOneThreadEverTookHasNoLane)
{
    auto build = [](bool traced, uint32_t &a) {
        TraceBuilder t;
        a = t.thread(100, 100);
        const uint32_t b = t.thread(100, 101);
        t.ev(a, 0, EventType::ProcessStart, t.str("p"), 1);
        t.object(a, 0, 7, ObjectKind::Mutex, "shared");
        t.object(a, 0, 9, ObjectKind::Mutex, "CRYPTO_THREAD_lock_new+0x31");
        t.object(a, 0, 10, ObjectKind::Gil, "GIL");
        t.ev(a, 0, EventType::LockObtain, 10); // one thread's GIL is still drawn: it is the lesson
        t.ev(a, 1, EventType::LockObtain, 7);
        t.ev(a, 2, EventType::LockRelease, 7);
        t.ev(b, 3, EventType::LockObtain, 7);
        t.ev(b, 4, EventType::LockRelease, 7);
        for (int i = 0; i < 3; ++i) {
            t.ev(a, 5 + 2 * i, EventType::LockObtain, 9);
            t.ev(a, 6 + 2 * i, EventType::LockRelease, 9);
        }
        if (traced)
            t.data.meta.insert(QStringLiteral("scenario"), QStringLiteral("trace"));
        return std::move(t.data);
    };
    for (const bool traced : {true, false}) {
        SCOPED_TRACE(traced ? "traced" : "scenario");
        uint32_t a = 0;
        const core::TraceModel model(build(traced, a));
        TimelineData data;
        data.update(model);
        const auto &lanes = data.lockLanes().lanes();
        ASSERT_EQ(lanes.size(), 3u);
        EXPECT_TRUE(lanes[0].shared);
        EXPECT_FALSE(lanes[1].shared);
        EXPECT_FALSE(lanes[2].shared);
        const ui::TimelineLayout layout = ui::TimelineLayout::build(model, data, ui::RowMetrics{});
        EXPECT_GE(layout.lockRow[0], 0);
        EXPECT_EQ(layout.lockRow[1] >= 0, !traced);
        EXPECT_GE(layout.lockRow[2], 0);
    }
}
