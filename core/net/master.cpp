// SPDX-License-Identifier: MIT
#include "net/master.h"

#include "instrument/blocking.h"
#include "instrument/forkgate.h"
#include "net/eventbatch.h"
#include "net/socket.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCborMap>
#include <QFile>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace interleave::core::net {

namespace {

// How far an event's time, once shifted by the estimate, may lie outside the connection's life
// on the master's clock before it counts as absurd rather than as the estimate's error.
constexpr int64_t kTimeTolerance = 1'000'000'000;
// The longest sleep a worker may report (a day), and the longest gap between its two probe times.
constexpr int64_t kMaxSleepNs = 86'400'000'000'000;
constexpr int64_t kMaxProbeTurnaround = 1'000'000'000;

// Synthetic pid blocks, process-wide so that two masters in one process never share one.
std::atomic<int32_t> g_foreignBlocks{0};

// The master's clock: the trace's time base while it records, so that shifted worker events and
// its own events compare directly.
int64_t clockNow()
{
    return recorder::now();
}

// The parent of a process of this machine, from /proc/PID/stat; 0 when there is no such process.
int32_t parentOf(int32_t pid)
{
    if (pid <= 1)
        return 0;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.read(1024);
    const qsizetype paren = text.lastIndexOf(')');
    // ") S PPID ...": the state, then the parent.
    const QList<QByteArray> fields = paren < 0 ? QList<QByteArray>() : text.mid(paren + 2).split(' ');
    return fields.size() > 1 ? int32_t(fields[1].toInt()) : 0;
}

// Printable text only: a worker's strings become names and lines in the master's trace.
std::string printable(std::string text)
{
    for (char &ch : text) {
        if ((ch >= 0 && ch < 0x20) || ch == 0x7f)
            ch = '?';
    }
    return text;
}

} // namespace

/// What the master knows of a worker's own recording: its process in the trace, its threads
/// (each written through its own ForeignThread), the strings and batches it declared.
struct Master::Foreign
{
    struct Thread
    {
        std::unique_ptr<recorder::ForeignThread> writer;
        int64_t last = INT64_MIN; ///< time of its last event in the trace (times never go back)
    };
    int32_t pid = 0;
    int32_t nextTid = 1;
    /// On this machine: pid and tids are the worker's real ones (else a synthetic block).
    bool local = false;
    bool child = false;   ///< a child of this process: its reaper records its exit
    int32_t ppid = 0;     ///< its real parent, when local
    bool started = false; ///< ProcessStart written
    int64_t seq = 0;      ///< last batch taken
    std::map<int64_t, Thread> threads;
    std::unordered_map<uint32_t, uint32_t> strings; ///< worker's id -> trace string id
};

struct Master::Connection
{
    int fd = -1;
    std::string peer;
    bool loopback = false; ///< the peer is this machine
    bool loggedIn = false;
    int64_t loginDeadline = 0;
    QByteArray challenge;
    std::string name;
    int32_t pid = 0;
    QByteArray in;
    QByteArray out;
    int64_t getDeadline = -1;                              ///< a "get" waiting for a task until then; -1: none
    int64_t getSince = 0;                                  ///< for fairness: the longest waiting get is served first
    std::map<int64_t, std::pair<int64_t, int64_t>> leases; ///< task id -> (item id, since)
    int64_t lastHeard = 0; ///< monotonic ns of its last frame, or of the last hand-out to it
    bool closing = false;
    int64_t acceptedAt = 0; ///< on the master's clock (clockNow)
    // The clock probes: NTP's four times, the master's two kept here, the worker's two in its pong.
    int probes = 0; ///< answered so far
    int64_t probeSentAt = 0;
    bool synced = false;
    int64_t offsetNs = 0; ///< master clock - worker clock, from the probe with the shortest round trip
    int64_t rttNs = -1;
    /// Everything handed to this worker, for checking its events and placing them after the hand-out:
    /// item -> (task id, hand-out time), and task id -> its last hand-out time.
    std::map<int64_t, std::pair<int64_t, int64_t>> handed;
    std::map<int64_t, int64_t> handedTasks;
    std::unique_ptr<Foreign> foreign;
    int byeStatus = -1;      ///< the status its goodbye announced; -1: it left without one
    size_t trace = SIZE_MAX; ///< index in m_workerTraces
};

Master::Master(MasterOptions options)
    : m_options(std::move(options))
{
    m_taskQueue = recorder::newObject(ObjectKind::NetQueue, "task");
    m_resultQueue = recorder::newObject(ObjectKind::NetQueue, "result");
}

Master::~Master()
{
    stop();
}

void Master::logLine(const std::string &line)
{
    if (m_options.log)
        m_options.log(line);
    else
        std::fprintf(stderr, "master: %s\n", line.c_str());
}

