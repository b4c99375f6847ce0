// SPDX-License-Identifier: MIT
// The lesson of scenario "distributed" (findings in ../distributed.cpp): the chapter's task_master
// and task_worker. The master serves a task queue and a result queue over TCP; K worker processes
// connect, take tasks, compute n * n and put the results back (the worker's side is net/worker.cpp).
#include "scenarios/lessons/lessons.h"

#include "instrument/process.h"
#include "net/master.h"
#include "net/socket.h"
#include "net/worker.h"
#include "trace/clock.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <random>
#include <string>
#include <vector>

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
    return Process::spawnFile(
        std::string(self, n > 0 ? size_t(n) : 0),
        {"interleave", "worker", "--connect", "127.0.0.1:" + std::to_string(port), "--name", name}, options);
}

// The lesson of kill_worker: SIGKILL a worker while it holds a task (half-way through it).
bool killOneMidTask(ScenarioContext &ctx, net::Master &master, std::vector<Process> &workers, Ms pace)
{
    const int64_t now = clock::monotonicNs();
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

} // namespace

void distributedLesson(ScenarioContext &ctx)
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
    net::Master master(options); // py: manager = QueueManager(...
    std::string error;
    if (!master.listen(error)) {
        ctx.print("cannot start the master: " + error);
        return;
    }
    ctx.print("Master (" + std::to_string(getpid()) +
              ") serves task and result queues on 127.0.0.1:" + std::to_string(master.port()) + ".");
    std::uniform_int_distribution<int64_t> randint(0, 10000);
    for (int i = 0; i < tasks; ++i) {                       // py: for i in range(10):
        const int64_t n = randint(ctx.random());            // py: n = random.randint(0, 10000)
        ctx.print("Put task " + std::to_string(n) + "..."); // py: print('Put task %d...' % n)
        master.put(n);                                      // py: task.put(n)
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
    master.start(); // py: manager.start()

    ctx.print("Try get results..."); // py: print('Try get results...')
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
        // result.get(timeout=10), in small steps; smaller while a worker is still to be killed
        // half-way through a task, so a busy machine does not let every task slip past unkilled
        const auto r = master.getResult(killWorker && !killed ? 10ms : 100ms); // py: r = result.get(timeout=10)
        if (!r) {
            if (std::chrono::steady_clock::now() - lastResult > 10s + 2 * pace) {
                ctx.print("No result for 10 seconds: the master gives up.");
                break;
            }
            continue;
        }
        lastResult = std::chrono::steady_clock::now();
        ++received;
        ctx.print("Result: " + std::to_string(r->n) + " * " + std::to_string(r->n) + // py: print('Result: %s' % r)
                  " = " + std::to_string(r->r));
    }
    // The workers hear the master leave, send their last events and go.
    master.stop(); // py: manager.shutdown()
    for (Process &worker : workers) {
        if (!worker.join(5s)) {
            worker.kill();
            worker.join();
        }
    }
    ctx.print("master exit."); // py: print('master exit.')
}

} // namespace interleave::core
