// SPDX-License-Identifier: MIT
#include "analysis/lockstats.h"
#include "instrument/blocking.h"
#include "instrument/condvar.h"
#include "instrument/thread.h"
#include "trace/tracemodel.h"

#include "recording.h"

#include <algorithm>
#include <atomic>
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
        if ((e.object == m.id() || e.object == cv.id()) && e.type >= EventType::LockWait &&
            e.type <= EventType::CondNotify)
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
            // The producer notifies while holding the mutex: re-acquiring it may have to wait first.
            const size_t obtain = seq[i + 3] == EventType::LockWait ? i + 4 : i + 3;
            ASSERT_LT(obtain, seq.size());
            EXPECT_EQ(seq[obtain], EventType::LockObtain);
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

TEST(CondVar, ReacquiringAMutexHeldByTheNotifierIsALockWait)
{
    Recording rec;
    Mutex m("m");
    CondVar cv("ready");
    bool ready = false;
    int32_t waiterTid = 0;
    auto waiterDid = [&](EventType type, uint32_t object) {
        return [&, type, object](const TraceData &data) {
            return std::any_of(data.events.begin(), data.events.end(), [&](const Event &e) {
                return e.type == type && e.object == object && data.threads.at(e.thread).tid == waiterTid;
            });
        };
    };
    {
        std::atomic<int32_t> started{0};
        Thread waiter("Waiter", [&] {
            started = currentTid();
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return ready; });
        });
        while (started.load() == 0)
            std::this_thread::yield();
        waiterTid = started.load();
        EXPECT_TRUE(rec.waitUntil(waiterDid(EventType::CondWait, cv.id())));
        // Notify and keep the mutex until the woken waiter is seen waiting for it: only then let go.
        std::unique_lock lock(m);
        ready = true;
        cv.notify_one();
        EXPECT_TRUE(rec.waitUntil(waiterDid(EventType::LockWait, m.id()))) << "re-acquiring was not recorded as a wait";
    }
    rec.stop();
    std::vector<EventType> seq;
    for (const Event &e : rec.byTid(waiterTid)) {
        if (e.object == m.id() || e.object == cv.id())
            seq.push_back(e.type);
    }
    EXPECT_EQ(seq, (std::vector<EventType>{EventType::LockObtain, EventType::LockRelease, EventType::CondWait,
                                           EventType::CondWake, EventType::LockWait, EventType::LockObtain,
                                           EventType::LockRelease}));

    // The model draws that wait as a lock wait and the lock's statistics count it as contended.
    TraceModel model{TraceData(rec.data())};
    const auto waits = rec.of(m.id(), {EventType::LockWait});
    ASSERT_EQ(waits.size(), 1u);
    const StateSpan s = model.stateAt(waits[0].thread, waits[0].time);
    EXPECT_EQ(s.state, ThreadState::Blocked);
    EXPECT_EQ(s.reason, BlockReason::Lock);
    EXPECT_EQ(s.object, m.id());
    const LockStats stats = LockStats::compute(model);
    const auto it =
        std::find_if(stats.locks().begin(), stats.locks().end(), [&](const LockStat &l) { return l.lock == m.id(); });
    ASSERT_NE(it, stats.locks().end());
    EXPECT_EQ(it->contended, 1u);
}
