// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/lockorder.h"
#include "analysis/waitforgraph.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v) { return TraceBuilder::ms(v); }

// Two threads, two locks, opposite order. `timedSecond`: the second thread's wait has a timeout.
TraceData abba(bool timedSecond, bool tryLockSecond = false)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 11);
    const uint32_t t2 = b.thread(1, 12);
    b.object(t1, 0, 1, ObjectKind::Mutex, "A");
    b.object(t1, 0, 2, ObjectKind::Mutex, "B");
    b.ev(t1, 10, EventType::LockWait, 1);
    b.ev(t1, 10, EventType::LockObtain, 1);
    b.ev(t2, 12, EventType::LockObtain, 2, 0, TryLock);
    b.ev(t1, 20, EventType::LockWait, 2);
    if (tryLockSecond) {
        b.ev(t2, 25, EventType::LockRelease, 2); // backs off instead of waiting
        return b.data;
    }
    b.ev(t2, 25, EventType::LockWait, 1, 0, timedSecond ? Timed : 0);
    if (timedSecond) {
        b.ev(t2, 35, EventType::LockTimeout, 1);
        b.ev(t2, 36, EventType::LockRelease, 2);
        b.ev(t1, 36, EventType::LockObtain, 2);
    }
    return b.data;
}

} // namespace

TEST(WaitForGraph, FindsTheAbBaDeadlockCycle)
{
    TraceModel m(abba(false));
    const auto dl = findFirstDeadlock(m);
    ASSERT_TRUE(dl.has_value());
    EXPECT_EQ(dl->time, ms(25));
    ASSERT_EQ(dl->cycle.size(), 2u);
    // Starts at the lowest thread: t1 waits for B held by t2; t2 waits for A held by t1.
    EXPECT_EQ(dl->cycle[0].thread, 0u);
    EXPECT_EQ(dl->cycle[0].waitsFor, 2u);
    EXPECT_EQ(dl->cycle[0].heldBy, 1u);
    EXPECT_EQ(dl->cycle[1].thread, 1u);
    EXPECT_EQ(dl->cycle[1].waitsFor, 1u);
    EXPECT_EQ(dl->cycle[1].heldBy, 0u);

    const WaitForGraph before = WaitForGraph::at(m, ms(22));
    EXPECT_EQ(before.waits().size(), 1u);
    EXPECT_TRUE(before.deadlockCycle().empty());
    const WaitForGraph after = WaitForGraph::at(m, ms(30));
    ASSERT_EQ(after.waits().size(), 2u);
    EXPECT_EQ(after.waits()[0].heldBy, std::vector<uint32_t>{1});
    const auto cycle = after.deadlockCycle();
    ASSERT_EQ(cycle.size(), 2u);
    EXPECT_EQ(cycle[0].thread, 0u);
    EXPECT_EQ(cycle[0].heldBy, 1u);

    const QJsonObject json = deadlockToJson(m, *dl);
    const QJsonArray steps = json.value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(steps.size(), 2);
    EXPECT_EQ(steps[0].toObject().value(QStringLiteral("waits_for")).toString(), QStringLiteral("B"));
}

TEST(WaitForGraph, TimedWaitIsNotADeadlock)
{
    TraceModel m(abba(true));
    EXPECT_FALSE(findFirstDeadlock(m).has_value());
    const WaitForGraph g = WaitForGraph::at(m, ms(30));
    ASSERT_EQ(g.waits().size(), 2u);
    EXPECT_TRUE(g.deadlockCycle().empty());
    EXPECT_EQ(std::count_if(g.waits().begin(), g.waits().end(), [](const WaitForEdge &e) { return e.timed; }), 1);
}

TEST(WaitForGraph, JoinCycle)
{
    // Main joins the worker while holding L; the worker waits for L.
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1);
    const uint32_t worker = b.thread(1, 2);
    b.ev(main, 0, EventType::LockObtain, 3);
    b.ev(worker, 1, EventType::ThreadStart, 0, 1);
    b.ev(main, 2, EventType::JoinWait, 2);
    b.ev(worker, 3, EventType::LockWait, 3);
    TraceModel m(std::move(b.data));
    const auto dl = findFirstDeadlock(m);
    ASSERT_TRUE(dl.has_value());
    EXPECT_EQ(dl->time, ms(3));
    ASSERT_EQ(dl->cycle.size(), 2u);
    EXPECT_EQ(dl->cycle[0].reason, BlockReason::Join);
    EXPECT_EQ(dl->cycle[1].reason, BlockReason::Lock);
}

