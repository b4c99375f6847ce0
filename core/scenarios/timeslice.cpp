// SPDX-License-Identifier: MIT
// Scenario "timeslice": twice as many busy threads as cores; the OS takes turns giving them a core.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace interleave::core {
namespace {

constexpr std::string_view kTaskPrefix = "Task-"; // how the lesson names its threads

bool isTask(const TraceModel &model, uint32_t thread)
{
    return model.threadName(thread).starts_with(kTaskPrefix);
}

class TimesliceScenario final : public Scenario
{
public:
    const char *id() const override { return "timeslice"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/timeslice.cpp"); }
    // The chapter's "multitasking" preamble opens its multiprocessing section, so it is listed there, first.
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multitasking: more tasks than cores");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("threads"), ParamSpec::Kind::Int, 0, 0, 64, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Threads"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "busy threads to start; 0 means twice the cores")},
                {QStringLiteral("duration"), ParamSpec::Kind::Double, 3.0, 0.1, 60.0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Duration (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long every thread keeps computing")}};
    }

    void run(ScenarioContext &ctx) const override { timesliceLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Which tasks the sampler saw on each core, and how long tasks sat ready without a core.
        int threads = 0;
        int64_t readyNs = 0;
        std::map<int, std::set<uint32_t>> onCore;
        for (const ThreadRecord &t : model.threads()) {
            if (!isTask(model, t.index))
                continue;
            ++threads;
            for (const StateSpan &span : model.states(t.index)) {
                if (span.state == ThreadState::Ready)
                    readyNs += span.end - span.start;
            }
            for (const CoreSample &s : model.coreSamplesOfThread(t.index)) {
                if (s.state == 'R' && s.cpu != 0xffff)
                    onCore[s.cpu].insert(t.index);
            }
        }
        QJsonObject perCore;
        for (const auto &[cpu, seen] : onCore)
            perCore.insert(QString::number(cpu), int(seen.size()));
        return {{QStringLiteral("threads"), threads},
                {QStringLiteral("cores"), int(onCore.size())},
                {QStringLiteral("threads_per_core"), perCore},
                {QStringLiteral("ready_ms_total"), double(readyNs) / 1e6}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeTimesliceScenario()
{
    return std::make_unique<TimesliceScenario>();
}

} // namespace interleave::core
