// SPDX-License-Identifier: MIT
// Observability over the network: workers that record on their own (the `interleave worker`
// program) send their events to the master, which shows them as processes of its trace with every
// task's trip drawn forward in time, even from a worker whose clock is seconds off; malformed
// batches close only their connection; a worker killed in the middle of a batch loses nothing the
// master had acknowledged.
#include "instrument/process.h"
#include "io/iltrace.h"
#include "net/commands.h"
#include "net/eventbatch.h"
#include "net/master.h"
#include "net/socket.h"
#include "selfcount.h"
#include "trace/clock.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracemodel.h"

#include <QCborArray>
#include <QCborMap>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace interleave::core;
using namespace interleave::core::net;
using namespace std::chrono_literals;

namespace {

const QByteArray kKey("observe");

std::string programBeside(const char *name)
{
    char self[PATH_MAX] = {};
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir(self, n > 0 ? size_t(n) : 0);
    return dir.substr(0, dir.rfind('/') + 1) + name;
}

/// The `interleave worker` program, as a student starts it on another machine.
Process spawnWorker(uint16_t port, const std::string &name, int paceMs, int skewMs = 0)
{
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        env.emplace_back(*e);
    env.push_back("INTERLEAVE_WORKER_PACE_MS=" + std::to_string(paceMs));
    env.push_back("INTERLEAVE_WORKER_CLOCK_SKEW_MS=" + std::to_string(skewMs));
    SpawnOptions o;
    o.captureStdout = true;
    o.captureStderr = true;
    o.env = env;
    return Process::spawn({programBeside("interleave"), "worker", "--connect", "127.0.0.1:" + std::to_string(port),
                           "--authkey", kKey.toStdString(), "--name", name},
                          o);
}

void finish(Process &p, std::chrono::seconds limit = 30s)
{
    if (!p.communicate(limit)) {
        ADD_FAILURE() << p.name() << " did not finish";
        p.kill();
        p.join();
    }
}

/// Every test: no thread, descriptor or child process left behind.
class NetObserve : public interleave::test::NothingLeftBehindTest
{
protected:
    MasterOptions options()
    {
        MasterOptions o;
        o.host = "127.0.0.1";
        o.port = 0;
        o.authkey = kKey;
        o.loginTimeout = 3s;
        o.log = [this](std::string_view line) {
            const std::lock_guard lock(m_logMutex);
            m_log.emplace_back(line);
        };
        return o;
    }
    bool logged(const std::string &text)
    {
        const std::lock_guard lock(m_logMutex);
        for (const auto &line : m_log) {
            if (line.find(text) != std::string::npos)
                return true;
        }
        return false;
    }
    size_t logSize()
    {
        const std::lock_guard lock(m_logMutex);
        return m_log.size();
    }
    /// The log lines written since the log had `from` lines (waiting a little for the first: the
    /// master writes it just after it shut the connection).
    std::string logSince(size_t from)
    {
        const auto until = std::chrono::steady_clock::now() + 3s;
        while (logSize() <= from && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(5ms);
        const std::lock_guard lock(m_logMutex);
        std::string text;
        for (size_t i = from; i < m_log.size(); ++i)
            text += m_log[i] + "\n";
        return text;
    }
    std::string logText()
    {
        const std::lock_guard lock(m_logMutex);
        std::string all;
        for (const auto &line : m_log)
            all += line + "\n";
        return all;
    }

    /// Records this process into a fresh log (CLOCK_MONOTONIC, as the master command does).
    void startRecording()
    {
        std::string error;
        EventLogOptions o;
        o.forceMonotonicClock = true;
        m_eventLog = EventLog::create(16u << 20, &error, o);
        ASSERT_TRUE(m_eventLog) << error;
        recorder::attach(m_eventLog.get());
    }
    /// Stops recording and returns the trace.
    TraceModel stopRecording()
    {
        recorder::detach();
        TraceData data;
        m_eventLog->drain(data);
        m_eventLog->finish(data);
        m_eventLog.reset();
        return TraceModel(std::move(data));
    }

    std::mutex m_logMutex;
    std::vector<std::string> m_log;
    std::unique_ptr<EventLog> m_eventLog;
};

/// The protocol by hand, step by step: for sending what no honest worker sends.
struct HandWorker
{
    int fd = -1;
    QByteArray buffer;
    int64_t taskQueue = 0;
    int64_t resultQueue = 0;
    bool events = false;

