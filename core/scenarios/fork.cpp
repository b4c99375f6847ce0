// SPDX-License-Identifier: MIT
// Scenario "fork": one call, two returns. Its lesson, the chapter's os.fork() example, is lessons/fork.cpp.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

class ForkScenario final : public Scenario
{
public:
    const char *id() const override { return "fork"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/fork.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "fork(): one call, two returns");
    }
    std::vector<ParamSpec> parameters() const override { return {}; }

    void run(ScenarioContext &ctx) const override { forkLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Both returns of fork() as recorded in each process, and the child's own view of its parent.
        QJsonObject f{{QStringLiteral("parent_pid"), QJsonValue()},
                      {QStringLiteral("child_pid"), QJsonValue()},
                      {QStringLiteral("fork_returned_in_parent"), QJsonValue()},
                      {QStringLiteral("fork_returned_in_child"), QJsonValue()},
                      {QStringLiteral("child_ppid"), QJsonValue()}};
        const auto &data = model.data();
        int32_t childPid = 0;
        for (const Event &e : data.events) {
            if (e.type != EventType::ForkReturn)
                continue;
            const int32_t pid = data.threads[e.thread].pid;
            if (e.arg != 0) {
                f.insert(QStringLiteral("parent_pid"), pid);
                f.insert(QStringLiteral("fork_returned_in_parent"), double(e.arg));
                childPid = int32_t(e.arg);
            } else {
                f.insert(QStringLiteral("fork_returned_in_child"), 0);
                f.insert(QStringLiteral("child_pid"), pid);
            }
        }
        if (const ProcessInfo *child = model.process(childPid))
            f.insert(QStringLiteral("child_ppid"), child->ppid);
        return f;
    }
};

} // namespace

std::unique_ptr<Scenario> makeForkScenario()
{
    return std::make_unique<ForkScenario>();
}

} // namespace interleave::core
