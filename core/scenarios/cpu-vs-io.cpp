// SPDX-License-Identifier: MIT
// Scenario "cpu-vs-io": the same pool of worker threads, swept over 1, 2, 4, 8 ... workers, runs
// compute-bound tasks and then IO-bound tasks. Re-enacts "compute-bound vs IO-bound" of the chapter
// in lessons/cpu-vs-io.cpp.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>

namespace interleave::core {
namespace {

class CpuVsIoScenario final : public Scenario
{
public:
    const char *id() const override { return "cpu-vs-io"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/cpu-vs-io.cpp"); }
    const char *group() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Processes vs threads");
    }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Compute-bound vs IO-bound: how many workers?");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {
            {QStringLiteral("max_workers"), ParamSpec::Kind::Int, 8, 1, 64, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Most workers"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "the sweep tries 1, 2, 4, 8 ... worker threads up to this many")},
            {QStringLiteral("tasks"), ParamSpec::Kind::Int, 16, 1, 128, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Tasks per step"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "tasks each step of the sweep runs (at least as many as workers)")},
            {QStringLiteral("cpu_task_ms"), ParamSpec::Kind::Int, 30, 1, 500, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Compute task (ms)"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long one compute-bound task computes on one core")},
            {QStringLiteral("io_wait_ms"), ParamSpec::Kind::Int, 100, 1, 1000, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "IO wait (ms)"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "how long the server takes to answer one IO-bound task")},
            {QStringLiteral("rounds"), ParamSpec::Kind::Int, 2, 1, 10, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Rounds"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "the compute sweep runs this many times; each count keeps its best round")}};
    }

    void run(ScenarioContext &ctx) const override { cpuVsIoLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Each phase ran on its own pool, named "cpu, N workers" / "io, N workers": its throughput
        // is its task count over the time from its first task's start to its last task's end. Of
        // the rounds of one worker count the best is kept: other programs only ever slow one down.
        struct Span
        {
            int64_t first = kTimeMax, last = kTimeMin;
            int count = 0;
        };
        std::map<uint32_t, Span> pools;
        for (const TaskInfo &task : model.tasks()) {
            if (task.started == kTimeMax || task.ended == kTimeMax || task.failed)
                continue;
            Span &s = pools[task.pool];
            s.first = std::min(s.first, task.started);
            s.last = std::max(s.last, task.ended);
            ++s.count;
        }
        std::map<int, double> cpu, io;
        for (const auto &[pool, span] : pools) {
            const std::string name = model.objectName(pool);
            const bool isCpu = name.rfind("cpu, ", 0) == 0;
            const bool isIo = name.rfind("io, ", 0) == 0;
            if ((!isCpu && !isIo) || span.last <= span.first)
                continue;
            const int workers = std::atoi(name.c_str() + (isCpu ? 5 : 4));
            const double perSecond = span.count / (double(span.last - span.first) / 1e9);
            double &best = (isCpu ? cpu : io)[workers];
            best = std::max(best, perSecond);
        }
        auto toJson = [](const std::map<int, double> &sweep) {
            QJsonArray out;
            for (const auto &[workers, perSecond] : sweep)
                out.append(QJsonObject{{QStringLiteral("workers"), workers},
                                       {QStringLiteral("tasks_per_s"), std::round(perSecond * 10) / 10}});
            return out;
        };
        // The run notes the usable core count; the sampled cores are the fallback for a saved trace.
        return {{QStringLiteral("cores"), model.coreCount() > 0 ? QJsonValue(model.coreCount()) : QJsonValue()},
                {QStringLiteral("cpu"), toJson(cpu)},
                {QStringLiteral("io"), toJson(io)}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeCpuVsIoScenario()
{
    return std::make_unique<CpuVsIoScenario>();
}

} // namespace interleave::core
