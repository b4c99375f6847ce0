// SPDX-License-Identifier: MIT
// Scenario "distributed": the chapter's task_master and task_worker. The master serves a task queue
// and a result queue over TCP (loopback, authkey 'abc'); K worker processes connect, log in, take
// tasks, compute n * n at one task per second and put the results back. Some workers are forked
// and record into the run's log directly; the others run the `interleave worker` program, as a
// student's machine would, record on their own and send their events to the master, which puts
// them into the run's trace (clock offset estimated at login) - the path every remote worker takes.
#include "scenarios/scenario.h"

#include "instrument/process.h"
#include "net/master.h"
#include "net/socket.h"
#include "net/worker.h"
#include "trace/tracemodel.h"

#include <QRegularExpression>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <set>

namespace interleave::core {
namespace {

using namespace std::chrono_literals;
using Ms = std::chrono::milliseconds;

// The key both sides know, like the chapter's authkey=b'abc'.
const QByteArray kAuthkey = QByteArrayLiteral("abc");

// task_worker.py as a real process: it connects to the master over TCP like a remote machine would.
Process startWorker(ScenarioContext &ctx, const std::string &name, uint16_t port, Ms pace)
{
    return Process::fork(name, [&ctx, name, port, pace] {
        // A worker forked from the master must not keep the master's sockets open.
        net::closeInheritedSockets();
        net::WorkerOptions worker;
        worker.host = "127.0.0.1";
        worker.port = port;
        worker.authkey = kAuthkey;
        worker.name = name;
        worker.pace = pace;     // time.sleep(1)
        worker.getTimeout = 1s; // task.get(timeout=1)
        worker.idleExit = std::max<Ms>(3s, 3 * pace);
        worker.print = [&ctx](std::string_view line) { ctx.print(line); };
        worker.log = [&ctx](std::string_view line) { ctx.print(line); };
        return net::runWorker(worker);
    });
}

// task_worker.py as the `interleave worker` program (this very executable): it records its own
// events and sends them to the master over the connection, like a worker on another machine.
Process startNetworkWorker(const std::string &name, uint16_t port, Ms pace)
{
    char self[PATH_MAX] = {};
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        env.emplace_back(*e);
    env.push_back("INTERLEAVE_WORKER_PACE_MS=" + std::to_string(pace.count()));
    // Its console lines reach the trace as its own events; stdout would only repeat them.
    env.push_back("INTERLEAVE_WORKER_QUIET=1");
    // The key travels in the environment: an argument would show in ps and in the trace.
    std::erase_if(env, [](const std::string &e) { return e.starts_with("INTERLEAVE_AUTHKEY="); });
    env.push_back("INTERLEAVE_AUTHKEY=" + kAuthkey.toStdString());
    SpawnOptions options;
    options.captureStdout = true;
    options.captureStderr = true; // an error it reports shows in the console
    options.env = env;
    return Process::spawnFile(std::string(self, n > 0 ? size_t(n) : 0),
                              {"interleave", "worker", "--connect", "127.0.0.1:" + std::to_string(port), "--name", name},
                              options);
}

// The lesson of kill_worker: SIGKILL a worker while it holds a task (half-way through it).
bool killOneMidTask(ScenarioContext &ctx, net::Master &master, std::vector<Process> &workers, Ms pace)
{
    const int64_t now = net::nowNs();
    for (const net::Lease &lease : master.leases()) {
        if (now - lease.sinceNs < std::chrono::nanoseconds(pace).count() / 2)
            continue;
        for (Process &worker : workers) {
            if (worker.pid() == lease.pid && !worker.finished()) {
                ctx.print("Kill " + worker.name() + " (" + std::to_string(worker.pid()) + ") while it runs task " +
                          std::to_string(lease.n) + ".");
                worker.kill();
                worker.join();
                return true;
            }
        }
    }
    return false;
}

class DistributedScenario final : public Scenario
{
public:
    const char *id() const override { return "distributed"; }
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
            {QStringLiteral("workers"),
             ParamSpec::Kind::Int,
             2,
             1,
             8,
             {},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "worker processes that connect to the master")},
            {QStringLiteral("network_workers"),
             ParamSpec::Kind::Int,
             1,
             0,
             8,
             {},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Workers sending their events"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "of the workers, how many run as the interleave worker program and send their own "
                               "events to the master over the network, as a worker on another machine does")},
            {QStringLiteral("tasks"),
             ParamSpec::Kind::Int,
             10,
             1,
             100,
             {},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Tasks"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "random numbers the master puts in the task queue")},
            {QStringLiteral("pace_s"),
             ParamSpec::Kind::Double,
             1.0,
             0.0,
             10.0,
             {},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Seconds per task"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long a worker sleeps on each task, time.sleep(1)")},
            {QStringLiteral("kill_worker"),
             ParamSpec::Kind::Choice,
             QStringLiteral("off"),
             0,
             0,
             {QStringLiteral("off"), QStringLiteral("on")},
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Kill a worker"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                               "SIGKILL one worker in the middle of a task: its task goes back to the queue")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int tasks = ctx.intParam("tasks");
        const Ms pace(int64_t(ctx.doubleParam("pace_s") * 1000.0));
        const bool killWorker = ctx.textParam("kill_worker") == QLatin1String("on");

        // task_master.py: two queues served on the network, with an authkey.
        net::MasterOptions options;
        options.host = "127.0.0.1"; // loopback: nobody outside this machine can connect
        options.port = 0;           // a free port (the chapter uses 5000, which may be taken)
        options.authkey = kAuthkey;
        options.log = [&ctx](std::string_view line) { ctx.print("master: " + std::string(line)); };
        net::Master master(options);
        std::string error;
        if (!master.listen(error)) {
            ctx.print("cannot start the master: " + error);
            return;
        }
        ctx.print("Master (" + std::to_string(getpid()) +
                  ") serves task and result queues on 127.0.0.1:" + std::to_string(master.port()) + ".");
        std::uniform_int_distribution<int64_t> randint(0, 10000);
        for (int i = 0; i < tasks; ++i) {
            const int64_t n = randint(ctx.random());
            ctx.print("Put task " + std::to_string(n) + "...");
            master.put(n);
        }

        // The workers start before the master's network thread, so they inherit none of its
        // connections. The last `network_workers` of them are programs that ship their events.
        std::vector<Process> workers;
        const int count = ctx.intParam("workers");
        const int networked = std::min(count, ctx.intParam("network_workers"));
        for (int k = 1; k <= count; ++k) {
            const std::string name = "worker-" + std::to_string(k);
            workers.push_back(k > count - networked ? startNetworkWorker(name, master.port(), pace)
                                                    : startWorker(ctx, name, master.port(), pace));
        }
        master.start();

        ctx.print("Try get results...");
        bool killed = false;
        int received = 0;
        auto lastResult = std::chrono::steady_clock::now();
        while (received < tasks && !ctx.stopRequested()) {
            if (killWorker && !killed && (killed = killOneMidTask(ctx, master, workers, pace))) {
                // Somebody must be left to finish the work.
                if (std::none_of(workers.begin(), workers.end(), [](const Process &w) { return !w.finished(); }))
                    workers.push_back(
                        startWorker(ctx, "worker-" + std::to_string(workers.size() + 1), master.port(), pace));
            }
            const auto r = master.getResult(100ms); // result.get(timeout=10), in small steps
            if (!r) {
                if (std::chrono::steady_clock::now() - lastResult > 10s + 2 * pace) {
                    ctx.print("No result for 10 seconds: the master gives up.");
                    break;
                }
                continue;
            }
            lastResult = std::chrono::steady_clock::now();
            ++received;
            ctx.print("Result: " + std::to_string(r->n) + " * " + std::to_string(r->n) + " = " + std::to_string(r->r));
        }
        master.stop(); // the workers hear the master leave, send their last events and go
        for (Process &worker : workers) {
            if (!worker.join(5s)) {
                worker.kill();
                worker.join();
            }
        }
        ctx.print("master exit.");
    }

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
