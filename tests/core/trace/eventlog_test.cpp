// SPDX-License-Identifier: MIT
#include "trace/clock.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracedata.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace interleave::core;
using namespace std::chrono_literals;

namespace {

int32_t gettidRaw()
{
    return int32_t(syscall(SYS_gettid));
}

// Drains `log` in its own thread, as the window does while a run goes on.
class Drainer
{
public:
    explicit Drainer(EventLog &log)
        : m_log(log)
        , m_thread([this] { run(); })
    {}
    ~Drainer() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    size_t read() const { return m_read.load(); }
    TraceData &data() { return m_data; } // only after stop()

private:
    void run()
    {
        while (!m_stop) {
            m_log.drain(m_data);
            m_read = m_data.events.size();
            std::this_thread::sleep_for(200us);
        }
    }
    EventLog &m_log;
    TraceData m_data;
    std::atomic<bool> m_stop{false};
    std::atomic<size_t> m_read{0};
    std::thread m_thread;
};

// The events of one thread index, in read order.
std::vector<Event> eventsOf(const TraceData &data, uint32_t thread)
{
    std::vector<Event> out;
    for (const Event &e : data.events)
        if (e.thread == thread)
            out.push_back(e);
    return out;
}

std::unique_ptr<EventLog> makeLog(size_t bytes, uint32_t slotsPerChunk = 1024, EventLog::Options options = {})
{
    std::string error;
    options.slotsPerChunk = slotsPerChunk;
    auto log = EventLog::create(bytes, &error, options);
    EXPECT_TRUE(log) << error;
    return log;
}

int countFds()
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    while (readdir(d))
        ++n;
    closedir(d);
    return n;
}

int countMappings()
{
    std::ifstream maps("/proc/self/maps");
    std::string line;
    int n = 0;
    while (std::getline(maps, line))
        ++n;
    return n;
}

} // namespace

TEST(EventLog, ThreadsEventsAllComeBackInPerThreadOrder)
{
    // Small chunks so every thread goes through many chunks, recycled while it writes.
    auto log = makeLog(1 << 20, 64);
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    constexpr int kThreads = 4;
    constexpr int kEvents = 100000;
    std::vector<int32_t> tids(kThreads);
    const uint64_t capacity = uint64_t(log->chunkCount()) * log->slotsPerChunk();
    std::atomic<uint64_t> written{0};
    {
        Drainer drainer(*log);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                tids[t] = gettidRaw();
                recorder::record(EventType::ThreadStart, 0, t);
                for (int i = 0; i < kEvents; ++i) {
                    recorder::record(EventType::VarStore, uint32_t(t), i);
                    // Stay within what the reader keeps up with on 2 shared cores: this test is
                    // about order and completeness; DrainingReaderRecycles... is about pacing.
                    if (++written % 64 == 0) {
                        const auto deadline = std::chrono::steady_clock::now() + 10s;
                        while (written > drainer.read() + capacity / 2 && std::chrono::steady_clock::now() < deadline)
                            std::this_thread::sleep_for(50us);
                    }
                }
                recorder::record(EventType::ThreadExit);
                recorder::closeThread();
            });
        }
        for (auto &th : threads)
            th.join();
        drainer.stop();
        TraceData &data = drainer.data();
        log->finish(data);
        recorder::detach();

        EXPECT_EQ(data.droppedEvents, 0u);
        EXPECT_EQ(data.tornEvents, 0u);
        EXPECT_EQ(data.events.size(), size_t(kThreads) * (kEvents + 2));
        std::set<int32_t> seenTids;
        for (int t = 0; t < kThreads; ++t) {
            // Find the thread index holding this writer's events.
            uint32_t index = UINT32_MAX;
            for (uint32_t i = 0; i < data.threads.size(); ++i)
                if (data.threads[i].tid == tids[t])
                    index = i;
            ASSERT_NE(index, UINT32_MAX) << "no thread entry for tid " << tids[t];
            EXPECT_EQ(data.threads[index].pid, getpid());
            seenTids.insert(data.threads[index].tid);
            const auto events = eventsOf(data, index);
            ASSERT_EQ(events.size(), size_t(kEvents + 2));
            EXPECT_EQ(events.front().type, EventType::ThreadStart);
            EXPECT_EQ(events.back().type, EventType::ThreadExit);
            for (int i = 0; i < kEvents; ++i) {
                ASSERT_EQ(events[i + 1].arg, i) << "thread " << t << " out of order at " << i;
                ASSERT_EQ(events[i + 1].object, uint32_t(t));
                ASSERT_LE(events[i].time, events[i + 1].time);
            }
        }
        EXPECT_EQ(seenTids.size(), size_t(kThreads));
        EXPECT_EQ(data.threads.size(), size_t(kThreads));
    }
}

