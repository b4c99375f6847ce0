// SPDX-License-Identifier: MIT
// Scenario "async": N requests to a slow server, first as N coroutines on ONE event-loop thread,
// then as N threads. Re-enacts the chapter's "asynchronous IO" (asyncio, coroutines, Nginx) in
// lessons/async.cpp.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

namespace interleave::core {
namespace {

class AsyncScenario final : public Scenario
{
public:
    const char *id() const override { return "async"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/async.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Async IO"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "One event loop thread serves many requests");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("tasks"), ParamSpec::Kind::Int, 10, 1, 200, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Requests"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "requests sent to the slow server at once")},
                {QStringLiteral("wait_ms"), ParamSpec::Kind::Int, 1000, 10, 10000, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Longest answer (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "the server answers each request after half to all of this time")}};
    }

    void run(ScenarioContext &ctx) const override { asyncLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // The event-loop phase: from its Phase mark to the next one. Its requests' waits are the
        // async spans that began inside it.
        const auto &events = model.data().events;
        int64_t begin = kTimeMax, end = kTimeMax;
        for (uint32_t index : model.phases()) {
            const std::string name = model.data().string(events[index].object);
            if (name == kLoopPhase)
                begin = events[index].time;
            else if (begin != kTimeMax && end == kTimeMax && events[index].time >= begin)
                end = events[index].time;
        }
        int count = 0;
        int64_t sum = 0, last = kTimeMin;
        std::set<int32_t> tids;
        for (const SliceInfo &span : model.asyncSpans()) {
            if (begin == kTimeMax || span.start < begin || span.start >= end || span.end == kTimeMax)
                continue;
            ++count;
            sum += span.end - span.start;
            last = std::max(last, span.end);
            tids.insert(model.thread(span.thread).tid);
        }
        auto toMs = [](int64_t ns) { return std::round(double(ns) / 1e5) / 10; };
        return {{QStringLiteral("tasks"), count},
                {QStringLiteral("threads_used"), int(tids.size())},
                {QStringLiteral("wall_ms"), count ? QJsonValue(toMs(last - begin)) : QJsonValue()},
                {QStringLiteral("sum_of_waits_ms"), count ? QJsonValue(toMs(sum)) : QJsonValue()}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeAsyncScenario()
{
    return std::make_unique<AsyncScenario>();
}

} // namespace interleave::core
