// SPDX-License-Identifier: MIT
// Master: what it does with each message of a worker (the login, get, put, goodbye), and the task
// queue's hand-outs, lease expiry and re-queues.
#include "net/master.h"
#include "net/masterimpl.h"

#include "trace/recorder.h"

#include <QCborMap>

#include <algorithm>
#include <string>

namespace interleave::core::net {

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
        if (m.text("q") == QLatin1String("result") && lease == c.leases.end() && c.lapsed.erase(id) == 1) {
            // A worker that was frozen (or cut off) finished after all: the task went to another.
            ++m_stats.lateResults;
            logLine("the result of task " + std::to_string(id) + " from " + c.name +
                    " came after its lease ran out (the task was re-queued): ignored");
            return true;
        }
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
        next->lapsed.erase(id); // handed to it again: its next result is the new lease's
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
            lapse(*c);
        } else if (c->loggedIn && c->getDeadline >= 0 && now >= c->getDeadline) {
            c->getDeadline = -1;
            // How many tasks other workers hold: one may come back (a lapsed lease, a worker that
            // died), so a waiting worker should not leave yet.
            qint64 held = 0;
            for (const auto &other : m_connections)
                held += other->closing ? 0 : qint64(other->leases.size());
            QCborMap empty;
            empty.insert(QLatin1String("held"), held);
            send(*c, encodeFrame(MessageType::Empty, empty));
        }
    }
}

void Master::lapse(Connection &c)
{
    // The task goes back to the queue; the connection stays: a frozen worker that wakes up sends
    // its result late (ignored, counted), one that is unreachable is closed by TCP keepalive.
    ++m_stats.leasesExpired;
    logLine(c.name + " said nothing for " + std::to_string(m_options.lease.count()) +
            " ms while holding a task (frozen, or unreachable?): its lease ran out");
    for (const auto &[id, lease] : c.leases) {
        c.lapsed.insert(id);
        requeue(id, c.name + " let its lease run out");
    }
    c.leases.clear();
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

} // namespace interleave::core::net
