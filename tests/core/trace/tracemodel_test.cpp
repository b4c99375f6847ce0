// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "tracebuilder.h"

#include <QString>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

// Spans of a thread must tile: first at its start, each beginning where the previous ended.
void expectTiled(const TraceModel &m, uint32_t th)
{
    const auto spans = m.states(th);
    ASSERT_FALSE(spans.empty());
    EXPECT_EQ(spans.front().start, m.thread(th).start);
    for (size_t i = 1; i < spans.size(); ++i) {
        EXPECT_EQ(spans[i].start, spans[i - 1].end) << "gap or overlap at span " << i;
        EXPECT_LT(spans[i].start, spans[i].end) << "empty span " << i;
    }
    EXPECT_GE(spans.back().end, m.endTime());
}

} // namespace

TEST(TraceModel, StatesTileAThreadsLife)
{
    TraceBuilder b;
    const uint32_t a = b.thread(100, 100);
    const uint32_t other = b.thread(100, 101);
    b.object(a, 0, 7, ObjectKind::Mutex, "L");
    b.ev(a, 0, EventType::ThreadStart);
    b.ev(a, 10, EventType::LockWait, 7);
    b.ev(a, 20, EventType::LockObtain, 7);
    b.ev(a, 30, EventType::SleepBegin, 0, ms(10));
    b.ev(a, 40, EventType::SleepEnd);
    b.ev(a, 45, EventType::LockRelease, 7);
    b.ev(a, 50, EventType::JoinWait, 101);
    b.ev(a, 60, EventType::JoinDone, 101);
    b.ev(a, 65, EventType::Output, b.str("hello"), 1);
    b.ev(a, 70, EventType::ThreadExit);
    b.ev(other, 5, EventType::ThreadStart);
    b.ev(other, 100, EventType::ThreadExit);
    TraceModel m(std::move(b.data));

    const auto spans = m.states(a);
    using S = ThreadState;
    const std::vector<std::tuple<int64_t, int64_t, S, BlockReason>> expected{
        {0, 10, S::Running, BlockReason::None},  {10, 20, S::Blocked, BlockReason::Lock},
        {20, 30, S::Running, BlockReason::None}, {30, 40, S::Sleeping, BlockReason::None},
        {40, 50, S::Running, BlockReason::None}, {50, 60, S::Blocked, BlockReason::Join},
        {60, 70, S::Running, BlockReason::None}, {70, 100, S::Exited, BlockReason::None}};
    ASSERT_EQ(spans.size(), expected.size());
    for (size_t i = 0; i < spans.size(); ++i) {
        EXPECT_EQ(spans[i].start, ms(std::get<0>(expected[i]))) << i;
        EXPECT_EQ(spans[i].end, ms(std::get<1>(expected[i]))) << i;
        EXPECT_EQ(spans[i].state, std::get<2>(expected[i])) << i;
        EXPECT_EQ(spans[i].reason, std::get<3>(expected[i])) << i;
    }
    EXPECT_EQ(spans[1].object, 7u);
    EXPECT_EQ(spans[5].object, 101u);
    expectTiled(m, a);
    expectTiled(m, other);
    EXPECT_EQ(m.threadName(a), "100/100");
    EXPECT_EQ(m.outputs().size(), 1u);
    EXPECT_EQ(m.objectName(7), "L");
}

