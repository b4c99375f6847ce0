// SPDX-License-Identifier: MIT
// Scenario "process": Process(target=run_proc, args=('test',)), start() and join().
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

double toMs(int64_t ns)
{
    return double(ns) / 1e6;
}

class ProcessScenario final : public Scenario
{
public:
    const char *id() const override { return "process"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/process.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Process and join: wait for the child");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("work_s"), ParamSpec::Kind::Double, 1.0, 0.0, 30.0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Child works (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long run_proc sleeps in the child before it returns")}};
    }

    void run(ScenarioContext &ctx) const override { processLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        QJsonObject f{{QStringLiteral("child_pid"), QJsonValue()},
                      {QStringLiteral("join_wait_ms"), QJsonValue()},
                      {QStringLiteral("child_lifetime_ms"), QJsonValue()}};
        const auto &data = model.data();
        // The child's pid is what fork() returned in the parent.
        int32_t childPid = 0;
        for (const Event &e : data.events) {
            if (e.type == EventType::ForkReturn && e.arg > 0) {
                childPid = int32_t(e.arg);
                break;
            }
        }
        if (childPid == 0)
            return f;
        f.insert(QStringLiteral("child_pid"), childPid);
        // The parent's join on that pid: from its JoinWait to its JoinDone.
        int64_t waitStart = kTimeMax;
        for (const Event &e : data.events) {
            if (!(e.flags & OnProcess) || int32_t(e.object) != childPid)
                continue;
            if (e.type == EventType::JoinWait)
                waitStart = e.time;
            else if (e.type == EventType::JoinDone && waitStart != kTimeMax)
                f.insert(QStringLiteral("join_wait_ms"), toMs(e.time - waitStart));
        }
        // The child's life: from its first event to its exit as its reaper saw it.
        if (const ProcessInfo *child = model.process(childPid); child && child->exited && child->start != kTimeMax)
            f.insert(QStringLiteral("child_lifetime_ms"), toMs(child->end - child->start));
        return f;
    }
};

} // namespace

std::unique_ptr<Scenario> makeProcessScenario()
{
    return std::make_unique<ProcessScenario>();
}

} // namespace interleave::core
