// SPDX-License-Identifier: MIT
// What the model draws for waits the scenario's own events do not show: a call that is not
// instrumented (the kernel's S / D state from the sampler), and a task attempt killed with its worker.
#include "trace/tracemodel.h"
#include "tracebuilder.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

struct Piece
{
    int64_t start, end;
    ThreadState state;
    BlockReason reason;
    bool operator==(const Piece &) const = default;
};

std::vector<Piece> pieces(const TraceModel &m, uint32_t thread, int64_t t0 = kTimeMin, int64_t t1 = kTimeMax)
{
    std::vector<Piece> out;
    for (const StateSpan &s : m.states(thread, t0, t1))
        out.push_back({s.start, s.end, s.state, s.reason});
    return out;
}

} // namespace

TEST(KernelWaits, AThreadTheKernelSawWaitingIsNotDrawnRunning)
{
    TraceBuilder b;
    const uint32_t sampler = b.thread(1, 99);
    const uint32_t t = b.thread(1, 2);
    auto sample = [&](int64_t at, char state, int64_t delayMs = 0) {
        b.ev(sampler, at, EventType::Sample, 2, SampleArg::pack(state, uint64_t(ms(delayMs))));
    };
    b.ev(t, 0, EventType::ThreadStart);
    sample(5, 'R');
    sample(10, 'S'); // in a read() nobody instrumented
    sample(11, 'S');
    sample(12, 'R');                                  // running again
    sample(20, 'D');                                  // in the kernel, uninterruptible
    b.ev(t, 25, EventType::Output, b.str("done"), 1); // its own event: it ran by then
    b.ev(t, 30, EventType::LockWait, 7);
    sample(31, 'S'); // an instrumented wait says more: stays a lock wait
    b.ev(t, 40, EventType::LockObtain, 7);
    sample(50, 'S');
    sample(60, 'R', 3); // woke, then waited 3 ms for a core
    b.ev(t, 70, EventType::ThreadExit);
    TraceModel m(std::move(b.data));

    using S = ThreadState;
    using R = BlockReason;
    const std::vector<Piece> want{
        {ms(0), ms(10), S::Running, R::None},   {ms(10), ms(11), S::Sleeping, R::None},
        {ms(11), ms(12), S::Sleeping, R::None}, {ms(12), ms(20), S::Running, R::None},
        {ms(20), ms(25), S::Blocked, R::Io},    {ms(25), ms(30), S::Running, R::None},
        {ms(30), ms(40), S::Blocked, R::Lock},  {ms(40), ms(50), S::Running, R::None},
        {ms(50), ms(57), S::Sleeping, R::None}, {ms(57), ms(60), S::Ready, R::None},
        {ms(60), ms(70), S::Running, R::None},  {ms(70), ms(70) + 1, S::Exited, R::None},
    };
    EXPECT_EQ(pieces(m, t), want);
    EXPECT_EQ(m.stateAt(t, ms(21)).state, S::Blocked);
    EXPECT_EQ(m.stateAt(t, ms(21)).event, kNoEvent) << "measured, not recorded";
    EXPECT_EQ(m.stateAt(t, ms(35)).reason, R::Lock);

    // A query that starts inside the interval sees the same pieces as the whole one.
    for (int64_t t0 : {ms(3), ms(10) + 5, ms(22), ms(45), ms(55), ms(58)}) {
        std::vector<Piece> part;
        for (const Piece &p : want) {
            if (p.end > t0)
                part.push_back(p);
        }
        EXPECT_EQ(pieces(m, t, t0), part) << "from " << t0;
    }
}

TEST(TaskAttempts, AnAttemptKilledWithItsWorkerEndsAtTheKillMarked)
{
    // Both arrival orders: the exit (written by the reaper) may be ingested before the worker's start.
    for (const bool exitFirst : {false, true}) {
        SCOPED_TRACE(exitFirst ? "exit first" : "start first");
        TraceBuilder b;
        const uint32_t master = b.thread(10, 10);
        const uint32_t w1 = b.thread(20, 20);
        const uint32_t w2 = b.thread(30, 30);
        b.ev(master, 0, EventType::TaskSubmit, 5, 1);
        if (exitFirst)
            b.ev(master, 8, EventType::ProcessExit, 20, SIGKILL, ExitSignal);
        b.ev(w1, 2, EventType::TaskStart, 5, 1);
        if (!exitFirst)
            b.ev(master, 8, EventType::ProcessExit, 20, SIGKILL, ExitSignal);
        b.ev(master, 9, EventType::QueuePut, 6, 2); // re-queued
        b.ev(w2, 12, EventType::TaskStart, 5, 1);
        b.ev(w2, 15, EventType::TaskEnd, 5, 1);
        b.ev(w2, 16, EventType::ProcessExit, 30, 0); // a worker that exits after finishing
        TraceModel m(std::move(b.data));

        ASSERT_EQ(m.tasks().size(), 2u);
        const TaskInfo &killed = m.tasks()[0];
        EXPECT_EQ(killed.worker, w1);
        EXPECT_EQ(killed.started, ms(2));
        EXPECT_EQ(killed.ended, ms(8)) << "the killed attempt ends where its worker did";
        EXPECT_TRUE(killed.failed);
        EXPECT_TRUE(killed.killed);
        EXPECT_EQ(killed.failurePid, 20);
        EXPECT_TRUE(killed.failureSignaled);
        EXPECT_EQ(killed.failureStatus, SIGKILL);
        const TaskInfo &done = m.tasks()[1];
        EXPECT_EQ(done.worker, w2);
        EXPECT_EQ(done.ended, ms(15));
        EXPECT_FALSE(done.failed);
        EXPECT_FALSE(done.killed);
    }
}

TEST(TaskAttempts, AFailureReportedLaterKeepsTheExitAsTheEnd)
{
    // A process pool notices a dead worker after reaping it: TaskFailed comes after the exit.
    TraceBuilder b;
    const uint32_t pool = b.thread(10, 10);
    const uint32_t w = b.thread(20, 20);
    b.ev(w, 1, EventType::TaskStart, 5, 1);
    b.ev(pool, 4, EventType::ProcessExit, 20, SIGKILL, ExitSignal);
    b.ev(pool, 6, EventType::TaskFailed, 5, 1);
    b.ev(pool, 6, EventType::TaskFailure, 20, SIGKILL, ExitSignal);
    TraceModel m(std::move(b.data));
    ASSERT_EQ(m.tasks().size(), 1u);
    EXPECT_EQ(m.tasks()[0].ended, ms(4));
    EXPECT_TRUE(m.tasks()[0].failed);
    EXPECT_TRUE(m.tasks()[0].killed);
}
