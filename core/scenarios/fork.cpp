// SPDX-License-Identifier: MIT
// Scenario "fork": one call, two returns. Re-enacts the chapter's os.fork() example.
#include "scenarios/scenario.h"

#include "instrument/process.h"
#include "trace/tracemodel.h"

#include <unistd.h>

namespace interleave::core {
namespace {

class ForkScenario final : public Scenario
{
public:
    const char *id() const override { return "fork"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "fork(): one call, two returns");
    }
    std::vector<ParamSpec> parameters() const override { return {}; }

    void run(ScenarioContext &ctx) const override
    {
        ctx.print("Process (" + std::to_string(getpid()) + ") start...");
        // Process::fork calls fork() once; it returns twice: 0 in the child, the child's pid here.
        Process child = Process::fork("child", [&ctx] {
            ctx.print("I am child process (" + std::to_string(getpid()) + ") and my parent is " +
                      std::to_string(getppid()) + ".");
            return 0;
        });
        ctx.print("I (" + std::to_string(getpid()) + ") just created a child process (" +
                  std::to_string(child.pid()) + ").");
        child.join();
    }

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

std::unique_ptr<Scenario> makeForkScenario() { return std::make_unique<ForkScenario>(); }

} // namespace interleave::core
