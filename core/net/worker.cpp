// SPDX-License-Identifier: MIT
#include "net/worker.h"

#include "instrument/blocking.h"
#include "net/eventshipper.h"
#include "net/socket.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <QCborMap>

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

namespace interleave::core::net {

namespace {
int64_t deadlineAfter(std::chrono::milliseconds d)
{
    return clock::monotonicNs() + int64_t(d.count()) * 1000000;
}
} // namespace

MasterConnection::~MasterConnection()
{
    close();
}

void MasterConnection::close(int status)
{
    if (m_fd >= 0) {
        // What happened since the last batch (the last waits, "worker exit.") goes first.
        shipEvents();
    }
    if (m_fd >= 0) {
        QCborMap bye;
        bye.insert(QLatin1String("status"), status);
        sendAll(m_fd, encodeFrame(MessageType::Bye, bye), deadlineAfter(std::chrono::milliseconds(200)));
        ::close(m_fd);
    }
    m_fd = -1;
}

bool MasterConnection::answerProbes(int64_t deadline, std::string &why)
{
    // NTP's four times, two of them ours: when each probe arrived and when our answer left. The
    // master keeps its own two and picks the probe with the shortest round trip.
    for (;;) {
        const ReceiveResult r = receiveMessage(m_fd, m_buffer, deadline, kMaxLoginFrame);
        const int64_t arrived = clock::monotonicNs() + m_skewNs;
        if (r.status != ReceiveResult::Ok) {
            why = r.status == ReceiveResult::Timeout ? "no clock probe in time" : "the master closed the connection";
            return false;
        }
        if (r.message.type == MessageType::Synced) {
            m_offsetNs = r.message.integer("offset", 0);
            m_rttNs = r.message.integer("rtt", 0);
            return true;
        }
        if (r.message.type != MessageType::Probe) {
            why = std::string("unexpected '") + messageTypeName(r.message.type) + "' while the master probes the clock";
            return false;
        }
        QCborMap pong;
        pong.insert(QLatin1String("n"), r.message.integer("n", 0));
        pong.insert(QLatin1String("w1"), qint64(arrived));
        pong.insert(QLatin1String("w2"), qint64(clock::monotonicNs() + m_skewNs));
        if (!sendAll(m_fd, encodeFrame(MessageType::Pong, pong), deadline)) {
            why = "the master closed the connection";
            return false;
        }
    }
}

bool MasterConnection::shipEvents()
{
    if (!m_shipper || !m_acceptsEvents)
        return true;
    if (m_fd < 0)
        return false;
    for (const EventBatch &batch : m_shipper->take()) {
        const int64_t deadline = deadlineAfter(std::chrono::seconds(10));
        if (!sendAll(m_fd, encodeEventBatch(batch), deadline))
            return false;
        // Synchronous: a batch is the worker's to forget only once the master has it in its trace.
        for (;;) {
            const ReceiveResult r = receiveMessage(m_fd, m_buffer, deadline);
            if (r.status != ReceiveResult::Ok)
                return false;
            if (r.message.type == MessageType::Bye) {
                m_masterLeaving = true; // its farewell crossed our batch: the ack still comes
                continue;
            }
            if (r.message.type != MessageType::EventsAck || r.message.integer("seq") != batch.seq)
                return false;
            break;
        }
    }
    return true;
}

bool MasterConnection::connect(const std::string &host, uint16_t port, const QByteArray &authkey,
                               const std::string &name, std::chrono::milliseconds loginTimeout, std::string &error)
{
    if (authkey.isEmpty()) {
        error = "refusing to log in with an empty authkey";
        return false;
    }
    const int64_t deadline = deadlineAfter(loginTimeout);
    m_refused = false;
    m_fd = connectTcp(host, port, deadline, error);
    if (m_fd < 0)
        return false;
    const std::string where = host + ":" + std::to_string(port);
    auto fail = [&](const std::string &why) {
        error = "login to " + where + " failed: " + why;
        ::close(m_fd);
        m_fd = -1;
        return false;
    };
    // Only the login is read until it succeeds, with the login's small frame limit.
    ReceiveResult hello = receiveMessage(m_fd, m_buffer, deadline, kMaxLoginFrame);
    if (hello.status != ReceiveResult::Ok || hello.message.type != MessageType::Hello)
        return fail(hello.status == ReceiveResult::Timeout ? "no hello in time" : "no hello from the master");
    if (hello.message.integer("v") != kProtocolVersion) {
        m_refused = true;
        return fail("the master speaks protocol version " + std::to_string(hello.message.integer("v")));
    }
    const QByteArray masterChallenge = hello.message.bytes("challenge");
    if (masterChallenge.size() != kChallengeBytes)
        return fail("the master's challenge is malformed");
    const QByteArray ownChallenge = auth::newChallenge();
    QCborMap login;
    login.insert(QLatin1String("v"), kProtocolVersion);
    login.insert(QLatin1String("name"), QString::fromStdString(name));
    login.insert(QLatin1String("pid"), qint64(getpid()));
    login.insert(QLatin1String("challenge"), ownChallenge);
    login.insert(QLatin1String("proof"), auth::workerProof(authkey, masterChallenge, ownChallenge));
    if (!sendAll(m_fd, encodeFrame(MessageType::Login, login), deadline))
        return fail("the master closed the connection");
    ReceiveResult answer = receiveMessage(m_fd, m_buffer, deadline, kMaxLoginFrame);
    if (answer.status == ReceiveResult::Ok && answer.message.type == MessageType::Refused) {
        m_refused = true;
        return fail("refused by the master (" + answer.message.text("why").left(100).toStdString() + ")");
    }
    if (answer.status != ReceiveResult::Ok || answer.message.type != MessageType::Welcome)
        return fail(answer.status == ReceiveResult::Timeout ? "no answer in time" : "the master closed the connection");
    // The master proves the key too: a stranger who took the address gets no work from us.
    const QByteArray expected = auth::masterProof(authkey, masterChallenge, ownChallenge);
    if (!auth::constantTimeEqual(answer.message.bytes("proof"), expected)) {
        m_refused = true;
        return fail("the master could not prove that it knows the authkey");
    }
    m_taskQueue = uint32_t(answer.message.integer("tq", 0));
    m_resultQueue = uint32_t(answer.message.integer("rq", 0));
    m_acceptsEvents = answer.message.integer("ev", 0) == 1;
    m_leaseMs = std::max<int64_t>(0, answer.message.integer("lease_ms", 0));
    std::string why;
    if (m_acceptsEvents && !answerProbes(deadline, why))
        return fail(why);
    return true;
}

MasterConnection::GetStatus MasterConnection::getTask(std::chrono::milliseconds timeout, Task &task)
{
    QCborMap get;
    get.insert(QLatin1String("q"), QLatin1String("task"));
    get.insert(QLatin1String("timeout_ms"), qint64(timeout.count()));
    if (m_masterLeaving || !shipEvents())
        return GetStatus::Gone;
    if (m_fd < 0 || !sendAll(m_fd, encodeFrame(MessageType::Get, get), deadlineAfter(std::chrono::seconds(5))))
        return GetStatus::Gone;
    // In the master's log the wait is on the master's queue (blocked: queue), else on a socket.
    const bool trace = recorder::enabled() && m_taskQueue != 0;
    if (trace)
        recorder::record(EventType::QueueGetWait, m_taskQueue, 0, Timed);
    // The master answers by the timeout; the margin covers a loaded machine.
    const ReceiveResult r = [&] {
        std::optional<IoWait> wait;
        if (!trace)
            wait.emplace("socket: task queue");
        return receiveMessage(m_fd, m_buffer, deadlineAfter(timeout + std::chrono::seconds(10)));
    }();
    GetStatus status = GetStatus::Gone;
    if (r.status == ReceiveResult::Ok && r.message.type == MessageType::Bye)
        m_masterLeaving = true;
    if (r.status == ReceiveResult::Stopped)
        status = GetStatus::Stopped;
    else if (r.status == ReceiveResult::Ok && r.message.type == MessageType::Empty)
        status = GetStatus::Empty;
    if (status == GetStatus::Empty)
        m_heldElsewhere = std::max<int64_t>(0, r.message.integer("held", 0));
    else if (r.status == ReceiveResult::Ok && r.message.type == MessageType::Task)
        status = GetStatus::Task;
    if (status == GetStatus::Task) {
        task.id = r.message.integer("id", 0);
        task.n = r.message.integer("n", 0);
        task.item = r.message.integer("item", 0);
    }
    if (trace) // item 0: the get gave up, as Queue<T> records it
        recorder::record(EventType::QueueGet, m_taskQueue, status == GetStatus::Task ? task.item : 0,
                         status == GetStatus::Task ? 0 : Timed);
    return status;
}

bool MasterConnection::stillWorking(const Task &task)
{
    QCborMap alive;
    alive.insert(QLatin1String("id"), qint64(task.id));
    return m_fd >= 0 && sendAll(m_fd, encodeFrame(MessageType::Alive, alive), deadlineAfter(std::chrono::seconds(5)));
}

bool MasterConnection::masterSaidGoodbye()
{
    // The peer's end is already here, so this does not wait; a few frames at most (an Empty, a
    // probe of a batch ack) can come before the goodbye.
    const int64_t deadline = deadlineAfter(std::chrono::milliseconds(200));
    for (int frames = 0; !m_masterLeaving && m_fd >= 0 && frames < 64; ++frames) {
        const ReceiveResult r = receiveMessage(m_fd, m_buffer, deadline);
        if (r.status != ReceiveResult::Ok)
            break;
        m_masterLeaving = r.message.type == MessageType::Bye;
    }
    return m_masterLeaving;
}

bool MasterConnection::putResult(const Task &task, int64_t result)
{
    QCborMap put;
    put.insert(QLatin1String("q"), QLatin1String("result"));
    put.insert(QLatin1String("id"), qint64(task.id));
    put.insert(QLatin1String("item"), qint64(task.item));
    put.insert(QLatin1String("r"), qint64(result));
    if (recorder::enabled() && m_resultQueue != 0)
        recorder::record(EventType::QueuePut, m_resultQueue, task.item);
    // The put is in the master's trace before the master can take the result: its flow goes forward.
    if (!shipEvents())
        return false;
    return m_fd >= 0 && sendAll(m_fd, encodeFrame(MessageType::Put, put), deadlineAfter(std::chrono::seconds(5)));
}

namespace {

/// One run of the chapter's task_worker: its lines, its connection to the master, its tasks.
class WorkerRun
{
public:
    explicit WorkerRun(const WorkerOptions &options)
        : m_options(options)
    {}

