// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/lockstats.h"

#include <QJsonObject>

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

TEST(LockStats, CountsAcquisitionsContentionAndWaits)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    const uint32_t t3 = b.thread(1, 3);
    b.object(t1, 0, 9, ObjectKind::Mutex, "balance_lock");
    b.ev(t1, 0, EventType::LockObtain, 9, 0, TryLock);
    b.ev(t2, 5, EventType::LockWait, 9);
    b.ev(t3, 8, EventType::LockWait, 9);
    b.ev(t1, 10, EventType::LockRelease, 9);
    b.ev(t2, 10, EventType::LockObtain, 9);
    b.ev(t2, 20, EventType::LockRelease, 9);
    b.ev(t3, 20, EventType::LockObtain, 9);
    b.ev(t3, 25, EventType::LockRelease, 9);
    b.ev(t1, 30, EventType::LockWait, 9, 0, Timed);
    b.ev(t1, 33, EventType::LockTimeout, 9);
    b.ev(t2, 40, EventType::LockObtain, 9, 0, TryLock);
    TraceModel m(std::move(b.data));

    const LockStats s = LockStats::compute(m);
    ASSERT_EQ(s.locks().size(), 1u);
    const LockStat &l = s.locks()[0];
    EXPECT_EQ(l.name, "balance_lock");
    EXPECT_EQ(l.acquisitions, 4u);
    EXPECT_EQ(l.contended, 2u);
    EXPECT_EQ(l.timeouts, 1u);
    EXPECT_DOUBLE_EQ(l.waitMsTotal, 5.0 + 12.0 + 3.0);
    EXPECT_DOUBLE_EQ(l.waitMsMax, 12.0);
    EXPECT_DOUBLE_EQ(l.holdMsTotal, 10.0 + 10.0 + 5.0 + 0.0);
    ASSERT_EQ(s.threads().size(), 3u);
    EXPECT_EQ(s.threads()[2].thread, t3);
    EXPECT_DOUBLE_EQ(s.threads()[2].waitMsTotal, 12.0);
    EXPECT_DOUBLE_EQ(s.threads()[0].waitMsTotal, 3.0);
    const QJsonArray json = s.toJson();
    ASSERT_EQ(json.size(), 1);
    EXPECT_EQ(json[0].toObject().value(QStringLiteral("contended")).toInt(), 2);
    EXPECT_DOUBLE_EQ(json[0].toObject().value(QStringLiteral("wait_ms_max")).toDouble(), 12.0);
}

TEST(LockStats, ADeadlockedWaitIsContended)
{
    // The deadlock lesson: each thread holds one lock and waits for the other's until the trace ends.
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    b.object(t1, 0, 1, ObjectKind::Mutex, "lock_a");
    b.object(t1, 0, 2, ObjectKind::Mutex, "lock_b");
    b.ev(t1, 1, EventType::LockObtain, 1);
    b.ev(t2, 1, EventType::LockObtain, 2);
    b.ev(t1, 2, EventType::LockWait, 2);
    b.ev(t2, 3, EventType::LockWait, 1);
    b.ev(t1, 10, EventType::Deadlock, 0, 2);
    TraceModel m(std::move(b.data));

    const LockStats s = LockStats::compute(m);
    ASSERT_EQ(s.locks().size(), 2u);
    for (const LockStat &l : s.locks()) {
        EXPECT_EQ(l.acquisitions, 1u) << l.name;
        EXPECT_EQ(l.contended, 1u) << l.name << ": its waiter never got it, and waited all the same";
        EXPECT_EQ(l.timeouts, 0u) << l.name;
    }
    EXPECT_DOUBLE_EQ(s.locks()[0].waitMsTotal, 7.0);
    EXPECT_DOUBLE_EQ(s.locks()[1].waitMsTotal, 8.0);
    EXPECT_EQ(s.toJson()[0].toObject().value(QStringLiteral("contended")).toInt(), 1);
}
