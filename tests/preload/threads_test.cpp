// SPDX-License-Identifier: MIT
// Threads and locks of real C programs recorded by the preloaded library.
#include "tracedprogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <sys/wait.h>
#include <unistd.h>

using namespace interleave::core;
using namespace interleave::test;

namespace {

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.rfind(prefix, 0) == 0;
}

} // namespace

TEST(Preload, DeadlockRecordsBothWaitsOnNamedLocksWithCallSites)
{
    TracedProgram program("deadlock");
    ASSERT_TRUE(program.start()) << program.error();
    const bool bothWait = program.waitFor([](const TraceData &d) { return countOf(d, EventType::LockWait) >= 2; });
    program.kill();
    const int status = program.finish();
    ASSERT_TRUE(bothWait) << "the two threads never both waited";
    EXPECT_TRUE(WIFSIGNALED(status));
    const TraceData &d = program.data();

    const auto a = eventsOfThread(d, EventType::LockWait, "Thread-A");
    const auto b = eventsOfThread(d, EventType::LockWait, "Thread-B");
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_NE(a[0].object, b[0].object);
    const std::string exe = programPath("deadlock");
    // Each waits for the lock the other obtained first; both are globals: named by address.
    for (const Event &wait : {a[0], b[0]}) {
        EXPECT_TRUE(startsWith(objectName(d, wait.object), "@var:" + exe + "+0x")) << objectName(d, wait.object);
        EXPECT_TRUE(startsWith(d.string(wait.loc), "@at:" + exe + "+0x")) << d.string(wait.loc);
    }
    const auto obtainedByA = eventsOfThread(d, EventType::LockObtain, "Thread-A");
    const auto obtainedByB = eventsOfThread(d, EventType::LockObtain, "Thread-B");
    ASSERT_EQ(obtainedByA.size(), 1u);
    ASSERT_EQ(obtainedByB.size(), 1u);
    EXPECT_EQ(obtainedByA[0].object, b[0].object);
    EXPECT_EQ(obtainedByB[0].object, a[0].object);

    // The main thread: named, waiting to join Thread-A (by its tid).
    const auto joins = eventsOfThread(d, EventType::JoinWait, "MainThread");
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(int32_t(joins[0].object), d.threads[a[0].thread].tid);
    const auto starts = eventsOf(d, EventType::ThreadStart);
    EXPECT_EQ(starts.size(), 3u); // main and the two threads
    EXPECT_EQ(program.output(), "started\n");

    // The model names the lanes as the program did and ends both threads blocked on the locks.
    const TraceModel &m = program.model();
    EXPECT_EQ(m.threadName(a[0].thread), "Thread-A");
    EXPECT_EQ(m.threadName(b[0].thread), "Thread-B");
    const auto openA = m.openAcquisitions(a[0].object);
    EXPECT_FALSE(openA.empty());
}

TEST(Preload, BoundedBufferRecordsCondvarWaitsAndKeepsTheOutput)
{
    TracedProgram plain("boundedbuffer");
    ASSERT_TRUE(plain.start(false)) << plain.error();
    ASSERT_EQ(plain.finish(), 0);
    EXPECT_TRUE(plain.data().events.empty());

    TracedProgram program("boundedbuffer");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), plain.output());
    EXPECT_NE(program.output().find("sum 210\n"), std::string::npos);

    const TraceData &d = program.data();
    const auto waits = eventsOf(d, EventType::CondWait);
    const auto wakes = eventsOf(d, EventType::CondWake);
    ASSERT_GE(waits.size(), 1u);
    EXPECT_EQ(waits.size(), wakes.size());
    EXPECT_GE(countOf(d, EventType::CondNotify), 20u); // a signal per put, a broadcast per take
    // The producer surely waited for room: a CondWait whose mutex (arg) is the buffer's lock.
    std::set<uint32_t> condvars;
    for (const Event &w : waits) {
        condvars.insert(w.object);
        EXPECT_TRUE(startsWith(objectName(d, w.object), "@var:")) << objectName(d, w.object);
        EXPECT_TRUE(startsWith(objectName(d, uint32_t(w.arg)), "@var:"));
    }
    // Every wait released the mutex first and obtained it again after waking.
    // (A thread's events are in its order; other threads' may lie between them.)
    for (size_t i = 0; i < d.events.size(); ++i) {
        if (d.events[i].type != EventType::CondWait)
            continue;
        size_t before = i;
        while (before > 0 && d.events[--before].thread != d.events[i].thread) {
        }
        ASSERT_NE(before, i);
        EXPECT_EQ(d.events[before].type, EventType::LockRelease);
        EXPECT_EQ(d.events[before].object, uint32_t(d.events[i].arg));
    }
    // Locks obtained and released in pairs per thread, as the model counts them.
    EXPECT_EQ(countOf(d, EventType::LockObtain), countOf(d, EventType::LockRelease));
    const TraceModel &m = program.model();
    EXPECT_FALSE(m.lockIds().empty());
}

