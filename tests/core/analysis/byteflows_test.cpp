// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/byteflows.h"
#include "trace/tracemodel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <tuple>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

using Arrow = std::tuple<int64_t, int64_t, uint32_t>; // from ms, to ms, object

/// A writer process and a reader process that both announce the same pipe (as each process of a
/// traced program does), under different ids.
struct TwoProcessPipe
{
    TraceBuilder b;
    uint32_t writer = b.thread(10, 10);
    uint32_t reader = b.thread(20, 20);
    static constexpr uint32_t kWriterPipe = 8;
    static constexpr uint32_t kReaderPipe = 3;

    TwoProcessPipe()
    {
        b.object(writer, 0, kWriterPipe, ObjectKind::Pipe, "pipe:[77]");
        b.object(reader, 0, kReaderPipe, ObjectKind::Pipe, "pipe:[77]");
    }
    void write(int64_t ms, int64_t bytes) { b.ev(writer, ms, EventType::PipeSend, kWriterPipe, bytes, ByteStream); }
    void read(int64_t ms, int64_t bytes)
    {
        b.ev(reader, ms, EventType::PipeRecvWait, kReaderPipe);
        b.ev(reader, ms, EventType::PipeRecv, kReaderPipe, bytes, ByteStream);
    }
};

std::vector<Arrow> arrows(TraceData data)
{
    TraceModel m(std::move(data));
    std::vector<Arrow> result;
    for (const Flow &f : m.flows()) {
        if (f.kind == FlowKind::Pipe)
            result.emplace_back(f.fromTime / TraceBuilder::ms(1), f.toTime / TraceBuilder::ms(1), f.object);
    }
    std::sort(result.begin(), result.end());
    return result;
}

size_t countByteStream(const TraceData &data)
{
    return size_t(std::count_if(data.events.begin(), data.events.end(), [](const Event &e) {
        return (e.type == EventType::PipeSend || e.type == EventType::PipeRecv) && (e.flags & ByteStream);
    }));
}

constexpr uint32_t P = TwoProcessPipe::kReaderPipe; // the id kept for "pipe:[77]": the smaller one

} // namespace

TEST(ByteFlows, OneReadPerWriteGivesOneArrowEach)
{
    TwoProcessPipe p;
    p.write(1, 5);
    p.write(2, 5);
    p.write(3, 5);
    p.read(4, 5);
    p.read(5, 5);
    p.read(6, 5);
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.sends, 3u);
    EXPECT_EQ(c.matchedSends, 3u);
    EXPECT_EQ(c.extraReceives, 0u);
    EXPECT_EQ(countByteStream(p.b.data), 0u);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 4, P}, {2, 5, P}, {3, 6, P}}));
}

TEST(ByteFlows, HeaderThenPayloadReadGivesOneArrowIntoThePayload)
{
    TwoProcessPipe p;
    p.write(1, 12); // a 4-byte length and 8 bytes of message, in one write
    p.read(2, 4);
    p.read(3, 8);
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.matchedSends, 1u);
    EXPECT_EQ(c.receives, 2u);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 3, P}}));
    // The header's read carries an item of its own, which no write shares.
    std::set<int64_t> items;
    for (const Event &e : p.b.data.events) {
        if (e.type == EventType::PipeRecv)
            items.insert(e.arg);
    }
    EXPECT_EQ(items.size(), 2u);
}

TEST(ByteFlows, ReadOfSeveralWritesGetsAnArrowFromEach)
{
    TwoProcessPipe p;
    p.write(1, 3);
    p.write(2, 3);
    p.write(3, 3);
    p.read(4, 9);
    const size_t before = p.b.data.events.size();
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.extraReceives, 2u);
    ASSERT_EQ(p.b.data.events.size(), before + 2);
    // The added receives follow the read, on its thread at its time.
    const std::vector<Event> &ev = p.b.data.events;
    for (size_t k = ev.size() - 3; k < ev.size(); ++k) {
        EXPECT_EQ(ev[k].type, EventType::PipeRecv);
        EXPECT_EQ(ev[k].thread, p.reader);
        EXPECT_EQ(ev[k].time, TraceBuilder::ms(4));
    }
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 4, P}, {2, 4, P}, {3, 4, P}}));
}

