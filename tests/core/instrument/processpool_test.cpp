// SPDX-License-Identifier: MIT
#include "instrument/processpool.h"

#include "leakcheck.h"
#include "recording.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

namespace interleave::core::test {

namespace {

using namespace std::chrono_literals;

class ProcessPoolTest : public ::testing::Test
{
protected:
    void SetUp() override { m_fds = openFdCount(); }
    void TearDown() override
    {
        EXPECT_EQ(childProcessCount(), 0) << "a worker outlived its pool";
        EXPECT_EQ(openFdCount(), m_fds) << "a descriptor leaked";
    }
    int m_fds = 0;
};

int64_t sleepTask(int64_t arg, TaskContext &)
{
    sleepFor(200ms);
    return arg * arg;
}

int64_t killSelfOnTwo(int64_t arg, TaskContext &)
{
    if (arg == 2)
        ::kill(getpid(), SIGKILL);
    sleepFor(50ms);
    return arg;
}

int64_t throwOnNegative(int64_t arg, TaskContext &context)
{
    if (arg < 0)
        throw std::runtime_error("negative argument");
    return context.pid;
}

int64_t longTask(int64_t, TaskContext &)
{
    ::sleep(30); // not stop-aware on purpose: only the signal ends it
    return 0;
}

struct Interval
{
    int64_t start = -1, end = -1;
    int32_t pid = 0;
};

TEST_F(ProcessPoolTest, FifthTaskWaitsForAFreeWorkerAndReusesItsPid)
{
    Recording rec;
    ProcessPool pool(4, sleepTask);
    std::vector<AsyncResult> results;
    for (int i = 0; i < 5; ++i)
        results.push_back(pool.applyAsync(i));
    pool.close();
    pool.join();
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(results[i].get(0s), i * i);
    rec.stop();

    std::map<int64_t, Interval> tasks;
    for (const Event &e : rec.of(pool.id(), {EventType::TaskStart, EventType::TaskEnd})) {
        Interval &t = tasks[e.arg];
        (e.type == EventType::TaskStart ? t.start : t.end) = e.time;
        t.pid = rec.pid(e);
        EXPECT_NE(t.pid, getpid()) << "tasks run in worker processes";
    }
    ASSERT_EQ(tasks.size(), 5u);
    int most = 0;
    for (const auto &[id, a] : tasks) {
        ASSERT_GE(a.start, 0);
        ASSERT_GT(a.end, a.start);
        int overlapping = 0;
        for (const auto &[other, b] : tasks)
            overlapping += b.start <= a.start && a.start < b.end;
        most = std::max(most, overlapping);
    }
    EXPECT_EQ(most, 4) << "four run at once, never five";
    const Interval &fifth = tasks[results[4].taskId()];
    int64_t firstEnd = INT64_MAX;
    std::set<int32_t> earlierPids;
    for (int i = 0; i < 4; ++i) {
        const Interval &t = tasks[results[i].taskId()];
        earlierPids.insert(t.pid);
        firstEnd = std::min(firstEnd, t.end);
    }
    EXPECT_EQ(earlierPids.size(), 4u) << "the first four ran in four different workers";
    EXPECT_GT(fifth.start, firstEnd) << "task 5 waited for a free worker";
    // Tasks that end within microseconds of each other are noticed in one poll round, so
    // "the first to finish" is only exact up to that; the pid is always an earlier worker's.
    EXPECT_TRUE(earlierPids.count(fifth.pid)) << "task 5 reused a worker";
    EXPECT_EQ(results[4].workerPid(), fifth.pid);
    for (const Event &e : rec.of(pool.id(), {EventType::TaskSubmit}))
        EXPECT_LT(e.time, tasks[e.arg].start);

    std::set<std::string> names;
    for (const Event &e : rec.events(EventType::ProcessStart))
        names.insert(rec.data().string(e.object));
    EXPECT_EQ(names, (std::set<std::string>{"PoolWorker-1", "PoolWorker-2", "PoolWorker-3", "PoolWorker-4"}));
    for (pid_t pid : pool.workerPids()) {
        const auto exits =
            rec.events(EventType::ProcessExit, [&](const Event &e) { return e.object == uint32_t(pid); });
        const auto done = rec.events(EventType::JoinDone, [&](const Event &e) { return e.object == uint32_t(pid); });
        ASSERT_EQ(exits.size(), 1u);
        ASSERT_EQ(done.size(), 1u);
        EXPECT_EQ(exits[0].arg, 0);
        EXPECT_LE(exits[0].time, done[0].time);
    }
}

TEST_F(ProcessPoolTest, AWorkerKilledMidTaskFailsOnlyThatTask)
{
    Recording rec;
    ProcessPool pool(2, killSelfOnTwo);
    std::vector<AsyncResult> results;
    for (int i = 0; i < 5; ++i)
        results.push_back(pool.applyAsync(i));
    pool.close();
    const auto start = std::chrono::steady_clock::now();
    pool.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    for (int i = 0; i < 5; ++i) {
        if (i == 2)
            continue;
        EXPECT_EQ(results[i].get(0s), i) << "task " << i;
    }
    ASSERT_TRUE(results[2].failed());
    const TaskFailureInfo failure = results[2].failure();
    EXPECT_EQ(failure.signal, SIGKILL);
    EXPECT_GT(failure.pid, 0);
    EXPECT_EQ(failure.pid, results[2].workerPid());
    EXPECT_NE(failure.message.find("SIGKILL"), std::string::npos) << failure.message;
    EXPECT_EQ(pool.workerPids().size(), 3u) << "the dead worker was replaced";
    rec.stop();

    const auto failed = rec.of(pool.id(), {EventType::TaskFailed});
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].arg, results[2].taskId());
    const auto failures = rec.events(EventType::TaskFailure);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].object, uint32_t(failure.pid));
    EXPECT_EQ(failures[0].arg, SIGKILL);
    EXPECT_TRUE(failures[0].flags & ExitSignal);
    EXPECT_GE(failures[0].time, failed[0].time);
    const auto started = rec.of(pool.id(), {EventType::TaskStart});
    bool startedInDeadWorker = false;
    for (const Event &e : started)
        startedInDeadWorker |= e.arg == results[2].taskId() && rec.pid(e) == failure.pid;
    EXPECT_TRUE(startedInDeadWorker);
}

