// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/lockorder.h"
#include "analysis/waitforgraph.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

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

TEST(LockOrderGraph, TimedWaitsInBothOrdersAreAnInversion)
{
    // As the deadlock lesson's try_lock variant: each holds its first lock and waits with a
    // timeout for the other; one wait obtains, the other times out. Neither hung, both orders
    // were asked for: a potential deadlock, with the call site of each timed wait.
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    b.ev(t1, 1, EventType::LockObtain, 1);
    b.ev(t2, 1, EventType::LockObtain, 2);
    b.ev(t1, 2, EventType::LockWait, 2, 0, Timed);
    b.ev(t2, 2, EventType::LockWait, 1, 0, Timed);
    b.ev(t2, 4, EventType::LockTimeout, 1);
    b.ev(t2, 5, EventType::LockRelease, 2);
    b.ev(t1, 6, EventType::LockObtain, 2);
    b.ev(t1, 7, EventType::LockRelease, 2);
    b.ev(t1, 8, EventType::LockRelease, 1);
    TraceModel m(std::move(b.data));
    EXPECT_FALSE(findFirstDeadlock(m).has_value());
    const std::vector<LockOrderCycle> cycles = potentialDeadlocks(m);
    ASSERT_EQ(cycles.size(), 1u);
    EXPECT_EQ(cycles[0].locks, (std::vector<uint32_t>{1, 2}));
    ASSERT_EQ(cycles[0].edges.size(), 2u);
    EXPECT_EQ(cycles[0].edges[0].thread, t1); // 1 -> 2: Thread 1 obtained 2 after its timed wait
    EXPECT_EQ(cycles[0].edges[1].thread, t2); // 2 -> 1: Thread 2 asked for 1 and timed out
    EXPECT_EQ(cycles[0].edges[1].time, ms(2));
    const QJsonArray json = potentialDeadlocksToJson(m, cycles);
    ASSERT_EQ(json.size(), 1);
    EXPECT_EQ(json[0].toObject().value(QStringLiteral("threads")).toArray().size(), 2);
    EXPECT_EQ(json[0].toObject().value(QStringLiteral("sites")).toArray().size(), 2);
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

namespace {

// Every (from, to, thread, blocking) of the graph: all that its cycles are made of.
std::set<std::tuple<uint32_t, uint32_t, uint32_t, bool>> orderPairs(const TraceModel &m)
{
    std::set<std::tuple<uint32_t, uint32_t, uint32_t, bool>> out;
    const LockOrderGraph graph = LockOrderGraph::build(m);
    for (const LockOrderEdge &e : graph.edges())
        for (const uint32_t th : e.threads)
            out.emplace(e.from, e.to, th, e.blocking);
    return out;
}

// Feeds `data` to a model one event at a time, as a live run does: whenever the lock-order graph
// changed, lockOrderVersion() moved (the graph view rebuilds the potential deadlocks only then).
// Returns the number of times it moved.
uint64_t versionFollowsTheGraph(TraceData data)
{
    std::vector<Event> events = std::move(data.events);
    data.events.clear();
    TraceModel m(std::move(data));
    auto last = orderPairs(m);
    auto lastCycles = potentialDeadlocks(m).size();
    uint64_t version = m.lockOrderVersion();
    for (const Event &e : events) {
        m.data().events.push_back(e);
        m.update();
        const auto now = orderPairs(m);
        const size_t cycles = potentialDeadlocks(m).size();
        if (now != last || cycles != lastCycles) {
            EXPECT_NE(m.lockOrderVersion(), version) << "the graph changed at t = " << e.time;
        }
        last = now;
        lastCycles = cycles;
        version = m.lockOrderVersion();
    }
    return version;
}

} // namespace

TEST(LockOrderGraph, TheModelsVersionMovesWheneverTheGraphDoes)
{
    EXPECT_EQ(versionFollowsTheGraph(abba(false)), 2u); // A -> B by one thread, B -> A by the other
    EXPECT_EQ(versionFollowsTheGraph(abba(true)), 2u);
    EXPECT_EQ(versionFollowsTheGraph(abba(false, true)), 1u);

    // One lock taken a thousand times, and a consistent nesting repeated: the graph never changes
    // after the first nesting, and neither does the version.
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    for (int i = 0; i < 1000; ++i) {
        const uint32_t th = i % 2 ? t1 : t2;
        b.ev(th, 2 * i, EventType::LockObtain, 1);
        if (i % 100 == 0) { // at the same instant: the recorded order counts
            b.ev(th, 2 * i, EventType::LockObtain, 2, 0, TryLock);
            b.ev(th, 2 * i, EventType::LockRelease, 2);
        }
        b.ev(th, 2 * i + 1, EventType::LockRelease, 1);
    }
    EXPECT_EQ(versionFollowsTheGraph(std::move(b.data)), 1u) << "1 -> 2 try_lock by one thread";
}
