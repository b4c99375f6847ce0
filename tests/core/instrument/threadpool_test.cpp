// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"
#include "instrument/threadpool.h"

#include "recording.h"

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

TEST(ThreadPool, AtMostNTasksRunAtOnceAndAllComplete)
{
    Recording rec;
    std::vector<TaskHandle<int>> handles;
    uint32_t poolId = 0;
    std::set<std::string> workerNames;
    {
        ThreadPool pool(3, "pool");
        poolId = pool.id();
        for (const Thread &w : pool.workers())
            workerNames.insert(w.name());
        for (int i = 0; i < 7; ++i) {
            handles.push_back(pool.submit([i] {
                sleepFor(15ms);
                return i * i;
            }));
        }
        pool.close();
        pool.join();
    }
    rec.stop();
    EXPECT_EQ(workerNames, (std::set<std::string>{"Worker-1", "Worker-2", "Worker-3"}));
    for (int i = 0; i < 7; ++i) {
        EXPECT_EQ(handles[size_t(i)].id(), uint64_t(i + 1));
        EXPECT_EQ(handles[size_t(i)].get(), i * i);
    }
    EXPECT_EQ(rec.maxConcurrent(EventType::TaskStart, EventType::TaskEnd, poolId), 3);
    std::map<int64_t, Event> submitted;
    for (const Event &e : rec.of(poolId, {EventType::TaskSubmit}))
        submitted.emplace(e.arg, e);
    const auto starts = rec.of(poolId, {EventType::TaskStart});
    ASSERT_EQ(starts.size(), 7u);
    EXPECT_EQ(rec.of(poolId, {EventType::TaskEnd}).size(), 7u);
    for (const Event &s : starts) {
        ASSERT_TRUE(submitted.count(s.arg));
        EXPECT_LE(submitted.at(s.arg).time, s.time);
        EXPECT_NE(s.thread, submitted.at(s.arg).thread) << "ran in a worker, not in the submitter";
    }
}

TEST(ThreadPool, FailedTaskIsRecordedAndRethrown)
{
    Recording rec;
    uint32_t poolId = 0;
    TaskHandle<void> handle;
    {
        ThreadPool pool(1);
        poolId = pool.id();
        handle = pool.submit([] { throw std::runtime_error("task failed"); });
        pool.join();
    }
    rec.stop();
    EXPECT_THROW(handle.get(), std::runtime_error);
    const auto failed = rec.of(poolId, {EventType::TaskFailed});
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].arg, 1);
}

TEST(ThreadPool, StopRequestEndsIdleAndQueuedWork)
{
    Recording rec;
    TaskHandle<void> late;
    const auto start = std::chrono::steady_clock::now();
    {
        ThreadPool pool(1);
        pool.submit([] { sleepFor(10s); }); // escapes through the stop flag
        late = pool.submit([] {});
        sleepFor(20ms);
        instrument::setStopRequested(true);
    }
    instrument::setStopRequested(false);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_THROW(late.get(), std::future_error);
    rec.stop();
}
