// SPDX-License-Identifier: MIT
// "threads": MainThread starts LoopThread, which counts; MainThread is blocked in join until it ends.
#include "scenariorun.h"

#include <string>
#include <vector>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(ThreadsScenario, MainThreadWaitsInJoinUntilLoopThreadHasCounted)
{
    const ScenarioRun run = runScenario("threads", {{QStringLiteral("count"), QStringLiteral("3")},
                                                    {QStringLiteral("interval"), QStringLiteral("0.2")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();

    uint32_t mainThread = kNoEvent;
    uint32_t loop = kNoEvent;
    for (const ThreadRecord &t : model.threads()) {
        if (model.threadName(t.index) == "MainThread")
            mainThread = t.index;
        else if (model.threadName(t.index) == "LoopThread")
            loop = t.index;
    }
    ASSERT_NE(mainThread, kNoEvent);
    ASSERT_NE(loop, kNoEvent) << "no thread named LoopThread";
    const ThreadRecord &loopRecord = model.thread(loop);
    EXPECT_EQ(loopRecord.pid, model.thread(mainThread).pid) << "a thread lives in its creator's process";
    EXPECT_NE(loopRecord.tid, model.thread(mainThread).tid);
    EXPECT_EQ(loopRecord.creatorTid, model.thread(mainThread).tid) << "MainThread started LoopThread";

    // LoopThread's own lifecycle: ThreadStart first, ThreadExit last.
    const auto &own = model.threadEvents(loop);
    ASSERT_FALSE(own.empty());
    EXPECT_EQ(data.events[own.front()].type, EventType::ThreadStart);
    EXPECT_EQ(data.events[own.back()].type, EventType::ThreadExit);
    ASSERT_TRUE(loopRecord.exited);
    const int64_t loopExit = data.events[own.back()].time;

    // Its lines, in order, and MainThread's around them.
    std::vector<std::string> loopLines;
    std::vector<int64_t> countTimes;
    std::vector<std::pair<int64_t, std::string>> mainLines;
    for (uint32_t index : model.outputs()) {
        const Event &e = data.events[index];
        if (e.thread == loop) {
            loopLines.push_back(data.string(e.object));
            if (loopLines.back().find(" >>> ") != std::string::npos)
                countTimes.push_back(e.time);
        } else if (e.thread == mainThread) {
            mainLines.emplace_back(e.time, data.string(e.object));
        }
    }
    const std::vector<std::string> expected{"thread LoopThread is running...", "thread LoopThread >>> 1",
                                            "thread LoopThread >>> 2", "thread LoopThread >>> 3",
                                            "thread LoopThread ended."};
    EXPECT_EQ(loopLines, expected);
    ASSERT_EQ(mainLines.size(), 2u);
    EXPECT_EQ(mainLines[0].second, "thread MainThread is running...");
    EXPECT_EQ(mainLines[1].second, "thread MainThread ended.");
    EXPECT_GT(mainLines[1].first, loopExit) << "MainThread ended only after LoopThread";

    // MainThread is Blocked(Join) on LoopThread's tid while it counts, until the moment it exits.
    bool found = false;
    for (const StateSpan &span : model.states(mainThread)) {
        if (span.state != ThreadState::Blocked || span.reason != BlockReason::Join)
            continue;
        found = true;
        EXPECT_EQ(span.object, uint32_t(loopRecord.tid));
        ASSERT_EQ(countTimes.size(), 3u);
        // LoopThread may print its first line before MainThread reaches join(), never its last.
        EXPECT_LE(span.start, countTimes.back());
        EXPECT_GE(span.end, loopExit);
        // Counting 3 times at 0.2 s takes at least 0.6 s: main really waited that long.
        EXPECT_GE(span.end - span.start, 500'000'000);
    }
    EXPECT_TRUE(found) << "MainThread never blocked in join";
    // The counting lines are spaced by the interval (sleeps, not a busy loop).
    for (size_t i = 1; i < countTimes.size(); ++i)
        EXPECT_GE(countTimes[i] - countTimes[i - 1], 150'000'000);

    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("thread")).toString(), QStringLiteral("LoopThread"));
    EXPECT_EQ(f.value(QStringLiteral("count")).toInt(), 3);
    EXPECT_GE(f.value(QStringLiteral("join_wait_ms")).toDouble(), 500.0);
    expectNothingLeft(run);
}
