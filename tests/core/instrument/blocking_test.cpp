// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"
#include "instrument/thread.h"

#include "recording.h"

#include <chrono>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

TEST(Blocking, SleepForRecordsRequestedNsAndSleepsAtLeastThatLong)
{
    Recording rec;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(sleepFor(30ms));
    const auto slept = std::chrono::steady_clock::now() - start;
    rec.stop();
    EXPECT_GE(slept, 30ms);
    const auto begins = rec.events(EventType::SleepBegin);
    const auto ends = rec.events(EventType::SleepEnd);
    ASSERT_EQ(begins.size(), 1u);
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(begins[0].arg, 30'000'000);
    EXPECT_GE(ends[0].time - begins[0].time, 30'000'000);
}

TEST(Blocking, LongSleepEndsSoonAfterAStopRequest)
{
    Recording rec;
    bool complete = true;
    const auto start = std::chrono::steady_clock::now();
    {
        Thread sleeper("Sleeper", [&] { complete = sleepFor(30s); });
        sleepFor(20ms);
        instrument::setStopRequested(true);
    }
    instrument::setStopRequested(false);
    EXPECT_FALSE(complete);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
    rec.stop();
    EXPECT_EQ(rec.events(EventType::SleepEnd).size(), 2u);
}

TEST(Blocking, IoWaitGuardRecordsWhat)
{
    Recording rec;
    {
        IoWait wait("stdin of worker");
    }
    rec.stop();
    const auto begins = rec.events(EventType::IoWaitBegin);
    ASSERT_EQ(begins.size(), 1u);
    EXPECT_EQ(rec.data().string(begins[0].object), "stdin of worker");
    const auto ends = rec.events(EventType::IoWaitEnd);
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(ends[0].object, begins[0].object);
}
