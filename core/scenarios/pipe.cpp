// SPDX-License-Identifier: MIT
// Scenario "pipe": a duplex Pipe between a parent and a child process; the parent sends
// requests through one end, the child answers each one through the other.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

class PipeScenario final : public Scenario
{
public:
    const char *id() const override { return "pipe"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/pipe.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Pipe: messages both ways between two processes");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("requests"), ParamSpec::Kind::Int, 3, 1, 100, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Requests"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how many messages the parent sends; each gets a reply")},
                {QStringLiteral("work_s"), ParamSpec::Kind::Double, 0.5, 0.0, 10.0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Child works (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long the child takes before each reply")}};
    }

    void run(ScenarioContext &ctx) const override { pipeLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Whole messages that left an end, and that arrived at the other (id 0: a wait that got none).
        int sent = 0;
        int received = 0;
        for (const Event &e : model.data().events) {
            if (e.type == EventType::PipeSend)
                ++sent;
            else if (e.type == EventType::PipeRecv && e.arg != 0)
                ++received;
        }
        return {{QStringLiteral("sent"), sent}, {QStringLiteral("received"), received}};
    }
};

} // namespace

std::unique_ptr<Scenario> makePipeScenario()
{
    return std::make_unique<PipeScenario>();
}

} // namespace interleave::core