    ~HandWorker()
    {
        if (fd >= 0)
            ::close(fd);
    }
    bool send(const QByteArray &frame) { return sendAll(fd, frame, clock::monotonicNs() + 5'000'000'000); }
    ReceiveResult receive() { return receiveMessage(fd, buffer, clock::monotonicNs() + 5'000'000'000); }

    /// Connects, logs in as `name` and (unless told not to) answers the clock probes.
    bool login(uint16_t port, const std::string &name, bool answerProbes = true)
    {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            return false;
        const ReceiveResult hello = receive();
        if (hello.status != ReceiveResult::Ok || hello.message.type != MessageType::Hello)
            return false;
        const QByteArray mine = auth::newChallenge();
        QCborMap login;
        login.insert(QLatin1String("v"), kProtocolVersion);
        login.insert(QLatin1String("name"), QString::fromStdString(name));
        login.insert(QLatin1String("pid"), qint64(getpid()));
        login.insert(QLatin1String("challenge"), mine);
        login.insert(QLatin1String("proof"), auth::workerProof(kKey, hello.message.bytes("challenge"), mine));
        if (!send(encodeFrame(MessageType::Login, login)))
            return false;
        const ReceiveResult welcome = receive();
        if (welcome.status != ReceiveResult::Ok || welcome.message.type != MessageType::Welcome)
            return false;
        taskQueue = welcome.message.integer("tq");
        resultQueue = welcome.message.integer("rq");
        events = welcome.message.integer("ev") == 1;
        while (events && answerProbes) {
            const ReceiveResult r = receive();
            if (r.status != ReceiveResult::Ok)
                return false;
            if (r.message.type == MessageType::Synced)
                break;
            QCborMap pong;
            pong.insert(QLatin1String("n"), r.message.integer("n"));
            pong.insert(QLatin1String("w1"), qint64(clock::monotonicNs()));
            pong.insert(QLatin1String("w2"), qint64(clock::monotonicNs()));
            if (!send(encodeFrame(MessageType::Pong, pong)))
                return false;
        }
        return true;
    }
    /// task_queue.get(): the task {id, n, item}, or an empty map.
    QCborMap getTask()
    {
        QCborMap get;
        get.insert(QLatin1String("q"), QLatin1String("task"));
        get.insert(QLatin1String("timeout_ms"), 3000);
        if (!send(encodeFrame(MessageType::Get, get)))
            return {};
        const ReceiveResult r = receive();
        return r.status == ReceiveResult::Ok && r.message.type == MessageType::Task ? r.message.fields : QCborMap{};
    }
};

/// True when the peer closed the connection (EOF or reset) within `limit`.
bool closedByPeer(int fd, std::chrono::milliseconds limit = 5s)
{
    const auto until = std::chrono::steady_clock::now() + limit;
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            return true;
    }
    return false;
}

/// The trace's NetQueue objects named "task" and "result".
std::pair<uint32_t, uint32_t> queuesOf(const TraceModel &model)
{
    uint32_t task = 0;
    uint32_t result = 0;
    for (const uint32_t id : model.objectIds()) {
        const ObjectInfo *o = model.object(id);
        if (o && o->kind == ObjectKind::NetQueue)
            (model.objectName(id) == "task" ? task : result) = id;
    }
    return {task, result};
}

/// An array holding one value (a braced single array would copy it instead of nesting it).
QCborArray one(const QCborValue &value)
{
    QCborArray array;
    array.append(value);
    return array;
}

int32_t pidOf(const TraceModel &model, uint32_t thread)
{
    return model.thread(thread).pid;
}

/// The process the master made for a worker that sent events, by the start of its name.
const ProcessInfo *networkProcess(const TraceModel &model, const std::string &prefix)
{
    for (const ProcessInfo &p : model.processes()) {
        if (p.name.rfind(prefix, 0) == 0)
            return &p;
    }
    return nullptr;
}

/// Events of `type` written by threads of process `pid`.
std::vector<const Event *> eventsOf(const TraceModel &model, int32_t pid, EventType type)
{
    std::vector<const Event *> out;
    for (const Event &e : model.data().events) {
        if (e.type == type && model.data().threads[e.thread].pid == pid)
            out.push_back(&e);
    }
    return out;
}

} // namespace

TEST_F(NetObserve, MasterTraceShowsEachWorkerAndEveryTripForwardInTimeDespiteSkewedClocks)
{
    // The master is `interleave master ... --save F --chrome F` as a real process; the workers are
    // the `interleave worker` program, one clock 5 s ahead, the other 1.5 s behind.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString save = dir.filePath(QStringLiteral("master.iltrace"));
    const QString chrome = dir.filePath(QStringLiteral("master.json"));
    int portPipe[2];
    ASSERT_EQ(::pipe2(portPipe, O_CLOEXEC), 0);
    constexpr int kTasks = 8;
    Process master = Process::fork("master", [&] {
        ::close(portPipe[0]);
        QString text;
        QTextStream out(&text);
        QTextStream err(stderr);
        MasterCommandOptions o;
        o.listen = QStringLiteral("127.0.0.1:0");
        o.authkey = QString::fromLatin1(kKey);
        o.tasks = QString::number(kTasks);
        o.save = save;
        o.chrome = chrome;
        o.listening = [&](uint16_t port) {
            [[maybe_unused]] const ssize_t n = ::write(portPipe[1], &port, sizeof port);
            ::close(portPipe[1]);
        };
        return masterCommand(o, out, err);
    });
    ::close(portPipe[1]);
    uint16_t port = 0;
    pollfd p{portPipe[0], POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, 20000), 0) << "the master did not start listening";
    ASSERT_EQ(::read(portPipe[0], &port, sizeof port), ssize_t(sizeof port));
    ::close(portPipe[0]);
    const std::map<std::string, int> skewMs = {{"alpha", 5000}, {"beta", -1500}};
    std::map<std::string, Process> workers;
    for (const auto &[name, skew] : skewMs)
        workers.emplace(name, spawnWorker(port, name, 150, skew));
    ASSERT_TRUE(master.join(60s)) << "the master did not finish";
    EXPECT_EQ(master.exitCode(), 0);
    for (auto &[name, w] : workers) {
        finish(w);
        EXPECT_EQ(w.exitCode(), 0) << name << ": " << w.stderrText();
    }

    const LoadResult loaded = loadIltrace(save);
    ASSERT_TRUE(loaded.ok) << loaded.error.toStdString();
    const TraceModel model(loaded.data);
    const int32_t masterPid = master.pid();

    // The clock estimate removes each skew to within half the round trip of its best probe
    // (both clocks are this machine's CLOCK_MONOTONIC, so the true offset is exactly -skew).
    const QJsonArray clocks =
        model.data().meta.value(QStringLiteral("findings")).toObject().value(QStringLiteral("workers")).toArray();
    ASSERT_EQ(clocks.size(), 2);
    for (const QJsonValue &v : clocks) {
        const QJsonObject w = v.toObject();
        const std::string name = w.value(QStringLiteral("name")).toString().toStdString();
        SCOPED_TRACE(name);
        ASSERT_TRUE(skewMs.count(name));
        const int64_t offset = int64_t(w.value(QStringLiteral("clock_offset_ns")).toDouble());
        const int64_t rtt = int64_t(w.value(QStringLiteral("clock_rtt_ns")).toDouble());
        const int64_t truth = -int64_t(skewMs.at(name)) * 1'000'000;
        ASSERT_GE(rtt, 0);
        EXPECT_LE(std::llabs(offset - truth), rtt / 2 + 2) << "offset " << offset << " rtt " << rtt;
        std::printf("[ measured ] %s: clock skew %+d ms, estimate off by %.1f us (round trip %.1f us), %d of %d events "
                    "moved (at most %.1f us)\n",
                    name.c_str(), skewMs.at(name), double(std::llabs(offset - truth)) / 1000.0, double(rtt) / 1000.0,
                    w.value(QStringLiteral("adjusted_events")).toInt(), w.value(QStringLiteral("events")).toInt(),
                    w.value(QStringLiteral("max_adjust_ns")).toDouble() / 1000.0);
        EXPECT_GT(w.value(QStringLiteral("events")).toInt(), 0);
    }

    // A process per worker on this machine: its real pid, named after it and its host.
    std::map<int32_t, std::string> workerOfPid;
    for (const auto &[name, w] : workers) {
        const ProcessInfo *process = model.process(w.pid());
        ASSERT_NE(process, nullptr) << name;
        EXPECT_EQ(process->name, name + "@127.0.0.1");
        EXPECT_LT(process->pid, kForeignPidBase);
        EXPECT_TRUE(process->exited);
        EXPECT_EQ(process->exitStatus, 0) << "it said goodbye with status 0";
        workerOfPid[process->pid] = name;
        // Its console lines came with its events.
        bool ran = false;
        for (const uint32_t i : model.outputs()) {
            const Event &e = model.data().events[i];
            ran |= model.data().threads[e.thread].pid == process->pid &&
                   model.data().string(e.object).rfind("run task", 0) == 0;
        }
        EXPECT_TRUE(ran) << name << " ran no task";
    }

    // Every task: submitted by the master, started and ended once in a worker, and its trip drawn.
    const auto [taskQueue, resultQueue] = queuesOf(model);
    ASSERT_NE(taskQueue, 0u);
    ASSERT_NE(resultQueue, 0u);
    std::set<int64_t> submitted;
    for (const Event *e : eventsOf(model, masterPid, EventType::TaskSubmit))
        submitted.insert(e->arg);
    ASSERT_EQ(submitted.size(), size_t(kTasks));
    std::map<int64_t, int> starts;
    std::map<int64_t, int> ends;
    for (const Event &e : model.data().events) {
        const int32_t pid = model.data().threads[e.thread].pid;
        if (e.type == EventType::TaskStart && workerOfPid.count(pid))
            ++starts[e.arg];
        if (e.type == EventType::TaskEnd && workerOfPid.count(pid))
            ++ends[e.arg];
    }
    std::map<int64_t, int64_t> itemOfTask; // the task queue item each task went out as
    std::map<int64_t, int> taskFlows;
    std::set<int64_t> toWorker;   // task queue items that reached a worker
    std::set<int64_t> fromWorker; // result queue items that came back
    for (const Flow &f : model.flows()) {
        SCOPED_TRACE(std::string(flowKindName(f.kind)) + " " + std::to_string(f.id));
        if (f.kind != FlowKind::Task && f.kind != FlowKind::Queue)
            continue;
        EXPECT_GE(f.toTime, f.fromTime) << "a flow goes back in time by " << f.fromTime - f.toTime << " ns";
        const int32_t from = pidOf(model, f.fromThread);
        const int32_t to = pidOf(model, f.toThread);
        if (f.kind == FlowKind::Task) {
            EXPECT_EQ(from, masterPid);
            EXPECT_TRUE(workerOfPid.count(to));
            ++taskFlows[f.id];
        } else if (f.object == taskQueue) {
            EXPECT_EQ(from, masterPid);
            EXPECT_TRUE(workerOfPid.count(to));
            toWorker.insert(f.id);
        } else if (f.object == resultQueue) {
            EXPECT_TRUE(workerOfPid.count(from));
            EXPECT_EQ(to, masterPid);
            fromWorker.insert(f.id);
        }
    }
    for (const int64_t id : submitted) {
        SCOPED_TRACE("task " + std::to_string(id));
        EXPECT_EQ(starts[id], 1);
        EXPECT_EQ(ends[id], 1);
        EXPECT_EQ(taskFlows[id], 1) << "submit -> start";
    }
    EXPECT_EQ(toWorker.size(), size_t(kTasks)) << "master -> worker";
    EXPECT_EQ(fromWorker, toWorker) << "worker -> master, for the same hand-outs";

    // The Chrome export names the same processes and draws the flows.
    QFile json(chrome);
    ASSERT_TRUE(json.open(QIODevice::ReadOnly));
    const QJsonArray events =
        QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("traceEvents")).toArray();
    std::set<std::string> processNames;
    int flowStarts = 0;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("ph")) == QLatin1String("M") &&
            e.value(QStringLiteral("name")) == QLatin1String("process_name"))
            processNames.insert(
                e.value(QStringLiteral("args")).toObject().value(QStringLiteral("name")).toString().toStdString());
        flowStarts += e.value(QStringLiteral("ph")) == QLatin1String("s");
    }
    for (const auto &[pid, name] : workerOfPid)
        EXPECT_TRUE(processNames.count(model.process(pid)->name)) << name;
    EXPECT_GE(flowStarts, 3 * kTasks);
}

