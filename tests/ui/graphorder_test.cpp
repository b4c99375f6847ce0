// SPDX-License-Identifier: MIT
// The graph view's lock-order cycle: "could deadlock" edges between the locks of a run that took
// them in opposite orders, none for a run that always took them in one order.
#include "trace/tracemodel.h"
#include "ui/graph/graphdata.h"
#include "ui/graph/graphview.h"

#include "../core/scenarios/scenariorun.h"
#include "uitest.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

using namespace interleave;
using ui::EdgeKind;
using ui::Graph;
using ui::NodeKind;

namespace {

core::testing::ScenarioRun runVariant(const char *variant)
{
    return core::testing::runScenario("deadlock", {{QStringLiteral("variant"), QLatin1String(variant)},
                                                   {QStringLiteral("hold_ms"), QStringLiteral("30")},
                                                   {QStringLiteral("rounds"), QStringLiteral("3")}});
}

/// The (from, to) lock names of the graph's MayDeadlock edges at the end of the run.
std::set<std::pair<std::string, std::string>> orderEdgesAtTheEnd(const core::testing::ScenarioRun &run)
{
    ui::GraphView view;
    view.setModel(&run.model());
    view.resize(1000, 640);
    view.setPlayhead(run.model().endTime());
    const Graph &g = view.graph();
    std::set<std::pair<std::string, std::string>> edges;
    for (const ui::GraphEdge &e : g.edges) {
        if (e.kind != EdgeKind::MayDeadlock)
            continue;
        EXPECT_EQ(g.nodes[e.from].kind, NodeKind::Lock);
        EXPECT_EQ(g.nodes[e.to].kind, NodeKind::Lock);
        edges.insert({g.nodes[e.from].name, g.nodes[e.to].name});
    }
    return edges;
}

} // namespace

TEST(GraphViewRun, TryLockRunShowsTheLockOrderCycleBetweenItsLocks)
{
    ui::testing::app();
    const core::testing::ScenarioRun run = runVariant("try_lock");
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    // Nobody holds either lock at the end: the lock nodes are there for the cycle alone.
    EXPECT_EQ(orderEdgesAtTheEnd(run),
              (std::set<std::pair<std::string, std::string>>{{"lock A", "lock B"}, {"lock B", "lock A"}}));
}

TEST(GraphViewRun, OrderedRunShowsNoLockOrderCycle)
{
    ui::testing::app();
    const core::testing::ScenarioRun run = runVariant("ordered");
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    EXPECT_TRUE(orderEdgesAtTheEnd(run).empty());
}

TEST(GraphViewRun, NaiveRunDrawsTheRealDeadlockNotTheSameCycleAgain)
{
    ui::testing::app();
    const core::testing::ScenarioRun run = runVariant("naive");
    ASSERT_EQ(run.status(), core::RunStatus::Deadlocked);
    EXPECT_TRUE(orderEdgesAtTheEnd(run).empty());
}
