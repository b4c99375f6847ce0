// SPDX-License-Identifier: MIT
// The lesson of scenario "distributed" (findings in ../distributed.cpp): the chapter's task_master
// and task_worker. The master serves a task queue and a result queue over TCP; K worker processes
// connect, take tasks, compute n * n and put the results back (the worker's side is net/worker.cpp).
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/process.h"
#include "net/master.h"
#include "net/redis.h"
#include "net/socket.h"
#include "net/worker.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <set>
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

// broker=redis: the same through Redis lists, with a reliable queue (below).
void distributedRedisLesson(ScenarioContext &ctx);

void distributedLesson(ScenarioContext &ctx)
{
    if (ctx.textParam("broker") == QLatin1String("redis")) {
        distributedRedisLesson(ctx);
        return;
    }
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

// --- broker=redis: the same master and workers, the queues in a real Redis server ------------

namespace {

// The lists of one run: its own names, so that a shared Redis server keeps other data apart.
struct RedisLists
{
    std::string prefix;
    std::string tasks() const { return prefix + "tasks"; }
    std::string results() const { return prefix + "results"; }
    std::string processing(const std::string &worker) const { return prefix + "processing:" + worker; }
    std::string attempts(int64_t id) const { return prefix + "attempts:" + std::to_string(id); }
};

// Where the broker is: a redis-server of the run's own (its unix socket), or HOST:PORT.
struct RedisEndpoint
{
    std::string socket;
    std::string host;
    uint16_t port = 0;
    bool connect(net::RedisConnection &redis, std::string &error) const
    {
        return socket.empty() ? redis.connectTcp(host, port, error) : redis.connectUnix(socket, error);
    }
};

// The trace's names for the lists: the task and result queues, and a processing list per worker.
struct RedisTrace
{
    uint32_t taskQueue = 0;
    uint32_t resultQueue = 0;
    std::map<std::string, uint32_t> processing;
};

// The worker with a reliable queue (RQ's, Celery's): BLMOVE takes a task into the worker's own
// processing list, so a worker that dies holding it leaves it there for the master to put back.
int redisWorker(ScenarioContext &ctx, const RedisEndpoint &at, const RedisLists &lists, const RedisTrace &trace,
                const std::string &name, Ms pace)
{
    net::RedisConnection redis; // py: m.connect()
    std::string error;
    if (!at.connect(redis, error)) {
        ctx.print(error);
        return 1;
    }
    const std::string mine = lists.processing(name);
    auto idleSince = std::chrono::steady_clock::now();
    while (!ctx.stopRequested()) {
        recorder::record(EventType::QueueGetWait, trace.taskQueue, 0, Timed);
        const auto task = redis.blmove(lists.tasks(), mine, 1s); // py: n = task.get(timeout=1)
        if (!task) {
            recorder::record(EventType::QueueGet, trace.taskQueue, 0, Timed);
            if (redis.failed()) {
                ctx.print("Redis: " + redis.error());
                return 1;
            }
            if (std::chrono::steady_clock::now() - idleSince > std::max<Ms>(3s, 3 * pace)) {
                ctx.print("task queue is empty."); // py: print('task queue is empty.')
                break;
            }
            continue;
        }
        const int64_t id = std::atoll(task->c_str());
        const int64_t n = std::atoll(task->c_str() + task->find(' ') + 1);
        const int64_t item = id * 100 + redis.incr(lists.attempts(id)); // this hand-out of the task
        recorder::record(EventType::QueueGet, trace.taskQueue, item);
        recorder::record(EventType::TaskStart, trace.taskQueue, id);
        ctx.print("run task " + std::to_string(n) + " * " + std::to_string(n) + "..."); // py: print('run task %d...
        sleepFor(pace);                                                                 // py: time.sleep(1)
        recorder::record(EventType::TaskEnd, trace.taskQueue, id);
        recorder::record(EventType::QueuePut, trace.resultQueue, item);
        redis.rpush(lists.results(), std::to_string(id) + " " + std::to_string(n) + " " + std::to_string(n * n) + " " +
                                         std::to_string(item)); // py: result.put('%d * %d = %d' % (n, n, n * n))
        redis.lrem(mine, 1, *task);                             // done: out of the processing list
        idleSince = std::chrono::steady_clock::now();
    }
    ctx.print("worker exit."); // py: print('worker exit.')
    return 0;
}

// The master's side of a worker that is gone: what its processing list still holds goes back to
// the head of the task list, each as a new hand-out of its task.
void requeueFrom(ScenarioContext &ctx, net::RedisConnection &redis, const RedisLists &lists, const RedisTrace &trace,
                 const std::string &worker)
{
    while (const auto task = redis.lmoveToFront(lists.processing(worker), lists.tasks())) {
        const int64_t id = std::atoll(task->c_str());
        recorder::record(EventType::QueuePut, trace.taskQueue, id * 100 + redis.getNumber(lists.attempts(id)) + 1);
        ctx.print("master: task " + std::to_string(id) + " re-queued from " + worker + "'s processing list");
    }
}

// The list lengths as counters: sampled by the master, recorded when they change.
void sampleLengths(net::RedisConnection &redis, const RedisLists &lists, const RedisTrace &trace,
                   std::map<uint32_t, int64_t> &last)
{
    auto sample = [&](uint32_t object, const std::string &key) {
        const int64_t length = redis.llen(key);
        if (length >= 0 && last[object] != length) {
            last[object] = length;
            recorder::record(EventType::QueueDepth, object, length);
        }
    };
    sample(trace.taskQueue, lists.tasks());
    sample(trace.resultQueue, lists.results());
    for (const auto &[worker, object] : trace.processing)
        sample(object, lists.processing(worker));
}

// kill_worker: SIGKILL a worker that has held a task for half the pace (seen in its processing list).
bool killOneHolding(ScenarioContext &ctx, net::RedisConnection &redis, const RedisLists &lists,
                    std::vector<Process> &workers, std::map<std::string, std::chrono::steady_clock::time_point> &since,
                    Ms pace)
{
    const auto now = std::chrono::steady_clock::now();
    for (Process &worker : workers) {
        if (worker.finished() || redis.llen(lists.processing(worker.name())) <= 0) {
            since.erase(worker.name());
            continue;
        }
        const auto held = since.try_emplace(worker.name(), now).first->second;
        if (now - held >= pace / 2) {
            ctx.print("Kill " + worker.name() + " (" + std::to_string(worker.pid()) + ") while it holds a task.");
            worker.kill();
            worker.join();
            return true;
        }
    }
    return false;
}

// Where the broker is, starting our own redis-server unless --set redis=HOST:PORT names one.
bool startBroker(ScenarioContext &ctx, net::RedisServer &server, RedisEndpoint &at, std::string &error)
{
    const QString address = ctx.textParam("redis");
    if (address.isEmpty()) {
        if (!server.start(10s, error))
            return false;
        at.socket = server.socketPath();
        ctx.print("redis-server (" + std::to_string(server.pid()) + ") listens on a private unix socket.");
        return true;
    }
    QString why;
    if (!net::parseHostPort(address, at.host, at.port, why, 6379)) {
        error = why.toStdString();
        return false;
    }
    return true;
}

// result.get(timeout=10) until every task's result is in; what a gone worker held goes back.
void redisMaster(ScenarioContext &ctx, net::RedisConnection &redis, const RedisLists &lists, const RedisTrace &trace,
                 std::vector<Process> &workers, const std::function<void()> &startOne, int tasks, bool killWorker,
                 Ms pace)
{
    ctx.print("Try get results..."); // py: print('Try get results...')
    std::set<int64_t> done;
    std::set<std::string> swept;
    std::map<uint32_t, int64_t> lengths;
    std::map<std::string, std::chrono::steady_clock::time_point> holding;
    bool killed = false;
    auto lastResult = std::chrono::steady_clock::now();
    while (int(done.size()) < tasks && !ctx.stopRequested()) {
        if (killWorker && !killed)
            killed = killOneHolding(ctx, redis, lists, workers, holding, pace);
        for (Process &worker : workers) {
            if (worker.poll() && swept.insert(worker.name()).second)
                requeueFrom(ctx, redis, lists, trace, worker.name());
        }
        // Somebody must be left to finish the work.
        if (std::all_of(workers.begin(), workers.end(), [](const Process &w) { return w.finished(); }) &&
            redis.llen(lists.tasks()) > 0)
            startOne();
        sampleLengths(redis, lists, trace, lengths);
        const auto r = [&] {
            const IoWait wait("redis: results");
            return redis.blpop(lists.results(), 100ms); // py: r = result.get(timeout=10)
        }();
        if (!r) {
            if (redis.failed()) {
                ctx.print("Redis: " + redis.error());
                break;
            }
            if (std::chrono::steady_clock::now() - lastResult > 10s + 2 * pace) {
                ctx.print("No result for 10 seconds: the master gives up.");
                break;
            }
            continue;
        }
        lastResult = std::chrono::steady_clock::now();
        int64_t id = 0, n = 0, result = 0, item = 0;
        if (std::sscanf(r->c_str(), "%ld %ld %ld %ld", &id, &n, &result, &item) != 4 || !done.insert(id).second)
            continue; // a result counts once, by its task's id
        recorder::record(EventType::QueueGet, trace.resultQueue, item);
        ctx.print("Result: " + std::to_string(n) + " * " + std::to_string(n) + // py: print('Result: %s' % r)
                  " = " + std::to_string(result));
    }
    sampleLengths(redis, lists, trace, lengths);
}

} // namespace

void distributedRedisLesson(ScenarioContext &ctx)
{
    const int tasks = ctx.intParam("tasks");
    const Ms pace(int64_t(ctx.doubleParam("pace_s") * 1000.0));
    const bool killWorker = ctx.textParam("kill_worker") == QLatin1String("on");
    net::RedisServer server;
    RedisEndpoint at;
    net::RedisConnection redis;
    std::string error;
    if (!startBroker(ctx, server, at, error) || !at.connect(redis, error)) {
        ctx.print("cannot reach the broker: " + error);
        return;
    }
    const RedisLists lists{"interleave:" + std::to_string(getpid()) + ":"};
    RedisTrace trace{
        recorder::newObject(ObjectKind::NetQueue, "task"), recorder::newObject(ObjectKind::NetQueue, "result"), {}};
    std::uniform_int_distribution<int64_t> randint(0, 10000);
    for (int64_t id = 1; id <= tasks; ++id) {               // py: for i in range(10):
        const int64_t n = randint(ctx.random());            // py: n = random.randint(0, 10000)
        ctx.print("Put task " + std::to_string(n) + "..."); // py: print('Put task %d...' % n)
        recorder::record(EventType::TaskSubmit, trace.taskQueue, id);
        recorder::record(EventType::QueuePut, trace.taskQueue, id * 100 + 1);
        redis.rpush(lists.tasks(), std::to_string(id) + " " + std::to_string(n)); // py: task.put(n)
    }
    std::vector<Process> workers;
    auto startOne = [&] {
        const std::string name = "worker-" + std::to_string(workers.size() + 1);
        trace.processing[name] =
            recorder::newObject(ObjectKind::NetQueue, lists.processing(name).substr(lists.prefix.size()));
        workers.push_back(Process::fork(
            name, [&ctx, &at, &lists, &trace, name, pace] { return redisWorker(ctx, at, lists, trace, name, pace); }));
    };
    for (int k = 0; k < ctx.intParam("workers"); ++k)
        startOne();
    redisMaster(ctx, redis, lists, trace, workers, startOne, tasks, killWorker, pace);
    for (Process &worker : workers) {
        if (!worker.join(5s)) {
            worker.kill();
            worker.join();
        }
    }
    std::vector<std::string> keys{lists.tasks(), lists.results()};
    for (int64_t id = 1; id <= tasks; ++id)
        keys.push_back(lists.attempts(id));
    for (const auto &[worker, object] : trace.processing)
        keys.push_back(lists.processing(worker));
    redis.del(keys);
    server.stop();             // py: manager.shutdown()
    ctx.print("master exit."); // py: print('master exit.')
}

} // namespace interleave::core
