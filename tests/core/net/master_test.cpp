// SPDX-License-Identifier: MIT
// The master and real worker processes on loopback: results counted once, a killed worker's task
// re-queued, hostile and silent connections closed while honest workers are served.
#include "instrument/process.h"
#include "net/master.h"
#include "net/socket.h"
#include "net/worker.h"
#include "selfcount.h"
#include "trace/clock.h"

#include <QCborMap>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace interleave::core;
using namespace interleave::core::net;
using namespace std::chrono_literals;

namespace {

const QByteArray kKey("s3cret");

/// Every test: no thread, descriptor or child process left behind.
class NetMaster : public interleave::test::NothingLeftBehindTest
{
protected:
    MasterOptions options(std::chrono::milliseconds loginTimeout = 3s)
    {
        MasterOptions o;
        o.host = "127.0.0.1";
        o.port = 0;
        o.authkey = kKey;
        o.loginTimeout = loginTimeout;
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
    std::string logText()
    {
        const std::lock_guard lock(m_logMutex);
        std::string all;
        for (const auto &line : m_log)
            all += line + "\n";
        return all;
    }

    std::mutex m_logMutex;
    std::vector<std::string> m_log;
};

/// Holds a forked worker back until open() (or the gate's end): the worker can be forked before
/// the master starts its threads and still log in later. A child forked while another thread of
/// the test allocates can hang at its first malloc in the ASan build (its allocator takes no lock
/// around fork()), so workers are forked while the test process is still single-threaded.
class Gate
{
public:
    Gate() { EXPECT_EQ(::pipe2(m_fds, O_CLOEXEC), 0); }
    ~Gate()
    {
        for (const int fd : m_fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    Gate(const Gate &) = delete;
    Gate &operator=(const Gate &) = delete;

    /// In the child: blocks until the parent opens the gate or goes away.
    void wait() const
    {
        ::close(m_fds[1]);
        char byte = 0;
        while (::read(m_fds[0], &byte, 1) < 0 && errno == EINTR) {
        }
    }
    void open()
    {
        ::close(m_fds[1]);
        m_fds[1] = -1;
    }

private:
    int m_fds[2] = {-1, -1};
};

Process startWorker(uint16_t port, const std::string &name, std::chrono::milliseconds pace, QByteArray key = kKey,
                    const Gate *gate = nullptr, std::chrono::milliseconds connectRetry = 0ms)
{
    return Process::fork(name, [=] {
        if (gate)
            gate->wait();
        closeInheritedSockets();
        WorkerOptions o;
        o.port = port;
        o.authkey = key;
        o.name = name;
        o.pace = pace;
        o.getTimeout = 200ms;
        o.idleExit = 1500ms;
        o.connectRetry = connectRetry;
        o.print = [](std::string_view) {};
        o.log = [](std::string_view) {};
        return runWorker(o);
    });
}

/// The first lease the master hands out (id 0 when none comes within 15 s), polled every `poll`.
Lease firstLease(Master &master, std::chrono::milliseconds poll = 10ms)
{
    Lease lease;
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (lease.id == 0 && std::chrono::steady_clock::now() < until) {
        for (const Lease &l : master.leases())
            lease = l;
        std::this_thread::sleep_for(poll);
    }
    return lease;
}

/// The worker of `workers` that holds `lease`, stopped with SIGSTOP (null when none holds it).
Process *freezeHolder(std::vector<Process> &workers, const Lease &lease)
{
    for (Process &w : workers) {
        if (w.pid() == lease.pid)
            return ::kill(w.pid(), SIGSTOP) == 0 ? &w : nullptr;
    }
    return nullptr;
}

void joinAll(std::vector<Process> &workers)
{
    for (Process &w : workers) {
        if (!w.join(10s)) {
            ADD_FAILURE() << w.name() << " did not leave";
            w.kill();
            w.join();
        }
    }
}

/// Collects `count` results (or fails after `limit`), keyed by task id.
std::map<int64_t, TaskResult> collect(Master &master, int count, std::chrono::seconds limit = 30s)
{
    std::map<int64_t, TaskResult> results;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (int(results.size()) < count && std::chrono::steady_clock::now() < until) {
        if (auto r = master.getResult(100ms)) {
            EXPECT_TRUE(results.emplace(r->id, *r).second) << "task " << r->id << " counted twice";
        }
    }
    return results;
}

int rawConnect(uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    return fd;
}

/// True when the master closed the connection (EOF or reset) within `limit`; reads and drops data.
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

void sendRaw(int fd, const QByteArray &bytes)
{
    ASSERT_EQ(::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL), ssize_t(bytes.size()));
}

/// Logs in by hand (the protocol, step by step) and returns the socket.
int loginByHand(uint16_t port)
{
    const int fd = rawConnect(port);
    QByteArray buffer;
    const ReceiveResult hello = receiveMessage(fd, buffer, clock::monotonicNs() + 5'000'000'000, kMaxLoginFrame);
    EXPECT_EQ(hello.status, ReceiveResult::Ok);
    const QByteArray mine = auth::newChallenge();
    QCborMap login;
    login.insert(QLatin1String("v"), kProtocolVersion);
    login.insert(QLatin1String("name"), QLatin1String("by-hand"));
    login.insert(QLatin1String("challenge"), mine);
    login.insert(QLatin1String("proof"), auth::workerProof(kKey, hello.message.bytes("challenge"), mine));
    sendRaw(fd, encodeFrame(MessageType::Login, login));
    const ReceiveResult welcome = receiveMessage(fd, buffer, clock::monotonicNs() + 5'000'000'000);
    EXPECT_EQ(welcome.status, ReceiveResult::Ok);
    EXPECT_EQ(welcome.message.type, MessageType::Welcome);
    return fd;
}

} // namespace

TEST_F(NetMaster, TenTasksThreeWorkersEachResultCountedOnce)
{
    Master master(options());
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    for (int i = 0; i < 10; ++i)
        master.put(i * 997 + 3);
    std::vector<Process> workers;
    for (int k = 0; k < 3; ++k)
        workers.push_back(startWorker(master.port(), "worker-" + std::to_string(k), 30ms));
    master.start();
    const auto results = collect(master, 10);
    ASSERT_EQ(results.size(), 10u);
    std::set<int64_t> ns;
    for (const auto &[id, r] : results) {
        EXPECT_EQ(r.r, r.n * r.n) << "task " << id;
        ns.insert(r.n);
    }
    EXPECT_EQ(ns.size(), 10u);
    EXPECT_EQ(master.stats().logins, 3);
    EXPECT_EQ(master.stats().duplicates, 0);
    EXPECT_EQ(master.stats().requeued, 0);
    master.stop();
    joinAll(workers);
    for (const Process &w : workers)
        EXPECT_EQ(w.exitCode(), 0) << w.name();
}

// A worker whose master was killed (no goodbye: the connection just broke) exited 0, as after a
// finished job. Now it says so in one line and exits WorkerMasterLost (the worker program: 1).
TEST_F(NetMaster, AWorkerWhoseMasterWasKilledSaysSoAndFails)
{
    int portPipe[2];
    int logPipe[2];
    ASSERT_EQ(::pipe2(portPipe, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(logPipe, O_CLOEXEC), 0);
    Process masterProcess = Process::fork("master", [&] {
        Master master(options());
        std::string error;
        if (!master.listen(error))
            return 1;
        master.put(7);
        master.start();
        const uint16_t port = master.port();
        if (::write(portPipe[1], &port, sizeof port) != ssize_t(sizeof port))
            return 1;
        for (;;)
            ::pause(); // until killed
    });
    ::close(portPipe[1]);
    uint16_t port = 0;
    ASSERT_EQ(::read(portPipe[0], &port, sizeof port), ssize_t(sizeof port));
    ::close(portPipe[0]);
    const int logFd = logPipe[1];
    Process worker = Process::fork("worker", [port, logFd] {
        closeInheritedSockets();
        WorkerOptions o;
        o.port = port;
        o.authkey = kKey;
        o.name = "orphan";
        o.pace = 1s; // still on its task when the master is killed
        o.getTimeout = 200ms;
        o.idleExit = 30s;
        auto write = [logFd](std::string_view line) {
            const std::string text = std::string(line) + "\n";
            (void)!::write(logFd, text.data(), text.size());
        };
        o.print = write;
        o.log = write;
        return runWorker(o);
    });
    ::close(logPipe[1]);
    std::string log;
    auto readUntil = [&](std::string_view what) {
        char buffer[512];
        while (log.find(what) == std::string::npos) {
            const ssize_t n = ::read(logPipe[0], buffer, sizeof buffer);
            if (n <= 0)
                return false;
            log.append(buffer, size_t(n));
        }
        return true;
    };
    ASSERT_TRUE(readUntil("run task 7 * 7")) << log;
    masterProcess.kill();
    ASSERT_TRUE(masterProcess.join(10s));
    ASSERT_TRUE(worker.join(20s)) << log;
    readUntil("\x01"); // the rest, to the end of the pipe
    ::close(logPipe[0]);
    EXPECT_EQ(worker.exitCode(), WorkerMasterLost) << log;
    EXPECT_NE(log.find("broke without its goodbye"), std::string::npos) << log;
}

TEST_F(NetMaster, KilledWorkersTaskIsRequeuedAndFinishedByAnother)
{
    Master master(options());
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    for (int i = 0; i < 6; ++i)
        master.put(100 + i);
    std::vector<Process> workers;
    for (int k = 0; k < 2; ++k)
        workers.push_back(startWorker(master.port(), "worker-" + std::to_string(k), 400ms));
    master.start();
    // Wait until a worker has held a task for a while: it is in the middle of it.
    Lease victim;
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (victim.id == 0 && std::chrono::steady_clock::now() < until) {
        for (const Lease &l : master.leases()) {
            if (clock::monotonicNs() - l.sinceNs > 100'000'000)
                victim = l;
        }
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_NE(victim.id, 0) << "no worker took a task";
    for (Process &w : workers) {
        if (w.pid() == victim.pid) {
            w.kill();
            w.join();
        }
    }
    const auto results = collect(master, 6);
    ASSERT_EQ(results.size(), 6u) << "a task was lost";
    ASSERT_TRUE(results.count(victim.id));
    EXPECT_NE(results.at(victim.id).worker, victim.worker) << "the dead worker cannot have finished it";
    EXPECT_EQ(results.at(victim.id).r, victim.n * victim.n);
    EXPECT_GE(master.stats().requeued, 1);
    EXPECT_TRUE(logged("re-queued")) << logText();
    EXPECT_TRUE(master.deadLetters().empty());
    master.stop();
    joinAll(workers);
}

// `kill -STOP` of a worker holding a task: no re-queue after 45 s, the master stuck at 5 of 6.
// A worker now renews its lease while it works ("alive" three times per lease); one that says
// nothing for a lease loses its connection and its task, and the honest one, whose tasks take
// longer than a lease, keeps all of its own.
TEST_F(NetMaster, AFrozenWorkersTaskIsRequeuedAfterItsLeaseAndAWorkingOneKeepsItsOwn)
{
    MasterOptions o = options();
    o.lease = 600ms;
    Master master(o);
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    for (int i = 0; i < 4; ++i)
        master.put(200 + i);
    std::vector<Process> workers;
    for (int k = 0; k < 2; ++k)
        workers.push_back(startWorker(master.port(), "worker-" + std::to_string(k), 1500ms)); // 2.5 leases a task
    master.start();
    const Lease victim = firstLease(master);
    ASSERT_NE(victim.id, 0) << "no worker took a task";
    Process *frozen = freezeHolder(workers, victim);
    ASSERT_NE(frozen, nullptr);
    const auto results = collect(master, 4);
    ::kill(frozen->pid(), SIGKILL);
    ::kill(frozen->pid(), SIGCONT);
    frozen->join();
    const pid_t frozenPid = frozen->pid();
    std::erase_if(workers, [frozenPid](const Process &w) { return w.pid() == frozenPid; });
    ASSERT_EQ(results.size(), 4u) << "the frozen worker's task was never re-queued";
    ASSERT_TRUE(results.count(victim.id));
    EXPECT_NE(results.at(victim.id).worker, victim.worker);
    EXPECT_EQ(results.at(victim.id).r, victim.n * victim.n);
    EXPECT_EQ(master.stats().leasesExpired, 1) << "only the frozen worker may lose its lease: " << logText();
    EXPECT_EQ(master.stats().duplicates, 0);
    EXPECT_TRUE(logged("said nothing for 600 ms while holding a task")) << logText();
    master.stop();
    joinAll(workers);
}

// The frozen worker, thawed after its task was re-queued and finished by another, sent its
// late result on a connection the master had closed, and left saying the master was killed.
// Now the master keeps the connection, ignores the late result and counts it once; the thawed
// worker carries on and leaves as it should.
TEST_F(NetMaster, AThawedWorkersLateResultIsIgnoredAndCountedOnce)
{
    MasterOptions o = options();
    o.lease = 600ms;
    Master master(o);
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    for (int i = 0; i < 3; ++i)
        master.put(400 + i);
    std::vector<Process> workers;
    for (int k = 0; k < 2; ++k)
        workers.push_back(startWorker(master.port(), "worker-" + std::to_string(k), 1500ms));
    master.start();
    const Lease victim = firstLease(master);
    ASSERT_NE(victim.id, 0) << "no worker took a task";
    Process *frozen = freezeHolder(workers, victim);
    ASSERT_NE(frozen, nullptr);
    const auto frozenAt = std::chrono::steady_clock::now();
    // Re-queued within the lease (and the poll's tick), not never.
    while (master.stats().requeued == 0 && std::chrono::steady_clock::now() - frozenAt < 10s)
        std::this_thread::sleep_for(5ms);
    const double requeuedAfter = std::chrono::duration<double>(std::chrono::steady_clock::now() - frozenAt).count();
    EXPECT_EQ(master.stats().requeued, 1);
    EXPECT_LT(requeuedAfter, 5.0) << "600 ms lease";
    std::printf("frozen worker's task re-queued after %.2f s (lease 0.6 s)\n", requeuedAfter);
    const auto results = collect(master, 3);
    ASSERT_EQ(::kill(frozen->pid(), SIGCONT), 0);
    // The thawed worker finishes its task and puts its result, which comes too late.
    const auto thawed = std::chrono::steady_clock::now();
    while (master.stats().lateResults == 0 && std::chrono::steady_clock::now() - thawed < 10s)
        std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(master.getResult(300ms).has_value()) << "a late result was counted";
    ASSERT_EQ(results.size(), 3u) << "the frozen worker's task was never re-queued";
    EXPECT_NE(results.at(victim.id).worker, victim.worker);
    EXPECT_EQ(results.at(victim.id).r, victim.n * victim.n);
    const MasterStats stats = master.stats();
    EXPECT_EQ(stats.lateResults, 1) << logText();
    EXPECT_EQ(stats.leasesExpired, 1) << logText();
    EXPECT_EQ(stats.duplicates, 0);
    EXPECT_EQ(stats.refused, 0) << "a late result is not hostile: " << logText();
    EXPECT_TRUE(logged("came after its lease ran out")) << logText();
    master.stop();
    joinAll(workers);
    for (const Process &w : workers)
        EXPECT_EQ(w.exitCode(), 0) << w.name() << " (the thawed one must not think the master was killed)";
}

// `kill -STOP` of a worker holding a task with the command line's workers: the others found the
// queue empty and left before the task's lease ran out, so the master stayed at 5 of 6. A worker
// now waits while the master says other workers hold tasks, and takes the re-queued one.
TEST_F(NetMaster, IdleWorkersStayForATaskAFrozenWorkerMayGiveBack)
{
    MasterOptions o = options();
    o.lease = 2500ms; // longer than a worker's idle exit (1.5 s)
    Master master(o);
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    for (int i = 0; i < 2; ++i)
        master.put(500 + i);
    std::vector<Process> workers;
    for (int k = 0; k < 2; ++k)
        workers.push_back(startWorker(master.port(), "worker-" + std::to_string(k), 300ms));
    master.start();
    const Lease victim = firstLease(master, 2ms);
    ASSERT_NE(victim.id, 0) << "no worker took a task";
    Process *frozen = freezeHolder(workers, victim);
    ASSERT_NE(frozen, nullptr);
    const auto frozenAt = std::chrono::steady_clock::now();
    const auto results = collect(master, 2, 15s);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - frozenAt).count();
    ::kill(frozen->pid(), SIGKILL);
    ::kill(frozen->pid(), SIGCONT);
    frozen->join();
    const pid_t frozenPid = frozen->pid();
    std::erase_if(workers, [frozenPid](const Process &w) { return w.pid() == frozenPid; });
    ASSERT_EQ(results.size(), 2u) << "the frozen worker's task was re-queued but nobody stayed to take it: "
                                  << logText();
    EXPECT_NE(results.at(victim.id).worker, victim.worker);
    EXPECT_LT(seconds, 10.0) << "2.5 s lease";
    std::printf("frozen worker: all results in %.2f s after SIGSTOP (lease 2.5 s)\n", seconds);
    master.stop();
    joinAll(workers);
}

// A worker frozen while its master stopped found, once thawed, its connection closed and left
// saying the master was killed, although the master's goodbye was waiting in its socket.
TEST_F(NetMaster, AWorkerThawedAfterItsMasterStoppedReadsTheGoodbyeAndSucceeds)
{
    MasterOptions o = options();
    o.farewell = 200ms;
    Master master(o);
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    master.put(600);
    std::vector<Process> workers;
    workers.push_back(startWorker(master.port(), "sleeper", 1000ms));
    master.start();
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (master.leases().empty() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(5ms);
    ASSERT_FALSE(master.leases().empty()) << "the worker took no task";
    ASSERT_EQ(::kill(workers[0].pid(), SIGSTOP), 0);
    master.stop(); // says goodbye, waits its farewell, closes
    ASSERT_EQ(::kill(workers[0].pid(), SIGCONT), 0);
    joinAll(workers);
    EXPECT_EQ(workers[0].exitCode(), WorkerDone) << "the master said goodbye; it was not killed";
}

// Holding the master's places with idle unauthenticated sockets (reopened as they close) kept 7
// of 10 honest workers out ("no hello from the master", no retry), and a reconnect flood wrote
// thousands of log lines. Now a newcomer takes the place of the oldest connection that has not
// logged in, workers try again with a backoff, and refusals are summed up once a second.
TEST_F(NetMaster, AFloodOfIdleSocketsCannotKeepHonestWorkersOut)
{
    MasterOptions o = options(1s);
    o.maxConnections = 24;
    o.maxPendingPerAddress = 8;
    Master master(o);
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    master.start();
    const auto began = std::chrono::steady_clock::now();
    const uint16_t port = master.port();
    std::atomic<bool> stop{false};
    std::atomic<int> opened{0};
    std::thread attacker([&] {
        std::vector<int> held;
        while (!stop) {
            // Reopen what the master closed; hold twice as many as it has places.
            std::erase_if(held, [](int fd) {
                char buffer[256]; // the hello, read and ignored, then the close
                ssize_t n;
                while ((n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) {
                }
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                    ::close(fd);
                    return true;
                }
                return false;
            });
            while (held.size() < 48 && !stop) {
                held.push_back(rawConnect(port));
                ++opened;
            }
            std::this_thread::sleep_for(5ms);
        }
        for (const int fd : held)
            ::close(fd);
    });
    while (opened < 48)
        std::this_thread::sleep_for(10ms);
    for (int i = 0; i < 10; ++i)
        master.put(300 + i);
    std::vector<Process> workers;
    for (int k = 0; k < 5; ++k)
        workers.push_back(startWorker(port, "honest-" + std::to_string(k), 20ms, kKey, nullptr, 20000ms));
    const auto started = std::chrono::steady_clock::now();
    const auto results = collect(master, 10);
    // Every honest worker gets in while the flood goes on (the ones that found no task yet too).
    while (master.stats().logins < 5 && std::chrono::steady_clock::now() - started < 25s)
        std::this_thread::sleep_for(10ms);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    stop = true;
    attacker.join();
    EXPECT_EQ(results.size(), 10u) << "honest workers were kept out: " << logText().substr(0, 2000);
    EXPECT_EQ(master.stats().logins, 5) << logText().substr(0, 2000);
    EXPECT_GT(opened.load(), 48) << "the master never closed an idle socket";
    EXPECT_GT(master.stats().refused, 0);
    master.stop();
    const double served = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    joinAll(workers);
    for (const Process &w : workers)
        EXPECT_EQ(w.exitCode(), 0) << w.name();
    // One refusal line a second per kind (at most eight), and one summing up the rest of that
    // second with their count: every refusal is in the log, shown or counted, and the log stays short.
    size_t lines = 0;
    int told = 0;
    {
        const std::lock_guard lock(m_logMutex);
        for (const auto &line : m_log) {
            if (line.find("closed connection") != std::string::npos) {
                ++lines;
                ++told;
            } else if (const size_t more = line.find(" more connection(s) closed"); more != std::string::npos) {
                ++lines;
                told += std::stoi(line.substr(0, more));
            }
        }
    }
    EXPECT_EQ(told, master.stats().refused) << logText().substr(0, 2000);
    EXPECT_LE(double(lines), (served + 1) * 9) << logText().substr(0, 2000); // 8 kinds and the count
    std::printf("flood: workers in after %.1f s, served %.1f s, %d refusals, %zu log lines\n", seconds, served,
                master.stats().refused, lines);
}

TEST_F(NetMaster, TaskThatKillsEveryWorkerGoesToDeadLetters)
{
    MasterOptions o = options();
    o.maxDeaths = 3;
    Master master(o);
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    const int64_t poison = master.put(13);
    master.start();
    for (int attempt = 0; attempt < 3; ++attempt) {
        MasterConnection c;
        ASSERT_TRUE(c.connect("127.0.0.1", master.port(), kKey, "doomed", 3s, error)) << error;
        MasterConnection::Task task;
        ASSERT_EQ(c.getTask(2s, task), MasterConnection::GetStatus::Task);
        EXPECT_EQ(task.id, poison);
    } // each worker leaves holding it
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (master.deadLetters().empty() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(10ms);
    EXPECT_EQ(master.deadLetters(), std::vector<int64_t>{poison});
    EXPECT_EQ(master.stats().requeued, 2);
    MasterConnection late;
    ASSERT_TRUE(late.connect("127.0.0.1", master.port(), kKey, "late", 3s, error)) << error;
    MasterConnection::Task task;
    EXPECT_EQ(late.getTask(300ms, task), MasterConnection::GetStatus::Empty) << "a dead letter was handed out";
    late.close();
    master.stop();
}

TEST_F(NetMaster, HostileConnectionsAreClosedAndAnHonestWorkerIsServed)
{
    Master master(options());
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    const uint16_t port = master.port();
    Gate gate;
    std::vector<Process> workers;
    workers.push_back(startWorker(port, "honest", 10ms, kKey, &gate));
    master.start();

    // Wrong key: refused, and said so.
    {
        MasterConnection c;
        EXPECT_FALSE(c.connect("127.0.0.1", port, "wrong", "intruder", 3s, error));
        EXPECT_NE(error.find("wrong authkey"), std::string::npos) << error;
    }
    // Empty key: refused on both sides before anything is sent.
    {
        MasterConnection c;
        EXPECT_FALSE(c.connect("127.0.0.1", port, QByteArray(), "nokey", 3s, error));
        EXPECT_NE(error.find("empty"), std::string::npos) << error;
        MasterOptions o = options();
        o.authkey.clear();
        Master open(o);
        EXPECT_FALSE(open.listen(error));
        EXPECT_NE(error.find("empty authkey"), std::string::npos) << error;
        WorkerOptions w;
        w.port = port;
        w.print = w.log = [](std::string_view) {};
        EXPECT_EQ(runWorker(w), WorkerBadInput);
    }
    // Garbage, an HTTP request, a 100 MB length prefix, malformed CBOR, an unknown type before
    // login, an unknown type and an out-of-place message after login.
    std::vector<std::pair<std::string, QByteArray>> hostile = {
        {"garbage", QByteArray("\x00\x00\x00\x03\xde\xad\xbe", 7)},
        {"http", QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
        {"100 MB prefix", QByteArray("\x06\x40\x00\x00", 4) + QByteArray(1000, 'A')},
        {"malformed", QByteArray("\x00\x00\x00\x02\xa1\xff", 6)},
        {"unknown type", encodeFrame(MessageType::Hello).replace("hello", "shell")},
        {"put before login", encodeFrame(MessageType::Put)},
    };
    for (const auto &[what, bytes] : hostile) {
        const int fd = rawConnect(port);
        sendRaw(fd, bytes);
        EXPECT_TRUE(closedByPeer(fd)) << what << " was not closed";
        ::close(fd);
    }
    const std::vector<std::pair<std::string, QByteArray>> afterLogin = {
        {"unknown type", encodeFrame(MessageType::Hello).replace("hello", "execx")},
        {"hello", encodeFrame(MessageType::Hello)},
        {"result of a task it does not hold",
         encodeFrame(MessageType::Put, {{QLatin1String("q"), QLatin1String("result")}, {QLatin1String("id"), 1}})},
    };
    for (const auto &[what, bytes] : afterLogin) {
        const int fd = loginByHand(port);
        sendRaw(fd, bytes);
        EXPECT_TRUE(closedByPeer(fd)) << what << " after login was not closed";
        ::close(fd);
    }
    EXPECT_GE(master.stats().refused, 10);
    EXPECT_TRUE(logged("wrong authkey")) << logText();
    EXPECT_TRUE(logged("exceeds the limit")) << logText();
    EXPECT_TRUE(logged("malformed")) << logText();
    EXPECT_TRUE(logged("unknown message type")) << logText();

    // After all that, an honest worker logs in and works.
    for (int i = 0; i < 3; ++i)
        master.put(i + 1);
    gate.open();
    EXPECT_EQ(collect(master, 3).size(), 3u);
    master.stop();
    joinAll(workers);
    EXPECT_EQ(workers[0].exitCode(), 0);

    // A worker with the wrong key exits non-zero.
    Master again(options());
    ASSERT_TRUE(again.listen(error)) << error;
    std::vector<Process> intruders;
    intruders.push_back(startWorker(again.port(), "intruder", 10ms, "wrong"));
    again.start();
    joinAll(intruders);
    EXPECT_EQ(intruders[0].exitCode(), WorkerLoginFailed);
    again.stop();
}

TEST_F(NetMaster, SilentConnectionsAreClosedByTheLoginTimeoutWhileAWorkerWorks)
{
    Master master(options(600ms));
    std::string error;
    ASSERT_TRUE(master.listen(error)) << error;
    for (int i = 0; i < 4; ++i)
        master.put(i + 40);
    Gate gate;
    std::vector<Process> workers;
    workers.push_back(startWorker(master.port(), "worker", 20ms, kKey, &gate));
    master.start();
    std::vector<int> silent;
    for (int i = 0; i < 100; ++i)
        silent.push_back(rawConnect(master.port()));
    gate.open(); // the worker connects behind the hundred silent connections
    EXPECT_EQ(collect(master, 4, 20s).size(), 4u) << "silent connections blocked the worker";
    int closed = 0;
    for (const int fd : silent) {
        closed += closedByPeer(fd, 5s);
        ::close(fd);
    }
    EXPECT_EQ(closed, 100);
    EXPECT_GE(master.stats().refused, 100);
    EXPECT_TRUE(logged("no login within 600 ms")) << logText();
    master.stop();
    joinAll(workers);
}

TEST_F(NetMaster, WorkerRefusesAMasterThatCannotProveTheKey)
{
    // An impostor listening where the master should be: it replays a plausible welcome without
    // knowing the key, and must get no work from the worker.
    std::string error;
    const int listener = listenTcp("127.0.0.1", 0, error);
    ASSERT_GE(listener, 0) << error;
    const uint16_t port = localPort(listener);
    bool sawLogin = false;
    std::thread impostor([&] {
        pollfd p{listener, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0)
            return;
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        QCborMap hello;
        hello.insert(QLatin1String("v"), kProtocolVersion);
        hello.insert(QLatin1String("challenge"), auth::newChallenge());
        sendAll(fd, encodeFrame(MessageType::Hello, hello), clock::monotonicNs() + 5'000'000'000);
        QByteArray buffer;
        const ReceiveResult login = receiveMessage(fd, buffer, clock::monotonicNs() + 5'000'000'000, kMaxLoginFrame);
        sawLogin = login.status == ReceiveResult::Ok && login.message.type == MessageType::Login;
        QCborMap welcome;
        welcome.insert(QLatin1String("proof"), QByteArray(32, '\0'));
        sendAll(fd, encodeFrame(MessageType::Welcome, welcome), clock::monotonicNs() + 5'000'000'000);
        char byte;
        ::recv(fd, &byte, 1, 0); // until the worker hangs up
        ::close(fd);
    });
    MasterConnection c;
    EXPECT_FALSE(c.connect("127.0.0.1", port, kKey, "careful", 3s, error));
    EXPECT_NE(error.find("could not prove"), std::string::npos) << error;
    impostor.join();
    ::close(listener);
    EXPECT_TRUE(sawLogin);
}
