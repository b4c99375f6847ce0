// SPDX-License-Identifier: MIT
// The lock-wait table the charts draw counts exactly the recorded LockWait events and the waits
// LockStats sums, on real `lock` and `deadlock` runs.

#include "analysis/lockstats.h"
#include "analysis/lockwaittable.h"
#include "scenariorun.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

using namespace interleave::core;
using interleave::core::testing::runScenario;
using interleave::core::testing::ScenarioRun;

namespace {

void expectTableMatchesStatsAndEvents(const ScenarioRun &run)
{
    const TraceModel &model = run.model();
    const LockWaitTable table = LockWaitTable::build(model);
    const LockStats stats = LockStats::compute(model);

    std::map<std::pair<uint32_t, uint32_t>, uint64_t> recorded; // (lock, thread) -> LockWait events
    for (const Event *e : run.events(EventType::LockWait))
        ++recorded[{e->object, e->thread}];
    ASSERT_FALSE(recorded.empty());

    std::map<std::pair<uint32_t, uint32_t>, uint64_t> counted;
    std::map<uint32_t, double> lockTotal, threadTotal, threadMax;
    std::map<uint32_t, uint64_t> threadWaits;
    for (const LockWaitTable::Bar &bar : table.at(kTimeMax)) {
        counted[{bar.lock, bar.thread}] += bar.waits;
        lockTotal[bar.lock] += bar.totalMs;
        threadTotal[bar.thread] += bar.totalMs;
        threadMax[bar.thread] = std::max(threadMax[bar.thread], bar.maxMs);
        threadWaits[bar.thread] += bar.waits;
    }
    EXPECT_EQ(counted, recorded);
    for (const LockStat &l : stats.locks())
        EXPECT_NEAR(lockTotal[l.lock], l.waitMsTotal, 1e-6) << l.name;
    ASSERT_EQ(stats.threads().size(), threadWaits.size());
    for (const ThreadWaitStat &t : stats.threads()) {
        EXPECT_EQ(threadWaits[t.thread], t.waits) << t.thread;
        EXPECT_NEAR(threadTotal[t.thread], t.waitMsTotal, 1e-6) << t.thread;
        EXPECT_NEAR(threadMax[t.thread], t.waitMsMax, 1e-6) << t.thread;
    }
}

} // namespace

TEST(LockWaitTable, LockRunCountsEveryRecordedWaitAsLockStatsDoes)
{
    const ScenarioRun run = runScenario("lock");
    ASSERT_EQ(run.status(), RunStatus::Finished);
    expectTableMatchesStatsAndEvents(run);
}

TEST(LockWaitTable, DeadlockRunCountsTheWaitsStillOpenAtTheEnd)
{
    const ScenarioRun run = runScenario("deadlock", {{QStringLiteral("variant"), QStringLiteral("naive")},
                                                     {QStringLiteral("hold_ms"), QStringLiteral("50")}});
    ASSERT_EQ(run.status(), RunStatus::Deadlocked);
    expectTableMatchesStatsAndEvents(run);
}
