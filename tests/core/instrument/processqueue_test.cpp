// SPDX-License-Identifier: MIT
#include "instrument/processqueue.h"

#include "leakcheck.h"
#include "recording.h"

#include <unistd.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

namespace interleave::core::test {

namespace {

using namespace std::chrono_literals;

class ProcessQueueTest : public LeakCheckedTest
{};

TEST_F(ProcessQueueTest, WriterPutsReaderGetsInOrderAcrossProcesses)
{
    Recording rec;
    ProcessQueue q("q");
    ProcessQueue report("report");
    Process writer = Process::fork("writer", [&] {
        for (const char *item : {"A", "B", "C"}) {
            sleepFor(40ms); // the reader blocks meanwhile
            q.put(item);
        }
        return 0;
    });
    Process reader = Process::fork("reader", [&] {
        std::string seen;
        for (int i = 0; i < 3; ++i)
            seen += q.get().value_or("?");
        report.put(seen);
        for (;;)
            q.get(); // as in the chapter: reads forever until terminated
        return 0;
    });
    ASSERT_TRUE(writer.join(10s));
    EXPECT_EQ(writer.exitCode(), 0);
    EXPECT_EQ(report.get(true, 10s), "ABC");
    reader.terminate();
    ASSERT_TRUE(reader.join(10s));
    EXPECT_EQ(reader.signal(), SIGTERM);
    EXPECT_EQ(q.size(), 0);
    rec.stop();

    const auto puts = rec.events(EventType::QueuePut, [&](const Event &e) { return e.object == q.id(); });
    const auto gets = rec.events(EventType::QueueGet, [&](const Event &e) { return e.object == q.id() && e.arg; });
    ASSERT_EQ(puts.size(), 3u);
    ASSERT_EQ(gets.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(rec.pid(puts[i]), writer.pid());
        EXPECT_EQ(rec.pid(gets[i]), reader.pid());
        EXPECT_EQ(gets[i].arg, puts[i].arg) << "the i-th get takes the i-th put";
        EXPECT_GT(gets[i].time, puts[i].time) << "each get after its put";
    }
    EXPECT_EQ(std::set<int64_t>({puts[0].arg, puts[1].arg, puts[2].arg}).size(), 3u) << "item ids are unique";
    const auto waits = rec.events(EventType::QueueGetWait, [&](const Event &e) { return rec.pid(e) == reader.pid(); });
    EXPECT_GE(waits.size(), 3u) << "the reader blocked for each item";
    for (const Event &e : rec.events(EventType::QueueDepth))
        EXPECT_GE(e.arg, 0);
}

TEST_F(ProcessQueueTest, GetWithTimeoutReturnsEmpty)
{
    Recording rec;
    ProcessQueue q("empty");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(q.get(true, 100ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 95ms);
    EXPECT_FALSE(q.get(false));
    rec.stop();
    const auto waits = rec.events(EventType::QueueGetWait);
    ASSERT_EQ(waits.size(), 1u) << "only the blocking get waits";
    EXPECT_TRUE(waits[0].flags & Timed);
    const auto gets = rec.events(EventType::QueueGet);
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(gets[0].arg, 0) << "a get that timed out carries no item";
}

TEST_F(ProcessQueueTest, StopEndsABlockingGet)
{
    ProcessQueue q("stopped");
    std::thread stopper([] {
        std::this_thread::sleep_for(100ms);
        instrument::setStopRequested(true);
    });
    EXPECT_FALSE(q.get());
    stopper.join();
    instrument::setStopRequested(false);
}

TEST_F(ProcessQueueTest, ItemSizeIsBounded)
{
    ProcessQueue q("big");
    std::string item(ProcessQueue::kMaxItemBytes, '\0');
    item[1] = 'x';
    ASSERT_TRUE(q.put(item));
    EXPECT_EQ(q.get(true, 1s), item) << "binary items round-trip whole";
    try {
        q.put(std::string(ProcessQueue::kMaxItemBytes + 1, 'y'));
        FAIL() << "an oversized item was accepted";
    } catch (const std::length_error &e) {
        EXPECT_NE(std::string(e.what()).find("'big'"), std::string::npos) << e.what();
    }
}

TEST_F(ProcessQueueTest, ManyWritersGiveUniqueIds)
{
    Recording rec;
    ProcessQueue q("many");
    std::vector<Process> writers;
    for (int w = 0; w < 3; ++w)
        writers.push_back(Process::fork("writer", [&q, w] {
            for (int i = 0; i < 20; ++i)
                q.put(std::to_string(w * 100 + i));
            return 0;
        }));
    std::set<std::string> items;
    for (int i = 0; i < 60; ++i)
        if (auto item = q.get(true, 10s))
            items.insert(*item);
    for (Process &p : writers)
        EXPECT_TRUE(p.join(10s));
    EXPECT_EQ(items.size(), 60u);
    rec.stop();
    std::set<int64_t> ids;
    for (const Event &e : rec.events(EventType::QueuePut))
        ids.insert(e.arg);
    EXPECT_EQ(ids.size(), 60u);
    EXPECT_EQ(rec.events(EventType::QueueGet).size(), 60u);
}

} // namespace
} // namespace interleave::core::test