TEST(Preload, RwlockReaderWaitsForTheWriter)
{
    TracedProgram program("rwlock");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    const TraceData &d = program.data();
    const auto waits = eventsOf(d, EventType::LockWait);
    ASSERT_EQ(waits.size(), 1u);
    EXPECT_TRUE(startsWith(objectName(d, waits[0].object), "@var:" + programPath("rwlock") + "+0x"));
    // Main obtained it first (write), the reader after it waited; each released once.
    const auto obtains = eventsOf(d, EventType::LockObtain);
    ASSERT_EQ(obtains.size(), 2u);
    EXPECT_NE(obtains[0].thread, waits[0].thread);
    EXPECT_EQ(obtains[1].thread, waits[0].thread);
    EXPECT_EQ(countOf(d, EventType::LockRelease), 2u);
}

TEST(Preload, SemaphoreWaitsAndPostsAreRecordedWithCounts)
{
    TracedProgram program("semaphore");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    const TraceData &d = program.data();
    const auto waits = eventsOf(d, EventType::SemWait);
    const auto acquires = eventsOf(d, EventType::SemAcquire);
    const auto releases = eventsOf(d, EventType::SemRelease);
    ASSERT_GE(waits.size(), 1u); // the first sem_wait surely blocked
    EXPECT_EQ(acquires.size(), 3u);
    EXPECT_EQ(releases.size(), 3u);
    EXPECT_EQ(waits[0].object, acquires[0].object);
    EXPECT_EQ(program.model().threadName(waits[0].thread), "waiter"); // prctl(PR_SET_NAME)
    EXPECT_EQ(releases[0].arg, 1);                                    // the count after the first post
    EXPECT_TRUE(startsWith(objectName(d, waits[0].object), "@var:"));
    for (const Event &a : acquires)
        EXPECT_GE(a.arg, 0);
}

TEST(Preload, CApiRenamesObjectsThreadsAndTheProcess)
{
    TracedProgram program("capi");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "last semaphore is mine: 1\n");
    const TraceData &d = program.data();
    const auto acquires = eventsOf(d, EventType::SemAcquire);
    ASSERT_EQ(acquires.size(), 2u);
    // The sem_init'ed semaphore: announced at its init, then renamed with the same id.
    size_t announced = 0;
    for (const Event &e : eventsOf(d, EventType::ObjectNew))
        announced += e.object == acquires[0].object;
    EXPECT_EQ(announced, 2u);
    const TraceModel &m = program.model();
    EXPECT_EQ(m.objectName(acquires[0].object), "accounts");
    ASSERT_NE(m.object(acquires[0].object), nullptr);
    EXPECT_EQ(m.object(acquires[0].object)->kind, ObjectKind::Semaphore);
    // A named semaphore is named by its name.
    const std::string named = "/interleave-test-" + std::to_string(program.pid());
    EXPECT_EQ(m.objectName(acquires[1].object), named);
    EXPECT_EQ(m.threadName(acquires[0].thread), "Teller");
    const ProcessInfo *p = m.process(program.pid());
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, "bank");
    EXPECT_EQ(p->ppid, 0);
    EXPECT_NE(access(("/dev/shm/sem." + named.substr(1)).c_str(), F_OK), 0);
}
