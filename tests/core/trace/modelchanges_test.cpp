// SPDX-License-Identifier: MIT
// ModelChanges: what the events past a cursor changed, read from the events by the model's side
// only (the views read these facts, never the events).
#include "trace/modelchanges.h"
#include "tracebuilder.h"

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

/// Two threads of pid 7 and a third of pid 8: locks, a condition wait, a queue, a sample with a
/// run-queue delay, a phase, an async span, a deadlock and pid 8's exit.
struct Scene
{
    TraceBuilder b;
    uint32_t t1 = b.thread(7, 7);
    uint32_t t2 = b.thread(7, 71);
    uint32_t t3 = b.thread(8, 8);
    uint32_t phaseName = b.str("warm-up");

    Scene()
    {
        b.ev(t1, 1, EventType::ProcessStart, b.str("main"), 1);
        b.ev(t1, 1, EventType::ThreadStart);
        b.ev(t2, 2, EventType::ThreadStart, 0, 7);
        b.ev(t3, 2, EventType::ProcessStart, b.str("child"), 7);
        b.ev(t3, 2, EventType::ThreadStart);
        b.ev(t1, 3, EventType::Phase, phaseName);
        b.ev(t1, 4, EventType::LockWait, 11);
        b.ev(t1, 5, EventType::LockObtain, 11);
        b.ev(t2, 6, EventType::CondWait, 12, 11); // waits on condvar 12, releasing mutex 11
        b.ev(t2, 7, EventType::QueueDepth, 30, 1);
        b.ev(t2, 8, EventType::QueueDepth, 30, 0);
        b.ev(t3, 9, EventType::QueueDepth, 31, 2);
        // Thread 71 last ran on core 1 and waited 3 ms for it.
        b.ev(t1, 20, EventType::Sample, 71, SampleArg::pack('R', uint64_t(TraceBuilder::ms(3))), 0, 1);
        b.ev(t1, 21, EventType::AsyncBegin, b.str("fetch"), 1);
        b.ev(t1, 22, EventType::AsyncEnd, 0, 1);
        b.ev(t1, 23, EventType::Deadlock, 0, 2);
        b.ev(t1, 24, EventType::ProcessExit, 8, 0);
    }
};

} // namespace

TEST(ModelChanges, NamesWhatEachEventChangedFromTheCursorOn)
{
    Scene s;
    TraceModel m(std::move(s.b.data));
    const ModelChanges c = changesSince(m, 0);
    constexpr auto ms = TraceBuilder::ms;
    EXPECT_EQ(c.from, 0u);
    EXPECT_EQ(c.to, m.data().events.size());
    ASSERT_EQ(c.statesFrom.size(), 3u);
    EXPECT_EQ(c.statesFrom[s.t1], ms(1));
    EXPECT_EQ(c.statesFrom[s.t2], ms(2));
    EXPECT_EQ(c.statesFrom[s.t3], ms(2));
    EXPECT_EQ(c.locksFrom[s.t1], ms(4));
    EXPECT_EQ(c.locksFrom[s.t2], ms(6));
    EXPECT_EQ(c.locksFrom[s.t3], kTimeMax);
    // The lock itself from its first event; the condition variable touches the mutex it releases.
    ASSERT_EQ(c.locksTouched.size(), 1u);
    EXPECT_EQ(c.locksTouched.at(11), ms(4));
    EXPECT_EQ(c.queues, (std::vector<uint32_t>{30, 31}));
    EXPECT_TRUE(c.spans);
    EXPECT_EQ(c.deadlocks, (std::vector<int64_t>{ms(23)}));
    ASSERT_EQ(c.samples.size(), 1u);
    EXPECT_EQ(c.samples[0].tid, 71);
    EXPECT_EQ(c.samples[0].time, ms(20));
    EXPECT_EQ(c.samples[0].cpu, 1);

    const std::vector<PhaseMark> phases = phaseMarks(m);
    ASSERT_EQ(phases.size(), 1u);
    EXPECT_EQ(phases[0].time, ms(3));
    EXPECT_EQ(phases[0].pid, 7);
    EXPECT_EQ(phases[0].name, "warm-up");
}

TEST(ModelChanges, FromACursorOnlyTheLaterEventsCount)
{
    Scene s;
    TraceModel m(std::move(s.b.data));
    const size_t sample = 12; // the Sample event: everything from there on
    ASSERT_EQ(m.data().events[sample].type, EventType::Sample);
    const ModelChanges c = changesSince(m, sample);
    constexpr auto ms = TraceBuilder::ms;
    // The sample turns 71's last 3 ms before it Ready: its states change from 17 ms.
    EXPECT_EQ(c.statesFrom[s.t2], ms(17));
    // The exit of pid 8 ends its thread at 24 ms; t1 wrote the later events.
    EXPECT_EQ(c.statesFrom[s.t3], ms(24));
    EXPECT_EQ(c.statesFrom[s.t1], ms(20));
    EXPECT_EQ(c.locksFrom[s.t1], kTimeMax);
    EXPECT_TRUE(c.locksTouched.empty());
    EXPECT_TRUE(c.queues.empty());
    EXPECT_TRUE(c.spans);
    EXPECT_EQ(c.deadlocks.size(), 1u);
    EXPECT_EQ(samplesSince(m, sample).size(), 1u);
    EXPECT_TRUE(samplesSince(m, sample + 1).empty());
    // At the end, and past it: nothing.
    const ModelChanges none = changesSince(m, m.data().events.size() + 5);
    EXPECT_EQ(none.from, none.to);
    EXPECT_TRUE(none.deadlocks.empty() && none.samples.empty() && !none.spans);
    EXPECT_EQ(none.statesFrom, std::vector<int64_t>(3, kTimeMax));
}

TEST(ModelChanges, EventsNotIngestedYetAreNotRead)
{
    Scene s;
    TraceModel m(std::move(s.b.data));
    const size_t ingested = m.ingestedEvents();
    Event late{};
    late.time = TraceBuilder::ms(30);
    late.thread = s.t1;
    late.type = EventType::Deadlock;
    m.data().events.push_back(late);
    EXPECT_EQ(changesSince(m, 0).to, ingested);
    EXPECT_EQ(changesSince(m, 0).deadlocks.size(), 1u);
    m.update();
    EXPECT_EQ(changesSince(m, ingested).deadlocks, (std::vector<int64_t>{TraceBuilder::ms(30)}));
}
