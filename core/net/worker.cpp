// SPDX-License-Identifier: MIT
#include "net/worker.h"

#include "instrument/blocking.h"
#include "net/socket.h"
#include "trace/recorder.h"

#include <QCborMap>

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

namespace interleave::core::net {

namespace {
int64_t deadlineAfter(std::chrono::milliseconds d)
{
    return nowNs() + int64_t(d.count()) * 1000000;
}
} // namespace

MasterConnection::~MasterConnection()
{
    close();
}

void MasterConnection::close()
{
    if (m_fd >= 0) {
        sendAll(m_fd, encodeFrame(MessageType::Bye), deadlineAfter(std::chrono::milliseconds(200)));
        ::close(m_fd);
    }
    m_fd = -1;
}

bool MasterConnection::connect(const std::string &host, uint16_t port, const QByteArray &authkey,
                               const std::string &name, std::chrono::milliseconds loginTimeout, std::string &error)
{
    if (authkey.isEmpty()) {
        error = "refusing to log in with an empty authkey";
        return false;
    }
    const int64_t deadline = deadlineAfter(loginTimeout);
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
    if (hello.message.integer("v") != kProtocolVersion)
        return fail("the master speaks protocol version " + std::to_string(hello.message.integer("v")));
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
    if (answer.status == ReceiveResult::Ok && answer.message.type == MessageType::Refused)
        return fail("refused by the master (" + answer.message.text("why").left(100).toStdString() + ")");
    if (answer.status != ReceiveResult::Ok || answer.message.type != MessageType::Welcome)
        return fail(answer.status == ReceiveResult::Timeout ? "no answer in time" : "the master closed the connection");
    // The master proves the key too: a stranger who took the address gets no work from us.
    const QByteArray expected = auth::masterProof(authkey, masterChallenge, ownChallenge);
    if (!auth::constantTimeEqual(answer.message.bytes("proof"), expected))
        return fail("the master could not prove that it knows the authkey");
    m_taskQueue = uint32_t(answer.message.integer("tq", 0));
    m_resultQueue = uint32_t(answer.message.integer("rq", 0));
    return true;
}

MasterConnection::GetStatus MasterConnection::getTask(std::chrono::milliseconds timeout, Task &task)
{
    QCborMap get;
    get.insert(QLatin1String("q"), QLatin1String("task"));
    get.insert(QLatin1String("timeout_ms"), qint64(timeout.count()));
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
    if (r.status == ReceiveResult::Stopped)
        status = GetStatus::Stopped;
    else if (r.status == ReceiveResult::Ok && r.message.type == MessageType::Empty)
        status = GetStatus::Empty;
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

bool MasterConnection::putResult(const Task &task, int64_t result)
{
    QCborMap put;
    put.insert(QLatin1String("q"), QLatin1String("result"));
    put.insert(QLatin1String("id"), qint64(task.id));
    put.insert(QLatin1String("item"), qint64(task.item));
    put.insert(QLatin1String("r"), qint64(result));
    if (recorder::enabled() && m_resultQueue != 0)
        recorder::record(EventType::QueuePut, m_resultQueue, task.item);
    return m_fd >= 0 && sendAll(m_fd, encodeFrame(MessageType::Put, put), deadlineAfter(std::chrono::seconds(5)));
}

int runWorker(const WorkerOptions &options)
{
    auto print = [&](const std::string &line) {
        if (options.print) {
            options.print(line);
        } else {
            std::printf("%s\n", line.c_str());
            std::fflush(stdout);
        }
    };
    auto log = [&](const std::string &line) {
        if (options.log)
            options.log(line);
        else
            std::fprintf(stderr, "worker: %s\n", line.c_str());
    };
    if (options.authkey.isEmpty()) {
        log("refusing to log in with an empty authkey");
        return WorkerBadInput;
    }
    print("Connect to server " + options.host + ":" + std::to_string(options.port) + "...");
    MasterConnection master;
    std::string error;
    const int64_t retryUntil = deadlineAfter(options.connectRetry);
    bool retrying = false;
    while (!master.connect(options.host, options.port, options.authkey, options.name, options.loginTimeout, error)) {
        // Only "nobody listens yet" is worth retrying; a refused login is final.
        if (error.find("login") != std::string::npos || nowNs() >= retryUntil || instrument::stopRequested()) {
            log(error);
            return WorkerLoginFailed;
        }
        if (!retrying) {
            log(error + "; trying again for " + std::to_string(options.connectRetry.count() / 1000) + " s");
            retrying = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Only a worker recording into the master's own log names the master's queues.
    const bool trace = recorder::enabled() && master.taskQueueId() != 0;
    int64_t idleSince = nowNs();
    for (;;) {
        MasterConnection::Task task;
        const auto status = master.getTask(options.getTimeout, task);
        if (status == MasterConnection::GetStatus::Gone) {
            print("master is gone.");
            break;
        }
        if (status == MasterConnection::GetStatus::Stopped)
            break;
        if (status == MasterConnection::GetStatus::Empty) {
            if (nowNs() - idleSince >= int64_t(options.idleExit.count()) * 1000000) {
                print("task queue is empty.");
                break;
            }
            continue;
        }
        if (trace)
            recorder::record(EventType::TaskStart, master.taskQueueId(), task.id);
        print("run task " + std::to_string(task.n) + " * " + std::to_string(task.n) + "...");
        if (!sleepFor(options.pace))
            break; // stop requested: leave the task leased; the master re-queues it
        int64_t r = 0;
        if (__builtin_mul_overflow(task.n, task.n, &r)) {
            log("task " + std::to_string(task.id) + ": " + std::to_string(task.n) +
                " * itself does not fit in 64 bits");
            r = 0;
        }
        if (trace)
            recorder::record(EventType::TaskEnd, master.taskQueueId(), task.id);
        if (!master.putResult(task, r)) {
            print("master is gone.");
            break;
        }
        idleSince = nowNs();
    }
    master.close();
    print("worker exit.");
    return WorkerDone;
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
        struct stat st
        {};
        if (fd > 2 && fd != own && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
            sockets.push_back(fd);
    }
    closedir(dir);
    for (const int fd : sockets)
        ::close(fd);
}

} // namespace interleave::core::net
