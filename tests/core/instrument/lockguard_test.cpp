// SPDX-License-Identifier: MIT
#include "instrument/condvar.h"
#include "instrument/lockguard.h"
#include "instrument/mutex.h"
#include "instrument/thread.h"

#include "recording.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

namespace {

/// "tests/core/instrument/lockguard_test.cpp:<line>": the build records call sites by their path
/// from the repository root.
std::string here(int line)
{
    return "tests/core/instrument/lockguard_test.cpp:" + std::to_string(line);
}

/// Waits (up to 10 s) until thread `tid` of this process sleeps in the kernel, e.g. on a futex.
bool waitUntilSleeping(int32_t tid)
{
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        const size_t close = text.rfind(')');
        if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'S')
            return true;
        std::this_thread::sleep_for(1ms);
    }
    return false;
}

/// The call sites of every lock event of `lock`.
std::vector<std::string> sitesOf(const Recording &rec, uint32_t lock)
{
    std::vector<std::string> sites;
    for (const Event &e : rec.of(lock, {EventType::LockWait, EventType::LockObtain, EventType::LockRelease}))
        sites.push_back(rec.data().string(e.loc));
    return sites;
}

} // namespace

// Why the guards exist: std::lock_guard calls lock() from inside <mutex>, so the recorded call
// site is a line of a system header, not the lesson's.
TEST(LockGuard, StdLockGuardRecordsTheLibraryHeader)
{
    Recording rec;
    Mutex m("m");
    {
        std::lock_guard guard(m);
    }
    rec.stop();
    const auto sites = sitesOf(rec, m.id());
    ASSERT_EQ(sites.size(), 2u);
    for (const std::string &site : sites)
        EXPECT_EQ(site.find("lockguard_test.cpp"), std::string::npos) << site;
}

TEST(LockGuard, RecordsTheCallersLineForWaitObtainAndRelease)
{
    Recording rec;
    Mutex m("m");
    std::atomic<int32_t> waiterTid{0};
    int line = 0;
    m.lock();
    {
        Thread waiter("Waiter", [&] {
            waiterTid = currentTid();
            line = __LINE__ + 1;
            LockGuard guard(m); // CTAD: LockGuard<Mutex>
        });
        while (waiterTid == 0)
            std::this_thread::yield();
        ASSERT_TRUE(waitUntilSleeping(waiterTid)) << "the waiter never blocked on the lock";
        m.unlock();
    }
    rec.stop();

    std::vector<EventType> types;
    std::vector<std::string> sites;
    for (const Event &e : rec.of(m.id(), {EventType::LockWait, EventType::LockObtain, EventType::LockRelease}))
        if (rec.tid(e) == waiterTid) {
            types.push_back(e.type);
            sites.push_back(rec.data().string(e.loc));
        }
    ASSERT_EQ(types, (std::vector<EventType>{EventType::LockWait, EventType::LockObtain, EventType::LockRelease}));
    for (const std::string &site : sites)
        EXPECT_EQ(site, here(line));
}

TEST(LockGuard, UniqueLockRecordsEachCallAndTheLastLockAtScopeEnd)
{
    Recording rec;
    TimedMutex m("m");
    int lockLine = 0, unlockLine = 0, relockLine = 0, tryLine = 0;
    {
        lockLine = __LINE__ + 1;
        UniqueLock lock(m);
        EXPECT_TRUE(lock.owns_lock());
        EXPECT_EQ(lock.mutex(), &m);
        unlockLine = __LINE__ + 1;
        lock.unlock();
        EXPECT_FALSE(lock.owns_lock());
        tryLine = __LINE__ + 1;
        EXPECT_TRUE(lock.try_lock_for(10ms));
        lock.unlock();
        relockLine = __LINE__ + 1;
        lock.lock();
    } // releases: recorded at the last lock's line
    rec.stop();
    const auto sites = sitesOf(rec, m.id());
    EXPECT_EQ(sites, (std::vector<std::string>{here(lockLine), here(unlockLine), here(tryLine), here(tryLine + 1),
                                               here(relockLine), here(relockLine)}));
}

TEST(LockGuard, UniqueLockReleaseLeavesTheMutexLocked)
{
    Recording rec;
    Mutex m("m");
    Mutex *held = nullptr;
    {
        UniqueLock lock(m);
        held = lock.release();
        EXPECT_FALSE(lock.owns_lock());
        EXPECT_EQ(lock.mutex(), nullptr);
    }
    ASSERT_EQ(held, &m);
    EXPECT_FALSE(m.try_lock()); // still locked: the guard's end did not unlock it
    m.unlock();
    rec.stop();
}

TEST(LockGuard, ScopedLockTakesBothInEitherOrderAtTheCallersLine)
{
    Recording rec;
    Mutex a("a"), b("b");
    int line1 = 0, line2 = 0;
    {
        Thread one("One", [&] {
            for (int i = 0; i < 200; ++i) {
                line1 = __LINE__ + 1;
                ScopedLock both(a, b);
            }
        });
        Thread two("Two", [&] {
            for (int i = 0; i < 200; ++i) {
                line2 = __LINE__ + 1;
                ScopedLock both(b, a);
            }
        });
    } // joined: no deadlock in opposite orders
    rec.stop();
    for (uint32_t lock : {a.id(), b.id()}) {
        const auto sites = sitesOf(rec, lock);
        EXPECT_GE(sites.size(), 800u); // 400 acquisitions, each an obtain and a release
        for (const std::string &site : sites)
            EXPECT_TRUE(site == here(line1) || site == here(line2)) << site;
    }
}

TEST(LockGuard, CondVarWaitsOnUniqueLockAtTheWaitLine)
{
    Recording rec;
    Mutex m("m");
    CondVar cv("cv");
    bool ready = false;
    int waitLine = 0;
    std::atomic<int32_t> waiterTid{0};
    {
        Thread waiter("Waiter", [&] {
            UniqueLock lock(m);
            waitLine = __LINE__ + 1;
            cv.wait(lock, [&] {
                waiterTid = currentTid();
                return ready;
            });
        });
        while (waiterTid == 0)
            std::this_thread::yield();
        ASSERT_TRUE(waitUntilSleeping(waiterTid)) << "the waiter never waited";
        Thread setter("Setter", [&] {
            LockGuard lock(m);
            ready = true;
            cv.notify_all();
        });
    }
    rec.stop();
    EXPECT_TRUE(ready);
    ASSERT_FALSE(rec.of(cv.id(), {EventType::CondWait}).empty());
    for (const Event &e : rec.of(cv.id(), {EventType::CondWait, EventType::CondWake}))
        EXPECT_EQ(rec.data().string(e.loc), here(waitLine));
}