    int run();

private:
    /// A console line ("run task ...", "worker exit.").
    void print(const std::string &line) const
    {
        if (m_options.print) {
            m_options.print(line);
        } else {
            std::printf("%s\n", line.c_str());
            std::fflush(stdout);
        }
    }
    /// An error line.
    void log(const std::string &line) const
    {
        if (m_options.log)
            m_options.log(line);
        else
            std::fprintf(stderr, "worker: %s\n", line.c_str());
    }
    /// A console line that a shipping worker also records for the master's trace.
    void say(const std::string &line) const
    {
        if (m_shipper) // its console lines show in the master's trace too
            recorder::record(EventType::Output, recorder::intern(line), 1);
        print(line);
    }
    // A master that said goodbye has ended as it should; one that vanished without a word was
    // killed, or the network broke: that is a failure, named in one line and in the exit status.
    void gone()
    {
        say("master is gone.");
        m_lost = !m_master.masterSaidGoodbye();
    }
    /// Connects and logs in, trying again while that may still help; false after a line saying why not.
    bool connect();
    /// Records this worker's own events for the master, when it takes them and nobody else records them.
    void startShipping();
    /// Takes and runs tasks until the queue stayed empty, the master is gone or a stop is asked for.
    void takeTasks();
    enum class TaskOutcome
    {
        Done,    ///< its result is with the master
        Stopped, ///< a stop was asked for: left leased, the master re-queues it
        Gone,    ///< the master is gone
    };
    TaskOutcome runTask(const MasterConnection::Task &task);
    /// The work at the chapter's pace, with an "alive" three times per lease so the master keeps
    /// the task ours.
    TaskOutcome work(const MasterConnection::Task &task);

