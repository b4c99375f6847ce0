// SPDX-License-Identifier: MIT
#include "instrument/thread.h"

#include "recording.h"

#include <pthread.h>

#include <stdexcept>

using namespace interleave::core;
using interleave::core::test::Recording;

TEST(Thread, RecordsStartNameExitAndJoin)
{
    Recording rec;
    const int32_t mainTid = currentTid();
    char kernelName[16] = {};
    Thread t("LoopThread", [&] { pthread_getname_np(pthread_self(), kernelName, sizeof kernelName); });
    const int32_t tid = t.tid();
    EXPECT_GT(tid, 0);
    EXPECT_NE(tid, mainTid);
    t.join();
    EXPECT_FALSE(t.joinable());
    rec.stop();

    EXPECT_STREQ(kernelName, "LoopThread");
    const auto own = rec.byTid(tid);
    ASSERT_GE(own.size(), 3u);
    EXPECT_EQ(own.front().type, EventType::ThreadStart);
    EXPECT_EQ(own.front().arg, mainTid);
    EXPECT_EQ(own.back().type, EventType::ThreadExit);
    const auto names = rec.events(EventType::ThreadName, [&](const Event &e) { return rec.tid(e) == tid; });
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(rec.data().string(names[0].object), "LoopThread");

    const auto waits = rec.events(EventType::JoinWait);
    const auto dones = rec.events(EventType::JoinDone);
    ASSERT_EQ(waits.size(), 1u);
    ASSERT_EQ(dones.size(), 1u);
    EXPECT_EQ(rec.tid(waits[0]), mainTid);
    EXPECT_EQ(waits[0].object, uint32_t(tid));
    EXPECT_EQ(dones[0].object, uint32_t(tid));
    // The joiner is blocked exactly until the thread is gone.
    EXPECT_LE(waits[0].time, dones[0].time);
    EXPECT_LE(own.back().time, dones[0].time);
}

TEST(Thread, ExceptionStillRecordsExitAndJoinRethrows)
{
    Recording rec;
    Thread t("Crasher", [] { throw std::runtime_error("boom"); });
    const int32_t tid = t.tid();
    EXPECT_THROW(t.join(), std::runtime_error);
    rec.stop();
    const auto own = rec.byTid(tid);
    ASSERT_FALSE(own.empty());
    EXPECT_EQ(own.back().type, EventType::ThreadExit);
}

TEST(Thread, DestructorJoinsAndDefaultNamesArePythonLike)
{
    Recording rec;
    int32_t tid = 0;
    std::string name;
    {
        Thread t(
            {}, [](int x) { (void)x; }, 42);
        tid = t.tid();
        name = t.name();
    }
    rec.stop();
    EXPECT_EQ(name.rfind("Thread-", 0), 0u) << name;
    EXPECT_EQ(rec.events(EventType::JoinDone, [&](const Event &e) { return e.object == uint32_t(tid); }).size(), 1u);
}

TEST(Thread, MoveAssignmentJoinsTheOldThread)
{
    Recording rec;
    Thread a("A", [] {});
    const int32_t first = a.tid();
    a = Thread("B", [] {});
    const int32_t second = a.tid();
    a.join();
    rec.stop();
    EXPECT_EQ(rec.events(EventType::JoinDone, [&](const Event &e) { return e.object == uint32_t(first); }).size(), 1u);
    EXPECT_EQ(rec.events(EventType::JoinDone, [&](const Event &e) { return e.object == uint32_t(second); }).size(), 1u);
}
