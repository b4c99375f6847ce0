// SPDX-License-Identifier: MIT
// Scenario "async": N requests to a slow server, first as N coroutines on ONE event-loop thread,
// then as N threads. Re-enacts the chapter's "asynchronous IO" (asyncio, coroutines, Nginx).
#include "scenarios/scenario.h"

#include "instrument/thread.h"
#include "scenarios/delayedreplyserver.h"
#include "scenarios/eventloop.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace interleave::core {
namespace {

using std::chrono::milliseconds;

std::string ms(milliseconds wait)
{
    return std::to_string(wait.count()) + " ms";
}
std::string onThread()
{
    return " (thread " + std::to_string(currentTid()) + ")";
}

// One request as a coroutine: while it waits for the answer, the loop's thread serves the others.
Task fetch(EventLoop &loop, ScenarioContext &ctx, int i, int socket, milliseconds wait)
{
    const std::string name = "request " + std::to_string(i);
    ctx.print(name + ": sent, the answer takes " + ms(wait) + onThread());
    DelayedReplyServer::sendRequest(socket, wait);
    co_await loop.readable(socket, name);
    DelayedReplyServer::readReply(socket);
    ctx.print(name + ": 200 OK" + onThread());
}

// The same request the classic way: this thread blocks until the answer arrives.
void fetchBlocking(ScenarioContext &ctx, int i, int socket, milliseconds wait)
{
    const std::string name = "request " + std::to_string(i);
    ctx.print(name + ": sent, the answer takes " + ms(wait) + onThread());
    DelayedReplyServer::sendRequest(socket, wait);
    {
        WaitSpan span(name);
        DelayedReplyServer::waitForReply(socket);
    }
    ctx.print(name + ": 200 OK" + onThread());
}

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

constexpr const char *kLoopPhase = "event loop: every request on one thread";
constexpr const char *kThreadsPhase = "threads: one thread per request";

class AsyncScenario final : public Scenario
{
public:
    const char *id() const override { return "async"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Async IO"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "One event loop thread serves many requests");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("tasks"), ParamSpec::Kind::Int, 10, 1, 200, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Requests"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "requests sent to the slow server at once")},
                {QStringLiteral("wait_ms"), ParamSpec::Kind::Int, 1000, 10, 10000, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Longest answer (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "the server answers each request after half to all of this time")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int tasks = ctx.intParam("tasks");
        const int longest = ctx.intParam("wait_ms");
        std::uniform_int_distribution<int> answerTime(longest / 2, longest);
        std::vector<milliseconds> waits;
        for (int i = 0; i < tasks; ++i)
            waits.emplace_back(answerTime(ctx.random()));
        DelayedReplyServer server(tasks);

        ctx.phase(kLoopPhase);
        auto t0 = std::chrono::steady_clock::now();
        {
            EventLoop loop;
            for (int i = 0; i < tasks; ++i)
                loop.spawn(fetch(loop, ctx, i + 1, server.socket(i), waits[size_t(i)]));
            loop.run();
        }
        ctx.print("event loop: " + std::to_string(tasks) + " requests on 1 thread took " +
                  std::to_string(secondsSince(t0)).substr(0, 4) + " s");
        if (ctx.stopRequested())
            return;

        ctx.phase(kThreadsPhase);
        t0 = std::chrono::steady_clock::now();
        {
            std::vector<Thread> threads;
            for (int i = 0; i < tasks; ++i)
                threads.emplace_back("Thread-" + std::to_string(i + 1), fetchBlocking, std::ref(ctx), i + 1,
                                     server.socket(i), waits[size_t(i)]);
            for (Thread &t : threads)
                t.join();
        }
        ctx.print("threads: " + std::to_string(tasks) + " requests on " + std::to_string(tasks) + " threads took " +
                  std::to_string(secondsSince(t0)).substr(0, 4) + " s");
    }

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
