// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/byteflowgate.h"
#include "analysis/byteflows.h"
#include "trace/tracemodel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

using Arrow = std::tuple<int64_t, int64_t>; // from ms, to ms

std::vector<Arrow> arrows(const TraceData &data, int64_t unit = TraceBuilder::ms(1))
{
    TraceModel m(data);
    std::vector<Arrow> result;
    for (const Flow &f : m.flows()) {
        if (f.kind == FlowKind::Pipe)
            result.emplace_back(f.fromTime / unit, f.toTime / unit);
    }
    std::sort(result.begin(), result.end());
    return result;
}

/// Events of `thread` in `data`.
size_t eventsOf(const TraceData &data, uint32_t thread)
{
    return size_t(
        std::count_if(data.events.begin(), data.events.end(), [&](const Event &e) { return e.thread == thread; }));
}

/// A staging TraceData with some of `all`'s events (the strings and threads go with the first).
TraceData batch(const TraceData &all, const std::vector<Event> &events, bool first)
{
    TraceData b;
    if (first) {
        b.threads = all.threads;
        b.strings = all.strings;
    }
    b.events = events;
    return b;
}

struct Pipe
{
    TraceBuilder b;
    uint32_t writer = b.thread(10, 10);
    uint32_t reader = b.thread(20, 20);
    Pipe()
    {
        b.object(writer, 0, 8, ObjectKind::Pipe, "pipe:[77]");
        b.object(reader, 0, 3, ObjectKind::Pipe, "pipe:[77]");
    }
    void write(int64_t ms, int64_t bytes) { b.ev(writer, ms, EventType::PipeSend, 8, bytes, ByteStream); }
    void read(int64_t ms, int64_t bytes)
    {
        b.ev(reader, ms, EventType::PipeRecvWait, 3);
        b.ev(reader, ms, EventType::PipeRecv, 3, bytes, ByteStream);
    }
};

} // namespace

TEST(ByteFlowGate, ReadBeforeItsWriteArrivesIsHeldWithItsThread)
{
    Pipe p;
    p.write(1, 3);
    p.write(2, 5);
    p.read(3, 8);
    p.b.ev(p.reader, 4, EventType::SleepBegin, 0, 1000); // after the read: held with it
    std::vector<Event> readerFirst, writerLater;
    for (const Event &e : p.b.data.events)
        (e.thread == p.writer && e.type == EventType::PipeSend ? writerLater : readerFirst).push_back(e);

    ByteFlowGate gate;
    TraceData into;
    TraceData first = batch(p.b.data, readerFirst, true);
    gate.pass(first, into);
    EXPECT_TRUE(first.events.empty());
    EXPECT_EQ(gate.held(), 2u);              // the read and the sleep
    EXPECT_EQ(eventsOf(into, p.reader), 2u); // ObjectNew, PipeRecvWait

    TraceData second = batch(p.b.data, writerLater, false);
    gate.pass(second, into);
    EXPECT_EQ(gate.held(), 0u);
    EXPECT_EQ(eventsOf(into, p.reader), 5u); // the read twice: one per write
    EXPECT_EQ(arrows(into), (std::vector<Arrow>{{1, 3}, {2, 3}}));
}

TEST(ByteFlowGate, ReadOfAnUntracedWriterIsReleasedAfterTheHoldLimitOrAtTheEnd)
{
    Pipe p;
    p.read(1, 4); // nobody traced writes these bytes
    TraceData into;
    ByteFlowGate gate;
    TraceData first = batch(p.b.data, p.b.data.events, true);
    gate.pass(first, into);
    EXPECT_EQ(gate.held(), 1u);
    // The trace goes on: 300 ms later the read is let go, with an item of its own.
    const std::vector<Event> later{Event{TraceBuilder::ms(301), 0, p.writer, 0, 0, 0, EventType::ThreadExit, 0}};
    TraceData second = batch(p.b.data, later, false);
    gate.pass(second, into);
    EXPECT_EQ(gate.held(), 0u);
    EXPECT_TRUE(arrows(into).empty());

    Pipe q;
    q.read(1, 4);
    TraceData into2;
    ByteFlowGate gate2;
    TraceData only = batch(q.b.data, q.b.data.events, true);
    gate2.pass(only, into2);
    EXPECT_EQ(gate2.held(), 1u);
    gate2.flush(into2);
    EXPECT_EQ(gate2.held(), 0u);
    EXPECT_EQ(into2.events.size(), q.b.data.events.size());
}

TEST(ByteFlowGate, QuietTraceLetsAHeldReadGoByTheClock)
{
    Pipe p;
    p.read(1, 4); // nobody traced writes these bytes, and nothing else happens
    ByteFlowGate gate;
    TraceData into;
    TraceData first = batch(p.b.data, p.b.data.events, true);
    gate.pass(first, into, TraceBuilder::ms(2));
    EXPECT_EQ(gate.held(), 1u);
    TraceData none;
    gate.pass(none, into, TraceBuilder::ms(100));
    EXPECT_EQ(gate.held(), 1u);
    gate.pass(none, into, TraceBuilder::ms(252));
    EXPECT_EQ(gate.held(), 0u);
    EXPECT_EQ(into.events.size(), p.b.data.events.size());
}

