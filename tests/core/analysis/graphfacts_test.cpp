// SPDX-License-Identifier: MIT
// GraphFacts: first times, joins, forks, network queues and deadlock marks, read incrementally.
#include "../scenarios/scenariorun.h"
#include "../trace/tracebuilder.h"
#include "analysis/graphfacts.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Process 1 (threads 11, 12) forks process 2 (thread 21) and serves a network queue that the
/// child uses; locks, a condvar, joins, and two deadlock marks written out of time order.
TraceData sample()
{
    TraceBuilder b;
    const uint32_t t11 = b.thread(1, 11);
    const uint32_t t12 = b.thread(1, 12);
    const uint32_t t21 = b.thread(2, 21);
    const uint32_t session = b.thread(99, 99);
    const uint32_t watcher = b.thread(99, 98);
    b.object(t11, 0, 7, ObjectKind::NetQueue, "task");
    b.object(t11, 0, 8, ObjectKind::Mutex, "A");
    b.ev(t11, 1, EventType::ThreadStart);
    b.ev(t11, 5, EventType::ForkReturn, 0, 2);
    b.ev(t21, 4, EventType::ForkReturn, 0, 0); // the child's return: not a fork of pid 0
    b.ev(t21, 6, EventType::QueueGetWait, 7);
    b.ev(t12, 8, EventType::ThreadStart, 0, 11);
    b.ev(t12, 9, EventType::LockWait, 8);
    b.ev(t12, 9, EventType::LockObtain, 8);
    b.ev(t11, 10, EventType::QueuePut, 7, 1);
    b.ev(t21, 11, EventType::QueueGet, 7, 1);
    b.ev(t12, 12, EventType::CondWait, 9, 8);
    b.ev(t11, 20, EventType::JoinWait, 12);
    b.ev(t11, 30, EventType::JoinWait, 2, 0, OnProcess);
    b.ev(session, 40, EventType::Deadlock, 0, 2);
    b.ev(watcher, 25, EventType::Deadlock, 0, 2);
    return std::move(b.data);
}

void expectSame(const GraphFacts &a, const GraphFacts &b)
{
    EXPECT_EQ(a.scanned(), b.scanned());
    EXPECT_EQ(a.hasLocks(), b.hasLocks());
    EXPECT_EQ(a.threadFirst(), b.threadFirst());
    EXPECT_EQ(a.objectFirst(), b.objectFirst());
    EXPECT_EQ(a.processJoined(), b.processJoined());
    EXPECT_EQ(a.forked(), b.forked());
    ASSERT_EQ(a.netQueues().size(), b.netQueues().size());
    for (const auto &[id, origin] : a.netQueues()) {
        ASSERT_TRUE(b.netQueues().contains(id));
        EXPECT_EQ(origin.creator, b.netQueues().at(id).creator);
        EXPECT_EQ(origin.created, b.netQueues().at(id).created);
    }
    EXPECT_EQ(a.queueUsers(), b.queueUsers());
    EXPECT_EQ(a.deadlocks(), b.deadlocks());
}

} // namespace

TEST(GraphFacts, ReadsFirstTimesJoinsForksQueuesAndDeadlocks)
{
    const TraceModel model(sample());
    GraphFacts facts;
    facts.sync(model);
    EXPECT_EQ(facts.scanned(), model.ingestedEvents());
    EXPECT_TRUE(facts.hasLocks());
    // Thread 12: its lock wait at 9, well before thread 11 joined it at 20. Thread 11: its join.
    // Thread 21: its queue wait. Thread 12's condvar wait does not move its first time.
    const std::map<uint32_t, int64_t> threads{{0, ms(20)}, {1, ms(9)}, {2, ms(6)}};
    EXPECT_EQ(facts.threadFirst(), threads);
    const std::map<uint32_t, int64_t> objects{{7, ms(6)}, {8, ms(9)}, {9, ms(12)}};
    EXPECT_EQ(facts.objectFirst(), objects);
    EXPECT_EQ(facts.processJoined(), (std::map<int32_t, int64_t>{{2, ms(30)}}));
    EXPECT_EQ(facts.forked(), (std::map<int32_t, int64_t>{{2, ms(5)}}));
    ASSERT_EQ(facts.netQueues().size(), 1u);
    EXPECT_EQ(facts.netQueues().at(7).creator, 0u);
    EXPECT_EQ(facts.netQueues().at(7).created, 0);
    EXPECT_EQ(facts.queueUsers(), (std::set<QueueUser>{{7, 1}, {7, 2}}));
    EXPECT_EQ(facts.deadlocks(), (std::vector<int64_t>{ms(25), ms(40)}));
    EXPECT_EQ(facts.lastDeadlockAt(ms(24)), kTimeMin);
    EXPECT_EQ(facts.lastDeadlockAt(ms(25)), ms(25));
    EXPECT_EQ(facts.lastDeadlockAt(ms(39)), ms(25));
    EXPECT_EQ(facts.lastDeadlockAt(kTimeMax), ms(40));
}