    const WorkerOptions &m_options;
    std::unique_ptr<EventShipper> m_shipper; // outlives `m_master`, which ships its last events on close
    MasterConnection m_master;
    /// Records on the master's queues: into the master's own log, or into its own for the master.
    bool m_trace = false;
    bool m_lost = false;
};

int WorkerRun::run()
{
    if (m_options.authkey.isEmpty()) {
        log("refusing to log in with an empty authkey");
        return WorkerBadInput;
    }
    print("Connect to server " + m_options.host + ":" + std::to_string(m_options.port) + "...");
    m_master.setClockSkew(m_options.clockSkew.count());
    if (!connect())
        return WorkerLoginFailed;
    startShipping();
    // Only a worker recording into the master's own log, or into its own for the master, names
    // the master's queues.
    m_trace = recorder::enabled() && m_master.taskQueueId() != 0;
    takeTasks();
    say("worker exit.");
    m_master.close(m_lost ? WorkerMasterLost : WorkerDone);
    m_master.setShipper(nullptr);
    if (m_lost) {
        log("the connection to the master broke without its goodbye (was the master killed?)");
        return WorkerMasterLost;
    }
    return WorkerDone;
}

bool WorkerRun::connect()
{
    std::string error;
    const int64_t retryUntil = deadlineAfter(m_options.connectRetry);
    bool retrying = false;
    auto backoff = std::chrono::milliseconds(100);
    while (!m_master.connect(m_options.host, m_options.port, m_options.authkey, m_options.name, m_options.loginTimeout,
                             error)) {
        // A master that refused us (wrong key, another protocol) or could not prove the key will
        // not change its mind. Anything else (nobody listens yet, a master too busy to say hello,
        // a connection closed before the login) is tried again, less and less often.
        if (m_master.refused() || clock::monotonicNs() >= retryUntil || instrument::stopRequested()) {
            log(error);
            return false;
        }
        if (!retrying) {
            log(error + "; trying again for " + std::to_string(m_options.connectRetry.count() / 1000) + " s");
            retrying = true;
        }
        // Never past the deadline: --retry S gives up after S seconds, not after the next wait.
        std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(
            backoff, std::chrono::nanoseconds(std::max<int64_t>(0, retryUntil - clock::monotonicNs()))));
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
    return true;
}

void WorkerRun::startShipping()
{
    // A worker that does not share the master's log records its own and sends it (the master
    // then shows it as a process of its trace, wherever it runs).
    if (m_options.shipEvents && !recorder::enabled() && m_master.acceptsEvents()) {
        std::string why;
        m_shipper = EventShipper::start(m_options.name, m_options.clockSkew.count(), why);
        if (m_shipper)
            m_master.setShipper(m_shipper.get());
        else
            log("cannot record this worker's events for the master: " + why);
    }
}

void WorkerRun::takeTasks()
{
    int64_t idleSince = clock::monotonicNs();
    for (;;) {
        MasterConnection::Task task;
        const auto status = m_master.getTask(m_options.getTimeout, task);
        if (status == MasterConnection::GetStatus::Gone) {
            gone();
            break;
        }
        if (status == MasterConnection::GetStatus::Stopped)
            break;
        if (status == MasterConnection::GetStatus::Empty) {
            // A task another worker holds may come back (its lease runs out): wait for it.
            if (m_master.heldElsewhere() > 0)
                idleSince = clock::monotonicNs();
            if (clock::monotonicNs() - idleSince >= int64_t(m_options.idleExit.count()) * 1000000) {
                say("task queue is empty.");
                break;
            }
            continue;
        }
        const TaskOutcome outcome = runTask(task);
        if (outcome == TaskOutcome::Gone)
            gone();
        if (outcome != TaskOutcome::Done)
            break;
        idleSince = clock::monotonicNs();
    }
}

WorkerRun::TaskOutcome WorkerRun::runTask(const MasterConnection::Task &task)
{
    if (m_trace)
        recorder::record(EventType::TaskStart, m_master.taskQueueId(), task.id);
    say("run task " + std::to_string(task.n) + " * " + std::to_string(task.n) + "...");
    // The start shows in the master's trace while the task runs, not only after it.
    if (!m_master.shipEvents())
        return TaskOutcome::Gone;
    if (const TaskOutcome worked = work(task); worked != TaskOutcome::Done)
        return worked;
    int64_t r = 0;
    if (__builtin_mul_overflow(task.n, task.n, &r)) {
        log("task " + std::to_string(task.id) + ": " + std::to_string(task.n) + " * itself does not fit in 64 bits");
        r = 0;
    }
    if (m_trace)
        recorder::record(EventType::TaskEnd, m_master.taskQueueId(), task.id);
    if (!m_master.putResult(task, r))
        return TaskOutcome::Gone;
    return TaskOutcome::Done;
}

WorkerRun::TaskOutcome WorkerRun::work(const MasterConnection::Task &task)
{
    const auto beat = m_master.leaseMs() > 0 ? std::chrono::milliseconds(std::max<int64_t>(1, m_master.leaseMs() / 3))
                                             : std::chrono::milliseconds::max();
    bool working = true;
    for (auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.pace); working;) {
        const auto slice = std::min(left, beat);
        if (!sleepFor(slice))
            return TaskOutcome::Stopped; // stop requested: leave the task leased; the master re-queues it
        left -= slice;
        working = left.count() > 0;
        if (working && !m_master.stillWorking(task))
            break;
    }
    return working ? TaskOutcome::Gone : TaskOutcome::Done;
}

} // namespace

int runWorker(const WorkerOptions &options)
{
    return WorkerRun(options).run();
}

void closeInheritedSockets()
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return;
    const int own = dirfd(dir);
    std::vector<int> sockets;
    while (const dirent *e = readdir(dir)) {
        const int fd = std::atoi(e->d_name);
        struct stat st = {};
        if (fd > 2 && fd != own && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
            sockets.push_back(fd);
    }
    closedir(dir);
    for (const int fd : sockets)
        ::close(fd);
}

} // namespace interleave::core::net
