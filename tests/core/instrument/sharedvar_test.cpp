// SPDX-License-Identifier: MIT
#include "instrument/mutex.h"
#include "instrument/sharedvar.h"
#include "instrument/thread.h"

#include "recording.h"

#include <algorithm>
#include <barrier>
#include <latch>
#include <mutex>
#include <thread>

using namespace interleave::core;
using interleave::core::test::Recording;

namespace {

/// change_it(5) and change_it(8) of the lesson under a lock: add then subtract, expected 0.
int64_t runLocked(Mutex &lock, int iterations)
{
    SharedVar balance("balance", 0);
    std::latch go(2);
    auto changeIt = [&](int64_t n) {
        go.arrive_and_wait(); // both threads really run at the same time
        for (int i = 0; i < iterations; ++i) {
            std::lock_guard guard(lock);
            balance.add(n);
            balance.add(-n);
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
    // The chapter's interleaving, forced rather than hoped for: both threads load the balance,
    // then T1 stores its sum, then T2 stores its own over it. However busy the machine, T1's +5
    // is lost.
    Recording rec;
    SharedVar balance("balance", 0);
    std::barrier bothLoaded(2);
    std::latch firstStored(1);
    {
        Thread t1("T1", [&] {
            const int64_t x = balance.load() + 5;
            bothLoaded.arrive_and_wait();
            balance.store(x);
            firstStored.count_down();
        });
        Thread t2("T2", [&] {
            const int64_t x = balance.load() + 8;
            bothLoaded.arrive_and_wait();
            firstStored.wait();
            balance.store(x);
        });
    }
    EXPECT_EQ(balance.peek(), 8);
    EXPECT_EQ(balance.stores(), 2u);
    rec.stop();
    const auto stores = rec.of(balance.id(), {EventType::VarStore});
    ASSERT_EQ(stores.size(), 2u);
    // Each store says which version it overwrote: T1's the start (0), T2's T1's store (1).
    std::vector<std::pair<int32_t, uint32_t>> valueAndOverwritten;
    for (const Event &e : stores) {
        EXPECT_TRUE(e.flags & Versioned);
        valueAndOverwritten.emplace_back(VersionedVarArg::value(e.arg), VersionedVarArg::version(e.arg));
    }
    std::sort(valueAndOverwritten.begin(), valueAndOverwritten.end());
    EXPECT_EQ(valueAndOverwritten, (std::vector<std::pair<int32_t, uint32_t>>{{5, 0}, {8, 1}}));
    // Both loads read version 0.
    for (const Event &e : rec.of(balance.id(), {EventType::VarLoad}))
        EXPECT_EQ(VersionedVarArg::version(e.arg), 0u);
}

TEST(SharedVar, StoreVersionsCountEveryStoreOnce)
{
    // Unlocked read-modify-writes from two threads: whatever interleaving happens, the stores'
    // versions are 1..N with none twice, so the analysis can follow the real memory order.
    Recording rec;
    SharedVar v("v", 0);
    constexpr int kIterations = 20000;
    {
        Thread t1("T1", [&] {
            for (int i = 0; i < kIterations; ++i)
                v.add(1);
        });
        Thread t2("T2", [&] {
            for (int i = 0; i < kIterations; ++i)
                v.add(-1);
        });
    }
    rec.stop();
    EXPECT_EQ(v.stores(), 2u * kIterations);
    std::vector<uint32_t> overwritten;
    for (const Event &e : rec.of(v.id(), {EventType::VarStore}))
        overwritten.push_back(VersionedVarArg::version(e.arg));
    std::sort(overwritten.begin(), overwritten.end());
    ASSERT_EQ(overwritten.size(), 2u * kIterations);
    for (size_t i = 0; i < overwritten.size(); ++i)
        ASSERT_EQ(overwritten[i], uint32_t(i));
}

TEST(SharedVar, WithAMutexTheBalanceIsAlwaysRight)
{
    Recording rec;
    Mutex lock("balance lock");
    for (int attempt = 0; attempt < 3; ++attempt)
        EXPECT_EQ(runLocked(lock, 5000), 0);
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
    EXPECT_EQ(varValue(seq[0]), 10);
    EXPECT_EQ(VersionedVarArg::version(seq[0].arg), 0u); // read the initial value
    EXPECT_EQ(seq[1].type, EventType::VarStore);
    EXPECT_EQ(varValue(seq[1]), 12);
    EXPECT_EQ(VersionedVarArg::version(seq[1].arg), 0u); // overwrote it: now version 1
    EXPECT_EQ(varValue(seq[2]), 12);
    EXPECT_EQ(VersionedVarArg::version(seq[2].arg), 1u);
    EXPECT_EQ(varValue(seq[3]), 15);
    EXPECT_EQ(VersionedVarArg::version(seq[3].arg), 1u);
}
