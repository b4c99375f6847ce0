// SPDX-License-Identifier: MIT
// Typed answers about single events: printed lines, and the times stepping visits.
#include "../scenarios/scenariorun.h"
#include "trace/modelqueries.h"
#include "tracebuilder.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Two processes print; thread 12's events interleave with thread 11's.
TraceData printing()
{
    TraceBuilder b;
    const uint32_t t11 = b.thread(1, 11);
    const uint32_t t12 = b.thread(1, 12);
    const uint32_t t21 = b.thread(2, 21);
    b.ev(t11, 1, EventType::ThreadStart);
    b.ev(t11, 3, EventType::Output, b.str("hello"), 1);
    b.ev(t21, 2, EventType::Output, b.str("oops"), 2);
    b.ev(t12, 3, EventType::ThreadStart, 0, 11);
    b.ev(t12, 7, EventType::Output, b.str("bye"), 1);
    b.ev(t11, 9, EventType::ThreadExit);
    return std::move(b.data);
}

} // namespace

TEST(ModelQueries, OutputLinesHaveTimeThreadPidTextAndStream)
{
    const TraceModel model(printing());
    ASSERT_EQ(model.outputs().size(), 3u);
    const OutputLine first = outputLine(model, model.outputs()[0]);
    EXPECT_EQ(first.time, ms(2));
    EXPECT_EQ(first.thread, 2u);
    EXPECT_EQ(first.pid, 2);
    EXPECT_EQ(first.text, "oops");
    EXPECT_TRUE(first.stderrStream);
    const OutputLine second = outputLine(model, model.outputs()[1]);
    EXPECT_EQ(second.time, ms(3));
    EXPECT_EQ(second.thread, 0u);
    EXPECT_EQ(second.pid, 1);
    EXPECT_EQ(second.text, "hello");
    EXPECT_FALSE(second.stderrStream);
    const OutputLine third = outputLine(model, model.outputs()[2]);
    EXPECT_EQ(third.thread, 1u);
    EXPECT_EQ(third.text, "bye");
    for (uint32_t output : model.outputs())
        EXPECT_EQ(outputTime(model, output), outputLine(model, output).time);
}

TEST(ModelQueries, StepsVisitEveryDistinctEventTimeOfEveryThread)
{
    const TraceModel model(printing());
    const std::vector<int64_t> times{ms(1), ms(2), ms(3), ms(7), ms(9)};
    int64_t t = kTimeMin + 1;
    for (int64_t expected : times) {
        t = nextEventTime(model, t);
        EXPECT_EQ(t, expected);
    }
    EXPECT_EQ(nextEventTime(model, ms(9)), ms(9)); // nothing after the last: stays
    for (auto it = times.rbegin() + 1; it != times.rend(); ++it) {
        t = previousEventTime(model, t);
        EXPECT_EQ(t, *it);
    }
    EXPECT_EQ(previousEventTime(model, ms(1)), ms(1)); // nothing before the first: stays
    EXPECT_EQ(nextEventTime(model, ms(4)), ms(7));     // between events
    EXPECT_EQ(previousEventTime(model, ms(4)), ms(3));
    const TraceModel empty;
    EXPECT_EQ(nextEventTime(empty, 5), 5);
    EXPECT_EQ(previousEventTime(empty, 5), 5);
}

TEST(ModelQueries, AGrowingModelAnswersAsAFreshOneOverTheSameEvents)
{
    const TraceData all = printing();
    TraceModel growing;
    growing.data() = all;
    growing.data().events.resize(3); // t11 at 1 and 3, t21 at 2
    growing.update();
    EXPECT_EQ(nextEventTime(growing, ms(3)), ms(3)); // thread 12's 7 ms is not ingested yet
    EXPECT_EQ(growing.outputs().size(), 2u);
    growing.data().events = all.events;
    growing.update();
    const TraceModel fresh{TraceData(all)};
    ASSERT_EQ(growing.outputs(), fresh.outputs());
    for (uint32_t output : fresh.outputs()) {
        const OutputLine a = outputLine(growing, output);
        const OutputLine b = outputLine(fresh, output);
        EXPECT_EQ(std::tie(a.time, a.thread, a.pid, a.text, a.stderrStream),
                  std::tie(b.time, b.thread, b.pid, b.text, b.stderrStream));
    }
    for (int64_t t = 0; t <= ms(10); t += ms(1) / 2) {
        EXPECT_EQ(nextEventTime(growing, t), nextEventTime(fresh, t));
        EXPECT_EQ(previousEventTime(growing, t), previousEventTime(fresh, t));
    }
}

