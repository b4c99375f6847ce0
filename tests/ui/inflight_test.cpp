// SPDX-License-Identifier: MIT
// The timeline's "in flight" lane (InFlightData): overlapping async spans each get a sub-row.
#include "trace/modelchanges.h"
#include "trace/tracemodel.h"
#include "ui/timeline/inflight.h"

#include "../core/trace/tracebuilder.h"

#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <set>

using namespace interleave;
using core::EventType;
using core::testing::TraceBuilder;

namespace {

// `open` async spans begun one after another on one thread and never ended, then one short span
// that begins and ends after them.
core::TraceData openSpans(int open)
{
    TraceBuilder b;
    const uint32_t t = b.thread(1, 1);
    const uint32_t name = b.str("request");
    for (int i = 0; i < open; ++i)
        b.ev(t, i, EventType::AsyncBegin, name, i);
    b.ev(t, open, EventType::AsyncBegin, name, open);
    b.ev(t, open + 1, EventType::AsyncEnd, name, open);
    return std::move(b.data);
}

double updateSeconds(const core::TraceModel &model, ui::InFlightData &data)
{
    const core::ModelChanges changes = core::changesSince(model, 0);
    QElapsedTimer timer;
    timer.start();
    EXPECT_TRUE(data.update(model, changes, true));
    return double(timer.nsecsElapsed()) / 1e9;
}

} // namespace

TEST(InFlight, OverlappingSpansTakeTheLowestFreeSubRow)
{
    TraceBuilder b;
    const uint32_t t = b.thread(1, 1);
    const uint32_t name = b.str("request");
    b.ev(t, 0, EventType::AsyncBegin, name, 1); // row 0
    b.ev(t, 1, EventType::AsyncBegin, name, 2); // row 1
    b.ev(t, 2, EventType::AsyncBegin, name, 3); // row 2
    b.ev(t, 3, EventType::AsyncEnd, name, 2);   // frees row 1
    b.ev(t, 4, EventType::AsyncEnd, name, 1);   // frees row 0
    b.ev(t, 5, EventType::AsyncBegin, name, 4); // row 0, the lowest free
    b.ev(t, 6, EventType::AsyncBegin, name, 5); // row 1
    b.ev(t, 7, EventType::AsyncEnd, name, 3);
    b.ev(t, 7, EventType::AsyncEnd, name, 4);
    b.ev(t, 7, EventType::AsyncEnd, name, 5);
    const core::TraceModel model(std::move(b.data));
    ui::InFlightData data;
    updateSeconds(model, data);
    const ui::InFlightLane *lane = data.lane(t);
    ASSERT_NE(nullptr, lane);
    EXPECT_EQ(3, lane->depth);
    std::vector<int> rowOf;
    for (const ui::InFlightSpan &s : lane->spans)
        rowOf.push_back(s.slot);
    EXPECT_EQ((std::vector<int>{0, 1, 2, 0, 1}), rowOf);
}

// Issue 21, finding 3 (big-input exports): 120 k async spans left open took the timeline export
// 14.6 s (30 k: 1.7 s): every span scanned every sub-row for a free one. Before: 6 k spans 0.011 s,
// 60 k 1.26 s (10 times the spans, 115 times the time); now heaps find the free row (0.0005 s,
// 0.005 s). The bound allows 20 times the small one's time and 0.3 s.
TEST(InFlight, ManySpansInFlightAtOnceAreLaidOutInNearLinearTime)
{
    double seconds[2] = {0, 0};
    int i = 0;
    for (int open : {6000, 60000}) {
        const core::TraceModel model(openSpans(open));
        ui::InFlightData data;
        seconds[i++] = updateSeconds(model, data);
        const ui::InFlightLane *lane = data.lane(0);
        ASSERT_NE(nullptr, lane);
        EXPECT_EQ(open + 1, lane->depth); // the last span begins while all the others are open
        std::set<int> rows;
        for (const ui::InFlightSpan &s : lane->spans)
            rows.insert(s.slot);
        EXPECT_EQ(size_t(open + 1), rows.size());
    }
    EXPECT_LT(seconds[1], 20 * seconds[0] + 0.3) << seconds[0] << " s for 6000 spans, " << seconds[1] << " s for 60000";
}
