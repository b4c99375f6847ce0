// SPDX-License-Identifier: MIT
// Scenario "deadlock": two threads take two locks in opposite orders, and three ways out.
#include "scenarios/scenario.h"

#include "analysis/waitforgraph.h"
#include "scenarios/lessonmap.h"
#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

class DeadlockScenario final : public Scenario
{
public:
    const char *id() const override { return "deadlock"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/deadlock.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multithreading"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Deadlock: two locks, opposite order");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("variant"), ParamSpec::Kind::Choice, QStringLiteral("naive"), 0, 0,
                 QStringList{QStringLiteral("naive"), QStringLiteral("ordered"), QStringLiteral("scoped_lock"),
                             QStringLiteral("try_lock")},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Variant"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "naive deadlocks; ordered, scoped_lock and try_lock are the ways out")},
                {QStringLiteral("hold_ms"), ParamSpec::Kind::Int, 300, 0, 5000, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Hold time (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long a thread holds its first lock before it asks for the second")},
                {QStringLiteral("rounds"), ParamSpec::Kind::Int, 3, 1, 100, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Rounds"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how many transfers each thread makes")}};
    }

    void run(ScenarioContext &ctx) const override { deadlockLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        const auto deadlock = theDeadlock(model);
        QJsonObject f{{QStringLiteral("variant"), params.value(QStringLiteral("variant"))},
                      {QStringLiteral("deadlocked"), deadlock.has_value()}};
        if (deadlock)
            f.insert(QStringLiteral("cycle"),
                     deadlockToJson(model, *deadlock, pythonLineOf(id())).value(QStringLiteral("cycle")));
        return f;
    }
};

} // namespace

std::unique_ptr<Scenario> makeDeadlockScenario()
{
    return std::make_unique<DeadlockScenario>();
}

} // namespace interleave::core
