// SPDX-License-Identifier: MIT
// Scenario "queue": a writer process puts A, B, C into a Queue, a reader process gets them
// forever; the parent joins the writer and terminate()s the reader.
#include "scenarios/scenario.h"

#include "instrument/blocking.h"
#include "instrument/process.h"
#include "instrument/processqueue.h"
#include "trace/tracemodel.h"

#include <unistd.h>

#include <chrono>
#include <set>
#include <string>

namespace interleave::core {
namespace {

// The writer process: puts each value, then rests a random while (random.random() seconds).
int write(ScenarioContext &ctx, ProcessQueue &q, int items, double maxSleep)
{
    ctx.print("Process to write: " + std::to_string(getpid()));
    std::uniform_real_distribution<double> random(0.0, 1.0);
    for (int i = 0; i < items && !ctx.stopRequested(); ++i) {
        const std::string value(1, char('A' + i));
        ctx.print("Put " + value + " to queue...");
        q.put(value);
        sleepFor(std::chrono::microseconds(int64_t(random(ctx.random()) * maxSleep * 1e6)));
    }
    return 0;
}

// The reader process: an endless loop of blocking gets; only terminate() ends it.
int read(ScenarioContext &ctx, ProcessQueue &q)
{
    ctx.print("Process to read: " + std::to_string(getpid()));
    while (!ctx.stopRequested()) {
        if (const auto value = q.get(true))
            ctx.print("Get " + *value + " from queue.");
    }
    return 0;
}

// Python's example relies on the writer's last sleep to let the reader take the last item;
// waiting (briefly, escapably) for an empty queue makes sure nothing is cut off.
void waitUntilDrained(ScenarioContext &ctx, const ProcessQueue &q)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!q.empty() && !ctx.stopRequested() && std::chrono::steady_clock::now() < deadline)
        sleepFor(std::chrono::milliseconds(5));
    // A moment for the reader to print what it just got and block in get() again.
    sleepFor(std::chrono::milliseconds(100));
}

class QueueScenario final : public Scenario
{
public:
    const char *id() const override { return "queue"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Queue: a writer and a reader process");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("items"), ParamSpec::Kind::Int, 3, 1, 26, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Items"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how many values the writer puts: A, B, C, ...")},
                {QStringLiteral("max_sleep_s"), ParamSpec::Kind::Double, 1.0, 0.0, 10.0, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Longest pause (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "after each put the writer sleeps random() times this many seconds")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int items = ctx.intParam("items");
        const double maxSleep = ctx.doubleParam("max_sleep_s");
        // The parent creates the Queue and hands it to both children (they inherit it by fork).
        ProcessQueue q("Queue");
        Process pw = Process::fork("write", [&] { return write(ctx, q, items, maxSleep); });
        Process pr = Process::fork("read", [&] { return read(ctx, q); });
        // Wait for the writer to finish.
        pw.join();
        waitUntilDrained(ctx, q);
        // The reader loops forever: end it from outside, and reap it.
        pr.terminate();
        pr.join();
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Items that went in and came out of the queue, and the signal that ended its reader.
        int put = 0;
        int got = 0;
        std::set<int32_t> readers;
        const auto &data = model.data();
        for (const Event &e : data.events) {
            if (e.type == EventType::QueuePut) {
                ++put;
            } else if (e.type == EventType::QueueGet && e.arg != 0) {
                ++got;
                readers.insert(data.threads[e.thread].pid);
            }
        }
        QJsonValue signal;
        for (int32_t pid : readers) {
            if (const ProcessInfo *reader = model.process(pid); reader && reader->exited && reader->signaled)
                signal = double(reader->exitStatus);
        }
        return {{QStringLiteral("put"), put}, {QStringLiteral("got"), got}, {QStringLiteral("reader_signal"), signal}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeQueueScenario() { return std::make_unique<QueueScenario>(); }

} // namespace interleave::core