TEST(EventLog, ForkedChildEventsCarryTheChildPid)
{
    auto log = makeLog(4 << 20);
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    recorder::record(EventType::Instant, 0, 1); // the parent holds a chunk at fork time
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        recorder::afterForkInChild();
        recorder::record(EventType::ForkReturn, 0, 0);
        for (int i = 0; i < 10; ++i)
            recorder::record(EventType::Instant, 0, 100 + i);
        recorder::closeThread();
        _exit(0);
    }
    recorder::record(EventType::ForkReturn, 0, child);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    TraceData data;
    log->finish(data);
    recorder::detach();

    const uint32_t parentIndex = data.threadIndex(getpid(), gettidRaw());
    const uint32_t childIndex = data.threadIndex(child, child);
    ASSERT_EQ(data.threads.size(), 2u) << "the child must have its own thread entry";
    const auto parentEvents = eventsOf(data, parentIndex);
    const auto childEvents = eventsOf(data, childIndex);
    ASSERT_EQ(parentEvents.size(), 2u);
    EXPECT_EQ(parentEvents[1].type, EventType::ForkReturn);
    EXPECT_EQ(parentEvents[1].arg, child);
    ASSERT_EQ(childEvents.size(), 11u);
    EXPECT_EQ(childEvents[0].type, EventType::ForkReturn);
    EXPECT_EQ(childEvents[0].arg, 0);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(childEvents[i + 1].arg, 100 + i);
}

TEST(EventLog, StringsAndObjectNamesRoundTrip)
{
    auto log = makeLog(4 << 20);
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    const uint32_t a = recorder::intern("account lock");
    const uint32_t again = recorder::intern("account lock");
    const uint32_t b = recorder::intern("队列 queue");
    const uint32_t lockId = recorder::newObject(ObjectKind::Mutex, "balance_lock");
    const uint32_t queueId = recorder::newObject(ObjectKind::Queue, "task_queue");
    recorder::nameThread("Thread-A");
    TraceData data;
    log->drain(data);
    recorder::detach();

    EXPECT_NE(a, 0u);
    EXPECT_EQ(a, again);
    EXPECT_NE(a, b);
    EXPECT_EQ(recorder::intern("x"), 0u) << "not recording: no string";
    EXPECT_EQ(data.string(a), "account lock");
    EXPECT_EQ(data.string(b), "队列 queue");
    EXPECT_NE(lockId, queueId);
    EXPECT_NE(lockId, 0u);
    ASSERT_EQ(data.events.size(), 3u);
    EXPECT_EQ(data.events[0].type, EventType::ObjectNew);
    EXPECT_EQ(data.events[0].object, lockId);
    EXPECT_EQ(data.events[0].flags, uint8_t(ObjectKind::Mutex));
    EXPECT_EQ(data.string(uint32_t(data.events[0].arg)), "balance_lock");
    EXPECT_EQ(data.events[1].object, queueId);
    EXPECT_EQ(data.string(uint32_t(data.events[1].arg)), "task_queue");
    EXPECT_EQ(data.events[2].type, EventType::ThreadName);
    EXPECT_EQ(data.string(data.events[2].object), "Thread-A");
}