TEST(ByteFlows, WritesAndReadsSplitAndMergedEveryWay)
{
    TwoProcessPipe p;
    // Writes end at bytes 4, 10, 12, 20; reads end at 5, 10, 20, 26.
    p.write(1, 4);
    p.write(2, 6);
    p.write(3, 2);
    p.write(4, 8);
    p.write(5, 7); // only 6 of its 7 bytes are read: no arrow
    p.read(10, 5);
    p.read(11, 5);
    p.read(12, 10);
    p.read(13, 6);
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.sends, 5u);
    EXPECT_EQ(c.matchedSends, 4u);
    EXPECT_EQ(c.unmatchedBytes, 0u);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 10, P}, {2, 11, P}, {3, 12, P}, {4, 12, P}}));
}

TEST(ByteFlows, UnreadWriteKeepsAnItemOfItsOwn)
{
    TwoProcessPipe p;
    p.write(1, 4);
    p.write(2, 4);
    p.write(3, 1); // never read
    p.read(4, 4);
    p.read(5, 4);
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.matchedSends, 2u);
    EXPECT_EQ(countByteStream(p.b.data), 0u);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 4, P}, {2, 5, P}}));
    std::set<int64_t> sendItems;
    for (const Event &e : p.b.data.events) {
        if (e.type == EventType::PipeSend)
            sendItems.insert(e.arg);
    }
    EXPECT_EQ(sendItems.size(), 3u);
}

TEST(ByteFlows, ReadOfBytesNobodyRecordedWritingIsCounted)
{
    TwoProcessPipe p;
    p.write(1, 4);
    p.read(2, 4);
    p.read(3, 10); // from a writer that was not traced
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.unmatchedBytes, 10u);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 2, P}}));
}

TEST(ByteFlows, EventOrderOfTheLogDoesNotChangeTheMatch)
{
    TwoProcessPipe p;
    p.read(4, 2); // drained before the writer's chunk
    p.read(5, 6);
    p.write(1, 3);
    p.write(2, 5);
    matchByteFlows(p.b.data);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 5, P}, {2, 5, P}}));
}

TEST(ByteFlows, SameNamedChannelsOfSeveralProcessesBecomeOne)
{
    TwoProcessPipe p;
    const uint32_t other = p.b.thread(30, 30);
    p.b.object(other, 0, 12, ObjectKind::Pipe, "pipe:[99]"); // another pipe keeps its id
    p.write(1, 1);
    p.read(2, 1);
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.mergedObjects, 1u);
    std::set<uint32_t> pipeObjects;
    for (const Event &e : p.b.data.events) {
        if (e.type != EventType::ThreadStart)
            pipeObjects.insert(e.object);
    }
    EXPECT_EQ(pipeObjects, (std::set<uint32_t>{P, 12}));
    TraceModel m(p.b.data);
    ASSERT_NE(m.object(P), nullptr);
    EXPECT_EQ(m.data().string(m.object(P)->name), "pipe:[77]");
    EXPECT_EQ(m.object(TwoProcessPipe::kWriterPipe), nullptr);
}

