// SPDX-License-Identifier: MIT
// Master: the public calls and the serving thread (connections, logins, the task queue's hand-outs).
#include "net/master.h"
#include "net/masterimpl.h"

#include "instrument/blocking.h"
#include "instrument/forkgate.h"
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

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace interleave::core::net {

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
                if (m_connections.empty()) {
                    flushRefusals(now, true); // the count of the last second too
                    return;
                }
            }
            expire(now);
            handOut(now);
            flushRefusals(now);
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
        // First what a Python multiprocessing client waits for: its answer tells what it is.
        send(*c, encodeMultiprocessingChallenge() + encodeFrame(MessageType::Hello, hello));
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

namespace {

/// The kind of a refusal: its reason up to the first number, quote or colon, where the parts that
/// vary (an address, a task id, a peer's text, an errno's words) begin.
std::string refusalKind(const std::string &reason)
{
    const size_t end = reason.find_first_of("0123456789':");
    return reason.substr(0, end);
}

} // namespace

void Master::logRefusal(const std::string &peer, const std::string &reason)
{
    // A flood of refusals is summed up, not written out: each kind is shown once a second (and at
    // most kRefusalLinesPerSecond kinds, since a reason's text may come from the peer); the rest of
    // that second is counted in one line when it ends (flushRefusals).
    constexpr size_t kRefusalLinesPerSecond = 8;
    const int64_t now = clock::monotonicNs();
    flushRefusals(now);
    if (m_refusalKinds.empty())
        m_refusalWindowStart = now;
    if (m_refusalKinds.size() < kRefusalLinesPerSecond && m_refusalKinds.insert(refusalKind(reason)).second) {
        logLine("closed connection from " + peer + ": " + reason);
    } else {
        ++m_refusalsHidden;
        m_lastHiddenReason = reason;
    }
}

void Master::flushRefusals(int64_t now, bool last)
{
    if (m_refusalKinds.empty() || (now - m_refusalWindowStart < 1'000'000'000 && !last))
        return;
    if (m_refusalsHidden > 0) {
        logLine(std::to_string(m_refusalsHidden) +
                " more connection(s) closed in the last second (the last: " + m_lastHiddenReason + ")");
    }
    m_refusalKinds.clear();
    m_refusalsHidden = 0;
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
    if (!c.loggedIn &&
        looksLikeMultiprocessingAnswer(reinterpret_cast<const uint8_t *>(c.in.constData()), size_t(c.in.size()))) {
        close(c,
              "this looks like a Python BaseManager worker; Interleave's master speaks its own protocol, see "
              "docs/protocol.md",
              true);
        return;
    }
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
        if (c.loggedIn) // a worker that proved the key: every reason is worth its line
            logLine("closed connection from " + c.peer + ": " + reason);
        else
            logRefusal(c.peer, reason);
    }
    for (const auto &[id, lease] : c.leases)
        requeue(id, (c.name.empty() ? c.peer : c.name) + " went away holding it");
    c.leases.clear();
    endForeign(c);
    if (c.trace < m_workerTraces.size())
        m_workerTraces[c.trace].connected = false;
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
