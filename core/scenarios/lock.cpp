// SPDX-License-Identifier: MIT
// Scenario "lock": the same balance, every change_it under one Mutex.
#include "scenarios/balance.h"
#include "scenarios/lessons/lessons.h"

#include "analysis/lockstats.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

class LockScenario final : public Scenario
{
public:
    const char *id() const override { return "lock"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multithreading"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Lock: one at a time");
    }
    std::vector<ParamSpec> parameters() const override { return {iterationsParam(), switchParam("off")}; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/lock.cpp"); }
    void run(ScenarioContext &ctx) const override { lockLesson(ctx); }
    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        QJsonObject f = balanceFindings(model, params);
        double contended = 0;
        double waitMs = 0;
        const LockStats stats = LockStats::compute(model);
        for (const LockStat &stat : stats.locks()) {
            contended += double(stat.contended);
            waitMs += stat.waitMsTotal;
        }
        f.insert(QStringLiteral("contended"), contended);
        f.insert(QStringLiteral("wait_ms_total"), waitMs);
        return f;
    }
};

} // namespace

std::unique_ptr<Scenario> makeLockScenario()
{
    return std::make_unique<LockScenario>();
}

} // namespace interleave::core