bool Master::listen(std::string &error)
{
    if (m_options.authkey.isEmpty()) {
        error = "refusing to serve with an empty authkey: anyone could log in";
        return false;
    }
    m_listenFd = listenTcp(m_options.host, m_options.port, error);
    if (m_listenFd < 0)
        return false;
    m_port = localPort(m_listenFd);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return true;
}

void Master::start()
{
    if (m_listenFd >= 0 && !m_thread.joinable())
        m_thread = std::thread([this] { serve(); });
}

void Master::wake()
{
    if (m_wakeFd >= 0) {
        const uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
    }
}

void Master::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    wake();
    if (m_thread.joinable())
        m_thread.join();
    for (auto &c : m_connections) {
        // shutdown, not only close: a forked child may hold a copy of the descriptor.
        ::shutdown(c->fd, SHUT_RDWR);
        ::close(c->fd);
    }
    m_connections.clear();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    m_listenFd = m_wakeFd = -1;
    m_resultReady.notify_all();
}

int64_t Master::put(int64_t n)
{
    int64_t id = 0;
    {
        const std::lock_guard lock(m_mutex);
        id = ++m_nextId;
        const int64_t item = ++m_nextItem;
        m_tasks[id].n = n;
        m_queue.emplace_back(id, item);
        recorder::record(EventType::TaskSubmit, m_taskQueue, id);
        recorder::record(EventType::QueuePut, m_taskQueue, item);
        recorder::record(EventType::QueueDepth, m_taskQueue, int64_t(m_queue.size()));
    }
    wake();
    return id;
}

std::optional<TaskResult> Master::getResult(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(m_mutex);
    bool waiting = false;
    while (m_results.empty()) {
        if (instrument::stopRequested() || std::chrono::steady_clock::now() >= deadline || m_stopping) {
            if (waiting) // a get that gives up records item 0, as Queue<T> does
                recorder::record(EventType::QueueGet, m_resultQueue, 0, Timed);
            return std::nullopt;
        }
        if (!waiting) {
            recorder::record(EventType::QueueGetWait, m_resultQueue, 0, Timed);
            waiting = true;
        }
        m_resultReady.wait_for(lock, std::min<std::chrono::nanoseconds>(instrument::kStopPollInterval,
                                                                        deadline - std::chrono::steady_clock::now()));
    }
    TaskResult r = m_results.front();
    m_results.pop_front();
    recorder::record(EventType::QueueGet, m_resultQueue, r.item);
    recorder::record(EventType::QueueDepth, m_resultQueue, int64_t(m_results.size()));
    return r;
}

std::vector<Lease> Master::leases() const
{
    const std::lock_guard lock(m_mutex);
    std::vector<Lease> out;
    for (const auto &c : m_connections) {
        for (const auto &[id, lease] : c->leases)
            out.push_back({id, m_tasks.at(id).n, c->name, c->pid, lease.second});
    }
    return out;
}

std::vector<int64_t> Master::deadLetters() const
{
    const std::lock_guard lock(m_mutex);
    return m_deadLetters;
}

MasterStats Master::stats() const
{
    const std::lock_guard lock(m_mutex);
    MasterStats s = m_stats;
    s.connections = int(m_connections.size());
    return s;
}

std::vector<WorkerTrace> Master::workerTraces() const
{
    const std::lock_guard lock(m_mutex);
    return m_workerTraces;
}

// --- the serving thread ---------------------------------------------------------------------

void Master::serve()
{
    recorder::nameThread("master");
    std::vector<pollfd> fds;
    for (;;) {
        {
            const NoForkSection noFork; // see forkgate.h: the scenario forks workers meanwhile
            const std::lock_guard lock(m_mutex);
            const int64_t now = clock::monotonicNs();
            if (m_stopping) {
                farewell(now);
                if (m_connections.empty())
                    return;
            }
            expire(now);
            handOut(now);
            // Connections closed above are dropped here, between polls.
            std::erase_if(m_connections, [](const auto &c) {
                if (c->closing)
                    ::close(c->fd);
                return c->closing;
            });
            fds.clear();
            fds.push_back({m_wakeFd, POLLIN, 0});
            fds.push_back({m_listenFd, short(now >= m_acceptPausedUntil && !m_stopping ? POLLIN : 0), 0});
            for (const auto &c : m_connections)
                fds.push_back({c->fd, short(POLLIN | (c->out.isEmpty() ? 0 : POLLOUT)), 0});
        }
        // Deadlines (login timeouts, waiting gets) are checked at least this often.
        const int rc = [&] {
            const IoWait wait("sockets of the master"); // blocked on the network, as the timeline shows
            return ::poll(fds.data(), fds.size(), 20);
        }();
        if (rc < 0 && errno != EINTR)
            continue;
        const NoForkSection noFork;
        const std::lock_guard lock(m_mutex);
        if (fds[0].revents & POLLIN) {
            uint64_t value = 0;
            [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &value, sizeof value);
        }
        if (fds[1].revents & POLLIN)
            accept();
        for (size_t i = 2; i < fds.size(); ++i) {
            if (fds[i].revents == 0)
                continue;
            auto it = std::find_if(m_connections.begin(), m_connections.end(),
                                   [&](const auto &c) { return c->fd == fds[i].fd; });
            if (it == m_connections.end() || (*it)->closing)
                continue;
            Connection &c = **it;
            if ((fds[i].revents & POLLOUT) && !c.out.isEmpty())
                send(c, {});
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                readFrom(c);
        }
    }
}

