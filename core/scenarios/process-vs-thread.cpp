// SPDX-License-Identifier: MIT
// Scenario "process-vs-thread": the same buggy task crashes once in one of several worker
// processes, once in one of several threads of a server process; then the cost of creating N
// threads and N processes. Re-enacts "processes vs threads" (Apache's processes, IIS's threads);
// the lesson is lessons/process-vs-thread.cpp.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <string>
#include <vector>

namespace interleave::core {
namespace {

class ProcessVsThreadScenario final : public Scenario
{
public:
    const char *id() const override { return "process-vs-thread"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/process-vs-thread.cpp"); }
    const char *group() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Processes vs threads");
    }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "A crash in a process vs a crash in a thread");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("workers"), ParamSpec::Kind::Int, 3, 2, 8, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "worker processes, and threads of the server; worker 2 has the bug")},
                {QStringLiteral("step_ms"), ParamSpec::Kind::Int, 300, 10, 5000, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Request time (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long a worker takes for one request")},
                {QStringLiteral("create_count"), ParamSpec::Kind::Int, 100, 1, 2000, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Created for the cost"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "threads, then processes, created and joined one by one to time them")}};
    }

    void run(ScenarioContext &ctx) const override { processVsThreadLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        const Phases phases = findPhases(model);
        return {{QStringLiteral("thread_crash_killed_process"), threadCrashKilledProcess(model, phases)},
                {QStringLiteral("process_crash_siblings_alive"), processCrashSiblingsAlive(model, phases)},
                // The run notes the clock's medians over these; a saved trace still has the spacing
                // of the creations (each one created and joined before the next).
                {QStringLiteral("thread_create_us_median"),
                 medianGapUs(model, EventType::ThreadStart, phases.threadCost, phases.processCost)},
                {QStringLiteral("process_create_us_median"),
                 medianGapUs(model, EventType::ProcessStart, phases.processCost, kTimeMax)}};
    }

private:
    struct Phases
    {
        int64_t processCrash = kTimeMax, threadCrash = kTimeMax, threadCost = kTimeMax, processCost = kTimeMax;
    };

    static Phases findPhases(const TraceModel &model)
    {
        Phases p;
        const auto &data = model.data();
        for (uint32_t index : model.phases()) {
            const std::string &name = data.string(data.events[index].object);
            const int64_t t = data.events[index].time;
            if (name == kProcessCrashPhase)
                p.processCrash = t;
            else if (name == kThreadCrashPhase)
                p.threadCrash = t;
            else if (name == kThreadCostPhase)
                p.threadCost = t;
            else if (name == kProcessCostPhase)
                p.processCost = t;
        }
        return p;
    }

    static bool wroteEvent(const TraceModel &model, uint32_t thread, EventType type)
    {
        for (uint32_t index : model.threadEvents(thread)) {
            if (model.data().events[index].type == type)
                return true;
        }
        return false;
    }

    static int64_t lastEventTime(const TraceModel &model, const ProcessInfo &p)
    {
        int64_t last = kTimeMin;
        for (uint32_t thread : p.threads) {
            const auto &own = model.threadEvents(thread);
            if (!own.empty())
                last = std::max(last, model.data().events[own.back()].time);
        }
        return last;
    }

    // The server of phase 2 died of SIGSEGV with several threads, and not one of them finished:
    // none wrote its ThreadExit.
    static bool threadCrashKilledProcess(const TraceModel &model, const Phases &phases)
    {
        for (const ProcessInfo &p : model.processes()) {
            if (p.start < phases.threadCrash || p.start >= phases.threadCost || p.name != "server")
                continue;
            const bool segv = p.exited && p.signaled && p.exitStatus == SIGSEGV;
            const bool noneFinished = std::none_of(p.threads.begin(), p.threads.end(), [&](uint32_t t) {
                return wroteEvent(model, t, EventType::ThreadExit);
            });
            return segv && p.threads.size() > 1 && noneFinished;
        }
        return false;
    }

    // In phase 1 one worker process died of SIGSEGV; every other worker went on recording after
    // that death and exited normally, and so did the parent that started them.
    static bool processCrashSiblingsAlive(const TraceModel &model, const Phases &phases)
    {
        std::vector<const ProcessInfo *> workers;
        for (const ProcessInfo &p : model.processes()) {
            if (p.traced() && p.start >= phases.processCrash && p.start < phases.threadCrash &&
                p.name.rfind("worker-", 0) == 0)
                workers.push_back(&p);
        }
        const ProcessInfo *crashed = nullptr;
        for (const ProcessInfo *p : workers) {
            if (p->exited && p->signaled && p->exitStatus == SIGSEGV)
                crashed = crashed ? nullptr : p; // exactly one
        }
        if (!crashed || workers.size() < 2)
            return false;
        // It died right after its own last event; its exit is recorded only when it is reaped.
        const int64_t crashedAt = lastEventTime(model, *crashed);
        for (const ProcessInfo *p : workers) {
            if (p == crashed)
                continue;
            if (!p->exited || p->signaled || p->exitStatus != 0 || lastEventTime(model, *p) <= crashedAt)
                return false;
        }
        const ProcessInfo *parent = model.process(crashed->ppid);
        return parent && lastEventTime(model, *parent) > crashedAt;
    }

    // Median spacing, in µs, of the `type` events written in [t0, t1): one per creation.
    static QJsonValue medianGapUs(const TraceModel &model, EventType type, int64_t t0, int64_t t1)
    {
        std::vector<int64_t> times;
        for (const Event &e : model.data().events) {
            if (e.type == type && e.time >= t0 && e.time < t1)
                times.push_back(e.time);
        }
        std::sort(times.begin(), times.end());
        if (times.size() < 2)
            return QJsonValue();
        std::vector<double> gaps;
        for (size_t i = 1; i < times.size(); ++i)
            gaps.push_back(double(times[i] - times[i - 1]) / 1000.0);
        return std::round(processVsThreadMedian(gaps) * 10) / 10;
    }
};

} // namespace

std::unique_ptr<Scenario> makeProcessVsThreadScenario()
{
    return std::make_unique<ProcessVsThreadScenario>();
}

} // namespace interleave::core
