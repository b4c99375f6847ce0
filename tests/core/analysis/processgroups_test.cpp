// SPDX-License-Identifier: MIT
// processGroups: processes in start order, short-lived siblings batched and folded by default.
#include "analysis/processgroups.h"

#include "../trace/tracebuilder.h"

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

/// A child process `pid` of 1 that lives [from, to) ms with one thread.
void child(TraceBuilder &b, uint32_t reaper, int32_t pid, int64_t from, int64_t to)
{
    const uint32_t t = b.thread(pid, pid);
    b.ev(t, from, EventType::ProcessStart, b.str("child " + std::to_string(pid)), 1);
    b.ev(t, to, EventType::ThreadExit);
    b.ev(reaper, to, EventType::ProcessExit, uint32_t(pid), 0);
}

std::vector<int32_t> pidsOf(const TraceModel &model, const ProcessGroup &g)
{
    std::vector<int32_t> pids;
    for (uint32_t p : g.processes)
        pids.push_back(model.processes()[p].pid);
    return pids;
}

} // namespace

TEST(ProcessGroups, BatchesShortLivedSiblingsAndFoldsManyShortThreads)
{
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1);
    b.ev(main, 0, EventType::ProcessStart, b.str("main"), 0);
    // Ten threads of main that each live 1 ms of a 1000 ms trace.
    for (int i = 0; i < 10; ++i) {
        const uint32_t t = b.thread(1, 100 + i);
        b.ev(t, 300 + i * 2, EventType::ThreadStart, 0, 1);
        b.ev(t, 301 + i * 2, EventType::ThreadExit);
    }
    child(b, main, 2, 10, 900); // a worker
    for (int i = 0; i < 5; ++i) // five probes, one after another: a batch
        child(b, main, 10 + i, 100 + i * 2, 101 + i * 2);
    child(b, main, 20, 200, 800); // a long one ends the run
    child(b, main, 30, 850, 851); // two probes only: no batch
    child(b, main, 31, 852, 853);
    b.ev(main, 1000, EventType::ThreadExit);
    TraceModel model(std::move(b.data));
    model.update();

    const auto groups = processGroups(model);
    ASSERT_EQ(groups.size(), 6u);
    EXPECT_EQ(pidsOf(model, groups[0]), std::vector<int32_t>{1});
    EXPECT_EQ(groups[0].threadCount(), 11u);
    EXPECT_TRUE(groups[0].foldByDefault) << "ten short-lived threads fold their process";
    EXPECT_FALSE(groups[0].batch);
    EXPECT_EQ(pidsOf(model, groups[1]), std::vector<int32_t>{2});
    EXPECT_FALSE(groups[1].foldByDefault);
    EXPECT_EQ(pidsOf(model, groups[2]), (std::vector<int32_t>{10, 11, 12, 13, 14}));
    EXPECT_TRUE(groups[2].batch);
    EXPECT_TRUE(groups[2].foldByDefault);
    EXPECT_EQ(groups[2].threadCount(), 5u);
    EXPECT_EQ(pidsOf(model, groups[3]), std::vector<int32_t>{20});
    EXPECT_EQ(pidsOf(model, groups[4]), std::vector<int32_t>{30});
    EXPECT_FALSE(groups[4].batch);
    EXPECT_FALSE(groups[4].foldByDefault);
    EXPECT_EQ(pidsOf(model, groups[5]), std::vector<int32_t>{31});
}
