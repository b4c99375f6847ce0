// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"
#include "instrument/queue.h"
#include "instrument/thread.h"

#include "recording.h"

#include <chrono>
#include <map>
#include <string>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

TEST(Queue, EveryGetMatchesAnEarlierPutAndDepthStaysWithinCapacity)
{
    Recording rec;
    Queue<std::string> q("q", 2);
    std::vector<std::string> got;
    int32_t readerTid = 0;
    {
        Thread reader("Reader", [&] {
            readerTid = currentTid();
            while (auto item = q.get())
                got.push_back(*item);
        });
        Thread writer("Writer", [&] {
            for (int i = 0; i < 50; ++i) {
                if (i % 10 == 0)
                    sleepFor(2ms); // lets the reader block on an empty queue now and then
                q.put(test::numbered("item", i));
            }
            q.close();
        });
    }
    rec.stop();
    ASSERT_EQ(got.size(), 50u);
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(got[size_t(i)], test::numbered("item", i));

    std::map<int64_t, int64_t> putTime;
    int gets = 0;
    for (const Event &e : rec.of(q.id())) {
        if (e.type == EventType::QueuePut) {
            EXPECT_TRUE(putTime.emplace(e.arg, e.time).second) << "item id reused: " << e.arg;
        } else if (e.type == EventType::QueueGet && e.arg != 0) {
            ASSERT_TRUE(putTime.count(e.arg)) << "get of item " << e.arg << " before its put";
            EXPECT_LE(putTime[e.arg], e.time);
            EXPECT_EQ(e.arg, ++gets) << "FIFO order";
        } else if (e.type == EventType::QueueDepth) {
            EXPECT_GE(e.arg, 0);
            EXPECT_LE(e.arg, 2);
        }
    }
    EXPECT_EQ(gets, 50);
    // The first get found the queue empty and waited, in the reader's thread.
    const auto waits = rec.of(q.id(), {EventType::QueueGetWait});
    ASSERT_FALSE(waits.empty());
    EXPECT_EQ(rec.tid(waits[0]), readerTid);
}

TEST(Queue, GetWaitsUntilAPutAndTimesOutWithItemZero)
{
    Recording rec;
    Queue<int> q("q", 1);
    std::chrono::nanoseconds waited{};
    {
        Thread reader("Reader", [&] {
            const auto start = std::chrono::steady_clock::now();
            const auto item = q.get();
            waited = std::chrono::steady_clock::now() - start;
            EXPECT_EQ(item, 7);
        });
        sleepFor(30ms);
        q.put(7);
    }
    EXPECT_GE(waited, 25ms);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(q.getFor(20ms).has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
    rec.stop();
    const auto gets = rec.of(q.id(), {EventType::QueueGet});
    ASSERT_EQ(gets.size(), 2u);
    EXPECT_EQ(gets[0].arg, 1);
    EXPECT_EQ(gets[1].arg, 0);
    EXPECT_EQ(gets[1].flags, Timed);
}

TEST(Queue, CloseAndStopReleaseBlockedCallers)
{
    Recording rec;
    Queue<int> q("q", 1);
    {
        Thread reader("Reader", [&] { EXPECT_FALSE(q.get().has_value()); });
        sleepFor(10ms);
        q.close();
    }
    Queue<int> full("full", 1);
    full.put(1);
    {
        Thread writer("Writer", [&] { EXPECT_EQ(full.put(2), 0u); });
        sleepFor(10ms);
        instrument::setStopRequested(true);
    }
    instrument::setStopRequested(false);
    rec.stop();
}
