// SPDX-License-Identifier: MIT
#include "instrument/forkgate.h"
#include "instrument/process.h"

#include "leakcheck.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace interleave::core::test {

using namespace std::chrono_literals;

namespace {

class ForkGate : public LeakCheckedTest
{};

// The child is a copy of this process at the instant of fork(): what it sees of `left` tells
// whether the fork waited for the section to end.
TEST_F(ForkGate, AForkWaitsForTheSectionInProgress)
{
    struct Flags
    {
        std::atomic<bool> inside = false;
        std::atomic<bool> left = false;
        std::atomic<bool> done = false;
    };
    auto flags = std::make_shared<Flags>();
    // Detached: the child is forked while it may still be ending, and a thread the child sees
    // as never joined would be reported as leaked there by ThreadSanitizer.
    std::thread([flags] {
        {
            const NoForkSection section;
            flags->inside = true;
            std::this_thread::sleep_for(200ms);
            flags->left = true;
        }
        flags->done = true;
    }).detach();
    while (!flags->inside)
        std::this_thread::yield();
    Process child = Process::fork("child", [&] { return flags->left ? 0 : 1; });
    ASSERT_TRUE(child.join(10s));
    while (!flags->done)
        std::this_thread::yield();
    EXPECT_EQ(child.exitCode(), 0) << "the child was forked while the section was still open";
}

TEST_F(ForkGate, TheGateOpensAgainOnceAForkReturns)
{
    std::atomic<bool> entered = false;
    std::thread engine;
    Process child = Process::fork("child", [] { return 0; });
    // Once fork has returned, a section starts at once (a gate left shut would hang this test).
    engine = std::thread([&] {
        const NoForkSection section;
        entered = true;
    });
    engine.join();
    EXPECT_TRUE(entered);
    ASSERT_TRUE(child.join(10s));
    EXPECT_EQ(child.exitCode(), 0);
}

// The child inherits the gate shut by its forking thread, which opens it there, so its own
// sections and forks work (a grandchild is forked, and a section entered, in the child).
TEST_F(ForkGate, AChildCanEnterSectionsAndForkAgain)
{
    Process child = Process::fork("child", [] {
        {
            const NoForkSection section;
        }
        Process grandchild = Process::fork("grandchild", [] { return 7; });
        return grandchild.join(5s) && grandchild.exitCode() == 7 ? 0 : 1;
    });
    ASSERT_TRUE(child.join(20s)) << "the child hung on the gate it inherited shut";
    EXPECT_EQ(child.exitCode(), 0);
}

// A section that starts while a fork waits for another one waits on the gate's condition variable,
// and may still be waiting there at the instant of fork(): the child inherits that waiter, which it
// does not have. It must start with a new gate, not wait for the waiter (pthread_cond_destroy in the
// child did, and a pool worker hung in about half of its runs). Two engine-like threads enter short
// sections without pause while this thread forks children, each of which enters a section and forks.
TEST_F(ForkGate, ChildrenForkedWhileSectionsWaitStartWithAnOpenGate)
{
    std::atomic<bool> stop = false;
    std::atomic<int> sectionsEntered = 0;
    auto engine = [&] {
        while (!stop) {
            const NoForkSection section;
            ++sectionsEntered;
            std::this_thread::sleep_for(50us);
        }
    };
    std::thread a(engine);
    std::thread b(engine);
    int hung = 0;
    int failed = 0;
    for (int i = 0; i < 100 && hung == 0; ++i) {
        Process child = Process::fork("child", [] {
            {
                const NoForkSection section;
            }
            Process grandchild = Process::fork("grandchild", [] { return 0; });
            return grandchild.join(5s) && grandchild.exitCode() == 0 ? 0 : 1;
        });
        if (!child.join(10s)) {
            ++hung;
            child.kill();
            child.join(5s);
        } else if (child.exitCode() != 0) {
            ++failed;
        }
    }
    stop = true;
    a.join();
    b.join();
    EXPECT_EQ(hung, 0) << "a child hung on the gate it inherited";
    EXPECT_EQ(failed, 0);
    EXPECT_GT(sectionsEntered.load(), 0);
}

} // namespace

} // namespace interleave::core::test
