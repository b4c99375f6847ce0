// SPDX-License-Identifier: MIT
// Scenario "pool": Pool(4), five tasks that each sleep random() x 3 s, then close() and join().
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <algorithm>
#include <map>

namespace interleave::core {
namespace {

class PoolScenario final : public Scenario
{
public:
    const char *id() const override { return "pool"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/pool.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Pool: four workers, five tasks");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {
            {QStringLiteral("workers"), ParamSpec::Kind::Int, 4, 1, 16, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "worker processes in the pool, Pool(n)")},
            {QStringLiteral("tasks"), ParamSpec::Kind::Int, 5, 1, 64, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Tasks"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "tasks submitted with apply_async")},
            {QStringLiteral("max_sleep_s"), ParamSpec::Kind::Double, 3.0, 0.0, 30.0, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Longest task (s)"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "each task sleeps random() times this many seconds")}};
    }

    void run(ScenarioContext &ctx) const override { poolLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        std::vector<const TaskInfo *> tasks;
        for (const TaskInfo &task : model.tasks()) {
            if (task.started != kTimeMax)
                tasks.push_back(&task);
        }
        std::sort(tasks.begin(), tasks.end(), [](auto *a, auto *b) { return a->started < b->started; });
        // Most tasks running at once, from the start and end of every task.
        std::vector<std::pair<int64_t, int>> edges;
        for (const TaskInfo *task : tasks) {
            edges.emplace_back(task->started, +1);
            edges.emplace_back(task->ended, -1);
        }
        std::sort(edges.begin(), edges.end());
        int running = 0;
        int maxConcurrent = 0;
        for (const auto &[time, delta] : edges)
            maxConcurrent = std::max(maxConcurrent, running += delta);
        // Tasks are named as the console names them: 0, 1, 2 ... in the order they were submitted.
        std::vector<const TaskInfo *> bySubmission = tasks;
        std::sort(bySubmission.begin(), bySubmission.end(), [](auto *a, auto *b) {
            return a->submitted < b->submitted || (a->submitted == b->submitted && a->id < b->id);
        });
        auto number = [&](const TaskInfo *task) {
            return double(std::find(bySubmission.begin(), bySubmission.end(), task) - bySubmission.begin());
        };
        // A task waited when it started only after another task had ended (no worker was free).
        QJsonArray waited;
        std::map<int32_t, int> tasksPerPid;
        bool reused = false;
        for (const TaskInfo *task : tasks) {
            const bool afterAnEnd = std::any_of(tasks.begin(), tasks.end(), [&](const TaskInfo *other) {
                return other != task && other->ended <= task->started;
            });
            if (afterAnEnd)
                waited.append(number(task));
            if (task->worker != kNoEvent && ++tasksPerPid[model.thread(task->worker).pid] > 1)
                reused = true;
        }
        return {{QStringLiteral("workers"), params.value(QStringLiteral("workers"))},
                {QStringLiteral("tasks"), params.value(QStringLiteral("tasks"))},
                {QStringLiteral("max_concurrent"), maxConcurrent},
                {QStringLiteral("waited"), waited},
                {QStringLiteral("reused_pid"), reused}};
    }
};

} // namespace

std::unique_ptr<Scenario> makePoolScenario()
{
    return std::make_unique<PoolScenario>();
}

} // namespace interleave::core