TEST_F(NetObserve, MalformedBatchesCloseTheirConnectionAndTheMasterServesOn)
{
    startRecording();
    MasterOptions o = options();
    o.maxDeaths = 1000; // every hostile connection leaves holding a task: that is not the task's fault
    std::unique_ptr<Master> master = std::make_unique<Master>(o);
    std::string error;
    ASSERT_TRUE(master->listen(error)) << error;
    for (int i = 0; i < 3; ++i)
        master->put(i + 11);
    master->start();
    const uint16_t port = master->port();
    const qint64 tq = master->taskQueueId();
    const qint64 rq = master->resultQueueId();

    using Batch = std::function<QCborMap(const QCborMap &task)>;
    auto fields = [](QCborArray events, QCborArray threads = one(QCborArray{0, 77}), QCborArray strings = {},
                     qint64 seq = 1) {
        return QCborMap{{QLatin1String("seq"), seq},
                        {QLatin1String("th"), threads},
                        {QLatin1String("s"), strings},
                        {QLatin1String("ev"), events}};
    };
    auto ev = [](qint64 thread, qint64 time, EventType type, qint64 object = 0, qint64 arg = 0, qint64 flags = 0) {
        return QCborArray{thread, time, qint64(type), object, arg, flags, 0};
    };
    const qint64 now = clock::monotonicNs();
    const std::vector<std::tuple<std::string, Batch, std::string>> hostile = {
        {"a time that is text",
         [&](const QCborMap &) {
             return fields(one(QCborArray{0, QLatin1String("now"), 24, tq, 0, 1, 0}));
         },
         "time is negative, too large or not an integer"},
        {"a lock event", [&](const QCborMap &) { return fields(one(ev(0, now, EventType::LockWait, 1))); },
         "not accepted"},
        {"600 events",
         [&](const QCborMap &) {
             QCborArray many;
             for (int i = 0; i < 600; ++i)
                 many.append(ev(0, now, EventType::SleepEnd));
             return fields(many);
         },
         "600 events"},
        {"a time 10 hours ahead",
         [&](const QCborMap &) { return fields(one(ev(0, now + 36'000'000'000'000, EventType::SleepEnd))); },
         "outside its connection's time"},
        {"a time long before the connection (1 ns after boot)",
         [&](const QCborMap &) { return fields(one(ev(0, 1, EventType::SleepEnd))); }, "outside its connection's time"},
        {"a negative time", [&](const QCborMap &) { return fields(one(ev(0, -1, EventType::SleepEnd))); },
         "time is negative, too large or not an integer"},
        {"an undeclared thread", [&](const QCborMap &) { return fields(one(ev(5, now, EventType::SleepEnd))); },
         "never declared"},
        {"an undeclared string", [&](const QCborMap &) { return fields(one(ev(0, now, EventType::ThreadName, 999))); },
         "never declared"},
        {"an item never handed out",
         [&](const QCborMap &) { return fields(one(ev(0, now, EventType::QueueGet, tq, 12345))); },
         "never handed to it"},
        {"a task of the wrong queue",
         [&](const QCborMap &task) {
             return fields(one(ev(0, now, EventType::TaskStart, rq, task.value(QLatin1String("id")).toInteger())));
         },
         "not the task queue"},
        {"a negative sleep", [&](const QCborMap &) { return fields(one(ev(0, now, EventType::SleepBegin, 0, -5))); },
         "out of range"},
        {"batch 2 first", [&](const QCborMap &) { return fields(one(ev(0, now, EventType::SleepEnd)), {}, {}, 2); },
         "after batch 0"},
        {"an unknown field",
         [&](const QCborMap &) {
             QCborMap f = fields({});
             f.insert(QLatin1String("run"), QLatin1String("sh"));
             return f;
         },
         "unknown field"},
    };
    int n = 0;
    for (const auto &[what, batch, reason] : hostile) {
        SCOPED_TRACE(what);
        HandWorker evil;
        ASSERT_TRUE(evil.login(port, "evil-" + std::to_string(n++)));
        ASSERT_TRUE(evil.events) << "the master records, so it takes events";
        const QCborMap task = evil.getTask(); // something it holds, for the batches that name it
        ASSERT_FALSE(task.isEmpty());
        const size_t before = logSize();
        ASSERT_TRUE(evil.send(encodeFrame(MessageType::Events, batch(task))));
        EXPECT_TRUE(closedByPeer(evil.fd)) << "not closed";
        // Closed for this batch's own reason (the first line it caused; a re-queue line follows).
        const std::string lines = logSince(before);
        EXPECT_NE(lines.substr(0, lines.find('\n')).find(reason), std::string::npos) << lines;
    }
    {
        SCOPED_TRACE("events before the clock was probed");
        HandWorker early;
        ASSERT_TRUE(early.login(port, "evil-early", false));
        EventBatch b;
        b.seq = 1;
        b.threads = {{0, 77}};
        b.events = {WireEvent{0, clock::monotonicNs(), EventType::SleepEnd, 0, 0, 0, 0}};
        const size_t before = logSize();
        ASSERT_TRUE(early.send(encodeEventBatch(b)));
        EXPECT_TRUE(closedByPeer(early.fd));
        EXPECT_NE(logSince(before).find("before its clock was probed"), std::string::npos) << logText();
    }
    EXPECT_GE(master->stats().refused, int(hostile.size()) + 1);
    EXPECT_EQ(master->stats().batches, 0) << "no malformed batch went into the trace";

    // The master serves on: an honest worker that sends its events finishes every task (those the
    // closed connections held went back to the queue).
    Process honest = spawnWorker(port, "honest", 20);
    std::set<int64_t> results;
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (results.size() < 3 && std::chrono::steady_clock::now() < until) {
        if (auto r = master->getResult(100ms))
            results.insert(r->id);
    }
    EXPECT_EQ(results.size(), 3u);
    master->stop();
    finish(honest);
    EXPECT_EQ(honest.exitCode(), 0) << honest.stderrText();
    EXPECT_GT(master->stats().batches, 0);
    master.reset();
    const TraceModel model = stopRecording();
    const ProcessInfo *process = networkProcess(model, "honest@");
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(eventsOf(model, process->pid, EventType::TaskEnd).size(), 3u);
    for (const ProcessInfo &p : model.processes())
        EXPECT_EQ(p.name.find("evil"), std::string::npos) << "a refused batch reached the trace: " << p.name;
}

