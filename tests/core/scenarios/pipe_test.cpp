// SPDX-License-Identifier: MIT
// "pipe": whole messages cross one real pipe in both directions, each received after it was sent.
#include "scenariorun.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(PipeScenario, MessagesCrossBothWaysAndEachArrivesAfterItsSend)
{
    const ScenarioRun run = runScenario("pipe", {{QStringLiteral("requests"), QStringLiteral("4")},
                                                 {QStringLiteral("work_s"), QStringLiteral("0.05")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();
    const int32_t parentPid = run.session->runnerPid();

    std::map<int64_t, const Event *> sends;
    std::map<int32_t, int> sentBy;
    for (const Event *e : run.events(EventType::PipeSend)) {
        EXPECT_TRUE(sends.emplace(e->arg, e).second) << "message id " << e->arg << " sent twice";
        ++sentBy[data.threads[e->thread].pid];
    }
    // Four requests from the parent, four replies from one other process.
    ASSERT_EQ(sends.size(), 8u);
    ASSERT_EQ(sentBy.size(), 2u);
    EXPECT_EQ(sentBy[parentPid], 4);
    int32_t childPid = 0;
    for (const auto &[pid, count] : sentBy) {
        if (pid != parentPid) {
            childPid = pid;
            EXPECT_EQ(count, 4);
        }
    }

    int received = 0;
    for (const Event *e : run.events(EventType::PipeRecv)) {
        if (e->arg == 0)
            continue; // the child's last wait, ended by EOF
        const auto send = sends.find(e->arg);
        ASSERT_NE(send, sends.end()) << "received message " << e->arg << " that nobody sent";
        EXPECT_EQ(e->object, send->second->object);
        EXPECT_GE(e->time, send->second->time);
        // Received by the other process: a message never comes back to its sender.
        EXPECT_NE(data.threads[e->thread].pid, data.threads[send->second->thread].pid);
        ++received;
    }
    EXPECT_EQ(received, 8);

    // Request and reply alternate: the parent's i-th send precedes the child's i-th send.
    std::vector<int64_t> parentSends, childSends;
    for (const auto &[id, e] : sends)
        (data.threads[e->thread].pid == parentPid ? parentSends : childSends).push_back(e->time);
    std::sort(parentSends.begin(), parentSends.end());
    std::sort(childSends.begin(), childSends.end());
    for (size_t i = 0; i < parentSends.size() && i < childSends.size(); ++i) {
        EXPECT_LT(parentSends[i], childSends[i]);
        if (i + 1 < parentSends.size()) {
            EXPECT_LT(childSends[i], parentSends[i + 1]);
        }
    }

    // The child ended by itself, with 0, once the parent closed its end.
    const ProcessInfo *child = model.process(childPid);
    ASSERT_NE(child, nullptr);
    ASSERT_TRUE(child->exited);
    EXPECT_FALSE(child->signaled);
    EXPECT_EQ(child->exitStatus, 0);

    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("sent")).toInt(), 8);
    EXPECT_EQ(f.value(QStringLiteral("received")).toInt(), 8);
    expectNothingLeft(run);
}