TEST(EventLog, OverflowReportsExactlyTheDroppedCount)
{
    EventLog::Options dropAtOnce;
    dropAtOnce.backPressure = false;
    auto log = makeLog(256 << 10, 64, dropAtOnce);
    ASSERT_TRUE(log);
    const uint64_t capacity = uint64_t(log->chunkCount()) * log->slotsPerChunk();
    recorder::attach(log.get());
    const uint64_t written = capacity * 3 + 17;
    for (uint64_t i = 0; i < written; ++i)
        recorder::record(EventType::VarStore, 1, int64_t(i));
    TraceData data;
    log->finish(data);
    recorder::detach();
    EXPECT_EQ(data.events.size(), capacity);
    EXPECT_EQ(data.droppedEvents, written - data.events.size());
    // What was kept is the beginning, in order.
    for (size_t i = 0; i < data.events.size(); ++i)
        ASSERT_EQ(data.events[i].arg, int64_t(i));
}

// `lock --set iterations=10000000` lost 86 % of its events, and the analyses then found a
// deadlock and lost updates under a lock. A writer that finds the log full now waits for the
// reader, and its wait is in the trace as a "recorder stall" slice.
TEST(EventLog, AWriterWaitsForADrainingReaderAndItsStallIsRecorded)
{
    auto log = makeLog(256 << 10, 64);
    ASSERT_TRUE(log);
    const uint64_t capacity = uint64_t(log->chunkCount()) * log->slotsPerChunk();
    recorder::attach(log.get());
    const uint64_t written = capacity * 20; // unpaced: the writer outruns the reader many times
    Drainer drainer(*log);
    for (uint64_t i = 0; i < written; ++i)
        recorder::record(EventType::VarStore, 1, int64_t(i));
    drainer.stop();
    TraceData &data = drainer.data();
    log->finish(data);
    recorder::detach();
    EXPECT_EQ(data.droppedEvents, 0u);
    int64_t next = 0;
    int stalls = 0;
    int64_t lastTime = INT64_MIN;
    for (size_t i = 0; i < data.events.size(); ++i) {
        const Event &e = data.events[i];
        ASSERT_GE(e.time, lastTime) << "event " << i << " is out of the thread's order";
        lastTime = e.time;
        if (e.type == EventType::VarStore) {
            ASSERT_EQ(e.arg, next) << "event " << i;
            ++next;
        } else if (e.type == EventType::SliceBegin) {
            ASSERT_EQ(data.string(e.object), "recorder stall");
            ASSERT_LT(i + 2, data.events.size());
            ASSERT_EQ(data.events[i + 1].type, EventType::SliceEnd); // the stall, then the event that waited
            ASSERT_EQ(data.events[i + 2].type, EventType::VarStore);
            ++stalls;
        }
    }
    EXPECT_EQ(uint64_t(next), written);
    EXPECT_GT(stalls, 0) << "the writer never had to wait: the test proves nothing";
}

TEST(EventLog, AWriterStopsWaitingForASilentReaderAndCountsTheDrops)
{
    EventLog::Options options;
    options.readerSilence = 200ms;
    auto log = makeLog(256 << 10, 64, options);
    ASSERT_TRUE(log);
    const uint64_t capacity = uint64_t(log->chunkCount()) * log->slotsPerChunk();
    recorder::attach(log.get());
    for (uint64_t i = 0; i < capacity + 10; ++i) // nobody drains: the last 10 find no chunk
        recorder::record(EventType::VarStore, 1, int64_t(i));
    TraceData data;
    log->finish(data);
    recorder::detach();
    EXPECT_EQ(data.events.size(), capacity);
    EXPECT_EQ(data.droppedEvents, 10u);
}

