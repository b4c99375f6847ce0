// SPDX-License-Identifier: MIT
// The observer stays out of the picture, and arrows run forward: the trace model's view of the
// recorder's own threads (RecorderThread) and of where a fork arrow starts (ForkCall).
#include "io/chromejson.h"
#include "trace/tracemodel.h"

#include "tracebuilder.h"

#include <QBuffer>

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

TEST(ForkFlow, StartsWhereForkWasCalledEvenWhenTheChildRecordsBeforeItReturns)
{
    TraceBuilder b;
    const uint32_t parent = b.thread(100, 100);
    const uint32_t child = b.thread(200, 200);
    b.ev(parent, 0, EventType::ProcessStart, b.str("parent"), 1);
    b.ev(parent, 1, EventType::ForkCall);
    // The child runs first: its first events come before fork() returns in the parent.
    b.ev(child, 2, EventType::ForkReturn, 0, 0);
    b.ev(child, 2, EventType::ProcessStart, b.str("child"), 100);
    b.ev(parent, 3, EventType::ForkReturn, 0, 200);
    const TraceModel model(std::move(b.data));
    const std::vector<Flow> flows = model.flows();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].kind, FlowKind::Fork);
    EXPECT_EQ(flows[0].fromThread, parent);
    EXPECT_EQ(flows[0].fromTime, TraceBuilder::ms(1));
    EXPECT_EQ(flows[0].toThread, child);
    EXPECT_EQ(flows[0].toTime, TraceBuilder::ms(2));
    EXPECT_EQ(flows[0].id, 200);
    EXPECT_EQ(flows[0].object, 200u);
}

TEST(ForkFlow, ATraceFromBeforeForkCallNeverRunsBackwards)
{
    TraceBuilder b;
    const uint32_t parent = b.thread(100, 100);
    const uint32_t child = b.thread(200, 200);
    b.ev(parent, 0, EventType::ProcessStart, b.str("parent"), 1);
    b.ev(child, 2, EventType::ProcessStart, b.str("child"), 100);
    b.ev(parent, 3, EventType::ForkReturn, 0, 200);
    const TraceModel model(std::move(b.data));
    const std::vector<Flow> flows = model.flows();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].fromThread, parent);
    EXPECT_EQ(flows[0].toTime, TraceBuilder::ms(2));
    EXPECT_LE(flows[0].fromTime, flows[0].toTime);
}

TEST(RecorderThread, HasNoStatesNoPlaceInItsProcessAndNoNameInTheExportButItsSamplesCount)
{
    TraceBuilder b;
    const uint32_t main = b.thread(100, 100);
    const uint32_t sampler = b.thread(100, 101);
    b.ev(main, 0, EventType::ProcessStart, b.str("runner"), 1);
    b.ev(main, 0, EventType::ThreadName, b.str("MainThread"));
    b.ev(sampler, 0, EventType::RecorderThread);
    b.ev(sampler, 0, EventType::ThreadName, b.str("sampler"));
    b.ev(sampler, 1, EventType::Sample, 100, SampleArg::pack('R', 0), 0, 1);
    b.ev(main, 5, EventType::ThreadExit);
    const TraceModel model(std::move(b.data));
    EXPECT_TRUE(model.thread(sampler).recorder);
    EXPECT_FALSE(model.thread(main).recorder);
    const ProcessInfo *runner = model.process(100);
    ASSERT_NE(runner, nullptr);
    EXPECT_EQ(runner->threads, std::vector<uint32_t>{main});
    EXPECT_TRUE(model.states(sampler).empty());
    EXPECT_FALSE(model.states(main).empty());
    EXPECT_EQ(model.coreSamplesOfThread(main).size(), 1u) << "what it saw of the others stays";

    QByteArray bytes;
    QBuffer out(&bytes);
    ASSERT_TRUE(out.open(QIODevice::WriteOnly));
    QString error;
    ASSERT_TRUE(exportChromeJson(model, out, &error)) << error.toStdString();
    EXPECT_TRUE(bytes.contains("MainThread"));
    EXPECT_FALSE(bytes.contains("sampler"));
    EXPECT_FALSE(bytes.contains("\"tid\":101"));
}