TEST(TraceModel, StateAtBoundaries)
{
    TraceBuilder b;
    const uint32_t a = b.thread(1, 1);
    const uint32_t c = b.thread(1, 2);
    b.ev(a, 5, EventType::ThreadStart);
    b.ev(a, 10, EventType::LockWait, 3, 0, Timed);
    b.ev(a, 20, EventType::LockTimeout, 3);
    b.ev(a, 30, EventType::ThreadExit);
    b.ev(c, 0, EventType::ThreadStart);
    b.ev(c, 40, EventType::QueueGetWait, 9);
    TraceModel m(std::move(b.data));

    EXPECT_EQ(m.stateAt(a, ms(4)).state, ThreadState::None);
    EXPECT_EQ(m.stateAt(a, ms(5)).state, ThreadState::Running);
    EXPECT_EQ(m.stateAt(a, ms(10) - 1).state, ThreadState::Running);
    const StateSpan blocked = m.stateAt(a, ms(10));
    EXPECT_EQ(blocked.state, ThreadState::Blocked);
    EXPECT_EQ(blocked.reason, BlockReason::Lock);
    EXPECT_TRUE(blocked.flags & Timed);
    EXPECT_EQ(blocked.start, ms(10));
    EXPECT_EQ(blocked.end, ms(20));
    EXPECT_EQ(m.stateAt(a, ms(20) - 1).state, ThreadState::Blocked);
    EXPECT_EQ(m.stateAt(a, ms(20)).state, ThreadState::Running);
    EXPECT_EQ(m.stateAt(a, ms(30)).state, ThreadState::Exited);
    EXPECT_EQ(m.stateAt(a, ms(1000)).state, ThreadState::Exited);
    // A live thread keeps its last state past the end of the trace.
    const StateSpan late = m.stateAt(c, ms(1000));
    EXPECT_EQ(late.state, ThreadState::Blocked);
    EXPECT_EQ(late.reason, BlockReason::Queue);
    EXPECT_EQ(late.start, ms(40));
    const auto all = m.statesAt(ms(15));
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[a].state, ThreadState::Blocked);
    EXPECT_EQ(all[c].state, ThreadState::Running);
    EXPECT_EQ(m.startTime(), 0);
    EXPECT_EQ(m.endTime(), ms(40));
}

TEST(TraceModel, SamplesSplitRunningIntoReady)
{
    TraceBuilder b;
    const uint32_t w = b.thread(10, 11);
    const uint32_t sampler = b.thread(10, 12);
    // A sample of tid 13 before that thread is in the table: resolved once it appears.
    b.ev(sampler, 5, EventType::Sample, 13, SampleArg::pack('R', 0), 0, 1);
    b.ev(w, 0, EventType::ThreadStart);
    b.ev(sampler, 50, EventType::Sample, 11, SampleArg::pack('R', uint64_t(ms(10))), 0, 1);
    b.ev(sampler, 80, EventType::Sample, 11, SampleArg::pack('R', uint64_t(ms(5))), 0, 0);
    b.ev(w, 90, EventType::SleepBegin);
    b.ev(sampler, 95, EventType::Sample, 11, SampleArg::pack('S', uint64_t(ms(3))), 0, 0); // sleeping: stays Sleeping
    b.ev(w, 100, EventType::SleepEnd);
    b.ev(w, 110, EventType::ThreadExit);
    TraceModel m(std::move(b.data));

    const auto spans = m.states(w);
    using S = ThreadState;
    const std::vector<std::tuple<int64_t, int64_t, S>> expected{
        {0, 40, S::Running},  {40, 50, S::Ready},     {50, 75, S::Running},   {75, 80, S::Ready},
        {80, 90, S::Running}, {90, 100, S::Sleeping}, {100, 110, S::Running}, {110, 111, S::Exited}};
    ASSERT_EQ(spans.size(), expected.size());
    for (size_t i = 0; i < spans.size(); ++i) {
        EXPECT_EQ(spans[i].start, ms(std::get<0>(expected[i]))) << i;
        EXPECT_EQ(spans[i].end, std::get<2>(expected[i]) == S::Exited ? ms(110) + 1 : ms(std::get<1>(expected[i])))
            << i;
        EXPECT_EQ(spans[i].state, std::get<2>(expected[i])) << i;
    }
    EXPECT_EQ(m.stateAt(w, ms(45)).state, ThreadState::Ready);
    EXPECT_EQ(m.stateAt(w, ms(45)).start, ms(40));
    EXPECT_EQ(m.stateAt(w, ms(60)).start, ms(50)); // same span as a full scan gives
    EXPECT_EQ(m.stateAt(w, ms(60)).end, ms(75));
    EXPECT_EQ(m.stateAt(w, ms(95)).state, ThreadState::Sleeping);

    const auto onCore1 = m.coreSamplesOfCore(1);
    ASSERT_EQ(onCore1.size(), 1u); // tid 13 is unknown: not shown
    EXPECT_EQ(onCore1[0].thread, w);
    EXPECT_EQ(m.coreSamplesOfThread(w).size(), 3u);
    EXPECT_EQ(m.coreCount(), 2);

    // The tid appears later: its pending sample is resolved.
    m.data().threads.push_back({10, 13});
    m.update();
    EXPECT_EQ(m.coreSamplesOfThread(2).size(), 1u);
}