TEST(EventLog, TheReadersOwnThreadNeverWaitsForItself)
{
    auto log = makeLog(256 << 10, 64); // back-pressure on, thirty seconds of patience
    ASSERT_TRUE(log);
    const uint64_t capacity = uint64_t(log->chunkCount()) * log->slotsPerChunk();
    recorder::attach(log.get());
    TraceData data;
    log->drain(data); // this thread is the reader now
    const auto begin = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < capacity + 10; ++i)
        recorder::record(EventType::VarStore, 1, int64_t(i));
    // Waiting for itself would last the whole thirty seconds of silence, then drop the same 10.
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 20s);
    log->finish(data);
    recorder::detach();
    EXPECT_EQ(data.events.size(), capacity);
    EXPECT_EQ(data.droppedEvents, 10u);
}

TEST(EventLog, DrainingReaderRecyclesChunksWithoutDrops)
{
    auto log = makeLog(256 << 10, 64);
    ASSERT_TRUE(log);
    const uint64_t capacity = uint64_t(log->chunkCount()) * log->slotsPerChunk();
    recorder::attach(log.get());
    const uint64_t written = capacity * 100;
    Drainer drainer(*log);
    for (uint64_t i = 0; i < written; ++i) {
        // Pace the writer so it never gets more than half the log ahead of the reader: the test
        // is about recycling, not about the speed of a shared 2-core machine.
        if (i % 64 == 0) {
            const auto deadline = std::chrono::steady_clock::now() + 10s;
            while (i > drainer.read() + capacity / 2 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(50us);
        }
        recorder::record(EventType::VarStore, 1, int64_t(i));
    }
    drainer.stop();
    TraceData &data = drainer.data();
    log->finish(data);
    recorder::detach();
    EXPECT_EQ(data.droppedEvents, 0u);
    ASSERT_EQ(data.events.size(), written);
    for (size_t i = 0; i < data.events.size(); ++i)
        ASSERT_EQ(data.events[i].arg, int64_t(i));
}

TEST(EventLog, TornRecordIsSkippedAndCounted)
{
    auto log = makeLog(4 << 20);
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    recorder::record(EventType::Instant, 0, 1);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        recorder::afterForkInChild();
        for (int i = 0; i < 5; ++i)
            recorder::record(EventType::Instant, 0, 10 + i);
        recorder::detail::writeUncommittedForTest(EventType::LockObtain, 7, 99);
        raise(SIGKILL);
        _exit(1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    // Another thread keeps writing after the death, and so does this one.
    std::thread other([] {
        for (int i = 0; i < 3; ++i)
            recorder::record(EventType::Instant, 0, 20 + i);
    });
    other.join();
    recorder::record(EventType::Instant, 0, 2);
    TraceData data;
    log->finish(data);
    recorder::detach();

    EXPECT_EQ(data.tornEvents, 1u);
    std::multiset<int64_t> args;
    for (const Event &e : data.events) {
        args.insert(e.arg);
        EXPECT_NE(e.type, EventType::LockObtain) << "the torn record must not come back";
    }
    EXPECT_EQ(args, (std::multiset<int64_t>{1, 2, 10, 11, 12, 13, 14, 20, 21, 22}));
    const auto childEvents = eventsOf(data, data.threadIndex(child, child));
    ASSERT_EQ(childEvents.size(), 5u);
}

TEST(EventLog, ChunkOfADeadWriterIsFreedWhileRunning)
{
    auto log = makeLog(256 << 10, 64);
    ASSERT_TRUE(log);
    const auto freeChunks = [&] { return log->header()->ringTail.load() - log->header()->ringHead.load(); };
    const uint64_t before = freeChunks();
    recorder::attach(log.get());
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        recorder::afterForkInChild();
        recorder::record(EventType::Instant, 0, 5);
        raise(SIGKILL); // dies holding an open chunk
        _exit(1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_EQ(freeChunks(), before - 1);
    TraceData data;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (freeChunks() != before && std::chrono::steady_clock::now() < deadline) {
        log->drain(data);
        std::this_thread::sleep_for(20ms);
    }
    recorder::detach();
    EXPECT_EQ(freeChunks(), before) << "the dead child's chunk is back in the free ring";
    ASSERT_EQ(data.events.size(), 1u);
    EXPECT_EQ(data.events[0].arg, 5);
    EXPECT_EQ(data.threads.at(data.events[0].thread).pid, child);
}

TEST(EventLog, PauseHoldsARecordingThread)
{
    auto log = makeLog(4 << 20);
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    std::atomic<int> stage{0};
    std::thread worker([&] {
        recorder::record(EventType::Instant, 0, 1);
        stage = 1;
        while (stage != 2)
            std::this_thread::sleep_for(1ms);
        recorder::record(EventType::Instant, 0, 2); // held here while paused
        stage = 3;
    });
    while (stage != 1)
        std::this_thread::sleep_for(1ms);
    log->setPaused(true);
    stage = 2;
    std::this_thread::sleep_for(150ms);
    TraceData data;
    log->drain(data);
    EXPECT_EQ(stage.load(), 2) << "record() returned while paused";
    ASSERT_EQ(data.events.size(), 1u) << "an event got through while paused";
    const int64_t resumed = clock::monotonicNs();
    log->setPaused(false);
    worker.join();
    EXPECT_EQ(stage.load(), 3);
    log->finish(data);
    recorder::detach();
    ASSERT_EQ(data.events.size(), 2u);
    EXPECT_EQ(data.events[1].arg, 2);
    // The held event is stamped after the release (1 ms slack for the TSC calibration).
    EXPECT_GE(data.events[1].time, resumed - 1'000'000);
    EXPECT_GE(data.events[1].time - data.events[0].time, 140'000'000);
}

TEST(EventLog, AttachFromEnvironmentSharesTheLog)
{
    auto log = makeLog(1 << 20);
    ASSERT_TRUE(log);
    ASSERT_EQ(setenv(EventLog::kEnvFd, std::to_string(log->fd()).c_str(), 1), 0);
    std::string error;
    auto other = EventLog::fromEnvironment(&error);
    unsetenv(EventLog::kEnvFd);
    ASSERT_TRUE(other) << error;
    EXPECT_NE(other->fd(), log->fd());
    recorder::attach(other.get());
    recorder::record(EventType::Phase, recorder::intern("setup"), 0);
    recorder::detach();
    TraceData data;
    log->finish(data);
    ASSERT_EQ(data.events.size(), 1u);
    EXPECT_EQ(data.string(data.events[0].object), "setup");

    EXPECT_FALSE(EventLog::attach(-1, &error));
    EXPECT_FALSE(error.empty());
    ASSERT_EQ(setenv(EventLog::kEnvFd, "nonsense", 1), 0);
    EXPECT_FALSE(EventLog::fromEnvironment(&error));
    unsetenv(EventLog::kEnvFd);
    int pipeFds[2];
    ASSERT_EQ(pipe(pipeFds), 0);
    EXPECT_FALSE(EventLog::attach(pipeFds[0], &error)) << "a pipe is no event log";
    close(pipeFds[0]);
    close(pipeFds[1]);
}

TEST(EventLog, NoDescriptorOrMappingLeaks)
{
    const int fds = countFds();
    const int maps = countMappings();
    for (int i = 0; i < 20; ++i) {
        auto log = makeLog(1 << 20);
        ASSERT_TRUE(log);
        auto second = EventLog::attach(log->fd());
        ASSERT_TRUE(second);
        recorder::attach(second.get());
        recorder::record(EventType::Instant);
        recorder::detach();
        TraceData data;
        log->finish(data);
        EXPECT_EQ(data.events.size(), 1u);
    }
    EXPECT_EQ(countFds(), fds);
    EXPECT_EQ(countMappings(), maps);
    EXPECT_FALSE(EventLog::create(100)) << "too small";
}
