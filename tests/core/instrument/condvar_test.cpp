// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"
#include "instrument/condvar.h"
#include "instrument/thread.h"

#include "recording.h"

#include <chrono>
#include <deque>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

TEST(CondVar, ProducerConsumerRecordsReleaseWaitWakeObtain)
{
    Recording rec;
    Mutex m("m");
    CondVar cv("items");
    std::deque<int> items;
    std::vector<int> got;
    int32_t consumerTid = 0;
    {
        Thread consumer("Consumer", [&] {
            consumerTid = currentTid();
            std::unique_lock lock(m);
            while (got.size() < 3) {
                cv.wait(lock, [&] { return !items.empty(); });
                got.push_back(items.front());
                items.pop_front();
            }
        });
        Thread producer("Producer", [&] {
            for (int i = 1; i <= 3; ++i) {
                sleepFor(10ms); // the consumer is waiting by then
                std::lock_guard lock(m);
                items.push_back(i);
                cv.notify_one();
            }
        });
    }
    rec.stop();
    EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));

    // The consumer's own sequence around each wait.
    std::vector<EventType> seq;
    for (const Event &e : rec.byTid(consumerTid)) {
        if ((e.object == m.id() || e.object == cv.id()) && e.type >= EventType::LockWait && e.type <= EventType::CondNotify)
            seq.push_back(e.type);
    }
    const auto waits = rec.of(cv.id(), {EventType::CondWait});
    ASSERT_GE(waits.size(), 3u);
    for (const Event &w : waits)
        EXPECT_EQ(w.arg, int64_t(m.id()));
    for (size_t i = 0; i + 3 < seq.size(); ++i) {
        if (seq[i + 1] == EventType::CondWait) {
            EXPECT_EQ(seq[i], EventType::LockRelease);
            EXPECT_EQ(seq[i + 2], EventType::CondWake);
            EXPECT_EQ(seq[i + 3], EventType::LockObtain);
        }
    }
    const auto notifies = rec.of(cv.id(), {EventType::CondNotify});
    ASSERT_EQ(notifies.size(), 3u);
    EXPECT_EQ(notifies[0].arg, 1);
    // Holds of the mutex stay exclusive although the waiter gave it up inside wait().
    EXPECT_EQ(rec.maxConcurrent(EventType::LockObtain, EventType::LockRelease, m.id()), 1);
}

TEST(CondVar, WaitForTimesOutWithTimedFlag)
{
    Recording rec;
    Mutex m("m");
    CondVar cv("never");
    std::unique_lock lock(m);
    EXPECT_EQ(cv.wait_for(lock, 20ms), std::cv_status::timeout);
    EXPECT_FALSE(cv.wait_for(lock, 5ms, [] { return false; }));
    EXPECT_TRUE(lock.owns_lock());
    lock.unlock();
    rec.stop();
    const auto waits = rec.of(cv.id(), {EventType::CondWait});
    ASSERT_GE(waits.size(), 2u);
    EXPECT_EQ(waits[0].flags, Timed);
    EXPECT_EQ(rec.of(cv.id(), {EventType::CondWake}).size(), waits.size());
}