TEST(LockOrderGraph, InversionFlaggedWithoutAHang)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    for (auto [th, first, second, t] : {std::tuple{t1, 1u, 2u, 0}, std::tuple{t2, 2u, 1u, 10}}) {
        b.ev(th, t + 1, EventType::LockObtain, first);
        b.ev(th, t + 2, EventType::LockWait, second);
        b.ev(th, t + 3, EventType::LockObtain, second);
        b.ev(th, t + 4, EventType::LockRelease, second);
        b.ev(th, t + 5, EventType::LockRelease, first);
    }
    TraceModel m(std::move(b.data));
    EXPECT_FALSE(findFirstDeadlock(m).has_value()); // the run got lucky
    const LockOrderGraph g = LockOrderGraph::build(m);
    ASSERT_EQ(g.edges().size(), 2u);
    ASSERT_EQ(g.potentialDeadlocks().size(), 1u);
    const LockOrderCycle &c = g.potentialDeadlocks()[0];
    EXPECT_EQ(c.locks, (std::vector<uint32_t>{1, 2}));
    ASSERT_EQ(c.edges.size(), 2u);
    EXPECT_EQ(c.edges[0].thread, t1);
    EXPECT_EQ(c.edges[0].time, ms(3));
    EXPECT_EQ(c.edges[1].thread, t2);
}

TEST(LockOrderGraph, NoCycleForOneThreadTryLockOrConsistentOrder)
{
    {
        // The same thread takes both orders at different times: it cannot deadlock with itself.
        TraceBuilder b;
        const uint32_t t = b.thread(1, 1);
        b.ev(t, 1, EventType::LockObtain, 1);
        b.ev(t, 2, EventType::LockObtain, 2);
        b.ev(t, 3, EventType::LockRelease, 2);
        b.ev(t, 4, EventType::LockRelease, 1);
        b.ev(t, 5, EventType::LockObtain, 2);
        b.ev(t, 6, EventType::LockObtain, 1);
        TraceModel m(std::move(b.data));
        const LockOrderGraph g = LockOrderGraph::build(m);
        EXPECT_EQ(g.edges().size(), 2u);
        EXPECT_TRUE(g.potentialDeadlocks().empty());
    }
    {
        // try_lock with timeout for the second lock: both orders seen, but never a blocking wait.
        TraceBuilder b;
        const uint32_t t1 = b.thread(1, 1);
        const uint32_t t2 = b.thread(1, 2);
        b.ev(t1, 1, EventType::LockObtain, 1);
        b.ev(t1, 2, EventType::LockWait, 2, 0, Timed);
        b.ev(t1, 3, EventType::LockObtain, 2);
        b.ev(t2, 1, EventType::LockObtain, 2);
        b.ev(t2, 2, EventType::LockObtain, 1, 0, TryLock);
        TraceModel m(std::move(b.data));
        EXPECT_TRUE(LockOrderGraph::build(m).potentialDeadlocks().empty());
    }
    {
        TraceModel m(abba(false, true)); // second thread only try-locks
        EXPECT_TRUE(LockOrderGraph::build(m).potentialDeadlocks().empty());
    }
}

TEST(LockOrderGraph, RealDeadlockIsAlsoAnOrderCycle)
{
    TraceModel m(abba(false));
    // Neither second lock was ever obtained, yet each thread asked for it while holding its
    // first: the pending waits are order edges, so the hung run is an order cycle too.
    const LockOrderGraph g = LockOrderGraph::build(m);
    ASSERT_EQ(g.potentialDeadlocks().size(), 1u);
    EXPECT_EQ(g.potentialDeadlocks().front().locks.size(), 2u);
    EXPECT_TRUE(findFirstDeadlock(m).has_value());
}
