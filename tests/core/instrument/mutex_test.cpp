// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"
#include "instrument/mutex.h"
#include "instrument/thread.h"

#include "recording.h"

#include <chrono>
#include <latch>
#include <map>
#include <mutex>
#include <vector>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

namespace {

/// Timestamps of events recorded on different cores are only comparable to within the clock's
/// cross-core skew and resolution (tens of ns in a VM); anything beyond that is a real overlap.
constexpr int64_t kClockSkewNs = 200;

/// Each thread's Obtain/Release of one lock alternate, and two threads' holds never overlap
/// (beyond clock skew): the recorded hold lies inside the real one.
void expectHoldsNeverOverlap(const Recording &rec, uint32_t lock)
{
    struct Hold
    {
        int64_t obtain = -1, release = -1;
    };
    std::map<uint32_t, Hold> open;
    std::vector<Hold> holds;
    for (const Event &e : rec.of(lock, {EventType::LockObtain, EventType::LockRelease})) {
        Hold &h = open[e.thread];
        if (e.type == EventType::LockObtain) {
            ASSERT_EQ(h.obtain, -1) << "thread " << e.thread << " obtained twice";
            h.obtain = e.time;
        } else {
            ASSERT_NE(h.obtain, -1) << "thread " << e.thread << " released what it did not hold";
            holds.push_back({h.obtain, e.time});
            h = Hold{};
        }
    }
    ASSERT_FALSE(holds.empty());
    std::sort(holds.begin(), holds.end(), [](const Hold &a, const Hold &b) { return a.obtain < b.obtain; });
    int64_t worst = 0;
    for (size_t i = 1; i < holds.size(); ++i)
        worst = std::max(worst, holds[i - 1].release - holds[i].obtain);
    EXPECT_LE(worst, kClockSkewNs) << "two holds overlap by " << worst << " ns";
}

} // namespace

TEST(Mutex, UncontendedRecordsObtainAndReleaseOnly)
{
    Recording rec;
    Mutex m("balance lock");
    for (int i = 0; i < 10; ++i) {
        m.lock();
        m.unlock();
    }
    rec.stop();
    const auto created = rec.events(EventType::ObjectNew, [&](const Event &e) { return e.object == m.id(); });
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(rec.data().string(uint32_t(created[0].arg)), "balance lock");
    EXPECT_EQ(created[0].flags, uint8_t(ObjectKind::Mutex));
    EXPECT_EQ(rec.of(m.id(), {EventType::LockObtain}).size(), 10u);
    EXPECT_EQ(rec.of(m.id(), {EventType::LockRelease}).size(), 10u);
    EXPECT_TRUE(rec.of(m.id(), {EventType::LockWait}).empty());
    for (const Event &e : rec.of(m.id(), {EventType::LockObtain}))
        EXPECT_EQ(e.flags, 0);
    // Call sites are recorded: this file, some line.
    const Event first = rec.of(m.id(), {EventType::LockObtain}).front();
    EXPECT_NE(rec.data().string(first.loc).find("mutex_test.cpp:"), std::string::npos);
}

TEST(Mutex, ContentionRecordsWaitBeforeObtainAndHoldsNeverOverlap)
{
    Recording rec;
    Mutex m("lock");
    int32_t waiterTid = 0;
    m.lock();
    Thread waiter("Waiter", [&] {
        waiterTid = currentTid();
        std::lock_guard guard(m);
    });
    sleepFor(30ms);
    m.unlock();
    waiter.join();

    // And a stress: 4 threads hammering the same lock.
    int64_t counter = 0;
    std::vector<Thread> threads;
    std::latch go(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back(test::numbered("Hammer-", t), [&] {
            go.arrive_and_wait(); // all four at once, or the first may finish before the last starts
            for (int i = 0; i < 20000; ++i) {
                std::lock_guard guard(m);
                ++counter;
                for (int spin = 0; spin < 20; ++spin)
                    asm volatile(""); // a little work inside the critical section
            }
        });
    }
    threads.clear(); // joins
    rec.stop();

    EXPECT_EQ(counter, 80000);
    const auto own = rec.byTid(waiterTid);
    std::vector<EventType> lockEvents;
    for (const Event &e : own) {
        if (e.object == m.id() && e.type >= EventType::LockWait && e.type <= EventType::LockRelease)
            lockEvents.push_back(e.type);
    }
    ASSERT_EQ(lockEvents.size(), 3u);
    EXPECT_EQ(lockEvents[0], EventType::LockWait);
    EXPECT_EQ(lockEvents[1], EventType::LockObtain);
    EXPECT_EQ(lockEvents[2], EventType::LockRelease);
    // The waiter obtained only after the main thread released.
    const auto mainRelease = rec.of(m.id(), {EventType::LockRelease}).front();
    const auto waiterObtain =
        rec.events(EventType::LockObtain, [&](const Event &e) { return rec.tid(e) == waiterTid; });
    EXPECT_LT(mainRelease.time, waiterObtain.at(0).time);
    expectHoldsNeverOverlap(rec, m.id());
}

