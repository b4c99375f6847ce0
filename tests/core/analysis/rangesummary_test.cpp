// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/rangesummary.h"

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Main thread (pid 100) and a worker sharing lock 7; main forks child 300, which it reaps:
///   main:   running 0-10, blocked on lock 10-20, holds it 20-25, running to 30, sleeping 30-40,
///           running to 50 (forks at 44, reaps the child at 48), exits at 50
///   worker: running 1-5, holds the lock 5-20, sleeps 20-45, running to 60: puts on a queue at 50,
///           sends on a pipe at 52
///   child:  from 45 until its exit at 48
struct Fixture
{
    TraceModel model;
    uint32_t main = 0;
    uint32_t worker = 0;
    uint32_t child = 0;
};

Fixture build()
{
    TraceBuilder b;
    Fixture f;
    f.main = b.thread(100, 100);
    f.worker = b.thread(100, 101);
    f.child = b.thread(300, 300);
    b.ev(f.main, 0, EventType::ProcessStart, b.str("python"), 1);
    b.object(f.main, 0, 7, ObjectKind::Mutex, "balance_lock");
    b.object(f.main, 0, 9, ObjectKind::Queue, "jobs");
    b.object(f.main, 0, 11, ObjectKind::Pipe, "results");
    b.ev(f.worker, 1, EventType::ThreadStart, 0, 100);
    b.ev(f.worker, 5, EventType::LockObtain, 7);
    b.ev(f.main, 10, EventType::LockWait, 7);
    b.ev(f.worker, 20, EventType::LockRelease, 7);
    b.ev(f.main, 20, EventType::LockObtain, 7);
    b.ev(f.worker, 20, EventType::SleepBegin, 0, ms(25));
    b.ev(f.main, 25, EventType::LockRelease, 7);
    b.ev(f.main, 30, EventType::SleepBegin, 0, ms(10));
    b.ev(f.main, 40, EventType::SleepEnd);
    b.ev(f.main, 44, EventType::ForkReturn, 0, 300);
    b.ev(f.child, 45, EventType::ProcessStart, b.str("child"), 100);
    b.ev(f.child, 45, EventType::ForkReturn, 0, 0);
    b.ev(f.worker, 45, EventType::SleepEnd);
    b.ev(f.main, 48, EventType::ProcessExit, 300, 0);
    b.ev(f.main, 50, EventType::ThreadExit);
    b.ev(f.worker, 50, EventType::QueuePut, 9, 1);
    b.ev(f.worker, 52, EventType::PipeSend, 11, 1);
    b.ev(f.worker, 60, EventType::Output, b.str("done"), 1);
    f.model = TraceModel(std::move(b.data));
    f.model.update();
    return f;
}

const ThreadRangeSummary *find(const RangeSummary &s, uint32_t thread)
{
    for (const ThreadRangeSummary &t : s.threads)
        if (t.thread == thread)
            return &t;
    return nullptr;
}

} // namespace

TEST(RangeSummary, TimeByStateAndLockActivityAreClippedToTheRange)
{
    const Fixture f = build();
    const RangeSummary s = summarizeRange(f.model, ms(8), ms(42));
    EXPECT_EQ(s.start, ms(8));
    EXPECT_EQ(s.end, ms(42));
    ASSERT_EQ(s.threads.size(), 2u) << "the child had not started yet";
    const ThreadRangeSummary *main = find(s, f.main);
    ASSERT_NE(main, nullptr);
    EXPECT_EQ(main->running, ms(2 + 10 + 2));
    EXPECT_EQ(main->blockedOnLock, ms(10));
    EXPECT_EQ(main->sleeping, ms(10));
    EXPECT_EQ(main->blockedOther, 0);
    EXPECT_EQ(main->lockAcquisitions, 1u);
    EXPECT_EQ(main->lockWaits, 1u);
    EXPECT_EQ(main->lockWaitTime, ms(10));
    EXPECT_FALSE(main->exited);
    const ThreadRangeSummary *worker = find(s, f.worker);
    ASSERT_NE(worker, nullptr);
    EXPECT_EQ(worker->running, ms(12));
    EXPECT_EQ(worker->sleeping, ms(22));
    EXPECT_EQ(worker->lockAcquisitions, 0u) << "its hold began before the range";
    EXPECT_EQ(s.lockAcquisitions, 1u);
    EXPECT_EQ(s.lockWaits, 1u);
    EXPECT_EQ(s.lockWaitTime, ms(10));
    EXPECT_EQ(s.messagesSent, 0u);
    EXPECT_EQ(s.forks, 0u);
    EXPECT_EQ(s.processExits, 0u);
    EXPECT_EQ(s.threadExits, 0u);
}

TEST(RangeSummary, CountsMessagesForksAndExits)
{
    const Fixture f = build();
    const RangeSummary s = summarizeRange(f.model, ms(42), ms(60));
    ASSERT_EQ(s.threads.size(), 3u);
    const ThreadRangeSummary *main = find(s, f.main);
    ASSERT_NE(main, nullptr);
    EXPECT_EQ(main->running, ms(8));
    EXPECT_TRUE(main->exited);
    const ThreadRangeSummary *worker = find(s, f.worker);
    ASSERT_NE(worker, nullptr);
    EXPECT_EQ(worker->sleeping, ms(3));
    EXPECT_EQ(worker->running, ms(15));
    EXPECT_EQ(worker->messagesSent, 2u);
    EXPECT_EQ(s.messagesSent, 2u);
    EXPECT_EQ(s.forks, 1u);
    EXPECT_EQ(s.processExits, 1u);
    EXPECT_EQ(s.threadExits, 2u) << "main, and the child with its process";
    EXPECT_EQ(s.lockWaits, 0u);
    // A range that only covers the lock wait's second half counts the wait and half its time.
    const RangeSummary half = summarizeRange(f.model, ms(15), ms(22));
    EXPECT_EQ(half.lockWaits, 1u);
    EXPECT_EQ(half.lockWaitTime, ms(5));
    EXPECT_EQ(half.lockAcquisitions, 1u);
    // An empty range is empty.
    const RangeSummary none = summarizeRange(f.model, ms(30), ms(30));
    EXPECT_TRUE(none.threads.empty());
    EXPECT_EQ(none.end, ms(30));
}