namespace {

// A trace of several threads with locks, queues, a pool, a fork, samples.
TraceData richTrace(unsigned seed)
{
    TraceBuilder b;
    std::mt19937 rng(seed);
    const uint32_t main = b.thread(1, 1);
    const uint32_t sampler = b.thread(1, 2);
    std::vector<uint32_t> workers;
    for (int i = 0; i < 4; ++i)
        workers.push_back(b.thread(1, 10 + i));
    const uint32_t child = b.thread(2, 2);
    b.ev(main, 0, EventType::ProcessStart, b.str("main"), 0);
    b.object(main, 0, 100, ObjectKind::Mutex, "A");
    b.object(main, 0, 101, ObjectKind::Mutex, "B");
    b.object(main, 0, 200, ObjectKind::Queue, "q");
    b.object(main, 0, 300, ObjectKind::ThreadPool, "pool");
    b.ev(main, 1, EventType::ForkReturn, 0, 2);
    b.ev(child, 2, EventType::ProcessStart, b.str("child"), 1);
    b.ev(child, 3, EventType::ThreadExit);
    b.ev(main, 4, EventType::ProcessExit, 2, 0);
    for (int task = 0; task < 4; ++task)
        b.ev(main, 5 + task, EventType::TaskSubmit, 300, task);
    for (size_t w = 0; w < workers.size(); ++w) {
        const uint32_t th = workers[w];
        // Item ids are unique per queue: worker w puts w*1000+k and gets what worker w+1 put.
        int64_t puts = 0;
        int64_t gets = 0;
        int64_t t = 10 + int64_t(w);
        b.ev(th, t, EventType::ThreadStart, 0, 1);
        b.ev(th, ++t, EventType::TaskStart, 300, int64_t(w));
        for (int k = 0; k < 30; ++k) {
            const uint32_t lock = 100 + uint32_t(rng() % 2);
            switch (rng() % 4) {
            case 0:
                b.ev(th, t += 1 + rng() % 5, EventType::LockWait, lock, 0, rng() % 3 == 0 ? Timed : 0);
                b.ev(th, t += 1 + rng() % 5, EventType::LockObtain, lock);
                b.ev(th, t += 1 + rng() % 5, EventType::LockRelease, lock);
                break;
            case 1:
                b.ev(th, t += 1 + rng() % 5, EventType::SleepBegin);
                b.ev(th, t += 1 + rng() % 5, EventType::SleepEnd);
                break;
            case 2:
                b.ev(th, t += 1 + rng() % 5, EventType::QueuePut, 200, int64_t(w) * 1000 + puts++);
                b.ev(th, t, EventType::QueueDepth, 200, 1);
                break;
            default:
                b.ev(th, t += 1 + rng() % 5, EventType::QueueGetWait, 200);
                b.ev(th, t += 1 + rng() % 5, EventType::QueueGet, 200, int64_t((w + 1) % 4) * 1000 + gets++);
                break;
            }
        }
        b.ev(th, ++t, EventType::TaskEnd, 300, int64_t(w));
        b.ev(th, ++t, EventType::ThreadExit);
    }
    for (int64_t t = 10; t < 300; t += 7)
        b.ev(sampler, t, EventType::Sample, 10 + uint32_t(t % 4), SampleArg::pack('R', uint64_t(ms(t % 5))), 0,
             uint16_t(t % 2));
    return b.data;
}

// The same events, threads interleaved in a random order (each thread's own order kept).
TraceData shuffled(const TraceData &in, unsigned seed)
{
    std::vector<std::vector<Event>> per(in.threads.size());
    for (const Event &e : in.events)
        per[e.thread].push_back(e);
    TraceData out = in;
    out.events.clear();
    std::vector<size_t> pos(per.size(), 0);
    std::mt19937 rng(seed);
    for (size_t left = in.events.size(); left > 0; --left) {
        size_t th;
        do
            th = rng() % per.size();
        while (pos[th] == per[th].size());
        out.events.push_back(per[th][pos[th]++]);
    }
    return out;
}

std::vector<std::tuple<int64_t, int64_t, int, int, uint32_t>> stateKey(const TraceModel &m, uint32_t th)
{
    std::vector<std::tuple<int64_t, int64_t, int, int, uint32_t>> out;
    for (const StateSpan &s : m.states(th))
        out.emplace_back(s.start, s.end, int(s.state), int(s.reason), s.object);
    return out;
}

std::vector<std::tuple<int, uint32_t, int64_t, uint32_t, int64_t, int64_t>> flowKey(const TraceModel &m)
{
    std::vector<std::tuple<int, uint32_t, int64_t, uint32_t, int64_t, int64_t>> out;
    for (const Flow &f : m.flows())
        out.emplace_back(int(f.kind), f.fromThread, f.fromTime, f.toThread, f.toTime, f.id);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::tuple<int64_t, int64_t, uint32_t, int, bool, bool>> lockKey(const TraceModel &m, uint32_t lock)
{
    std::vector<std::tuple<int64_t, int64_t, uint32_t, int, bool, bool>> out;
    for (const LockInterval &li : m.lockIntervals(lock))
        out.emplace_back(li.start, li.end, li.thread, int(li.kind), li.timed, li.open);
    return out;
}

void expectSameModel(const TraceModel &x, const TraceModel &y)
{
    ASSERT_EQ(x.threadCount(), y.threadCount());
    EXPECT_EQ(x.startTime(), y.startTime());
    EXPECT_EQ(x.endTime(), y.endTime());
    for (uint32_t th = 0; th < x.threadCount(); ++th) {
        EXPECT_EQ(stateKey(x, th), stateKey(y, th)) << "thread " << th;
        EXPECT_EQ(x.coreSamplesOfThread(th).size(), y.coreSamplesOfThread(th).size());
        EXPECT_EQ(x.thread(th).end, y.thread(th).end);
    }
    EXPECT_EQ(flowKey(x), flowKey(y));
    ASSERT_EQ(x.lockIds(), y.lockIds());
    for (uint32_t lock : x.lockIds()) {
        EXPECT_EQ(lockKey(x, lock), lockKey(y, lock)) << "lock " << lock;
        for (int64_t t = 0; t < 300; t += 3) {
            auto hx = x.holdersAt(lock, ms(t));
            auto hy = y.holdersAt(lock, ms(t));
            std::sort(hx.begin(), hx.end());
            std::sort(hy.begin(), hy.end());
            EXPECT_EQ(hx, hy) << "lock " << lock << " at " << t;
        }
    }
    ASSERT_EQ(x.tasks().size(), y.tasks().size());
    EXPECT_EQ(x.processes().size(), y.processes().size());
    const auto qx = x.queueDepth(200);
    const auto qy = y.queueDepth(200);
    ASSERT_EQ(qx.size(), qy.size());
    for (size_t i = 0; i < qx.size(); ++i)
        EXPECT_EQ(qx[i].time, qy[i].time);
}

} // namespace

TEST(TraceModel, IncrementalEqualsOneShotWhateverTheInterleaving)
{
    const TraceData base = richTrace(7);
    TraceModel oneShot{TraceData(base)};
    ASSERT_GT(oneShot.flowCount(), 5u);

    for (unsigned seed = 1; seed <= 5; ++seed) {
        const TraceData mixed = shuffled(base, seed);
        TraceModel live;
        live.data().threads = mixed.threads;
        live.data().strings = mixed.strings;
        std::mt19937 rng(seed);
        for (size_t i = 0; i < mixed.events.size();) {
            const size_t chunk = 1 + rng() % 17;
            for (size_t k = 0; k < chunk && i < mixed.events.size(); ++k, ++i)
                live.data().events.push_back(mixed.events[i]);
            live.update();
        }
        SCOPED_TRACE(seed);
        expectSameModel(oneShot, live);
        for (uint32_t th = 0; th < live.threadCount(); ++th) {
            // The sampler, the writer of Samples, is the recorder's: no states to tile.
            EXPECT_EQ(live.thread(th).recorder, oneShot.thread(th).recorder);
            if (!live.thread(th).recorder)
                expectTiled(live, th);
        }
    }
}

TEST(TraceModel, FlowsProcessesAndTasks)
{
    TraceBuilder b;
    const uint32_t parent = b.thread(50, 50);
    const uint32_t reader = b.thread(50, 51);
    const uint32_t kid = b.thread(60, 60);
    b.ev(parent, 0, EventType::ProcessStart, b.str("parent"), 1);
    // The reader's get arrives before the put it matches (another thread, read earlier).
    b.ev(reader, 1, EventType::QueueGetWait, 5);
    b.ev(reader, 12, EventType::QueueGet, 5, 42);
    b.ev(kid, 3, EventType::ProcessStart, b.str("child"), 50);
    b.ev(kid, 4, EventType::ForkReturn, 0, 0);
    b.ev(kid, 6, EventType::PipeSend, 8, 1);
    b.ev(parent, 2, EventType::ForkReturn, 0, 60);
    b.ev(parent, 7, EventType::PipeRecv, 8, 1);
    b.ev(parent, 10, EventType::QueuePut, 5, 42);
    b.ev(parent, 11, EventType::TaskSubmit, 9, 1);
    b.ev(reader, 13, EventType::TaskStart, 9, 1);
    b.ev(reader, 14, EventType::TaskFailed, 9, 1);
    b.ev(reader, 14, EventType::TaskFailure, 60, 11, ExitSignal);
    b.ev(parent, 20, EventType::ProcessExit, 60, 9, ExitSignal);
    TraceModel m(std::move(b.data));

    const auto flows = m.flows();
    ASSERT_EQ(flows.size(), 4u);
    auto find = [&](FlowKind k) {
        return *std::find_if(flows.begin(), flows.end(), [&](const Flow &f) { return f.kind == k; });
    };
    const Flow q = find(FlowKind::Queue);
    EXPECT_EQ(q.fromThread, parent);
    EXPECT_EQ(q.fromTime, ms(10));
    EXPECT_EQ(q.toThread, reader);
    EXPECT_EQ(q.toTime, ms(12));
    EXPECT_EQ(q.id, 42);
    const Flow f = find(FlowKind::Fork);
    EXPECT_EQ(f.fromThread, parent);
    EXPECT_EQ(f.toThread, kid);
    EXPECT_EQ(find(FlowKind::Pipe).toThread, parent);
    EXPECT_EQ(find(FlowKind::Task).toTime, ms(13));

    const ProcessInfo *child = m.process(60);
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->ppid, 50);
    EXPECT_EQ(child->name, "child");
    EXPECT_TRUE(child->exited);
    EXPECT_TRUE(child->signaled);
    EXPECT_EQ(child->exitStatus, 9);
    EXPECT_EQ(child->end, ms(20));
    EXPECT_EQ(m.stateAt(kid, ms(21)).state, ThreadState::Exited);
    ASSERT_NE(m.process(50), nullptr);
    EXPECT_EQ(m.process(50)->children, std::vector<int32_t>{60});

