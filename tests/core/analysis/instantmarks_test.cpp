// SPDX-License-Identifier: MIT
#include "../scenarios/scenariorun.h"
#include "../trace/tracebuilder.h"
#include "analysis/instantmarks.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Process 50 forks 60 and spawns /bin/echo as 70, signals 60 (which dies of it), and reaps both.
/// A Deadlock mark lies among them.
TraceData forkSpawnKill()
{
    TraceBuilder b;
    const uint32_t parent = b.thread(50, 50);
    const uint32_t child = b.thread(60, 60);
    const uint32_t reaper = b.thread(50, 51);
    b.ev(parent, 0, EventType::ProcessStart, b.str("parent"), 1);
    b.ev(parent, 1, EventType::ForkCall);
    b.ev(child, 2, EventType::ForkReturn, 0, 0);
    b.ev(parent, 3, EventType::ForkReturn, 0, 60);
    b.ev(parent, 4, EventType::Exec, b.str("/bin/echo hello"), 70);
    b.ev(parent, 5, EventType::Signal, 60, 15);
    b.ev(parent, 5, EventType::Deadlock, 0, 2);
    b.ev(reaper, 6, EventType::ProcessExit, 60, 15, ExitSignal);
    b.ev(reaper, 7, EventType::ProcessExit, 70, 3);
    return std::move(b.data);
}

void expectSameMarks(const std::vector<InstantMark> &a, const std::vector<InstantMark> &b)
{
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(a[i].kind, b[i].kind);
        EXPECT_EQ(a[i].time, b[i].time);
        EXPECT_EQ(a[i].thread, b[i].thread);
        EXPECT_EQ(a[i].pid, b[i].pid);
        EXPECT_EQ(a[i].number, b[i].number);
        EXPECT_EQ(a[i].program, b[i].program);
    }
}

} // namespace

TEST(InstantMarks, ReadForkExecSignalAndExitInTimeOrder)
{
    TraceModel model(forkSpawnKill());
    model.update();
    const std::vector<InstantMark> marks = instantMarks(model, kTimeMin, kTimeMax);
    ASSERT_EQ(marks.size(), 6u) << "the Deadlock is not one of them";

    EXPECT_EQ(marks[0].kind, InstantKind::Fork);
    EXPECT_EQ(marks[0].time, ms(2));
    EXPECT_EQ(marks[0].thread, 1u);
    EXPECT_EQ(marks[0].pid, 60);
    EXPECT_EQ(marks[0].number, 0); // fork() in the child

    EXPECT_EQ(marks[1].kind, InstantKind::Fork);
    EXPECT_EQ(marks[1].thread, 0u);
    EXPECT_EQ(marks[1].pid, 50);
    EXPECT_EQ(marks[1].number, 60); // in the parent: the child's pid

    EXPECT_EQ(marks[2].kind, InstantKind::Exec);
    EXPECT_EQ(marks[2].time, ms(4));
    EXPECT_EQ(marks[2].pid, 70);
    EXPECT_EQ(marks[2].number, 70);
    EXPECT_EQ(marks[2].program, "/bin/echo hello");

    EXPECT_EQ(marks[3].kind, InstantKind::Signal);
    EXPECT_EQ(marks[3].thread, 0u);
    EXPECT_EQ(marks[3].pid, 60);
    EXPECT_EQ(marks[3].number, 15);

    EXPECT_EQ(marks[4].kind, InstantKind::Killed);
    EXPECT_EQ(marks[4].thread, 2u);
    EXPECT_EQ(marks[4].pid, 60);
    EXPECT_EQ(marks[4].number, 15);

    EXPECT_EQ(marks[5].kind, InstantKind::Exit);
    EXPECT_EQ(marks[5].time, ms(7));
    EXPECT_EQ(marks[5].pid, 70);
    EXPECT_EQ(marks[5].number, 3);
    for (const InstantMark &m : marks)
        EXPECT_EQ(m.program.empty(), m.kind != InstantKind::Exec);
}

TEST(InstantMarks, AreFoundByTimeRangeUpToALimit)
{
    TraceModel model(forkSpawnKill());
    model.update();
    // [3 ms, 6 ms], both ends included.
    const std::vector<InstantMark> middle = instantMarks(model, ms(3), ms(6));
    ASSERT_EQ(middle.size(), 4u);
    EXPECT_EQ(middle.front().time, ms(3));
    EXPECT_EQ(middle.back().time, ms(6));
    EXPECT_TRUE(instantMarks(model, ms(8), kTimeMax).empty());
    EXPECT_TRUE(instantMarks(model, kTimeMin, ms(1)).empty());
    // The earliest ones when there are more than asked for.
    const std::vector<InstantMark> two = instantMarks(model, ms(3), kTimeMax, 2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].kind, InstantKind::Fork);
    EXPECT_EQ(two[1].kind, InstantKind::Exec);
}

TEST(InstantMarks, OfAGrowingModelEqualAFreshModels)
{
    const TraceData all = forkSpawnKill();
    TraceModel whole{TraceData(all)};
    whole.update();
    const std::vector<InstantMark> expected = instantMarks(whole, kTimeMin, kTimeMax);
    for (size_t split = 0; split <= all.events.size(); ++split) {
        SCOPED_TRACE(::testing::Message() << "first " << split << " events");
        TraceModel live;
        live.data().threads = all.threads;
        live.data().strings = all.strings;
        // The reaper's events first: marks arrive out of time order and still come out in it.
        std::vector<Event> events = all.events;
        std::stable_partition(events.begin(), events.end(), [](const Event &e) { return e.thread == 2; });
        live.data().events.assign(events.begin(), events.begin() + ptrdiff_t(split));
        live.update();
        const size_t before = instantMarks(live, kTimeMin, kTimeMax).size();
        live.data().events.insert(live.data().events.end(), events.begin() + ptrdiff_t(split), events.end());
        live.update();
        EXPECT_LE(before, expected.size());
        expectSameMarks(instantMarks(live, kTimeMin, kTimeMax), expected);
    }
}

TEST(InstantMarks, TheForkScenarioForksOnceAndItsChildExitsCleanly)
{
    const auto run = interleave::core::testing::runScenario("fork");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    const TraceModel &model = run.model();
    std::vector<InstantMark> forks, exits;
    for (InstantMark &m : instantMarks(model, kTimeMin, kTimeMax))
        (m.kind == InstantKind::Fork ? forks : exits).push_back(std::move(m));
    ASSERT_EQ(forks.size(), 2u);
    const InstantMark &inParent = forks[0].number != 0 ? forks[0] : forks[1];
    const InstantMark &inChild = forks[0].number != 0 ? forks[1] : forks[0];
    EXPECT_EQ(inParent.pid, run.session->runnerPid());
    EXPECT_EQ(inChild.number, 0);
    EXPECT_EQ(inParent.number, inChild.pid); // the parent saw the child's pid
    EXPECT_EQ(model.thread(inChild.thread).pid, inChild.pid);
    // The child's exit, with code 0, after both returns.
    const auto childExit =
        std::find_if(exits.begin(), exits.end(), [&](const InstantMark &m) { return m.pid == inChild.pid; });
    ASSERT_NE(childExit, exits.end());
    EXPECT_EQ(childExit->kind, InstantKind::Exit);
    EXPECT_EQ(childExit->number, 0);
    EXPECT_GE(childExit->time, inChild.time);
    interleave::core::testing::expectNothingLeft(run);
}
