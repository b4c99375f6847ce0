// SPDX-License-Identifier: MIT
// Scenario "threadlocal": one global local_school, and each thread sees only the student it set.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

class ThreadLocalScenario final : public Scenario
{
public:
    const char *id() const override { return "threadlocal"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/threadlocal.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "ThreadLocal"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "ThreadLocal: one name, a copy per thread");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("pause_ms"), ParamSpec::Kind::Int, 500, 0, 10000, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Pause (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long each thread waits between setting its student and greeting, so "
                                   "both have set one before either reads")}};
    }

    void run(ScenarioContext &ctx) const override { threadlocalLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // What each thread read back from the ThreadLocal, from its VarLoad events.
        const auto &data = model.data();
        QJsonObject seen;
        for (uint32_t var : model.varIds()) {
            const ObjectInfo *info = model.object(var);
            if (!info || info->kind != ObjectKind::ThreadLocal)
                continue;
            for (uint32_t index : model.varAccesses(var)) {
                const Event &e = data.events[index];
                if (e.type == EventType::VarLoad)
                    seen.insert(QString::fromStdString(model.threadName(e.thread)),
                                QString::fromStdString(data.string(uint32_t(e.arg))));
            }
        }
        return {{QStringLiteral("seen"), seen}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeThreadLocalScenario()
{
    return std::make_unique<ThreadLocalScenario>();
}

} // namespace interleave::core