TEST_F(NetObserve, WorkerKilledInTheMiddleOfABatchLosesNothingAcknowledged)
{
    startRecording();
    std::unique_ptr<Master> master = std::make_unique<Master>(options());
    std::string error;
    ASSERT_TRUE(master->listen(error)) << error;
    master->put(6);
    master->put(7);
    master->start();
    const uint16_t port = master->port();

    // A worker process that takes a task, sends one batch (acknowledged), then dies by SIGKILL
    // with half of its next batch on the wire.
    int acked[2];
    ASSERT_EQ(::pipe2(acked, O_CLOEXEC), 0);
    Process doomed = Process::fork("doomed", [&] {
        ::close(acked[0]);
        HandWorker w;
        if (!w.login(port, "doomed"))
            return 3;
        const QCborMap task = w.getTask();
        if (task.isEmpty())
            return 4;
        const int64_t id = task.value(QLatin1String("id")).toInteger();
        const int64_t item = task.value(QLatin1String("item")).toInteger();
        const int32_t tid = int32_t(getpid());
        EventBatch first;
        first.seq = 1;
        first.threads = {{0, tid}};
        first.strings = {{8, "doomed main"}, {16, "run task"}};
        const int64_t t = clock::monotonicNs();
        first.events = {{0, t, EventType::ThreadName, 8, 0, 0, 0},
                        {0, t + 1000, EventType::QueueGet, uint32_t(w.taskQueue), item, 0, 0},
                        {0, t + 2000, EventType::TaskStart, uint32_t(w.taskQueue), id, 0, 0},
                        {0, t + 3000, EventType::Output, 16, 1, 0, 0}};
        if (!w.send(encodeEventBatch(first)))
            return 5;
        const ReceiveResult ack = w.receive();
        if (ack.status != ReceiveResult::Ok || ack.message.type != MessageType::EventsAck ||
            ack.message.integer("seq") != 1 || ack.message.integer("n") != 4)
            return 6;
        const int64_t taskId = id;
        [[maybe_unused]] const ssize_t n = ::write(acked[1], &taskId, sizeof taskId);
        EventBatch second;
        second.seq = 2;
        second.events = {{0, clock::monotonicNs(), EventType::TaskEnd, uint32_t(w.taskQueue), id, 0, 0},
                         {0, clock::monotonicNs(), EventType::QueuePut, uint32_t(w.resultQueue), item, 0, 0}};
        const QByteArray frame = encodeEventBatch(second);
        w.send(frame.left(frame.size() / 2));
        ::raise(SIGKILL);
        return 7;
    });
    ::close(acked[1]);
    int64_t heldTask = 0;
    pollfd p{acked[0], POLLIN, 0};
    const bool gotAck = ::poll(&p, 1, 20000) > 0 && ::read(acked[0], &heldTask, sizeof heldTask) == sizeof heldTask;
    ::close(acked[0]);
    ASSERT_TRUE(doomed.join(20s));
    ASSERT_TRUE(gotAck) << "the doomed worker exited with " << doomed.exitCode().value_or(-1);
    EXPECT_EQ(doomed.signal(), SIGKILL);

    // Its task goes back to the queue; an honest worker finishes both.
    Process honest = spawnWorker(port, "honest", 20);
    std::map<int64_t, TaskResult> results;
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (results.size() < 2 && std::chrono::steady_clock::now() < until) {
        if (auto r = master->getResult(100ms))
            results.emplace(r->id, *r);
    }
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results.at(heldTask).worker, "honest");
    EXPECT_EQ(master->stats().requeued, 1);
    master->stop();
    finish(honest);
    master.reset();
    const TraceModel model = stopRecording();

    // Everything the master acknowledged is in the trace; nothing of the half batch is.
    // A worker on this machine: its events are on the row of its real pid, beside its own recording.
    const ProcessInfo *process = model.process(doomed.pid());
    ASSERT_NE(process, nullptr);
    const auto starts = eventsOf(model, process->pid, EventType::TaskStart);
    ASSERT_EQ(starts.size(), 1u);
    EXPECT_EQ(starts[0]->arg, heldTask);
    EXPECT_EQ(eventsOf(model, process->pid, EventType::QueueGet).size(), 1u);
    EXPECT_EQ(eventsOf(model, process->pid, EventType::Output).size(), 1u);
    int sentNames = 0;
    for (const Event *e : eventsOf(model, process->pid, EventType::ThreadName))
        sentNames += model.data().string(e->object) == "doomed main";
    EXPECT_EQ(sentNames, 1);
    EXPECT_TRUE(eventsOf(model, process->pid, EventType::TaskEnd).empty());
    EXPECT_TRUE(eventsOf(model, process->pid, EventType::QueuePut).empty());
    // A child of the master's process: its reaper, not the broken connection, tells how it ended.
    EXPECT_TRUE(process->exited);
    EXPECT_TRUE(process->signaled);
    EXPECT_EQ(process->exitStatus, SIGKILL);
    // The task it held started again in the honest worker.
    const ProcessInfo *other = networkProcess(model, "honest@");
    ASSERT_NE(other, nullptr);
    std::set<int64_t> ended;
    for (const Event *e : eventsOf(model, other->pid, EventType::TaskEnd))
        ended.insert(e->arg);
    EXPECT_TRUE(ended.count(heldTask));
}