    ASSERT_EQ(m.tasks().size(), 1u);
    const TaskInfo &t = m.tasks()[0];
    EXPECT_EQ(t.submitted, ms(11));
    EXPECT_EQ(t.started, ms(13));
    EXPECT_EQ(t.ended, ms(14));
    EXPECT_TRUE(t.failed);
    EXPECT_EQ(t.worker, reader);
    EXPECT_EQ(t.failurePid, 60);
    EXPECT_TRUE(t.failureSignaled);
}

TEST(TraceModel, LockHoldersWaitersAndIntervals)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    b.ev(t1, 0, EventType::LockObtain, 4, 0, TryLock);
    b.ev(t2, 1, EventType::LockWait, 4);
    b.ev(t1, 5, EventType::LockRelease, 4);
    b.ev(t2, 5, EventType::LockObtain, 4);
    b.ev(t2, 8, EventType::CondWait, 6, 4); // releases 4 while waiting
    b.ev(t1, 9, EventType::CondNotify, 6, 1);
    b.ev(t2, 10, EventType::CondWake, 6);
    b.ev(t2, 10, EventType::LockObtain, 4);
    TraceModel m(std::move(b.data));

    EXPECT_EQ(m.holdersAt(4, ms(2)), std::vector<uint32_t>{t1});
    EXPECT_EQ(m.waitersAt(4, ms(2)), std::vector<uint32_t>{t2});
    EXPECT_EQ(m.holdersAt(4, ms(6)), std::vector<uint32_t>{t2});
    EXPECT_TRUE(m.holdersAt(4, ms(9)).empty());
    EXPECT_EQ(m.waitersAt(6, ms(9)), std::vector<uint32_t>{t2});
    EXPECT_EQ(m.holdersAt(4, ms(50)), std::vector<uint32_t>{t2}); // still held at the end
    const auto li = m.lockIntervals(4);
    ASSERT_EQ(li.size(), 4u);
    EXPECT_EQ(li[0].kind, LockInterval::Hold);
    EXPECT_EQ(li[0].thread, t1);
    EXPECT_EQ(li[1].kind, LockInterval::Wait);
    EXPECT_EQ(li[1].end, ms(5));
    EXPECT_EQ(li[3].start, ms(10));
    EXPECT_TRUE(li[3].open);
    EXPECT_EQ(m.lockIntervals(4, ms(6), ms(7)).size(), 1u);
    EXPECT_EQ(m.lockIntervalsOfThread(t2).size(), 3u);
}

