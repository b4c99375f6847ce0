// SPDX-License-Identifier: MIT
// Scenario "distributed": the chapter's task_master and task_worker. The master serves a task queue
// and a result queue over TCP (loopback, authkey 'abc'); K worker processes connect, log in, take
// tasks, compute n * n at one task per second and put the results back. Some workers are forked
// and record into the run's log directly; the others run the `interleave worker` program, as a
// student's machine would, record on their own and send their events to the master, which puts
// them into the run's trace (clock offset estimated at login) - the path every remote worker takes.
// With broker=redis the queues are lists in a Redis server instead (the run's own redis-server, or
// --set redis=HOST:PORT) and the workers are forked processes using the reliable-queue pattern.
// The lesson is lessons/distributed.cpp.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <QRegularExpression>

#include <set>

namespace interleave::core {
namespace {

class DistributedScenario final : public Scenario
{
public:
    const char *id() const override { return "distributed"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/distributed.cpp"); }
    const char *group() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Distributed processes");
    }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Master and workers: task queues over the network");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {
            {QStringLiteral("workers"), ParamSpec::Kind::Int, 2, 1, 8, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "worker processes that connect to the master")},
            {QStringLiteral("network_workers"), ParamSpec::Kind::Int, 1, 0, 8, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers sending their events"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "of the workers, how many run as the interleave worker program and send their own "
                               "events to the master over the network, as a worker on another machine does")},
            {QStringLiteral("tasks"), ParamSpec::Kind::Int, 10, 1, 100, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Tasks"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "random numbers the master puts in the task queue")},
            {QStringLiteral("pace_s"), ParamSpec::Kind::Double, 1.0, 0.0, 10.0, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Seconds per task"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long a worker sleeps on each task, time.sleep(1)")},
            {QStringLiteral("kill_worker"), ParamSpec::Kind::Choice, QStringLiteral("off"), 0, 0,
             QStringList{QStringLiteral("off"), QStringLiteral("on")},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Kill a worker"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "SIGKILL one worker in the middle of a task: its task goes back to the queue")},
            {QStringLiteral("broker"), ParamSpec::Kind::Choice, QStringLiteral("tcp"), 0, 0,
             QStringList{QStringLiteral("tcp"), QStringLiteral("redis")},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Broker"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "tcp: the master serves its queues itself; redis: the queues are lists in a Redis "
                               "server, which workers take from with BLMOVE")},
            {QStringLiteral("redis"), ParamSpec::Kind::Text, QString(), 0, 0, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Redis server"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "with broker=redis: HOST:PORT of a running Redis; empty: a redis-server of the "
                               "run's own on a private unix socket")}};
    }

    void run(ScenarioContext &ctx) const override { distributedLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        uint32_t taskQueue = 0;
        uint32_t resultQueue = 0;
        for (const uint32_t id : model.objectIds()) {
            const ObjectInfo *object = model.object(id);
            if (object && object->kind == ObjectKind::NetQueue) {
                const std::string name = model.objectName(id);
                if (name == "task")
                    taskQueue = id;
                else if (name == "result")
                    resultQueue = id;
            }
        }
        std::set<int64_t> submitted;
        int puts = 0;
        int results = 0;
        for (const Event &e : model.data().events) {
            if (e.type == EventType::TaskSubmit && e.object == taskQueue)
                submitted.insert(e.arg);
            else if (e.type == EventType::QueuePut && e.object == taskQueue)
                ++puts;
            else if (e.type == EventType::QueueGet && e.object == resultQueue && e.arg != 0) // 0: a get that timed out
                ++results;
        }
        // A result line is correct when r really is n * n.
        static const QRegularExpression resultLine(QStringLiteral("^Result: (\\d+) \\* (\\d+) = (\\d+)$"));
        int correct = 0;
        for (const uint32_t index : model.outputs()) {
            const auto m =
                resultLine.match(QString::fromStdString(model.data().string(model.data().events[index].object)));
            const qint64 n = m.captured(1).toLongLong();
            correct += m.hasMatch() && m.captured(2).toLongLong() == n && m.captured(3).toLongLong() == n * n;
        }
        // Forked workers are processes "worker-K"; a worker program that sent its events is the
        // process its spawn made (an Exec), named by the master "worker-K@HOST".
        int workers = 0;
        int networked = 0;
        for (const ProcessInfo &p : model.processes()) {
            const bool worker = p.traced() && p.name.rfind("worker-", 0) == 0;
            workers += worker;
            networked += worker && !p.command.empty();
        }
        return {{QStringLiteral("tasks"), int(submitted.size())},
                {QStringLiteral("results"), results},
                {QStringLiteral("correct"), correct},
                {QStringLiteral("workers"), workers},
                {QStringLiteral("network_workers"), networked},
                {QStringLiteral("requeued"), puts - int(submitted.size())}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeDistributedScenario()
{
    return std::make_unique<DistributedScenario>();
}

} // namespace interleave::core
