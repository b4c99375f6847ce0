// SPDX-License-Identifier: MIT
// RecordedCores: the cores a trace saw, from every event's core and the sampler's.
#include "trace/recordedcores.h"
#include "tracebuilder.h"

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

TEST(RecordedCores, CountsTheHighestCoreOfAnyEventAndGrowsWithTheModel)
{
    TraceBuilder b;
    const uint32_t t = b.thread(1, 11);
    b.ev(t, 0, EventType::ThreadStart, 0, 0, 0, 0);
    b.ev(t, 1, EventType::SleepBegin, 0, 5, 0, 1);
    TraceModel model(std::move(b.data));
    model.update();
    RecordedCores cores;
    EXPECT_EQ(cores.count(), 0);
    EXPECT_TRUE(cores.update(model));
    EXPECT_EQ(cores.count(), 2);
    EXPECT_FALSE(cores.update(model)); // nothing new

    // A sample of another thread on core 3, and one the sampler could not place (0xffff).
    Event e{};
    e.time = TraceBuilder::ms(2);
    e.thread = t;
    e.type = EventType::Sample;
    e.object = 11;
    e.cpu = 3;
    model.data().events.push_back(e);
    e.time = TraceBuilder::ms(3);
    e.cpu = 0xffff;
    model.data().events.push_back(e);
    model.update();
    EXPECT_TRUE(cores.update(model));
    EXPECT_EQ(cores.count(), 4);
    cores.clear();
    EXPECT_EQ(cores.count(), 0);
}