TEST(Mutex, ScopedLockOverTwoMutexesInOppositeOrders)
{
    Recording rec;
    Mutex a("A");
    Mutex b("B");
    int64_t shared = 0;
    {
        Thread t1("T1", [&] {
            for (int i = 0; i < 2000; ++i) {
                std::scoped_lock both(a, b);
                ++shared;
            }
        });
        Thread t2("T2", [&] {
            for (int i = 0; i < 2000; ++i) {
                std::scoped_lock both(b, a);
                ++shared;
            }
        });
    }
    rec.stop();
    EXPECT_EQ(shared, 4000);
    // std::lock's algorithm backs off under contention (takes one, fails try_lock on the other,
    // releases the first and retries): those releases are real, so count at least 4000 and
    // exactly one release per obtain.
    for (const uint32_t id : {a.id(), b.id()}) {
        const size_t releases = rec.of(id, {EventType::LockRelease}).size();
        EXPECT_GE(releases, 4000u);
        EXPECT_EQ(rec.of(id, {EventType::LockObtain}).size(), releases);
    }
    expectHoldsNeverOverlap(rec, a.id());
    expectHoldsNeverOverlap(rec, b.id());
}

TEST(Mutex, TryLockRecordsOnlySuccess)
{
    Recording rec;
    Mutex m("m");
    ASSERT_TRUE(m.try_lock());
    bool other = true;
    Thread t("Other", [&] { other = m.try_lock(); });
    t.join();
    m.unlock();
    rec.stop();
    EXPECT_FALSE(other);
    const auto obtains = rec.of(m.id(), {EventType::LockObtain});
    ASSERT_EQ(obtains.size(), 1u);
    EXPECT_EQ(obtains[0].flags, TryLock);
    EXPECT_TRUE(rec.of(m.id(), {EventType::LockWait}).empty());
}

TEST(TimedMutex, TimeoutRecordsTimedWaitThenTimeout)
{
    Recording rec;
    TimedMutex m("timed");
    m.lock();
    bool got = true;
    std::chrono::nanoseconds waited{};
    Thread t("Impatient", [&] {
        const auto start = std::chrono::steady_clock::now();
        got = m.try_lock_for(40ms);
        waited = std::chrono::steady_clock::now() - start;
    });
    t.join();
    m.unlock();
    ASSERT_TRUE(m.try_lock_for(10ms)); // free now: obtained at once, no wait recorded
    m.unlock();
    rec.stop();

    EXPECT_FALSE(got);
    EXPECT_GE(waited, 40ms);
    const auto seq = rec.of(m.id(), {EventType::LockWait, EventType::LockObtain, EventType::LockTimeout});
    ASSERT_EQ(seq.size(), 4u);
    EXPECT_EQ(seq[0].type, EventType::LockObtain); // main's lock()
    EXPECT_EQ(seq[1].type, EventType::LockWait);
    EXPECT_EQ(seq[1].flags, Timed);
    EXPECT_EQ(seq[2].type, EventType::LockTimeout);
    EXPECT_GE(seq[2].time - seq[1].time, 39'000'000);
    EXPECT_EQ(seq[3].type, EventType::LockObtain);
}