TEST_F(ProcessPoolTest, TaskExceptionFailsTheTaskNotTheWorker)
{
    ProcessPool pool(1, throwOnNegative);
    AsyncResult bad = pool.applyAsync(-1);
    AsyncResult good = pool.applyAsync(1);
    pool.close();
    pool.join();
    ASSERT_TRUE(bad.failed());
    EXPECT_NE(bad.failure().message.find("negative argument"), std::string::npos) << bad.failure().message;
    EXPECT_FALSE(bad.failure().signal);
    EXPECT_EQ(good.get(0s), bad.workerPid()) << "the same worker went on";
    EXPECT_EQ(pool.workerPids().size(), 1u);
}

TEST_F(ProcessPoolTest, TerminateEndsRunningAndCancelsWaitingTasks)
{
    ProcessPool pool(1, longTask);
    AsyncResult running = pool.applyAsync(0);
    AsyncResult waiting = pool.applyAsync(1);
    for (int i = 0; i < 200 && running.workerPid() == 0; ++i)
        sleepFor(5ms);
    sleepFor(50ms);
    const auto start = std::chrono::steady_clock::now();
    pool.terminate();
    pool.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    ASSERT_TRUE(running.failed());
    EXPECT_EQ(running.failure().signal, SIGTERM);
    ASSERT_TRUE(waiting.failed());
    EXPECT_EQ(waiting.failure().pid, 0);
}

TEST_F(ProcessPoolTest, PythonOrderOfCloseAndJoinIsEnforced)
{
    ProcessPool pool(1, sleepTask);
    EXPECT_THROW(pool.join(), std::logic_error);
    pool.close();
    EXPECT_THROW(pool.applyAsync(1), std::logic_error);
    pool.join();
}

TEST_F(ProcessPoolTest, DestructorEndsAPoolThatWasNeverJoined)
{
    ProcessPool pool(2, longTask);
    pool.applyAsync(0);
}

} // namespace
} // namespace interleave::core::test