TEST_F(NetObserve, TimesOffByLessThanTheToleranceAreMovedToKeepCauseBeforeEffect)
{
    // A worker whose events contradict the order of things by half a second (within the tolerance
    // for a bad estimate, far beyond its error): its get is stamped before the master handed the
    // item out, its put after the master received it. The master moves them, and counts it.
    startRecording();
    std::unique_ptr<Master> master = std::make_unique<Master>(options());
    std::string error;
    ASSERT_TRUE(master->listen(error)) << error;
    master->put(9);
    master->start();
    HandWorker w;
    ASSERT_TRUE(w.login(master->port(), "confused"));
    const QCborMap task = w.getTask();
    ASSERT_FALSE(task.isEmpty());
    const int64_t id = task.value(QLatin1String("id")).toInteger();
    const int64_t item = task.value(QLatin1String("item")).toInteger();
    const int64_t now = clock::monotonicNs();
    EventBatch batch;
    batch.seq = 1;
    batch.threads = {{0, int32_t(getpid())}};
    batch.events = {{0, now - 500'000'000, EventType::QueueGet, uint32_t(w.taskQueue), item, 0, 0},
                    {0, now - 499'000'000, EventType::TaskStart, uint32_t(w.taskQueue), id, 0, 0},
                    {0, now + 600'000'000, EventType::TaskEnd, uint32_t(w.taskQueue), id, 0, 0},
                    {0, now + 601'000'000, EventType::QueuePut, uint32_t(w.resultQueue), item, 0, 0}};
    ASSERT_TRUE(w.send(encodeEventBatch(batch)));
    const ReceiveResult ack = w.receive();
    ASSERT_EQ(ack.status, ReceiveResult::Ok);
    ASSERT_EQ(ack.message.type, MessageType::EventsAck);
    QCborMap put;
    put.insert(QLatin1String("q"), QLatin1String("result"));
    put.insert(QLatin1String("id"), qint64(id));
    put.insert(QLatin1String("item"), qint64(item));
    put.insert(QLatin1String("r"), 81);
    ASSERT_TRUE(w.send(encodeFrame(MessageType::Put, put)));
    const auto result = master->getResult(10s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->r, 81);
    ASSERT_TRUE(w.send(encodeFrame(MessageType::Bye, QCborMap{{QLatin1String("status"), 0}})));
    master->stop();
    const std::vector<WorkerTrace> traces = master->workerTraces();
    master.reset();
    const TraceModel model = stopRecording();

    ASSERT_EQ(traces.size(), 1u);
    EXPECT_EQ(traces[0].events, 4);
    EXPECT_EQ(traces[0].adjusted, 4);
    EXPECT_GE(traces[0].maxAdjustNs, 400'000'000);
    const ProcessInfo *process = networkProcess(model, "worker confused@");
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(process->exitStatus, 0);
    // Each of its events is where causality puts it, in order, and the trip goes forward.
    const auto [taskQueue, resultQueue] = queuesOf(model);
    int flows = 0;
    for (const Flow &f : model.flows()) {
        if (f.kind != FlowKind::Task && f.kind != FlowKind::Queue)
            continue;
        const bool involved = pidOf(model, f.fromThread) == process->pid || pidOf(model, f.toThread) == process->pid;
        if (!involved)
            continue;
        ++flows;
        EXPECT_GE(f.toTime, f.fromTime) << flowKindName(f.kind) << " flow of " << f.id;
        EXPECT_TRUE(f.kind == FlowKind::Task || f.object == taskQueue || f.object == resultQueue);
    }
    EXPECT_EQ(flows, 3) << "submit -> start, task put -> get, result put -> get";
    int64_t last = INT64_MIN;
    for (const Event &e : model.data().events) {
        if (model.data().threads[e.thread].pid != process->pid)
            continue;
        EXPECT_GE(e.time, last) << eventTypeName(e.type);
        last = e.time;
    }
}