TEST(GraphFacts, SyncingAGrowingModelEqualsOneSyncOverEverything)
{
    const TraceData all = sample();
    const TraceModel whole{TraceData(all)};
    GraphFacts fresh;
    fresh.sync(whole);

    for (size_t split : {size_t(0), size_t(3), all.events.size() / 2, all.events.size() - 1}) {
        TraceModel growing;
        growing.data() = all;
        growing.data().events.resize(split);
        growing.update();
        GraphFacts facts;
        facts.sync(growing);
        EXPECT_EQ(facts.scanned(), split);
        facts.sync(growing); // nothing new: nothing changes
        EXPECT_EQ(facts.scanned(), split);
        growing.data().events = all.events;
        growing.update();
        facts.sync(growing);
        SCOPED_TRACE(split);
        expectSame(facts, fresh);
    }
}

TEST(GraphFacts, AClearedModelStartsOver)
{
    TraceModel model(sample());
    GraphFacts facts;
    facts.sync(model);
    model.clear();
    facts.sync(model);
    expectSame(facts, GraphFacts());
    EXPECT_FALSE(facts.hasLocks());
    EXPECT_TRUE(facts.deadlocks().empty());
}

TEST(GraphFacts, DeadlockRunHasItsMarkAndCycleThreads)
{
    using namespace interleave::core::testing;
    const ScenarioRun run = runScenario("deadlock", {{QStringLiteral("variant"), QStringLiteral("naive")},
                                                     {QStringLiteral("hold_ms"), QStringLiteral("50")}});
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    const TraceModel &model = run.model();
    GraphFacts facts;
    facts.sync(model);
    const auto marks = run.events(EventType::Deadlock);
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_EQ(facts.deadlocks(), std::vector<int64_t>{marks[0]->time});
    EXPECT_EQ(facts.lastDeadlockAt(model.endTime()), marks[0]->time);
    EXPECT_TRUE(facts.hasLocks());
    // Both members of the cycle waited for a lock, before the mark.
    for (const auto &wait : run.events(EventType::DeadlockWait)) {
        ASSERT_TRUE(facts.threadFirst().contains(wait->thread));
        EXPECT_LT(facts.threadFirst().at(wait->thread), marks[0]->time);
    }
    EXPECT_EQ(run.events(EventType::DeadlockWait).size(), 2u);
    EXPECT_TRUE(facts.netQueues().empty());
}

TEST(GraphFacts, ProcessRunHasTheForkAndTheJoinOfItsChild)
{
    using namespace interleave::core::testing;
    const ScenarioRun run = runScenario("process", {{QStringLiteral("work_s"), QStringLiteral("0.2")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    GraphFacts facts;
    facts.sync(model);
    const Event *inParent = nullptr;
    for (const Event *e : run.events(EventType::ForkReturn))
        if (e->arg > 0)
            inParent = e;
    ASSERT_NE(inParent, nullptr);
    const int32_t child = int32_t(inParent->arg);
    EXPECT_EQ(facts.forked(), (std::map<int32_t, int64_t>{{child, inParent->time}}));
    const auto joins = run.events(EventType::JoinWait);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(facts.processJoined(), (std::map<int32_t, int64_t>{{child, joins[0]->time}}));
    const ProcessInfo *p = model.process(child);
    ASSERT_NE(p, nullptr);
    EXPECT_LT(facts.processJoined().at(child), p->end); // joined before it exited
    EXPECT_FALSE(facts.hasLocks());
}

TEST(GraphFacts, AnObjectIsSharedWhenTwoThreadsUseItOrOneWaitsForIt)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 11);
    const uint32_t t2 = b.thread(1, 12);
    b.object(t1, 0, 8, ObjectKind::Mutex, "only mine");
    b.object(t1, 0, 9, ObjectKind::Mutex, "ours");
    b.object(t1, 0, 10, ObjectKind::Semaphore, "waited for");
    b.object(t1, 0, 11, ObjectKind::Semaphore, "module lock");
    for (int i = 0; i < 3; ++i) {
        b.ev(t1, 1 + i, EventType::LockObtain, 8);
        b.ev(t1, 1 + i, EventType::LockRelease, 8);
    }
    b.ev(t1, 5, EventType::LockObtain, 9);
    b.ev(t1, 6, EventType::LockRelease, 9);
    b.ev(t2, 7, EventType::LockObtain, 9);
    b.ev(t1, 8, EventType::SemWait, 10);
    b.ev(t1, 9, EventType::SemAcquire, 10);
    b.ev(t1, 10, EventType::SemAcquire, 11);
    const TraceModel model(std::move(b.data));
    GraphFacts facts;
    facts.sync(model);
    EXPECT_FALSE(facts.sharedObject(8));
    EXPECT_TRUE(facts.sharedObject(9));
    EXPECT_TRUE(facts.sharedObject(10));
    EXPECT_FALSE(facts.sharedObject(11));
    EXPECT_FALSE(facts.sharedObject(12)); // never used
    // Each still has its first time: the facts say what happened, the graph picks what to draw.
    EXPECT_EQ(facts.objectFirst().size(), 4u);
}
