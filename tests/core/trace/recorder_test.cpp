// SPDX-License-Identifier: MIT
#include "trace/clock.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracedata.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <sched.h>

using namespace interleave::core;

namespace {

std::unique_ptr<EventLog> makeLog(size_t bytes = 1 << 20, uint32_t slotsPerChunk = 1024)
{
    std::string error;
    EventLogOptions options;
    options.slotsPerChunk = slotsPerChunk;
    auto log = EventLog::create(bytes, &error, options);
    EXPECT_TRUE(log) << error;
    return log;
}

uint64_t freeChunks(const EventLog &log)
{
    return log.header()->ringTail.load() - log.header()->ringHead.load();
}

// Writes one slot the way the recorder does, for a made-up writer.
void writeSlot(WriterCursor &c, EventType type, int64_t arg)
{
    logformat::Slot &s = c.slotBase[c.index];
    s = logformat::Slot{uint64_t(clock::monotonicNs()), arg, 0, 0, 0, uint8_t(type), 0, 0};
    std::atomic_ref<uint32_t>(s.commit).store(c.generation, std::memory_order_release);
    ++c.index;
}

} // namespace

TEST(Recorder, EverythingIsANoOpWhenNotAttached)
{
    EXPECT_FALSE(recorder::enabled());
    recorder::record(EventType::Instant, 1, 2);
    EXPECT_EQ(recorder::intern("name"), 0u);
    EXPECT_EQ(recorder::location(std::source_location::current()), 0u);
    EXPECT_EQ(recorder::newObject(ObjectKind::Mutex, "m"), 0u);
    recorder::closeThread();

    auto log = makeLog();
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    EXPECT_TRUE(recorder::enabled());
    recorder::record(EventType::Instant, 0, 7);
    recorder::detach();
    recorder::record(EventType::Instant, 0, 8); // after detach: not recorded
    TraceData data;
    log->finish(data);
    ASSERT_EQ(data.events.size(), 1u);
    EXPECT_EQ(data.events[0].arg, 7);
}

TEST(Recorder, LocationIsInternedOncePerCallSite)
{
    auto log = makeLog();
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    uint32_t ids[3];
    uint32_t usedAfterFirst = 0;
    for (int i = 0; i < 3; ++i) {
        ids[i] = recorder::location(std::source_location::current());
        if (i == 0)
            usedAfterFirst = log->header()->stringUsed.load();
    }
    const auto here = std::source_location::current();
    const uint32_t other = recorder::location(here);
    EXPECT_EQ(log->header()->stringUsed.load() > usedAfterFirst, true) << "a second call site adds a string";
    TraceData data;
    log->drain(data);
    recorder::detach();

    EXPECT_NE(ids[0], 0u);
    EXPECT_EQ(ids[0], ids[1]);
    EXPECT_EQ(ids[1], ids[2]);
    EXPECT_NE(other, ids[0]);
    // The path from the repository root (-fmacro-prefix-map), not the base name alone.
    EXPECT_EQ(data.string(other), "tests/core/trace/recorder_test.cpp:" + std::to_string(here.line()));
    EXPECT_EQ(data.string(ids[0]).rfind("tests/core/trace/recorder_test.cpp:", 0), 0u) << data.string(ids[0]);
}

TEST(Recorder, ThreadExitClosesItsChunk)
{
    auto log = makeLog();
    ASSERT_TRUE(log);
    const uint64_t before = freeChunks(*log);
    recorder::attach(log.get());
    std::thread worker([] { recorder::record(EventType::Instant, 0, 1); }); // no closeThread()
    worker.join();
    TraceData data;
    log->drain(data); // at once: a closed chunk needs no liveness check
    recorder::detach();
    EXPECT_EQ(freeChunks(*log), before);
    ASSERT_EQ(data.events.size(), 1u);
}

TEST(Recorder, EventsCarryTheCoreTheyRanOn)
{
    if (std::thread::hardware_concurrency() < 2)
        GTEST_SKIP() << "needs two cores";
    auto log = makeLog();
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    for (int cpu : {1, 0}) {
        std::thread worker([cpu] {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(cpu, &set);
            if (sched_setaffinity(0, sizeof(set), &set) == 0)
                recorder::record(EventType::Instant, 0, cpu);
        });
        worker.join();
    }
    TraceData data;
    log->finish(data);
    recorder::detach();
    ASSERT_EQ(data.events.size(), 2u);
    for (const Event &e : data.events)
        EXPECT_EQ(e.cpu, e.arg);
}

TEST(Recorder, ReusedTidAfterExitGetsAFreshThreadIndex)
{
    auto log = makeLog();
    ASSERT_TRUE(log);
    TraceData data;
    for (int life = 0; life < 2; ++life) {
        WriterCursor c;
        c.pid = 4242;
        c.tid = 4243;
        ASSERT_TRUE(log->takeChunk(c));
        writeSlot(c, EventType::ThreadStart, life);
        writeSlot(c, EventType::ThreadExit, life);
        log->closeChunk(c);
        log->drain(data);
    }
    // A thread that continues after closeThread (no ThreadStart) stays the same thread.
    WriterCursor again;
    again.pid = 4242;
    again.tid = 4243;
    ASSERT_TRUE(log->takeChunk(again));
    writeSlot(again, EventType::Instant, 9);
    log->finish(data);
    ASSERT_EQ(data.threads.size(), 2u);
    ASSERT_EQ(data.events.size(), 5u);
    EXPECT_EQ(data.events[0].thread, 0u);
    EXPECT_EQ(data.events[1].thread, 0u);
    EXPECT_EQ(data.events[2].thread, 1u);
    EXPECT_EQ(data.events[3].thread, 1u);
    EXPECT_EQ(data.events[4].thread, 1u);
    EXPECT_EQ(data.threads[1].tid, 4243);
}

TEST(Recorder, DestroyingTheAttachedLogDetaches)
{
    auto log = makeLog();
    ASSERT_TRUE(log);
    recorder::attach(log.get());
    recorder::record(EventType::Instant);
    log.reset();
    EXPECT_FALSE(recorder::enabled());
    recorder::record(EventType::Instant); // must not touch the unmapped log
    recorder::closeThread();
}

TEST(Recorder, EmptyLogCannotTakeMoreChunksThanItHas)
{
    auto log = makeLog(1 << 20, 64);
    ASSERT_TRUE(log);
    std::vector<WriterCursor> cursors(log->chunkCount() + 1);
    for (uint32_t i = 0; i < log->chunkCount(); ++i)
        ASSERT_TRUE(log->takeChunk(cursors[i]));
    EXPECT_FALSE(log->takeChunk(cursors.back()));
    EXPECT_EQ(freeChunks(*log), 0u);
}
