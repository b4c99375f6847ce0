// SPDX-License-Identifier: MIT
// "queue": every item is got after it was put, by another process; the reader, which can never
// end by itself, is ended by the parent's SIGTERM.
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <set>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(QueueScenario, EachGetFollowsItsPutAndTheReaderIsTerminated)
{
    const ScenarioRun run = runScenario("queue", {{QStringLiteral("items"), QStringLiteral("4")},
                                                  {QStringLiteral("max_sleep_s"), QStringLiteral("0.2")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();
    const int32_t parentPid = run.session->runnerPid();

    // Puts by one process, gets by another, neither of them the parent.
    std::map<int64_t, const Event *> puts;
    std::set<int32_t> writers;
    for (const Event *e : run.events(EventType::QueuePut)) {
        EXPECT_TRUE(puts.emplace(e->arg, e).second) << "item id " << e->arg << " put twice";
        writers.insert(data.threads[e->thread].pid);
    }
    ASSERT_EQ(puts.size(), 4u);
    ASSERT_EQ(writers.size(), 1u);
    const int32_t writerPid = *writers.begin();
    std::set<int64_t> got;
    std::set<int32_t> readers;
    for (const Event *e : run.events(EventType::QueueGet)) {
        if (e->arg == 0)
            continue; // a wait that ended without an item (none are expected here)
        const auto put = puts.find(e->arg);
        ASSERT_NE(put, puts.end()) << "got item " << e->arg << " that nobody put";
        EXPECT_GE(e->time, put->second->time) << "item " << e->arg << " was got before it was put";
        EXPECT_EQ(e->object, put->second->object);
        EXPECT_TRUE(got.insert(e->arg).second) << "item " << e->arg << " got twice";
        readers.insert(data.threads[e->thread].pid);
    }
    EXPECT_EQ(got.size(), 4u);
    ASSERT_EQ(readers.size(), 1u);
    const int32_t readerPid = *readers.begin();
    EXPECT_NE(writerPid, readerPid);
    EXPECT_NE(writerPid, parentPid);
    EXPECT_NE(readerPid, parentPid);

    // The model pairs them as queue flows from the writer's process to the reader's.
    int queueFlows = 0;
    for (const Flow &flow : model.flows()) {
        if (flow.kind != FlowKind::Queue)
            continue;
        ++queueFlows;
        EXPECT_EQ(model.thread(flow.fromThread).pid, writerPid);
        EXPECT_EQ(model.thread(flow.toThread).pid, readerPid);
        EXPECT_LE(flow.fromTime, flow.toTime);
    }
    EXPECT_EQ(queueFlows, 4);

    // The writer ended normally; the reader was sent SIGTERM by the parent and died of it.
    const ProcessInfo *writer = model.process(writerPid);
    const ProcessInfo *reader = model.process(readerPid);
    ASSERT_NE(writer, nullptr);
    ASSERT_NE(reader, nullptr);
    ASSERT_TRUE(writer->exited);
    EXPECT_FALSE(writer->signaled);
    EXPECT_EQ(writer->exitStatus, 0);
    ASSERT_TRUE(reader->exited);
    EXPECT_TRUE(reader->signaled);
    EXPECT_EQ(reader->exitStatus, SIGTERM);
    const auto sent = run.events(EventType::Signal);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(int32_t(sent[0]->object), readerPid);
    EXPECT_EQ(sent[0]->arg, SIGTERM);
    EXPECT_EQ(data.threads[sent[0]->thread].pid, parentPid);
    // Only after the writer was gone, and the reader was waiting for more when it came.
    EXPECT_GE(sent[0]->time, writer->end);
    EXPECT_LE(sent[0]->time, reader->end);
    const uint32_t readerThread = reader->threads.front();
    const StateSpan atSignal = model.stateAt(readerThread, sent[0]->time);
    EXPECT_EQ(atSignal.state, ThreadState::Blocked);
    EXPECT_EQ(atSignal.reason, BlockReason::Queue);

    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("put")).toInt(), 4);
    EXPECT_EQ(f.value(QStringLiteral("got")).toInt(), 4);
    EXPECT_EQ(f.value(QStringLiteral("reader_signal")).toInt(), SIGTERM);
    expectNothingLeft(run);
}
