// SPDX-License-Identifier: MIT
// Scenario "queue": a writer process puts A, B, C into a Queue, a reader process gets them
// forever; the parent joins the writer and terminate()s the reader.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <set>

namespace interleave::core {
namespace {

class QueueScenario final : public Scenario
{
public:
    const char *id() const override { return "queue"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/queue.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Queue: a writer and a reader process");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("items"), ParamSpec::Kind::Int, 3, 1, 26, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Items"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how many values the writer puts: A, B, C, ...")},
                {QStringLiteral("max_sleep_s"), ParamSpec::Kind::Double, 1.0, 0.0, 10.0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Longest pause (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "after each put the writer sleeps random() times this many seconds")}};
    }

    void run(ScenarioContext &ctx) const override { queueLesson(ctx); }

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

std::unique_ptr<Scenario> makeQueueScenario()
{
    return std::make_unique<QueueScenario>();
}

} // namespace interleave::core
