// SPDX-License-Identifier: MIT
#include "net/master.h"

#include "instrument/blocking.h"
#include "net/socket.h"
#include "trace/recorder.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCborMap>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace interleave::core::net {

struct Master::Connection
{
    int fd = -1;
    std::string peer;
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
    bool closing = false;
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

// --- the serving thread ---------------------------------------------------------------------

void Master::serve()
{
    recorder::nameThread("master");
    std::vector<pollfd> fds;
    for (;;) {
        {
            const std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
            const int64_t now = nowNs();
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
            fds.push_back({m_listenFd, short(now >= m_acceptPausedUntil ? POLLIN : 0), 0});
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
                m_acceptPausedUntil = nowNs() + 100'000'000;
            return;
        }
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        c->peer = peerName(fd);
        if (int(m_connections.size()) >= m_options.maxConnections) {
            ++m_stats.refused;
            logLine("closed connection from " + c->peer + ": too many connections");
            ::close(fd);
            continue;
        }
        c->loginDeadline = nowNs() + int64_t(m_options.loginTimeout.count()) * 1000000;
        c->challenge = auth::newChallenge();
        QCborMap hello;
        hello.insert(QLatin1String("v"), kProtocolVersion);
        hello.insert(QLatin1String("challenge"), c->challenge);
        send(*c, encodeFrame(MessageType::Hello, hello));
        m_connections.push_back(std::move(c));
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
    for (;;) {
        const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            c.in.append(chunk, n);
        } else if (n == 0) {
            close(c, c.loggedIn ? "the worker went away" : "closed before logging in", !c.loggedIn);
            return;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            close(c, std::string("the connection broke: ") + std::strerror(errno), !c.loggedIn);
            return;
        }
        // Nothing but the login is read before login: a small limit for it, then decode.
        if (c.in.size() > qsizetype(4 + (c.loggedIn ? kMaxFrame : kMaxLoginFrame)) * 2)
            break;
    }
    const int64_t now = nowNs();
    while (!c.closing) {
        const FrameResult frame = decodeFrame(reinterpret_cast<const uint8_t *>(c.in.constData()), size_t(c.in.size()),
                                              c.loggedIn ? kMaxFrame : kMaxLoginFrame);
        if (frame.status == FrameResult::NeedMore)
            return;
        if (frame.status == FrameResult::Error) {
            close(c, frame.error, true);
            return;
        }
        c.in.remove(0, qsizetype(frame.consumed));
        if (!handle(c, frame.message, now))
            return;
        if (!c.loggedIn)
            return; // a refused login closed it
    }
}

bool Master::handle(Connection &c, const Message &m, int64_t now)
{
    if (!c.loggedIn) {
        if (m.type != MessageType::Login) {
            close(c, std::string("sent '") + messageTypeName(m.type) + "' before logging in", true);
            return false;
        }
        if (m.integer("v") != kProtocolVersion) {
            QCborMap why;
            why.insert(QLatin1String("why"),
                       QStringLiteral("protocol version %1 is not %2").arg(m.integer("v")).arg(kProtocolVersion));
            send(c, encodeFrame(MessageType::Refused, why));
            close(c,
                  "protocol version " + std::to_string(m.integer("v")) + " is not " + std::to_string(kProtocolVersion),
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
        send(c, encodeFrame(MessageType::Welcome, welcome));
        return true;
    }
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
    case MessageType::Bye:
        close(c, "the worker said goodbye", false);
        return false;
    default:
        close(c, std::string("unexpected message '") + messageTypeName(m.type) + "'", true);
        return false;
    }
}

void Master::handOut(int64_t now)
{
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
        recorder::record(EventType::QueueDepth, m_taskQueue, int64_t(m_queue.size()));
        QCborMap task;
        task.insert(QLatin1String("id"), qint64(id));
        task.insert(QLatin1String("n"), qint64(m_tasks[id].n));
        task.insert(QLatin1String("item"), qint64(item));
        send(*next, encodeFrame(MessageType::Task, task));
    }
}

void Master::expire(int64_t now)
{
    for (const auto &c : m_connections) {
        if (c->closing)
            continue;
        if (!c->loggedIn && now >= c->loginDeadline) {
            close(*c, "no login within " + std::to_string(m_options.loginTimeout.count()) + " ms", true);
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
        logLine("closed connection from " + c.peer + ": " + reason);
    }
    for (const auto &[id, lease] : c.leases)
        requeue(id, (c.name.empty() ? c.peer : c.name) + " went away holding it");
    c.leases.clear();
}

} // namespace interleave::core::net
