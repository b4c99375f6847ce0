// SPDX-License-Identifier: MIT
#pragma once
// Runs a scenario for real through the runner (the interleave program beside the test) and
// checks that nothing of it is left afterwards.

#include "run/reaper.h"
#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace interleave::core::testing {

struct ScenarioRun
{
    std::unique_ptr<Session> session;
    const TraceModel &model() const { return session->model(); }
    RunStatus status() const { return session->status(); }
    /// The --json summary's findings, as a user sees them.
    QJsonObject findings() const { return runSummary(*session).value(QStringLiteral("findings")).toObject(); }

    /// Events of one type, in the order the log delivered them.
    std::vector<const Event *> events(EventType type) const
    {
        std::vector<const Event *> found;
        for (const Event &e : model().data().events) {
            if (e.type == type)
                found.push_back(&e);
        }
        return found;
    }
};

inline ScenarioRun runScenario(const char *id, const QList<QPair<QString, QString>> &sets = {}, int timeoutMs = 60000,
                               uint64_t seed = 42)
{
    const Scenario *scenario = ScenarioRegistry::instance().find(id);
    EXPECT_NE(scenario, nullptr) << id;
    RunRequest request;
    request.scenario = scenario;
    request.seed = seed;
    request.timeout = std::chrono::milliseconds(timeoutMs);
    QString error;
    EXPECT_TRUE(ScenarioRegistry::resolveParams(*scenario, sets, request.params, error)) << error.toStdString();
    ScenarioRun run{std::make_unique<Session>()};
    EXPECT_TRUE(run.session->start(request, &error)) << error.toStdString();
    run.session->wait();
    return run;
}

/// Every process the trace knows about is gone, and nothing of the run is left as our child.
inline void expectNothingLeft(const ScenarioRun &run)
{
    for (const ProcessInfo &p : run.model().processes()) {
        if (p.traced()) {
            EXPECT_FALSE(reaper::alive(p.pid)) << "process " << p.pid << " (" << p.name << ") outlived the run";
        }
    }
    EXPECT_TRUE(run.session->leftoverProcesses().empty());
    EXPECT_TRUE(reaper::children().empty());
}

} // namespace interleave::core::testing
