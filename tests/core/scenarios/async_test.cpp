// SPDX-License-Identifier: MIT
// "async": one event-loop thread carries every request's wait at once, so the whole phase takes
// about as long as the slowest wait; the threaded version needs one thread per request.
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(AsyncScenario, OneThreadServesAllRequestsAndTheWaitsOverlap)
{
    const int tasks = 6;
    const ScenarioRun run = runScenario("async", {{QStringLiteral("tasks"), QString::number(tasks)},
                                                  {QStringLiteral("wait_ms"), QStringLiteral("400")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();
    const int32_t runner = run.session->runnerPid();

    // The two phases, in order.
    int64_t loopBegin = kTimeMax, threadsBegin = kTimeMax;
    for (uint32_t index : model.phases()) {
        const std::string name = data.string(data.events[index].object);
        if (name.rfind("event loop", 0) == 0)
            loopBegin = data.events[index].time;
        else if (name.rfind("threads", 0) == 0)
            threadsBegin = data.events[index].time;
    }
    ASSERT_NE(loopBegin, kTimeMax);
    ASSERT_NE(threadsBegin, kTimeMax);
    ASSERT_LT(loopBegin, threadsBegin);

    // Each request's wait is an async span; sort them into the phases.
    std::set<uint32_t> loopThreads, threadThreads;
    int loopSpans = 0, threadSpans = 0;
    int64_t loopSum = 0, loopLast = kTimeMin, longest = 0;
    for (const SliceInfo &span : model.asyncSpans()) {
        ASSERT_NE(span.end, kTimeMax) << "a wait never ended";
        if (span.start >= loopBegin && span.start < threadsBegin) {
            ++loopSpans;
            loopThreads.insert(span.thread);
            loopSum += span.end - span.start;
            loopLast = std::max(loopLast, span.end);
            longest = std::max(longest, span.end - span.start);
        } else if (span.start >= threadsBegin) {
            ++threadSpans;
            threadThreads.insert(span.thread);
        }
    }
    // Event loop: every wait was carried by one thread, the runner's main thread...
    EXPECT_EQ(loopSpans, tasks);
    ASSERT_EQ(loopThreads.size(), 1u);
    const uint32_t loopThread = *loopThreads.begin();
    EXPECT_EQ(model.thread(loopThread).pid, runner);
    // ...the waits overlapped: the phase took far less than their sum, about the slowest one...
    const int64_t wall = loopLast - loopBegin;
    EXPECT_LT(double(wall), 0.6 * double(loopSum)) << wall << " ns vs sum " << loopSum;
    EXPECT_GE(wall, longest);
    // ...and while it waited the thread was blocked in epoll_wait, not sleeping.
    int blockedOnIo = 0;
    for (const StateSpan &s : model.states(loopThread, loopBegin, loopLast)) {
        EXPECT_NE(s.state, ThreadState::Sleeping);
        blockedOnIo += s.state == ThreadState::Blocked && s.reason == BlockReason::Io;
    }
    EXPECT_GT(blockedOnIo, 0);

    // Threads: the same requests needed one thread each.
    EXPECT_EQ(threadSpans, tasks);
    EXPECT_EQ(threadThreads.size(), size_t(tasks));
    EXPECT_EQ(threadThreads.count(loopThread), 0u);

    // The replies came from a real peer process that ended normally.
    bool peer = false;
    for (const ProcessInfo &p : model.processes()) {
        if (p.ppid == runner && p.name == "server") {
            peer = true;
            EXPECT_TRUE(p.exited && !p.signaled && p.exitStatus == 0);
        }
    }
    EXPECT_TRUE(peer);

    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("tasks")).toInt(), tasks);
    EXPECT_EQ(f.value(QStringLiteral("threads_used")).toInt(), 1);
    EXPECT_LT(f.value(QStringLiteral("wall_ms")).toDouble(),
              0.6 * f.value(QStringLiteral("sum_of_waits_ms")).toDouble());
    expectNothingLeft(run);
}