// A 10 MB thread name (a crafted or foreign trace) made every lane label measure and copy all of
// it: the timeline export took 12.6 s. The model hands out names cut to kMaxNameBytes at a
// character boundary; the trace's string table keeps the whole name for saving.
TEST(TraceModel, AHugeNameIsCutToALabelAtACharacterBoundary)
{
    TraceBuilder b;
    const uint32_t a = b.thread(100, 100);
    std::string name;
    for (int i = 0; i < 1'000'000; ++i)
        name += "线"; // three bytes each: a cut at a fixed byte count lands inside one
    const uint32_t nameId = b.str(name);
    b.ev(a, 0, EventType::ThreadStart);
    b.ev(a, 0, EventType::ThreadName, nameId);
    b.object(a, 0, 7, ObjectKind::Mutex, "y" + name);
    b.ev(a, 0, EventType::ProcessStart, b.str("p" + name));
    b.ev(a, 5, EventType::ThreadExit);
    TraceModel m(std::move(b.data));

    const auto expectLabel = [](const std::string &label, const std::string &prefix) {
        EXPECT_LE(label.size(), TraceModel::kMaxNameBytes);
        EXPECT_GT(label.size(), TraceModel::kMaxNameBytes - 6);
        ASSERT_GE(label.size(), 3u);
        EXPECT_EQ(label.substr(label.size() - 3), "\u2026");
        const std::string kept = label.substr(0, label.size() - 3);
        EXPECT_EQ(kept.compare(0, prefix.size(), prefix), 0);
        // Whole characters only: what is kept after the prefix is a run of "线".
        EXPECT_EQ((kept.size() - prefix.size()) % 3, 0u) << kept.size();
        EXPECT_EQ(QString::fromStdString(kept).toStdString(), kept);
    };
    expectLabel(m.threadName(a), "");
    expectLabel(m.objectName(7), "y");
    ASSERT_FALSE(m.processes().empty());
    expectLabel(m.processes().front().name, "p");
    EXPECT_EQ(m.data().string(nameId), name); // kept whole for saving

    EXPECT_EQ(TraceModel::labelOf("short"), "short");
    EXPECT_EQ(TraceModel::labelOf(std::string(TraceModel::kMaxNameBytes, 'z')),
              std::string(TraceModel::kMaxNameBytes, 'z'));
}
