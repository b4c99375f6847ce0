// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "ui/playback.h"
#include "ui/stepsentence.h"

#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace interleave;
using core::EventType;
using core::testing::TraceBuilder;
using ui::Playback;
using ui::PlaybackMath;

namespace {

/// Two threads: one records at 0, 10, 30 ms, the other at 5, 30, 40 ms.
core::TraceModel twoThreads()
{
    TraceBuilder b;
    const uint32_t a = b.thread(100, 100);
    const uint32_t c = b.thread(100, 101);
    b.ev(a, 0, EventType::ThreadStart);
    b.ev(c, 5, EventType::ThreadStart);
    b.ev(a, 10, EventType::SleepBegin);
    b.ev(a, 30, EventType::SleepEnd);
    b.ev(c, 30, EventType::ThreadExit);
    b.ev(a, 40, EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

} // namespace

TEST(PlaybackMath, StepsVisitEveryDistinctEventTimeInOrder)
{
    const core::TraceModel model = twoThreads();
    std::vector<int64_t> forward;
    for (int64_t t = model.startTime();;) {
        const int64_t next = PlaybackMath::nextEventTime(model, t);
        if (next == t)
            break;
        forward.push_back(next);
        t = next;
    }
    EXPECT_EQ(forward, (std::vector<int64_t>{ms(5), ms(10), ms(30), ms(40)}));
    std::vector<int64_t> backward;
    for (int64_t t = model.endTime();;) {
        const int64_t previous = PlaybackMath::previousEventTime(model, t);
        if (previous == t)
            break;
        backward.push_back(previous);
        t = previous;
    }
    EXPECT_EQ(backward, (std::vector<int64_t>{ms(30), ms(10), ms(5), ms(0)}));
}

TEST(PlaybackMath, AdvanceScalesWallTimeBySpeedAndClamps)
{
    EXPECT_EQ(PlaybackMath::advance(0, 1'000'000, 0.001, 0, ms(40)), 1000);   // 1 ms of wall = 1 µs of trace
    EXPECT_EQ(PlaybackMath::advance(ms(39), ms(16), 1.0, 0, ms(40)), ms(40)); // never past the end
    EXPECT_EQ(PlaybackMath::advance(ms(1), ms(2), 10.0, 0, ms(40)), ms(21));
}

TEST(PlaybackMath, AStepIsRevealedCentredAtAZoomWhereItsNeighboursAreApart)
{
    using Range = std::pair<int64_t, int64_t>;
    // The whole 493 ms trace is shown; steps 2 µs apart: zoom to 40 × 2 µs around the step.
    const Range all{0, ms(493)};
    EXPECT_EQ(PlaybackMath::revealRange(all, ms(100), ms(100) - 2000, ms(100) + 5000),
              (Range{ms(100) - 40'000, ms(100) + 40'000}));
    // Already closer than that and well inside: unchanged.
    const Range close{ms(100) - 30'000, ms(100) + 30'000};
    EXPECT_EQ(PlaybackMath::revealRange(close, ms(100) + 1000, ms(100) - 1000, ms(100) + 9000), close);
    // Close enough but at the edge: centred, same width.
    EXPECT_EQ(PlaybackMath::revealRange(close, ms(100) + 29'000, ms(100), ms(100) + 40'000),
              (Range{ms(100) - 1000, ms(100) + 59'000}));
    // Steps far apart never zoom out; no neighbour at all keeps the width.
    EXPECT_EQ(PlaybackMath::revealRange(close, ms(100), ms(50), ms(150)), close);
    EXPECT_EQ(PlaybackMath::revealRange(all, ms(200), ms(200), ms(200)), all);
}

TEST(StepSentence, SaysWhoDidWhatToWhichAndWhen)
{
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1);
    const uint32_t worker = b.thread(1, 2);
    b.ev(main, 0, EventType::ThreadStart);
    b.ev(main, 0, EventType::ThreadName, b.str("MainThread"));
    b.object(main, 0, 7, core::ObjectKind::Mutex, "lock A");
    b.ev(worker, 1, EventType::ThreadStart, 0, 1);
    b.ev(worker, 1, EventType::ThreadName, b.str("Thread-1"));
    b.ev(worker, 12, EventType::LockObtain, 7).time += 345'000;
    b.ev(main, 12, EventType::JoinWait, 2).time += 345'000;
    b.ev(worker, 20, EventType::LockRelease, 7);
    core::TraceModel model(std::move(b.data));
    model.update();
    EXPECT_EQ(ui::StepSentence::at(model, ms(20)).toStdString(), "Thread-1 released lock A at 20.000 ms");
    EXPECT_EQ(ui::StepSentence::at(model, ms(12) + 345'000).toStdString(),
              "MainThread waits for Thread-1 to finish (join) at 12.345 ms (and 1 more at the same time)");
    EXPECT_TRUE(ui::StepSentence::at(model, ms(5)).isEmpty()); // nothing happened then
}

TEST(PlaybackMath, SpeedsGoDownToOneThousandthAndStepThroughTheList)
{
    EXPECT_DOUBLE_EQ(PlaybackMath::speeds().front(), 0.001);
    EXPECT_DOUBLE_EQ(PlaybackMath::faster(1.0), 2.0);
    EXPECT_DOUBLE_EQ(PlaybackMath::slower(1.0), 0.5);
    EXPECT_DOUBLE_EQ(PlaybackMath::slower(0.001), 0.001);
    EXPECT_DOUBLE_EQ(PlaybackMath::faster(PlaybackMath::speeds().back()), PlaybackMath::speeds().back());
}

TEST(Playback, LiveFollowsTheEndAndReplayPlaysFromTheStart)
{
    ui::testing::app();
    TraceBuilder b;
    const uint32_t a = b.thread(1, 1);
    b.ev(a, 0, EventType::ThreadStart);
    core::TraceModel model(std::move(b.data));
    model.update();
    Playback playback;
    playback.setModel(&model);
    playback.startLive();
    EXPECT_EQ(playback.mode(), Playback::Mode::Live);
    // The model grows as a live run drains: the playhead follows.
    core::Event e{};
    e.time = ms(25);
    e.thread = a;
    e.type = EventType::ThreadExit;
    model.data().events.push_back(e);
    model.update();
    playback.modelGrew();
    EXPECT_EQ(playback.position(), ms(25));
    playback.finishLive();
    EXPECT_EQ(playback.mode(), Playback::Mode::Paused);

    // Play at the end starts over, and a 16 ms frame at 1× moves about 16 ms.
    QSignalSpy moved(&playback, &Playback::positionChanged);
    playback.play();
    EXPECT_EQ(playback.position(), 0);
    QTest::qWait(60);
    EXPECT_GT(playback.position(), 0);
    EXPECT_TRUE(playback.mode() == Playback::Mode::Playing || playback.position() == ms(25));
    QTest::qWait(200);
    EXPECT_EQ(playback.position(), ms(25)); // reached the end and stopped there
    EXPECT_EQ(playback.mode(), Playback::Mode::Paused);
    EXPECT_GE(moved.count(), 2);
}

TEST(Playback, StepAndSeekMoveThePlayheadAndPause)
{
    ui::testing::app();
    const core::TraceModel model = twoThreads();
    Playback playback;
    playback.setModel(&model);
    playback.seek(ms(7));
    EXPECT_EQ(playback.position(), ms(7));
    playback.stepForward();
    EXPECT_EQ(playback.position(), ms(10));
    playback.stepBackward();
    EXPECT_EQ(playback.position(), ms(5));
    playback.seek(ms(1000));
    EXPECT_EQ(playback.position(), ms(40)); // clamped to the trace
    playback.setSpeed(0.001);
    EXPECT_DOUBLE_EQ(playback.speed(), 0.001);
    playback.faster();
    EXPECT_DOUBLE_EQ(playback.speed(), 0.002);
}
