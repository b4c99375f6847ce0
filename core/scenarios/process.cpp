// SPDX-License-Identifier: MIT
// Scenario "process": Process(target=run_proc, args=('test',)), start() and join().
#include "scenarios/scenario.h"

#include "instrument/blocking.h"
#include "instrument/process.h"
#include "trace/tracemodel.h"

#include <unistd.h>

#include <chrono>
#include <string>

namespace interleave::core {
namespace {

// What the child process runs: the chapter's run_proc, plus some work long enough to see.
int run_proc(ScenarioContext &ctx, const std::string &name, std::chrono::milliseconds work)
{
    ctx.print("Run child process " + name + " (" + std::to_string(getpid()) + ")...");
    sleepFor(work);
    return 0;
}

double toMs(int64_t ns) { return double(ns) / 1e6; }

class ProcessScenario final : public Scenario
{
public:
    const char *id() const override { return "process"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Process and join: wait for the child");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("work_s"), ParamSpec::Kind::Double, 1.0, 0.0, 30.0, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Child works (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long run_proc sleeps in the child before it returns")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const auto work = std::chrono::milliseconds(int64_t(ctx.doubleParam("work_s") * 1000.0));
        ctx.print("Parent process " + std::to_string(getpid()) + ".");
        ctx.print("Child process will start.");
        // start(): a real child process with its own pid runs run_proc('test').
        Process p = Process::fork("run_proc", [&ctx, work] { return run_proc(ctx, "test", work); });
        // join(): the parent blocks here until the child has exited.
        p.join();
        ctx.print("Child process end.");
    }

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

std::unique_ptr<Scenario> makeProcessScenario() { return std::make_unique<ProcessScenario>(); }

} // namespace interleave::core
