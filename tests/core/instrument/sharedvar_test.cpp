// SPDX-License-Identifier: MIT
#include "instrument/mutex.h"
#include "instrument/sharedvar.h"
#include "instrument/thread.h"

#include "recording.h"

#include <latch>
#include <thread>

using namespace interleave::core;
using interleave::core::test::Recording;

namespace {

/// change_it(5) and change_it(8) of the lesson: add then subtract, so the expected balance is 0.
int64_t runRace(Mutex *lock, int iterations)
{
    SharedVar balance("balance", 0);
    std::latch go(2);
    auto changeIt = [&](int64_t n) {
        go.arrive_and_wait(); // both threads really run at the same time
        for (int i = 0; i < iterations; ++i) {
            if (lock)
                lock->lock();
            if (lock) {
                balance.add(n);
                balance.add(-n);
            } else {
                // Give the CPU away between the load and the store, so the other thread gets in
                // between even when a loaded machine runs both threads on one core.
                const int64_t seen = balance.load();
                std::this_thread::yield();
                balance.store(seen + n);
                balance.add(-n);
            }
            if (lock)
                lock->unlock();
        }
    };
    {
        Thread t1("T1", changeIt, 5);
        Thread t2("T2", changeIt, 8);
    }
    return balance.peek();
}

} // namespace

TEST(SharedVar, LoadStoreWithoutALockLosesUpdates)
{
    Recording rec;
    bool lost = false;
    for (int attempt = 0; attempt < 10 && !lost; ++attempt)
        lost = runRace(nullptr, 20000) != 0;
    EXPECT_TRUE(lost) << "no update lost in 10 attempts of 2 x 20000 iterations";
}

TEST(SharedVar, WithAMutexTheBalanceIsAlwaysRight)
{
    Recording rec;
    Mutex lock("balance lock");
    for (int attempt = 0; attempt < 3; ++attempt)
        EXPECT_EQ(runRace(&lock, 5000), 0);
}

TEST(SharedVar, RecordsValuesOfLoadsAndStores)
{
    Recording rec;
    SharedVar v("v", 10);
    EXPECT_EQ(v.load(), 10);
    v.store(12);
    EXPECT_EQ(v.add(3), 15);
    rec.stop();
    const auto seq = rec.of(v.id(), {EventType::VarLoad, EventType::VarStore});
    ASSERT_EQ(seq.size(), 4u);
    EXPECT_EQ(seq[0].type, EventType::VarLoad);
    EXPECT_EQ(seq[0].arg, 10);
    EXPECT_EQ(seq[1].type, EventType::VarStore);
    EXPECT_EQ(seq[1].arg, 12);
    EXPECT_EQ(seq[2].arg, 12);
    EXPECT_EQ(seq[3].arg, 15);
}
