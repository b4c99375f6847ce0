// SPDX-License-Identifier: MIT
// Master's observability: the clock probes at login, and the event batches of workers that record
// on their own, checked and then recorded in the master's trace.
#include "net/master.h"
#include "net/masterimpl.h"

#include "net/eventbatch.h"
#include "trace/recorder.h"

#include <unistd.h>

#include <QCborMap>
#include <QFile>

#include <algorithm>
#include <atomic>
#include <climits>
#include <string>
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
        if (const std::string why = startForeign(c); !why.empty())
            return refuse(why);
    }

    // Everything is checked before anything is recorded: a batch goes into the trace whole or not at all.
    std::map<int64_t, int32_t> newThreads;
    if (const std::string why = batchProblem(c, batch, arrived, newThreads); !why.empty())
        return refuse(why);
    recordBatch(c, batch, newThreads, arrived);
    QCborMap ack;
    ack.insert(QLatin1String("seq"), qint64(batch.seq));
    ack.insert(QLatin1String("n"), qint64(batch.events.size()));
    send(c, encodeFrame(MessageType::EventsAck, ack));
    return !c.closing;
}

std::string Master::startForeign(Connection &c)
{
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
            return "too many workers sent events to this process";
        c.foreign->pid = kForeignPidBase + block * kForeignPidStride;
    }
    return {};
}

std::string Master::batchProblem(const Connection &c, const EventBatch &batch, int64_t arrived,
                                 std::map<int64_t, int32_t> &newThreads) const
{
    const Foreign &f = *c.foreign;
    if (batch.seq != f.seq + 1)
        return "sent event batch " + std::to_string(batch.seq) + " after batch " + std::to_string(f.seq);
    for (const WireThread &t : batch.threads) {
        if (f.threads.count(t.index) || newThreads.count(t.index))
            return "declared thread " + std::to_string(t.index) + " twice";
        if (f.local && t.tid <= 0)
            return "declared thread " + std::to_string(t.index) + " with tid " + std::to_string(t.tid);
        newThreads[t.index] = t.tid;
    }
    if (f.threads.size() + newThreads.size() > size_t(kMaxForeignThreads))
        return "declared more than " + std::to_string(kMaxForeignThreads) + " threads";
    std::unordered_map<uint32_t, const std::string *> newStrings;
    for (const WireString &ws : batch.strings) {
        if (f.strings.count(ws.id) || !newStrings.emplace(ws.id, &ws.text).second)
            return "declared string " + std::to_string(ws.id) + " twice";
    }
    if (f.strings.size() + newStrings.size() > size_t(kMaxForeignStrings))
        return "declared more than " + std::to_string(kMaxForeignStrings) + " strings";
    for (const WireEvent &e : batch.events) {
        if (std::string why = eventProblem(c, e, newThreads, newStrings, arrived); !why.empty())
            return why;
    }
    return {};
}

std::string Master::eventProblem(const Connection &c, const WireEvent &e, const std::map<int64_t, int32_t> &newThreads,
                                 const std::unordered_map<uint32_t, const std::string *> &newStrings,
                                 int64_t arrived) const
{
    const Foreign &f = *c.foreign;
    auto knownString = [&](uint32_t id) { return f.strings.count(id) || newStrings.count(id); };
    const int64_t earliest = c.acceptedAt - kTimeTolerance;
    const int64_t latest = arrived + kTimeTolerance;
    const std::string what = std::string(eventTypeName(e.type)) + " event";
    if (!f.threads.count(e.thread) && !newThreads.count(e.thread))
        return "sent a " + what + " of thread " + std::to_string(e.thread) + ", which it never declared";
    switch (wireObject(e.type)) {
    case WireObject::None:
        if (e.object != 0)
            return "sent a " + what + " with an object";
        break;
    case WireObject::String:
    case WireObject::OptString:
        if ((e.object != 0 || wireObject(e.type) == WireObject::String) && !knownString(e.object))
            return "sent a " + what + " naming string " + std::to_string(e.object) + ", which it never declared";
        break;
    case WireObject::TaskQueue:
        if (e.object != m_taskQueue)
            return "sent a " + what + " on an object that is not the task queue";
        break;
    case WireObject::ResultQueue:
        if (e.object != m_resultQueue)
            return "sent a " + what + " on an object that is not the result queue";
        break;
    }
    if (e.loc != 0 && !knownString(e.loc))
        return "sent a " + what + " naming call site " + std::to_string(e.loc) + ", which it never declared";
    if (std::string why = argumentProblem(c, e, what); !why.empty())
        return why;
    const int64_t t = e.time + c.offsetNs;
    if (t < earliest || t > latest) {
        const int64_t off = t < earliest ? earliest + kTimeTolerance - t : t - arrived;
        return "sent a " + what + " stamped " + std::to_string(off / 1000000) +
               " ms outside its connection's time on the master's clock";
    }
    return {};
}

std::string Master::argumentProblem(const Connection &c, const WireEvent &e, const std::string &what) const
{
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
        return "sent a " + what + " with argument " + std::to_string(e.arg) +
               (e.type == EventType::QueueGet || e.type == EventType::QueuePut || e.type == EventType::TaskStart ||
                        e.type == EventType::TaskEnd
                    ? ", which was never handed to it"
                    : ", which is out of range");
    if ((e.flags & Timed) && !timedOk)
        return "sent a " + what + " flagged as timed";
    return {};
}

void Master::recordBatch(Connection &c, const EventBatch &batch, const std::map<int64_t, int32_t> &newThreads,
                         int64_t arrived)
{
    Foreign &f = *c.foreign;
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

} // namespace interleave::core::net