TEST(ModelQueries, TheProcessRunsChildPrintsItsOwnPid)
{
    using namespace interleave::core::testing;
    const ScenarioRun run = runScenario("process", {{QStringLiteral("work_s"), QStringLiteral("0.2")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    bool childSpoke = false;
    int64_t last = kTimeMin;
    for (uint32_t output : model.outputs()) {
        const OutputLine line = outputLine(model, output);
        EXPECT_GE(line.time, last); // in time order
        last = line.time;
        EXPECT_EQ(line.pid, model.thread(line.thread).pid);
        if (line.text == "Run child process test (" + std::to_string(line.pid) + ")...") {
            EXPECT_NE(line.pid, run.session->runnerPid());
            EXPECT_FALSE(line.stderrStream);
            childSpoke = true;
        }
    }
    EXPECT_TRUE(childSpoke);
    // Stepping from the start visits the first event shown after it, and back again; every stop
    // has something to say.
    const int64_t next = nextEventTime(model, model.startTime());
    EXPECT_GT(next, model.startTime());
    EXPECT_LE(next, model.endTime());
    const int64_t back = previousEventTime(model, next);
    EXPECT_LT(back, next);
    EXPECT_EQ(nextEventTime(model, back), next);
    int stops = 0;
    for (int64_t t = model.startTime(); stops < 100000; ++stops) {
        const int64_t after = nextEventTime(model, t);
        if (after == t)
            break;
        EXPECT_FALSE(stepFactsAt(model, after).empty()) << after;
        t = after;
    }
    EXPECT_GT(stops, 5);
}

namespace {

/// A thread takes lock A while the recorder samples and names come and go.
TraceData lockWithNoise()
{
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1);
    const uint32_t worker = b.thread(1, 2);
    const uint32_t sampler = b.thread(1, 3);
    b.ev(sampler, 0, EventType::RecorderThread);
    b.ev(main, 1, EventType::ThreadName, b.str("MainThread"));
    b.object(main, 1, 7, ObjectKind::Mutex, "A");
    b.ev(worker, 1, EventType::ThreadStart, 0, 1);
    b.ev(worker, 1, EventType::ThreadName, b.str("Thread-1"));
    b.ev(worker, 2, EventType::LockWait, 7);
    b.ev(main, 3, EventType::JoinWait, 2);
    b.ev(worker, 3, EventType::LockObtain, 7);
    b.ev(sampler, 4, EventType::Sample, 2, SampleArg::pack('R', 0));
    b.ev(worker, 5, EventType::QueueDepth, 7, 1);
    b.ev(worker, 6, EventType::LockRelease, 7);
    b.ev(worker, 8, EventType::ThreadExit);
    b.ev(main, 8, EventType::JoinDone, 2);
    return std::move(b.data);
}

} // namespace

TEST(ModelQueries, StepsSkipWhatNoViewDrawsAsAHappening)
{
    const TraceModel model(lockWithNoise());
    std::vector<int64_t> forward;
    for (int64_t t = kTimeMin + 1;;) {
        const int64_t next = nextEventTime(model, t);
        if (next == t)
            break;
        forward.push_back(next);
        t = next;
    }
    // 1: the worker starts (its name and the lock's announcement are not steps); no stop at 4
    // (a sample) or 5 (a queue depth).
    EXPECT_EQ(forward, (std::vector<int64_t>{ms(1), ms(2), ms(3), ms(6), ms(8)}));
    EXPECT_EQ(previousEventTime(model, ms(6)), ms(3));
    EXPECT_EQ(previousEventTime(model, ms(1)), ms(1)); // nothing shown before
}

TEST(ModelQueries, StepFactsSayWhoDidWhatToWhich)
{
    const TraceModel model(lockWithNoise());
    const std::vector<StepFact> wait = stepFactsAt(model, ms(2));
    ASSERT_EQ(wait.size(), 1u);
    EXPECT_EQ(wait[0].kind, StepKind::LockWait);
    EXPECT_EQ(model.threadName(wait[0].thread), "Thread-1");
    EXPECT_EQ(wait[0].object, "A");
    EXPECT_EQ(wait[0].time, ms(2));
    // Two threads at 3 ms: the main thread joins the worker (by name), the worker obtains A.
    const std::vector<StepFact> three = stepFactsAt(model, ms(3));
    ASSERT_EQ(three.size(), 2u);
    EXPECT_EQ(three[0].kind, StepKind::JoinWait);
    EXPECT_EQ(three[0].object, "Thread-1");
    EXPECT_EQ(three[1].kind, StepKind::LockObtain);
    EXPECT_EQ(three[1].object, "A");
    EXPECT_EQ(stepFactsAt(model, ms(6))[0].kind, StepKind::LockRelease);
    EXPECT_TRUE(stepFactsAt(model, ms(4)).empty()); // only a sample
    EXPECT_TRUE(stepFactsAt(model, ms(5)).empty()); // only a queue depth
    const std::vector<StepFact> start = stepFactsAt(model, ms(1));
    ASSERT_EQ(start.size(), 1u);
    EXPECT_EQ(start[0].kind, StepKind::ThreadStart);
}