void Master::accept()
{
    for (;;) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            // Out of descriptors: the pending connection stays in the backlog; stop polling the
            // listening socket for a moment instead of spinning on it.
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                m_acceptPausedUntil = clock::monotonicNs() + 100'000'000;
            return;
        }
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        c->peer = peerName(fd);
        c->loopback = peerIsLoopback(fd);
        if (!makeRoomFor(*c)) {
            ++m_stats.refused;
            logRefusal(c->peer, "too many connections, all of them logged in");
            ::close(fd);
            continue;
        }
        // The kernel's keepalive finds a peer that vanished (a machine switched off, a cable
        // pulled) on an idle connection too: after 10 s of silence, 3 probes 3 s apart.
        const int on = 1, idle = 10, interval = 3, probes = 3;
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
        c->loginDeadline = clock::monotonicNs() + int64_t(m_options.loginTimeout.count()) * 1000000;
        c->acceptedAt = clockNow();
        c->challenge = auth::newChallenge();
        QCborMap hello;
        hello.insert(QLatin1String("v"), kProtocolVersion);
        hello.insert(QLatin1String("challenge"), c->challenge);
        send(*c, encodeFrame(MessageType::Hello, hello));
        m_connections.push_back(std::move(c));
    }
}

namespace {

/// "address" of a peer named "address:port" (IPv6 as "[address]:port").
std::string_view addressOf(std::string_view peer)
{
    const size_t colon = peer.rfind(':');
    return colon == std::string_view::npos ? peer : peer.substr(0, colon);
}

} // namespace

bool Master::makeRoomFor(const Connection &newcomer)
{
    // A connection that has not logged in is the cheapest to lose: an honest worker logs in
    // within a round trip, an idle one only holds a place. So when the newcomer's address already
    // has its share of those, or the master is full, the oldest of them goes instead of the
    // newcomer: a flood of idle sockets cannot keep honest workers out.
    const std::string_view address = addressOf(newcomer.peer);
    Connection *oldestPending = nullptr;
    Connection *oldestSameAddress = nullptr;
    int pendingSameAddress = 0;
    int open = 0;
    for (const auto &c : m_connections) {
        if (c->closing)
            continue;
        ++open;
        if (c->loggedIn)
            continue;
        if (!oldestPending || c->loginDeadline < oldestPending->loginDeadline)
            oldestPending = c.get();
        if (addressOf(c->peer) == address) {
            ++pendingSameAddress;
            if (!oldestSameAddress || c->loginDeadline < oldestSameAddress->loginDeadline)
                oldestSameAddress = c.get();
        }
    }
    if (pendingSameAddress >= m_options.maxPendingPerAddress) {
        close(*oldestSameAddress, "not logged in, and " + std::string(address) + " opened more", true);
        return true;
    }
    if (open < m_options.maxConnections)
        return true;
    if (!oldestPending)
        return false;
    close(*oldestPending, "not logged in, and the master is full", true);
    return true;
}

void Master::logRefusal(const std::string &peer, const std::string &reason)
{
    // A flood of refusals is summed up, not written out: each reason at most
    // kRefusalLinesPerSecond times a second, the rest counted in one line the next second.
    constexpr int kRefusalLinesPerSecond = 5;
    const int64_t now = clock::monotonicNs();
    if (now - m_refusalWindowStart >= 1'000'000'000) {
        if (m_refusalsHidden > 0)
            logLine(std::to_string(m_refusalsHidden) + " more connection(s) closed in the last second, not shown");
        m_refusalWindowStart = now;
        m_refusalLines.clear();
        m_refusalsHidden = 0;
    }
    if (int &shown = m_refusalLines[reason]; shown < kRefusalLinesPerSecond) {
        ++shown;
        logLine("closed connection from " + peer + ": " + reason);
    } else {
        ++m_refusalsHidden;
    }
}