TEST(ByteFlows, SocketpairWritesArriveAtThePeer)
{
    TraceBuilder b;
    const uint32_t a = b.thread(10, 10);
    const uint32_t c = b.thread(20, 20);
    b.object(a, 0, 5, ObjectKind::Pipe, "socket:[100]");
    b.object(a, 0, 6, ObjectKind::Pipe, "socket:[101]");
    b.object(a, 0, 7, ObjectKind::Pipe, "socketpair:[100]:[101]");
    b.object(c, 0, 9, ObjectKind::Pipe, "socket:[101]");  // the child's end, inherited
    b.object(a, 0, 11, ObjectKind::Pipe, "socket:[200]"); // a socket whose peer is not known
    b.ev(a, 1, EventType::PipeSend, 5, 4, ByteStream);    // parent -> child
    b.ev(c, 2, EventType::PipeRecv, 9, 4, ByteStream);
    b.ev(c, 3, EventType::PipeSend, 9, 2, ByteStream); // child -> parent
    b.ev(a, 4, EventType::PipeRecv, 5, 2, ByteStream);
    b.ev(a, 5, EventType::PipeSend, 11, 3, ByteStream); // out of socket 200 ...
    b.ev(a, 6, EventType::PipeRecv, 11, 3, ByteStream); // ... is not what comes into it
    const ByteFlowCounts counts = matchByteFlows(b.data);
    EXPECT_EQ(counts.matchedSends, 2u);
    EXPECT_EQ(arrows(b.data), (std::vector<Arrow>{{1, 2, 6}, {3, 4, 5}}));
}

TEST(ByteFlows, ItemIdsStayUniqueBesideRecordedItems)
{
    TwoProcessPipe p;
    p.b.ev(p.writer, 1, EventType::PipeSend, TwoProcessPipe::kWriterPipe, 1); // an item id already
    p.b.ev(p.reader, 2, EventType::PipeRecv, TwoProcessPipe::kReaderPipe, 1);
    p.write(3, 1);
    p.read(4, 1);
    matchByteFlows(p.b.data);
    EXPECT_EQ(arrows(p.b.data), (std::vector<Arrow>{{1, 2, P}, {3, 4, P}}));
}

TEST(ByteFlows, HundredThousandMessagesMatchByTheirLastByte)
{
    // Random writes, read in random chunks: each write's arrow goes into the read holding its last
    // byte, found here by a binary search over the reads' ends.
    TwoProcessPipe p;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int64_t> size(1, 64);
    constexpr int kMessages = 100'000;
    std::vector<int64_t> lastByte;
    int64_t total = 0;
    for (int i = 0; i < kMessages; ++i) {
        total += size(rng);
        lastByte.push_back(total);
        p.write(i + 1, total - (lastByte.size() > 1 ? lastByte[lastByte.size() - 2] : 0));
    }
    std::vector<int64_t> readEnd;
    for (int64_t at = 0; at < total;) {
        at = std::min(total, at + size(rng) * 2);
        readEnd.push_back(at);
        p.read(kMessages + int64_t(readEnd.size()), at - (readEnd.size() > 1 ? readEnd[readEnd.size() - 2] : 0));
    }
    const ByteFlowCounts c = matchByteFlows(p.b.data);
    EXPECT_EQ(c.matchedSends, size_t(kMessages));
    std::vector<Arrow> expected;
    for (int i = 0; i < kMessages; ++i) {
        const auto r = std::lower_bound(readEnd.begin(), readEnd.end(), lastByte[size_t(i)]) - readEnd.begin();
        expected.emplace_back(i + 1, kMessages + r + 1, P);
    }
    EXPECT_EQ(arrows(p.b.data), expected);
}

TEST(ByteFlows, RandomDamageLeavesNoByteCountBehind)
{
    // Channel events with random objects, sizes (zero, negative, huge) and names: every ByteStream
    // event is rewritten, and nothing else changes type or thread.
    std::mt19937 rng(11);
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
            b.ev(threads[rng() % 3], int64_t(rng() % 100), type, rng() % 10, sizes[rng() % 6],
                 uint8_t(rng() % 2 ? ByteStream : 0));
        }
        const TraceData before = b.data;
        const ByteFlowCounts c = matchByteFlows(b.data);
        EXPECT_EQ(countByteStream(b.data), 0u);
        EXPECT_EQ(b.data.events.size(), before.events.size() + c.extraReceives);
        TraceModel m(std::move(b.data)); // and the model takes it
        EXPECT_EQ(m.ingestedEvents(), before.events.size() + c.extraReceives);
    }
}
