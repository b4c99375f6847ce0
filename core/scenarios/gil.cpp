// SPDX-License-Identifier: MIT
// Scenario "gil": one busy thread per core, with and without a global interpreter lock.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <map>
#include <vector>

namespace interleave::core {
namespace {

constexpr std::string_view kThreadPrefix = "Thread-"; // how the lesson names its threads

class GilScenario final : public Scenario
{
public:
    const char *id() const override { return "gil"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/gil.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multithreading"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Every core busy, or one GIL");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("gil"), ParamSpec::Kind::Choice, QStringLiteral("off"), 0, 0,
                 QStringList{QStringLiteral("off"), QStringLiteral("on")},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "GIL"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "on: one global lock, handed over every 5 ms, as CPython does")},
                {QStringLiteral("threads"), ParamSpec::Kind::Int, 0, 0, 64, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Threads"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "busy threads to start; 0 means one per core")},
                {QStringLiteral("duration"), ParamSpec::Kind::Double, 3.0, 0.1, 60.0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Duration (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long every thread keeps looping")}};
    }

    void run(ScenarioContext &ctx) const override { gilLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        std::vector<uint32_t> loopers;
        for (const ThreadRecord &t : model.threads()) {
            if (model.threadName(t.index).starts_with(kThreadPrefix))
                loopers.push_back(t.index);
        }
        return {{QStringLiteral("threads"), int(loopers.size())},
                {QStringLiteral("max_parallel_running"), maxParallelRunning(model, loopers)}};
    }

private:
    /// The most threads running at the same moment, seen again and again. Between two sampler
    /// ticks, a thread that never blocked or slept ran for the interval minus its measured Ready
    /// time. If k threads on distinct cores ran fractions of one interval that add up to more than
    /// k - 1, there was a moment when all k ran at once (they cannot all have been off a core at
    /// the same time). A level counts only when at least 1 % of the intervals (and two) reach it:
    /// the Ready time is read from /proc a few microseconds apart per thread, and on a busy machine
    /// a single interval around a hand-over can look parallel when it was not.
    static int maxParallelRunning(const TraceModel &model, const std::vector<uint32_t> &loopers)
    {
        const std::vector<int64_t> ticks = tickTimes(model, loopers);
        std::map<int, int> intervalsReaching; // k -> intervals in which k threads provably ran at once
        for (size_t i = 1; i < ticks.size(); ++i) {
            const int64_t from = ticks[i - 1];
            const int64_t to = ticks[i];
            std::map<uint16_t, double> bestOnCore; // cpu -> largest fraction run by a thread there
            for (uint32_t thread : loopers) {
                const double ran = fractionRunning(model, thread, from, to);
                const auto samples = model.coreSamplesOfThread(thread, to, to + kSameTick);
                if (ran > 0 && !samples.empty() && samples.front().cpu != 0xffff)
                    bestOnCore[samples.front().cpu] = std::max(bestOnCore[samples.front().cpu], ran);
            }
            std::vector<double> fractions;
            for (const auto &[cpu, ran] : bestOnCore)
                fractions.push_back(ran);
            std::sort(fractions.rbegin(), fractions.rend());
            double sum = 0;
            int most = 0;
            for (size_t k = 1; k <= fractions.size(); ++k) {
                sum += fractions[k - 1];
                if (sum > double(k - 1))
                    most = int(k);
            }
            for (int k = 1; k <= most; ++k)
                ++intervalsReaching[k];
        }
        const int enough = std::max<int>(2, int(ticks.size() / 100));
        int best = 0;
        for (const auto &[k, intervals] : intervalsReaching)
            if (intervals >= enough)
                best = std::max(best, k);
        return best;
    }

    /// Start of each sampler tick: one tick samples every thread within microseconds, ticks are 2 ms apart.
    static std::vector<int64_t> tickTimes(const TraceModel &model, const std::vector<uint32_t> &loopers)
    {
        std::vector<int64_t> times;
        for (uint32_t thread : loopers) {
            for (const CoreSample &s : model.coreSamplesOfThread(thread))
                times.push_back(s.time);
        }
        std::sort(times.begin(), times.end());
        std::vector<int64_t> ticks;
        for (size_t i = 0; i < times.size(); ++i) {
            if (i == 0 || times[i] - times[i - 1] >= kSameTick)
                ticks.push_back(times[i]);
        }
        return ticks;
    }

    /// Share of [from, to) the thread spent on a core: 0 if it blocked, slept or was not alive.
    static double fractionRunning(const TraceModel &model, uint32_t thread, int64_t from, int64_t to)
    {
        int64_t ready = 0;
        bool onlyRunnable = true;
        model.forEachState(thread, from, to, [&](const StateSpan &span) {
            if (span.state == ThreadState::Ready)
                ready += std::min(span.end, to) - std::max(span.start, from);
            else if (span.state != ThreadState::Running)
                onlyRunnable = false;
        });
        return onlyRunnable && to > from ? 1.0 - double(ready) / double(to - from) : 0.0;
    }

    static constexpr int64_t kSameTick = 500'000;
};

} // namespace

std::unique_ptr<Scenario> makeGilScenario()
{
    return std::make_unique<GilScenario>();
}

} // namespace interleave::core