void Master::send(Connection &c, const QByteArray &frame)
{
    c.out.append(frame);
    while (!c.out.isEmpty()) {
        const ssize_t n = ::send(c.fd, c.out.constData(), size_t(c.out.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            c.out.remove(0, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // A worker that never reads must not make the master buffer without bound.
            if (c.out.size() > qsizetype(4 * kMaxFrame))
                close(c, "it does not read what it is sent", true);
            return;
        }
        close(c, "the connection broke while sending", false);
        return;
    }
}

void Master::readFrom(Connection &c)
{
    char chunk[16384];
    // The peer's end (EOF or an error) is acted on after the frames read before it: a worker's
    // last batch, result and goodbye often arrive together with its close.
    bool ended = false;
    std::string why;
    for (;;) {
        const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            c.in.append(chunk, n);
        } else if (n == 0) {
            ended = true;
            why = c.loggedIn ? "the worker went away" : "closed before logging in";
            break;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            ended = true;
            why = std::string("the connection broke: ") + std::strerror(errno);
            break;
        }
        // Nothing but the login is read before login: a small limit for it, then decode.
        if (c.in.size() > qsizetype(4 + (c.loggedIn ? kMaxFrame : kMaxLoginFrame)) * 2)
            break;
    }
    const int64_t now = clock::monotonicNs();
    const int64_t arrived = clockNow(); // T3 of a clock probe; the latest any event in these frames happened
    if (c.in.size() >= 4)
        c.lastHeard = now; // any word from the worker renews its lease
    while (!c.closing) {
        const FrameResult frame = decodeFrame(reinterpret_cast<const uint8_t *>(c.in.constData()), size_t(c.in.size()),
                                              c.loggedIn ? kMaxFrame : kMaxLoginFrame);
        if (frame.status == FrameResult::NeedMore)
            break;
        if (frame.status == FrameResult::Error) {
            close(c, frame.error, true);
            return;
        }
        c.in.remove(0, qsizetype(frame.consumed));
        if (!handle(c, frame.message, now, arrived))
            return;
    }
    if (ended && !c.closing)
        close(c, why, !c.loggedIn);
}

bool Master::handleLogin(Connection &c, const Message &m)
{
    if (m.type != MessageType::Login) {
        close(c, std::string("sent '") + messageTypeName(m.type) + "' before logging in", true);
        return false;
    }
    if (m.integer("v") != kProtocolVersion) {
        QCborMap why;
        why.insert(QLatin1String("why"),
                   QStringLiteral("protocol version %1 is not %2").arg(m.integer("v")).arg(kProtocolVersion));
        send(c, encodeFrame(MessageType::Refused, why));
        close(c, "protocol version " + std::to_string(m.integer("v")) + " is not " + std::to_string(kProtocolVersion),
              true);
        return false;
    }
    const QByteArray workerChallenge = m.bytes("challenge");
    const QByteArray expected = auth::workerProof(m_options.authkey, c.challenge, workerChallenge);
    if (workerChallenge.size() != kChallengeBytes || !auth::constantTimeEqual(m.bytes("proof"), expected)) {
        QCborMap why;
        why.insert(QLatin1String("why"), QStringLiteral("wrong authkey"));
        send(c, encodeFrame(MessageType::Refused, why));
        close(c, "wrong authkey", true);
        return false;
    }
    c.loggedIn = true;
    // The name goes into log lines: printable ASCII only, so a worker cannot forge lines.
    c.name = m.text("name").left(64).toStdString();
    for (char &ch : c.name) {
        if (ch < 0x20 || ch > 0x7e)
            ch = '?';
    }
    if (c.name.empty())
        c.name = c.peer;
    c.pid = int32_t(m.integer("pid", 0));
    ++m_stats.logins;
    QCborMap welcome;
    welcome.insert(QLatin1String("proof"), auth::masterProof(m_options.authkey, c.challenge, workerChallenge));
    welcome.insert(QLatin1String("tq"), qint64(m_taskQueue));
    welcome.insert(QLatin1String("rq"), qint64(m_resultQueue));
    // Only a master that records has a trace to put a worker's events in.
    const bool records = m_taskQueue != 0 && recorder::enabled();
    welcome.insert(QLatin1String("ev"), records ? 1 : 0);
    welcome.insert(QLatin1String("lease_ms"), qint64(m_options.lease.count()));
    send(c, encodeFrame(MessageType::Welcome, welcome));
    m_workerTraces.push_back({c.name, c.peer, c.pid, 0, {}, 0, -1, 0, 0, 0, 0, true});
    c.trace = m_workerTraces.size() - 1;
    if (records && m_options.clockProbes > 0) {
        sendProbe(c);
    } else if (records) { // told not to probe: the clocks are taken as equal
        c.synced = true;
        QCborMap synced;
        synced.insert(QLatin1String("offset"), 0);
        synced.insert(QLatin1String("rtt"), -1);
        send(c, encodeFrame(MessageType::Synced, synced));
    }
    return true;
}

bool Master::handle(Connection &c, const Message &m, int64_t now, int64_t arrived)
{
    if (!c.loggedIn)
        return handleLogin(c, m);
    switch (m.type) {
    case MessageType::Get: {
        if (m.text("q") != QLatin1String("task")) {
            close(c, "asked for an unknown queue '" + m.text("q").left(40).toStdString() + "'", true);
            return false;
        }
        const int64_t timeoutMs = std::clamp<int64_t>(m.integer("timeout_ms", 0), 0, 60000);
        c.getDeadline = now + timeoutMs * 1000000;
        c.getSince = now;
        handOut(now);
        return true;
    }
    case MessageType::Put: {
        const int64_t id = m.integer("id");
        auto lease = c.leases.find(id);
        if (m.text("q") != QLatin1String("result") || lease == c.leases.end()) {
            close(c, "put a result for task " + std::to_string(id) + " it does not hold", true);
            return false;
        }
        const int64_t item = lease->second.first;
        c.leases.erase(lease);
        TaskState &task = m_tasks[id];
        if (task.done) {
            ++m_stats.duplicates;
            return true;
        }
        task.done = true;
        m_results.push_back({id, task.n, m.integer("r", 0), item, c.name});
        m_resultReady.notify_all();
        return true;
    }
    case MessageType::Alive:
        return true; // read: the lease is renewed (readFrom)
    case MessageType::Pong:
        return handlePong(c, m, arrived);
    case MessageType::Events:
        return handleEvents(c, m, arrived);
    case MessageType::Bye: {
        const int64_t status = m.integer("status");
        c.byeStatus = status >= 0 && status <= 255 ? int(status) : -1;
        close(c, "the worker said goodbye", false);
        return false;
    }
    default:
        close(c, std::string("unexpected message '") + messageTypeName(m.type) + "'", true);
        return false;
    }
}

void Master::handOut(int64_t now)
{
    if (m_stopping)
        return; // saying goodbye: nothing new goes out
    for (;;) {
        // Drop hand-outs of tasks already done (a re-queued task whose first result came late).
        while (!m_queue.empty() && m_tasks[m_queue.front().first].done)
            m_queue.pop_front();
        if (m_queue.empty())
            return;
        Connection *next = nullptr;
        for (const auto &c : m_connections) {
            if (!c->closing && c->loggedIn && c->getDeadline >= 0 && (!next || c->getSince < next->getSince))
                next = c.get();
        }
        if (!next)
            return;
        const auto [id, item] = m_queue.front();
        m_queue.pop_front();
        next->getDeadline = -1;
        next->leases[id] = {item, now};
        next->lastHeard = now;
        recorder::record(EventType::QueueDepth, m_taskQueue, int64_t(m_queue.size()));
        QCborMap task;
        task.insert(QLatin1String("id"), qint64(id));
        task.insert(QLatin1String("n"), qint64(m_tasks[id].n));
        task.insert(QLatin1String("item"), qint64(item));
        const QByteArray frame = encodeFrame(MessageType::Task, task);
        const int64_t at = clockNow();
        next->handed[item] = {id, at};
        next->handedTasks[id] = at;
        send(*next, frame);
    }
}

void Master::expire(int64_t now)
{
    const int64_t leaseNs = int64_t(m_options.lease.count()) * 1000000;
    for (const auto &c : m_connections) {
        if (c->closing)
            continue;
        if (!c->loggedIn && now >= c->loginDeadline) {
            close(*c, "no login within " + std::to_string(m_options.loginTimeout.count()) + " ms", true);
        } else if (c->loggedIn && !c->leases.empty() && now - c->lastHeard >= leaseNs) {
            ++m_stats.leasesExpired;
            logLine((c->name.empty() ? c->peer : c->name) + " said nothing for " +
                    std::to_string(m_options.lease.count()) +
                    " ms while holding a task (frozen, or unreachable?): closing it");
            close(*c, "its lease ran out", false);
        } else if (c->loggedIn && c->getDeadline >= 0 && now >= c->getDeadline) {
            c->getDeadline = -1;
            send(*c, encodeFrame(MessageType::Empty));
        }
    }
}

void Master::requeue(int64_t id, const std::string &why)
{
    TaskState &task = m_tasks[id];
    if (task.done)
        return;
    if (++task.deaths >= m_options.maxDeaths) {
        task.dead = true;
        m_deadLetters.push_back(id);
        logLine("task " + std::to_string(id) + " (n = " + std::to_string(task.n) +
                ") goes to the dead-letter list: " + std::to_string(task.deaths) + " workers went away holding it");
        m_resultReady.notify_all();
        return;
    }
    const int64_t item = ++m_nextItem;
    // At the front: it was taken first, so it is the oldest work.
    m_queue.emplace_front(id, item);
    ++m_stats.requeued;
    recorder::record(EventType::QueuePut, m_taskQueue, item);
    recorder::record(EventType::QueueDepth, m_taskQueue, int64_t(m_queue.size()));
    logLine("task " + std::to_string(id) + " (n = " + std::to_string(task.n) + ") re-queued: " + why);
}

void Master::close(Connection &c, const std::string &reason, bool refused)
{
    if (c.closing)
        return;
    c.closing = true;
    // Whatever is still buffered (a "refused" reply) gets one last chance before the close.
    if (!c.out.isEmpty()) {
        [[maybe_unused]] const ssize_t n =
            ::send(c.fd, c.out.constData(), size_t(c.out.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    ::shutdown(c.fd, SHUT_RDWR);
    if (refused) {
        ++m_stats.refused;
        logRefusal(c.peer, reason);
    }
    for (const auto &[id, lease] : c.leases)
        requeue(id, (c.name.empty() ? c.peer : c.name) + " went away holding it");
    c.leases.clear();
    endForeign(c);
    if (c.trace < m_workerTraces.size())
        m_workerTraces[c.trace].connected = false;
}

// --- observability: clock probes and the workers' own events -------------------------------------

void Master::sendProbe(Connection &c)
{
    QCborMap probe;
    probe.insert(QLatin1String("n"), c.probes);
    const QByteArray frame = encodeFrame(MessageType::Probe, probe);
    c.probeSentAt = clockNow(); // T0: as late as possible before it leaves
    send(c, frame);
}

bool Master::handlePong(Connection &c, const Message &m, int64_t arrived)
{
    if (c.synced || c.probeSentAt == 0 || m.integer("n") != c.probes) {
        close(c, "answered a clock probe it was not sent", true);
        return false;
    }
    const QCborValue v1 = m.fields.value(QLatin1String("w1"));
    const QCborValue v2 = m.fields.value(QLatin1String("w2"));
    const int64_t w1 = v1.isInteger() ? v1.toInteger() : -1;
    const int64_t w2 = v2.isInteger() ? v2.toInteger() : -1;
    if (w1 < 0 || w1 > kMaxWireTime || w2 < w1 || w2 > kMaxWireTime || w2 - w1 > kMaxProbeTurnaround) {
        close(c, "sent a malformed clock probe answer", true);
        return false;
    }
    // T0 master sends, w1 worker receives, w2 worker answers, T3 (arrived) master receives. The
    // true offset lies in [T0 - w1, T3 - w2]: the middle is off by at most half the round trip.
    const int64_t t0 = c.probeSentAt;
    const int64_t rtt = (arrived - t0) - (w2 - w1);
    if (rtt < 0) {
        close(c, "sent a clock probe answer that took less than no time", true);
        return false;
    }
    const int64_t offset = (t0 - w1) / 2 + (arrived - w2) / 2;
    if (c.rttNs < 0 || rtt < c.rttNs) {
        c.rttNs = rtt;
        c.offsetNs = offset;
    }
    c.probeSentAt = 0;
    if (++c.probes < m_options.clockProbes) {
        sendProbe(c);
        return true;
    }
    c.synced = true;
    if (c.trace < m_workerTraces.size()) {
        m_workerTraces[c.trace].clockOffsetNs = c.offsetNs;
        m_workerTraces[c.trace].clockRttNs = c.rttNs;
    }
    QCborMap synced;
    synced.insert(QLatin1String("offset"), qint64(c.offsetNs));
    synced.insert(QLatin1String("rtt"), qint64(c.rttNs));
    send(c, encodeFrame(MessageType::Synced, synced));
    return true;
}

bool Master::handleEvents(Connection &c, const Message &m, int64_t arrived)
{
    auto refuse = [&](const std::string &why) {
        close(c, why, true);
        return false;
    };
    if (m_taskQueue == 0 || !recorder::enabled())
        return refuse("sent events, but this master records no trace");
    if (!c.synced)
        return refuse("sent events before its clock was probed");
    EventBatch batch;
    std::string error;
    if (!decodeEventBatch(m, batch, error))
        return refuse(error);
    if (!c.foreign) {
        c.foreign = std::make_unique<Foreign>();
        // A worker on this machine is shown as what it is, its real pid; one elsewhere may share a
        // pid with a local process, so it gets a synthetic block (its real pid stays in its name).
        const int32_t ppid = c.loopback ? parentOf(c.pid) : 0;
        const bool taken = std::any_of(m_connections.begin(), m_connections.end(), [&](const auto &other) {
            return other.get() != &c && other->foreign && other->foreign->local && other->foreign->pid == c.pid;
        });
        if (ppid > 0 && c.pid != ::getpid() && !taken) {
            c.foreign->local = true;
            c.foreign->pid = c.pid;
            c.foreign->ppid = ppid;
            c.foreign->child = ppid == ::getpid();
        } else {
            const int32_t block = g_foreignBlocks.fetch_add(1, std::memory_order_relaxed);
            if (block >= (INT32_MAX - kForeignPidBase) / kForeignPidStride - 1)
                return refuse("too many workers sent events to this process");
            c.foreign->pid = kForeignPidBase + block * kForeignPidStride;
        }
    }
    Foreign &f = *c.foreign;

    // Everything is checked before anything is recorded: a batch goes into the trace whole or not at all.
    if (batch.seq != f.seq + 1)
        return refuse("sent event batch " + std::to_string(batch.seq) + " after batch " + std::to_string(f.seq));
    std::map<int64_t, int32_t> newThreads;
    for (const WireThread &t : batch.threads) {
        if (f.threads.count(t.index) || newThreads.count(t.index))
            return refuse("declared thread " + std::to_string(t.index) + " twice");
        if (f.local && t.tid <= 0)
            return refuse("declared thread " + std::to_string(t.index) + " with tid " + std::to_string(t.tid));
        newThreads[t.index] = t.tid;
    }
    if (f.threads.size() + newThreads.size() > size_t(kMaxForeignThreads))
        return refuse("declared more than " + std::to_string(kMaxForeignThreads) + " threads");
    std::unordered_map<uint32_t, const std::string *> newStrings;
    for (const WireString &ws : batch.strings) {
        if (f.strings.count(ws.id) || !newStrings.emplace(ws.id, &ws.text).second)
            return refuse("declared string " + std::to_string(ws.id) + " twice");
    }
    if (f.strings.size() + newStrings.size() > size_t(kMaxForeignStrings))
        return refuse("declared more than " + std::to_string(kMaxForeignStrings) + " strings");
    auto knownString = [&](uint32_t id) { return f.strings.count(id) || newStrings.count(id); };
    const int64_t earliest = c.acceptedAt - kTimeTolerance;
    const int64_t latest = arrived + kTimeTolerance;
    for (const WireEvent &e : batch.events) {
        const std::string what = std::string(eventTypeName(e.type)) + " event";
        if (!f.threads.count(e.thread) && !newThreads.count(e.thread))
            return refuse("sent a " + what + " of thread " + std::to_string(e.thread) + ", which it never declared");
        switch (wireObject(e.type)) {
        case WireObject::None:
            if (e.object != 0)
                return refuse("sent a " + what + " with an object");
            break;
        case WireObject::String:
        case WireObject::OptString:
            if ((e.object != 0 || wireObject(e.type) == WireObject::String) && !knownString(e.object))
                return refuse("sent a " + what + " naming string " + std::to_string(e.object) +
                              ", which it never declared");
            break;
        case WireObject::TaskQueue:
            if (e.object != m_taskQueue)
                return refuse("sent a " + what + " on an object that is not the task queue");
            break;
        case WireObject::ResultQueue:
            if (e.object != m_resultQueue)
                return refuse("sent a " + what + " on an object that is not the result queue");
            break;
        }
        if (e.loc != 0 && !knownString(e.loc))
            return refuse("sent a " + what + " naming call site " + std::to_string(e.loc) +
                          ", which it never declared");
        bool argOk = true;
        bool timedOk = false;
        switch (e.type) {
        case EventType::SleepBegin:
            argOk = e.arg >= 0 && e.arg <= kMaxSleepNs;
            break;
        case EventType::Output:
            argOk = e.arg == 1 || e.arg == 2;
            break;
        case EventType::QueueGetWait:
            argOk = e.arg == 0;
            timedOk = true;
            break;
        case EventType::QueueGet:
            // A get that gave up takes item 0; any other is an item handed to this worker.
            argOk = e.arg == 0 ? (e.flags & Timed) != 0 : c.handed.count(e.arg) != 0;
            timedOk = true;
            break;
        case EventType::QueuePut:
            argOk = c.handed.count(e.arg) != 0;
            break;
        case EventType::TaskStart:
        case EventType::TaskEnd:
            argOk = c.handedTasks.count(e.arg) != 0;
            break;
        default:
            argOk = e.arg == 0;
            break;
        }
        if (!argOk)
            return refuse("sent a " + what + " with argument " + std::to_string(e.arg) +
                          (e.type == EventType::QueueGet || e.type == EventType::QueuePut ||
                                   e.type == EventType::TaskStart || e.type == EventType::TaskEnd
                               ? ", which was never handed to it"
                               : ", which is out of range"));
        if ((e.flags & Timed) && !timedOk)
            return refuse("sent a " + what + " flagged as timed");
        const int64_t t = e.time + c.offsetNs;
        if (t < earliest || t > latest) {
            const int64_t off = t < earliest ? earliest + kTimeTolerance - t : t - arrived;
            return refuse("sent a " + what + " stamped " + std::to_string(off / 1000000) +
                          " ms outside its connection's time on the master's clock");
        }
    }

    // Recorded: strings and threads first, then the events, placed in time.
    for (const WireString &ws : batch.strings)
        f.strings[ws.id] = recorder::intern(printable(ws.text));
    for (const auto &[index, tid] : newThreads) {
        // The worker's main thread (tid = its pid) gets the process' own pid, as on Linux.
        const int32_t traceTid = f.local ? int32_t(tid) : tid == c.pid ? f.pid : f.pid + f.nextTid++;
        f.threads[index].writer = std::make_unique<recorder::ForeignThread>(f.pid, traceTid);
    }
    WorkerTrace *trace = c.trace < m_workerTraces.size() ? &m_workerTraces[c.trace] : nullptr;
    // Local: "NAME@HOST", beside its real pid in every view. Remote: the real pid is in the name.
    const std::string process = f.local ? c.name + "@" + c.peer.substr(0, c.peer.rfind(':'))
                                        : "worker " + c.name + "@" + c.peer + " (pid " +
                                              (c.pid > 0 ? std::to_string(c.pid) : std::string("?")) + ")";
    for (const WireEvent &e : batch.events) {
        Foreign::Thread &thread = f.threads[e.thread];
        const int64_t estimate = e.time + c.offsetNs;
        // The estimate is off by up to half a round trip; causality is not: nothing happened after
        // the master received it, nothing handed out was taken before the hand-out, and a thread's
        // events keep their order.
        int64_t t = std::min(estimate, arrived);
        if (e.type == EventType::QueueGet && e.arg != 0)
            t = std::max(t, c.handed[e.arg].second);
        else if (e.type == EventType::TaskStart)
            t = std::max(t, c.handedTasks[e.arg]);
        t = std::max(t, thread.last);
        thread.last = t;
        if (t != estimate && trace) {
            ++trace->adjusted;
            trace->maxAdjustNs = std::max(trace->maxAdjustNs, t > estimate ? t - estimate : estimate - t);
        }
        if (!f.started) {
            thread.writer->record(t, EventType::ProcessStart, recorder::intern(process), f.ppid);
            f.started = true;
        }
        const bool named = wireObject(e.type) == WireObject::String || wireObject(e.type) == WireObject::OptString;
        const uint32_t object = named ? (e.object == 0 ? 0 : f.strings[e.object]) : e.object;
        thread.writer->record(t, e.type, object, e.arg, e.flags, e.loc == 0 ? 0 : f.strings[e.loc]);
    }
    f.seq = batch.seq;
    ++m_stats.batches;
    m_stats.foreignEvents += int64_t(batch.events.size());
    if (trace) {
        trace->tracePid = f.pid;
        trace->process = process;
        ++trace->batches;
        trace->events += int64_t(batch.events.size());
    }
    QCborMap ack;
    ack.insert(QLatin1String("seq"), qint64(batch.seq));
    ack.insert(QLatin1String("n"), qint64(batch.events.size()));
    send(c, encodeFrame(MessageType::EventsAck, ack));
    return !c.closing;
}

void Master::endForeign(Connection &c)
{
    if (!c.foreign)
        return;
    Foreign &f = *c.foreign;
    // The worker's process ends in the trace where its connection ended: with the status its
    // goodbye announced, or -1 (not known) when the connection broke.
    // A child of this process is reaped here, and its reaper records the true status.
    if (f.started && !f.child && recorder::enabled())
        recorder::record(EventType::ProcessExit, uint32_t(f.pid), c.byeStatus);
    for (auto &[index, thread] : f.threads)
        thread.writer->close(); // from the serving thread, which owns their chunks
    c.foreign.reset();
}

void Master::farewell(int64_t now)
{
    if (!m_saidFarewell) {
        // Workers hear the master leave and send what they still have; strangers are cut off.
        m_saidFarewell = true;
        m_farewellUntil = now + int64_t(m_options.farewell.count()) * 1000000;
        for (const auto &c : m_connections) {
            if (c->closing)
                continue;
            if (c->loggedIn)
                send(*c, encodeFrame(MessageType::Bye));
            else
                close(*c, "the master stops", false);
        }
    }
    if (now >= m_farewellUntil) {
        for (const auto &c : m_connections)
            close(*c, "the master stopped", false);
    }
    std::erase_if(m_connections, [](const auto &c) {
        if (c->closing)
            ::close(c->fd);
        return c->closing;
    });
}

} // namespace interleave::core::net
