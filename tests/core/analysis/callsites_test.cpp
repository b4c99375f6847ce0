// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/callsites.h"

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

/// Two threads of one process: main joins the worker, the worker sleeps and prints; a sampler
/// samples them (its loc is a pid that happens to be the id of a call site).
TraceData joinAndPrint()
{
    TraceBuilder b;
    const uint32_t main = b.thread(10, 10);
    const uint32_t worker = b.thread(10, 11);
    const uint32_t sampler = b.thread(10, 12);
    const uint32_t here = b.str("threads.cpp:40");
    const uint32_t there = b.str("core/scenarios/lessons/threads.cpp:52");
    const uint32_t nowhere = b.str("not a call site");
    b.ev(sampler, 0, EventType::RecorderThread);
    b.ev(main, 0, EventType::ThreadStart);
    b.ev(main, 1, EventType::JoinWait, 11).loc = there;
    b.ev(worker, 1, EventType::ThreadStart);
    b.ev(worker, 2, EventType::SleepBegin).loc = here;
    b.ev(sampler, 2, EventType::Sample, 11, SampleArg::pack('S', 0)).loc = there;
    b.ev(worker, 3, EventType::Output, b.str("thread LoopThread >>> 1"), 1);
    b.ev(worker, 4, EventType::Phase, b.str("loop")).loc = nowhere;
    b.ev(worker, 5, EventType::SleepEnd).loc = here;
    b.ev(worker, 5, EventType::Output, b.str("thread LoopThread >>> 2"), 1);
    b.ev(worker, 6, EventType::ThreadExit);
    b.ev(main, 7, EventType::JoinDone, 11).loc = there;
    return std::move(b.data);
}

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

void expectSameIndex(const TraceModel &a, const CallSiteIndex &ia, const TraceModel &b, const CallSiteIndex &ib)
{
    ASSERT_EQ(a.threadCount(), b.threadCount());
    for (uint32_t th = 0; th < a.threadCount(); ++th) {
        for (int64_t t = -1; t <= ms(8); t += ms(1) / 2) {
            SCOPED_TRACE(::testing::Message() << "thread " << th << " at " << t);
            const auto sa = ia.lastCallSite(a, th, t);
            const auto sb = ib.lastCallSite(b, th, t);
            ASSERT_EQ(sa.has_value(), sb.has_value());
            if (sa) {
                EXPECT_EQ(sa->time, sb->time);
                EXPECT_EQ(sa->file, sb->file);
                EXPECT_EQ(sa->line, sb->line);
                EXPECT_EQ(a.data().events[sa->event].time, b.data().events[sb->event].time);
            }
            EXPECT_EQ(ia.lastOutput(a, th, t), ib.lastOutput(b, th, t));
        }
    }
}

} // namespace

TEST(SourceLocation, ParsesFileAndLine)
{
    const auto a = SourceLocation::parse("/usr/include/c++/12/bits/std_mutex.h:249");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->file, "/usr/include/c++/12/bits/std_mutex.h");
    EXPECT_EQ(a->line, 249);
    EXPECT_FALSE(SourceLocation::parse("threads.cpp"));
    EXPECT_FALSE(SourceLocation::parse(":12"));
    EXPECT_FALSE(SourceLocation::parse("a.cpp:0"));
    EXPECT_FALSE(SourceLocation::parse("a.cpp:1x"));
}

