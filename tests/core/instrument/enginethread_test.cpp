// SPDX-License-Identifier: MIT
// The engine's own threads: they run their body on another thread, on the small stack they promise.
#include "instrument/enginethread.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <utility>

using interleave::core::EngineThread;

TEST(EngineThread, RunsItsBodyOnAnotherThreadWithTheSmallStack)
{
    pid_t bodyTid = 0;
    size_t stackBytes = 0;
    EngineThread t([&] {
        bodyTid = ::gettid();
        pthread_attr_t attr;
        ASSERT_EQ(pthread_getattr_np(pthread_self(), &attr), 0);
        ASSERT_EQ(pthread_attr_getstacksize(&attr, &stackBytes), 0);
        pthread_attr_destroy(&attr);
    });
    EXPECT_TRUE(t.joinable());
    t.join();
    EXPECT_FALSE(t.joinable());
    EXPECT_NE(bodyTid, 0);
    EXPECT_NE(bodyTid, ::gettid());
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer's pthread_create raises every requested stack to a minimum of its own (here
    // about 900 KiB); the thread still gets a set size, far below the 8 MiB default.
    EXPECT_GE(stackBytes, EngineThread::kStackBytes);
    EXPECT_LT(stackBytes, size_t(2) << 20);
#else
    EXPECT_EQ(stackBytes, EngineThread::kStackBytes);
#endif
}

TEST(EngineThread, MovedThreadIsJoinedThroughItsNewOwner)
{
    std::atomic<int> runs{0};
    EngineThread first([&] { runs.fetch_add(1); });
    EngineThread second(std::move(first));
    EXPECT_FALSE(first.joinable());
    ASSERT_TRUE(second.joinable());
    second.join();
    EXPECT_EQ(runs.load(), 1);
}
