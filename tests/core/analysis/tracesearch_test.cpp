// SPDX-License-Identifier: MIT
// Ctrl+F's answers: threads, processes, objects, printed lines and phases by name or text.
#include "../scenarios/scenariorun.h"
#include "../trace/tracebuilder.h"
#include "analysis/tracesearch.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;
using Kind = SearchHit::Kind;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Process 10 "bank": MainThread and Thread-1 (tid 12); lock "accounts" used 3..6 ms, queue
/// "jobs" used at 4 ms; Thread-1 prints twice; one phase.
TraceData bank()
{
    TraceBuilder b;
    const uint32_t main = b.thread(10, 10);
    const uint32_t worker = b.thread(10, 12);
    b.ev(main, 0, EventType::ProcessStart, b.str("bank"), 1);
    b.ev(main, 0, EventType::ThreadName, b.str("MainThread"));
    b.object(main, 0, 5, ObjectKind::Mutex, "accounts");
    b.object(main, 0, 6, ObjectKind::Queue, "jobs");
    b.ev(main, 1, EventType::Phase, b.str("Transfer money"));
    b.ev(worker, 2, EventType::ThreadStart, 0, 10);
    b.ev(worker, 2, EventType::ThreadName, b.str("Thread-1"));
    b.ev(worker, 3, EventType::LockWait, 5);
    b.ev(worker, 3, EventType::LockObtain, 5);
    b.ev(worker, 4, EventType::QueueDepth, 6, 1);
    b.ev(worker, 5, EventType::Output, b.str("Thread-1 moved 100 to ACCOUNTS b"), 1);
    b.ev(worker, 6, EventType::LockRelease, 5);
    b.ev(worker, 7, EventType::Output, b.str("done"), 1);
    b.ev(worker, 8, EventType::ThreadExit);
    b.ev(main, 9, EventType::ThreadExit);
    return std::move(b.data);
}

} // namespace

TEST(TraceSearch, FindsThreadsObjectsAndLinesIgnoringCase)
{
    const TraceModel model(bank());
    // "account": the lock by name, then the printed line that names it in capitals.
    const std::vector<SearchHit> account = searchTrace(model, "Account");
    ASSERT_EQ(account.size(), 2u);
    EXPECT_EQ(account[0].kind, Kind::Object);
    EXPECT_EQ(account[0].text, "accounts");
    EXPECT_EQ(account[0].object, 5u);
    EXPECT_EQ(account[0].objectKind, ObjectKind::Mutex);
    EXPECT_EQ(account[0].start, ms(3)); // first waited for
    EXPECT_EQ(account[0].end, ms(6));   // last released
    EXPECT_EQ(account[1].kind, Kind::Output);
    EXPECT_EQ(account[1].start, ms(5));
    EXPECT_EQ(account[1].pid, 10);
    EXPECT_EQ(model.threadName(account[1].thread), "Thread-1");

    // "thread-1": the thread (its life 2..8 ms), then its line.
    const std::vector<SearchHit> thread = searchTrace(model, "thread-1");
    ASSERT_EQ(thread.size(), 2u);
    EXPECT_EQ(thread[0].kind, Kind::Thread);
    EXPECT_EQ(thread[0].start, ms(2));
    EXPECT_EQ(thread[0].end, ms(8));
    EXPECT_EQ(thread[1].kind, Kind::Output);

    // By tid, pid, process name, queue, phase.
    EXPECT_EQ(searchTrace(model, "12").front().kind, Kind::Thread);
    const std::vector<SearchHit> bankHits = searchTrace(model, "bank");
    ASSERT_EQ(bankHits.size(), 1u);
    EXPECT_EQ(bankHits[0].kind, Kind::Process);
    EXPECT_EQ(bankHits[0].pid, 10);
    const std::vector<SearchHit> jobs = searchTrace(model, "jobs");
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].start, ms(4));
    const std::vector<SearchHit> phase = searchTrace(model, "transfer");
    ASSERT_EQ(phase.size(), 1u);
    EXPECT_EQ(phase[0].kind, Kind::Phase);
    EXPECT_EQ(phase[0].start, ms(1));

    EXPECT_TRUE(searchTrace(model, "").empty());
    EXPECT_TRUE(searchTrace(model, "nothing like this").empty());
    EXPECT_EQ(searchTrace(model, "e", 3).size(), 3u); // the limit holds
}

TEST(TraceSearch, FindsTheDeadlockScenariosThreadsAndLocks)
{
    using namespace interleave::core::testing;
    const ScenarioRun run = runScenario("deadlock", {{QStringLiteral("hold_ms"), QStringLiteral("50")}});
    ASSERT_EQ(run.status(), RunStatus::Deadlocked) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const std::vector<SearchHit> locks = searchTrace(model, "lock");
    const auto count = [&](Kind kind) {
        return std::count_if(locks.begin(), locks.end(), [&](const SearchHit &h) { return h.kind == kind; });
    };
    EXPECT_EQ(count(Kind::Object), 2); // lock A and lock B
    for (const SearchHit &hit : locks) {
        EXPECT_LE(model.startTime(), hit.start);
        EXPECT_LE(hit.start, hit.end);
        EXPECT_LE(hit.end, model.endTime());
    }
    const std::vector<SearchHit> threads = searchTrace(model, "Thread-");
    EXPECT_GE(std::count_if(threads.begin(), threads.end(), [](const SearchHit &h) { return h.kind == Kind::Thread; }),
              2);
}
