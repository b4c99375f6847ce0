// SPDX-License-Identifier: MIT
// The session's drain thread: it reads the log while nobody takes from it, and hands over what it
// read in order, in slices as small as the taker asks.
#include "run/logdrainer.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

using namespace interleave::core;
using namespace std::chrono_literals;

TEST(LogDrainer, ReadsWhileNobodyTakesAndHandsOverInOrderInSlices)
{
    // A small log for 4 x 20000 events: the writers fill it many times over while the test takes
    // nothing, so they finish only because the drainer keeps reading.
    EventLog::Options options;
    options.slotsPerChunk = 64;
    options.readerSilence = 100ms; // a reader silent this long makes writers drop: it must not be
    std::string error;
    auto log = EventLog::create(128 << 10, &error, options);
    ASSERT_TRUE(log) << error;
    recorder::attach(log.get());
    const uint32_t writerName = recorder::intern("writer");
    constexpr int kThreads = 4;
    constexpr int kEvents = 20000;
    ASSERT_LT(size_t(log->chunkCount()) * log->slotsPerChunk() * 10, size_t(kThreads) * kEvents);
    {
        LogDrainer drainer(*log);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([t] {
                for (int i = 0; i < kEvents; ++i)
                    recorder::record(EventType::VarStore, uint32_t(t), i);
                recorder::closeThread();
            });
        }
        for (auto &thread : threads)
            thread.join();
        // Every event was read without a take: the writers never had to give up on the reader.
        // (Besides the stores, the log holds the writers' waits for a free chunk, as slices.)
        constexpr size_t kStores = size_t(kThreads) * kEvents;
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        size_t read = 0;
        for (size_t last = 1; (read < kStores || read != last) && std::chrono::steady_clock::now() < deadline;) {
            last = read;
            std::this_thread::sleep_for(20ms); // five drains: the log is read to its end
            read = drainer.backlog();
        }
        ASSERT_GE(read, kStores);

        TraceData data;
        EXPECT_EQ(drainer.take(data, 1000), 1000u);
        EXPECT_EQ(data.events.size(), 1000u);
        EXPECT_EQ(drainer.backlog(), read - 1000);
        EXPECT_FALSE(data.threads.empty()) << "the threads come with the first slice";
        size_t slices = 1;
        while (drainer.take(data, 7000) > 0)
            ++slices;
        EXPECT_EQ(slices, 1 + (read - 1000 + 6999) / 7000);
        EXPECT_EQ(data.events.size(), read);
        drainer.finish();
        drainer.take(data);
        recorder::detach();

        EXPECT_EQ(data.droppedEvents, 0u);
        EXPECT_EQ(data.threads.size(), size_t(kThreads));
        std::map<uint32_t, int64_t> next; // per writer (object): the next value in its order
        size_t stores = 0;
        for (const Event &e : data.events) {
            if (e.type != EventType::VarStore)
                continue;
            ++stores;
            ASSERT_EQ(e.arg, next[e.object]) << "writer " << e.object << " out of order";
            ++next[e.object];
        }
        EXPECT_EQ(stores, kStores);
        EXPECT_EQ(next.size(), size_t(kThreads));
        EXPECT_EQ(data.string(writerName), "writer") << "the strings come along";
    }
}

TEST(LogDrainer, ReadsNoFurtherAheadThanItsLimitAndTheWritersWait)
{
    // A limit of 2000 waiting events for 2 x 20000: the drainer stops reading at the limit, the
    // log fills, the writers wait (back-pressure) instead of the memory growing; once the test
    // takes, they go on, and nothing is dropped.
    EventLog::Options options;
    options.slotsPerChunk = 64;
    std::string error;
    auto log = EventLog::create(128 << 10, &error, options);
    ASSERT_TRUE(log) << error;
    recorder::attach(log.get());
    constexpr int kThreads = 2;
    constexpr int kEvents = 20000;
    const size_t capacity = size_t(log->chunkCount()) * log->slotsPerChunk();
    ASSERT_LT(capacity + 2000, size_t(kThreads) * kEvents / 2);
    LogDrainer drainer(*log, 2000);
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([t, &done] {
            for (int i = 0; i < kEvents; ++i)
                recorder::record(EventType::VarStore, uint32_t(t), i);
            recorder::closeThread();
            ++done;
        });
    }
    std::this_thread::sleep_for(300ms); // long enough to write everything, were nobody waiting
    // At most one drain past the limit: that drain read no more than the log held.
    EXPECT_LE(drainer.backlog(), 2000 + capacity);
    EXPECT_EQ(done.load(), 0) << "the writers did not wait: the drainer read past its limit";

    TraceData data;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (done.load() < kThreads && std::chrono::steady_clock::now() < deadline) {
        drainer.take(data);
        std::this_thread::sleep_for(1ms);
    }
    for (auto &thread : threads)
        thread.join();
    drainer.finish();
    drainer.take(data);
    recorder::detach();
    EXPECT_EQ(data.droppedEvents, 0u);
    size_t stores = 0;
    for (const Event &e : data.events)
        stores += e.type == EventType::VarStore;
    EXPECT_EQ(stores, size_t(kThreads) * kEvents);
}
