// SPDX-License-Identifier: MIT
// Scenario "timeslice": twice as many busy threads as cores; the OS takes turns giving them a core.
#include "scenarios/scenario.h"

#include "instrument/thread.h"
#include "trace/tracemodel.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace interleave::core {
namespace {

constexpr std::string_view kTaskPrefix = "Task-";

/// The cores this process may run on (what nproc prints).
int usable_cores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) == 0 ? std::max(1, CPU_COUNT(&set)) : 1;
}

/// Pure computation, no waiting: this thread always wants a core until the deadline.
uint64_t count_until(std::chrono::steady_clock::time_point deadline, const ScenarioContext &ctx)
{
    volatile uint64_t x = 0; // volatile: the compiler must really do every step
    while (std::chrono::steady_clock::now() < deadline && !ctx.stopRequested()) {
        for (int i = 0; i < 65536; ++i)
            x = x + 1;
    }
    return x;
}

bool isTask(const TraceModel &model, uint32_t thread)
{
    return model.threadName(thread).starts_with(kTaskPrefix);
}

class TimesliceScenario final : public Scenario
{
public:
    const char *id() const override { return "timeslice"; }
    // The chapter's "multitasking" preamble opens its multiprocessing section, so it is listed there, first.
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multitasking: more tasks than cores");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("threads"), ParamSpec::Kind::Int, 0, 0, 64, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Threads"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "busy threads to start; 0 means twice the cores")},
                {QStringLiteral("duration"), ParamSpec::Kind::Double, 3.0, 0.1, 60.0, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Duration (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long every thread keeps computing")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int cores = usable_cores();
        const int count = ctx.intParam("threads") > 0 ? ctx.intParam("threads") : 2 * cores;
        const auto duration = std::chrono::duration<double>(ctx.doubleParam("duration"));
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(duration);
        ctx.print(std::to_string(count) + " tasks, " + std::to_string(cores) + " cores");

        auto task = [&](const std::string &name) {
            const uint64_t steps = count_until(deadline, ctx);
            ctx.print(name + " counted to " + std::to_string(steps));
        };
        std::vector<Thread> tasks;
        for (int i = 1; i <= count; ++i) {
            const std::string name = std::string(kTaskPrefix) + std::to_string(i);
            tasks.emplace_back(name, task, name);
        }
        for (Thread &t : tasks)
            t.join();
        ctx.print("all tasks done");
    }

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

std::unique_ptr<Scenario> makeTimesliceScenario() { return std::make_unique<TimesliceScenario>(); }

} // namespace interleave::core