TEST(CallSiteIndex, FindsEachThreadsLastCallSiteAndPrintedLine)
{
    TraceModel model(joinAndPrint());
    model.update();
    CallSiteIndex index;
    index.update(model);
    const uint32_t main = 0, worker = 1, sampler = 2;

    const auto mainAt4 = index.lastCallSite(model, main, ms(4));
    ASSERT_TRUE(mainAt4);
    EXPECT_EQ(mainAt4->time, ms(1));
    EXPECT_EQ(mainAt4->file, "core/scenarios/lessons/threads.cpp");
    EXPECT_EQ(mainAt4->line, 52);
    EXPECT_EQ(model.data().events[mainAt4->event].type, EventType::JoinWait);

    // The Output at 3 ms and the Phase at 4 ms ("not a call site") are passed over.
    const auto workerAt4 = index.lastCallSite(model, worker, ms(4));
    ASSERT_TRUE(workerAt4);
    EXPECT_EQ(workerAt4->time, ms(2));
    EXPECT_EQ(workerAt4->file, "threads.cpp");
    EXPECT_EQ(workerAt4->line, 40);
    EXPECT_EQ(model.data().events[workerAt4->event].type, EventType::SleepBegin);
    EXPECT_EQ(index.lastCallSite(model, worker, ms(5))->time, ms(5)); // at or before: the SleepEnd itself
    EXPECT_EQ(index.lastCallSite(model, main, ms(9))->time, ms(7));

    EXPECT_FALSE(index.lastCallSite(model, worker, ms(1))); // only its ThreadStart, which has none
    EXPECT_FALSE(index.lastCallSite(model, sampler, ms(9))) << "a Sample's loc is a pid, not a call site";
    EXPECT_FALSE(index.lastCallSite(model, 99, ms(9)));

    EXPECT_FALSE(index.lastOutput(model, worker, ms(2)));
    EXPECT_EQ(index.lastOutput(model, worker, ms(4)), "thread LoopThread >>> 1");
    EXPECT_EQ(index.lastOutput(model, worker, ms(9)), "thread LoopThread >>> 2");
    EXPECT_FALSE(index.lastOutput(model, main, ms(9)));
}

TEST(CallSiteIndex, KeepsUpWithAGrowingModelAndEqualsAFreshIndex)
{
    const TraceData all = joinAndPrint();
    TraceModel whole{TraceData(all)};
    whole.update();
    CallSiteIndex fresh;
    fresh.update(whole);

    for (size_t split = 0; split <= all.events.size(); ++split) {
        SCOPED_TRACE(::testing::Message() << "first " << split << " events");
        TraceModel live;
        live.data().threads = all.threads;
        live.data().strings = all.strings;
        CallSiteIndex index;
        live.data().events.assign(all.events.begin(), all.events.begin() + ptrdiff_t(split));
        live.update();
        index.update(live);
        live.data().events.insert(live.data().events.end(), all.events.begin() + ptrdiff_t(split), all.events.end());
        live.update();
        index.update(live);
        expectSameIndex(whole, fresh, live, index);
    }

    // After a reset it reads everything again.
    fresh.reset();
    EXPECT_FALSE(fresh.lastCallSite(whole, 0, ms(9)));
    fresh.update(whole);
    EXPECT_EQ(fresh.lastCallSite(whole, 0, ms(9))->line, 52);
}

TEST(CallSiteIndex, CountsDistinctCallSitesPerFile)
{
    TraceBuilder b;
    const uint32_t one = b.thread(10, 10);
    const uint32_t other = b.thread(20, 20); // another process interns the same text again
    b.ev(one, 0, EventType::ThreadStart);
    b.ev(one, 1, EventType::SleepBegin).loc = b.str("/src/main.c:10");
    b.ev(one, 2, EventType::SleepEnd).loc = b.str("/src/main.c:10");
    b.ev(one, 3, EventType::SleepBegin).loc = b.str("/src/main.c:12");
    b.ev(other, 1, EventType::SleepBegin).loc = b.str("/src/main.c:10");
    b.ev(other, 2, EventType::SleepEnd).loc = b.str("/src/util.py:3");
    b.ev(other, 3, EventType::Phase, b.str("x")).loc = b.str("not a call site");
    TraceModel model(std::move(b.data));
    model.update();
    CallSiteIndex index;
    index.update(model);
    const std::map<std::string, size_t> expected{{"/src/main.c", 2}, {"/src/util.py", 1}};
    EXPECT_EQ(index.sitesPerFile(), expected);
    index.reset();
    EXPECT_TRUE(index.sitesPerFile().empty());
}
