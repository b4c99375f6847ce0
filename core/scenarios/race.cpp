// SPDX-License-Identifier: MIT
// Scenario "race": two threads change a shared balance without a lock and lose updates.
#include "scenarios/balance.h"
#include "scenarios/lessons/lessons.h"

namespace interleave::core {
namespace {

class RaceScenario final : public Scenario
{
public:
    const char *id() const override { return "race"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multithreading"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Shared data without a lock");
    }
    std::vector<ParamSpec> parameters() const override { return {iterationsParam(), switchParam("sometimes")}; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/race.cpp"); }
    void run(ScenarioContext &ctx) const override { raceLesson(ctx); }
    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        return balanceFindings(model, params);
    }
};

} // namespace

std::unique_ptr<Scenario> makeRaceScenario()
{
    return std::make_unique<RaceScenario>();
}

} // namespace interleave::core
