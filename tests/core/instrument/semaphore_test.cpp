// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"
#include "instrument/semaphore.h"
#include "instrument/thread.h"

#include "recording.h"

#include <atomic>
#include <chrono>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

TEST(Semaphore, CountsAndWaitsAreRecorded)
{
    Recording rec;
    Semaphore sem("two slots", 2);
    std::atomic<int> inside{0};
    std::atomic<int> most{0};
    {
        std::vector<Thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(test::numbered("S", t), [&] {
                ASSERT_TRUE(sem.acquire());
                const int now = ++inside;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                // Long enough that the other two have surely started and wait, even where creating
                // a thread is slow (20 ms was not always, under ThreadSanitizer on a busy machine).
                sleepFor(200ms);
                --inside;
                sem.release();
            });
        }
    }
    rec.stop();
    EXPECT_LE(most.load(), 2);
    EXPECT_EQ(sem.count(), 2);
    const auto acquires = rec.of(sem.id(), {EventType::SemAcquire});
    const auto releases = rec.of(sem.id(), {EventType::SemRelease});
    ASSERT_EQ(acquires.size(), 4u);
    ASSERT_EQ(releases.size(), 4u);
    EXPECT_GE(rec.of(sem.id(), {EventType::SemWait}).size(), 1u);
    // Replaying the recorded counts: each acquire is one less, each release one more, never below 0.
    int64_t count = 2;
    for (const Event &e : rec.of(sem.id(), {EventType::SemAcquire, EventType::SemRelease})) {
        count += e.type == EventType::SemAcquire ? -1 : 1;
        EXPECT_EQ(e.arg, count);
        EXPECT_GE(e.arg, 0);
    }
    EXPECT_EQ(rec.maxConcurrent(EventType::SemAcquire, EventType::SemRelease, sem.id()), 2);
}

TEST(Semaphore, TimedAcquireGivesUp)
{
    Recording rec;
    Semaphore sem("empty", 0);
    EXPECT_FALSE(sem.try_acquire());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(sem.try_acquire_for(30ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
    rec.stop();
    const auto waits = rec.of(sem.id(), {EventType::SemWait});
    ASSERT_EQ(waits.size(), 1u);
    EXPECT_EQ(waits[0].flags, Timed);
    EXPECT_EQ(rec.of(sem.id(), {EventType::LockTimeout}).size(), 1u);
    EXPECT_TRUE(rec.of(sem.id(), {EventType::SemAcquire}).empty());
}