TEST(ByteFlowGate, SocketpairPeerAnnouncedAfterTheFirstWrite)
{
    TraceBuilder b;
    const uint32_t parent = b.thread(10, 10);
    const uint32_t child = b.thread(20, 20);
    b.object(parent, 0, 5, ObjectKind::Pipe, "socket:[100]");
    b.object(parent, 0, 7, ObjectKind::Pipe, "socketpair:[100]:[101]");
    b.ev(parent, 1, EventType::PipeSend, 5, 4, ByteStream);
    b.object(child, 2, 9, ObjectKind::Pipe, "socket:[101]");
    b.ev(child, 3, EventType::PipeRecv, 9, 4, ByteStream);
    ByteFlowGate gate;
    TraceData into;
    TraceData all = batch(b.data, b.data.events, true);
    gate.pass(all, into);
    EXPECT_EQ(gate.held(), 0u);
    EXPECT_EQ(arrows(into), (std::vector<Arrow>{{1, 3}}));
    // The child's socket took the id the parent's write was given, and is named by its announcement.
    TraceModel m(into);
    const uint32_t object = m.flows().front().object;
    ASSERT_NE(m.object(object), nullptr);
    EXPECT_EQ(m.data().string(m.object(object)->name), "socket:[101]");
}

TEST(ByteFlowGate, AnyDrainOrderGivesTheArrowsOfTheWholeTracePass)
{
    // One writer, one reader, random sizes; the log hands the two threads' events over in random
    // batches (each thread's in its own order), as drains do.
    for (unsigned seed = 1; seed <= 20; ++seed) {
        Pipe p;
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int64_t> size(1, 16);
        int64_t written = 0, read = 0, time = 1;
        for (int i = 0; i < 200; ++i) {
            const int64_t n = size(rng);
            p.write(time++, n);
            written += n;
            while (read + 24 <= written || (i == 199 && read < written)) {
                const int64_t m = std::min(written - read, size(rng) * 2);
                p.read(time++, m);
                read += m;
            }
        }
        for (Event &e : p.b.data.events) // µs apart: the whole run is well within the hold limit
            e.time /= 1000;
        TraceData whole = p.b.data;
        matchByteFlows(whole);

        std::vector<Event> w, r;
        for (const Event &e : p.b.data.events)
            (e.thread == p.writer ? w : r).push_back(e);
        ByteFlowGate gate;
        TraceData into;
        size_t iw = 0, ir = 0, mostHeld = 0;
        for (bool first = true; iw < w.size() || ir < r.size(); first = false) {
            std::vector<Event> events;
            const size_t takeW = std::min(w.size() - iw, size_t(size(rng)));
            const size_t takeR = std::min(r.size() - ir, size_t(size(rng)) * 2);
            events.insert(events.end(), r.begin() + ptrdiff_t(ir), r.begin() + ptrdiff_t(ir + takeR));
            events.insert(events.end(), w.begin() + ptrdiff_t(iw), w.begin() + ptrdiff_t(iw + takeW));
            iw += takeW;
            ir += takeR;
            TraceData staging = batch(p.b.data, events, first);
            gate.pass(staging, into);
            mostHeld = std::max(mostHeld, gate.held());
        }
        EXPECT_GT(mostHeld, 0u) << "seed " << seed << ": the reader was never ahead of the writer";
        EXPECT_EQ(gate.held(), 0u) << "seed " << seed;
        EXPECT_EQ(into.events.size(), whole.events.size()) << "seed " << seed;
        EXPECT_EQ(arrows(into, 1), arrows(whole, 1)) << "seed " << seed;
        EXPECT_EQ(arrows(into, 1).size(), 200u) << "seed " << seed;
    }
}

TEST(ByteFlowGate, RandomDamageIsPassedOnWholeOnceFlushed)
{
    std::mt19937 rng(5);
    for (int round = 0; round < 50; ++round) {
        TraceBuilder b;
        const uint32_t threads[] = {b.thread(1, 1), b.thread(2, 2), b.thread(3, 3)};
        const char *names[] = {"pipe:[1]",       "socket:[2]",     "socket:[3]", "socketpair:[2]:[3]",
                               "socketpair:[2]", "socketpair:]:[", "pipe",       "socket:[2"};
        for (uint32_t id = 1; id <= 8; ++id)
            b.object(threads[rng() % 3], 0, id, ObjectKind::Pipe, names[rng() % 8]);
        const int64_t sizes[] = {0, -5, 1, 7, int64_t(1) << 62, INT64_MAX};
        for (int k = 0; k < 200; ++k) {
            const EventType type = rng() % 2 ? EventType::PipeSend : EventType::PipeRecv;
            b.ev(threads[rng() % 3], int64_t(k), type, rng() % 10, sizes[rng() % 6],
                 uint8_t(rng() % 2 ? ByteStream : 0));
        }
        ByteFlowGate gate;
        TraceData into;
        for (size_t at = 0; at < b.data.events.size();) {
            const size_t n = std::min(b.data.events.size() - at, size_t(rng() % 40));
            TraceData staging = batch(
                b.data, {b.data.events.begin() + ptrdiff_t(at), b.data.events.begin() + ptrdiff_t(at + n)}, at == 0);
            gate.pass(staging, into);
            at += n;
        }
        gate.flush(into);
        EXPECT_EQ(gate.held(), 0u);
        EXPECT_GE(into.events.size(), b.data.events.size());
        EXPECT_EQ(std::count_if(into.events.begin(), into.events.end(),
                                [](const Event &e) {
                                    return (e.type == EventType::PipeSend || e.type == EventType::PipeRecv) &&
                                           (e.flags & ByteStream);
                                }),
                  0);
        for (uint32_t th : threads) { // every thread's events in its own order
            std::vector<int64_t> times;
            for (const Event &e : into.events) {
                if (e.thread == th)
                    times.push_back(e.time);
            }
            EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
        }
    }
}
