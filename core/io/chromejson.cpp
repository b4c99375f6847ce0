// SPDX-License-Identifier: MIT
// Export of a trace as Chrome / Perfetto JSON, written as the model is walked.
#include "io/chromejson.h"
#include "io/chromedeadlock.h"
#include "io/chromejsontr.h"
#include "io/jsonstream.h"

#include "io/safewrite.h"
#include "trace/tracemodel.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace interleave::core {

namespace {

using detail::JsonStream;

/// Writes the trace events of one model; each event is one line of the array.
class ChromeExporter
{
public:
    ChromeExporter(const TraceModel &model, JsonStream &out, const ChromeExtras &extras)
        : m_model(model)
        , m_data(model.data())
        , m_out(out)
        , m_extras(extras)
    {
        if (extras.deadlock)
            m_deadlock = deadlockToChrome(model, *extras.deadlock);
        else if (const std::vector<RecordedDeadlock> recorded = recordedDeadlocks(m_data); !recorded.empty())
            m_deadlock = deadlockToChrome(model, recorded.front());
    }

    void run()
    {
        m_out.raw("{\"traceEvents\":[");
        metadata();
        states();
        importedSlices();
        locks();
        tasks();
        queueItems();
        marks();
        for (const ChromeExtras::Instant &i : m_extras.instants)
            instant(i.thread, i.time, i.name, i.cat, 't', i.args);
        counters();
        flows();
        m_out.raw("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":");
        otherData();
        m_out.raw("}\n");
    }

private:
    const ThreadRecord &rec(uint32_t thread) const { return m_model.thread(thread); }
    int64_t clampEnd(int64_t end) const { return end == kTimeMax ? m_model.endTime() : end; }

    /// Starts one event object: {"ph":..,"pid":..,"tid":..,"ts":.. — the caller adds the rest and "}".
    void begin(char ph, int32_t pid, int32_t tid, int64_t ts)
    {
        m_out.raw(m_first ? "\n{\"ph\":\"" : ",\n{\"ph\":\"");
        m_first = false;
        const char p[2] = {ph, 0};
        m_out.raw(std::string_view(p, 1)).raw("\",\"pid\":").integer(pid).raw(",\"tid\":").integer(tid);
        m_out.raw(",\"ts\":").micros(ts);
    }
    void beginOn(char ph, uint32_t thread, int64_t ts) { begin(ph, rec(thread).pid, rec(thread).tid, ts); }
    void nameCat(std::string_view name, std::string_view cat)
    {
        m_out.raw(",\"name\":").string(name).raw(",\"cat\":").string(cat);
    }
    void end() { m_out.raw("}"); }

    /// An asynchronous span [t0, t1) shown on its own track of `thread`'s process.
    void asyncSpan(uint32_t thread, int64_t t0, int64_t t1, std::string_view name, std::string_view cat,
                   const std::string &args = {}, bool argsOnEnd = false)
    {
        const uint64_t id = ++m_asyncId;
        for (const char ph : {'b', 'e'}) {
            beginOn(ph, thread, ph == 'b' ? t0 : t1);
            nameCat(name, cat);
            m_out.raw(",\"id\":").integer(int64_t(id));
            if ((ph == 'b' || argsOnEnd) && !args.empty())
                m_out.raw(",\"args\":").raw(args);
            end();
        }
    }

    std::string processName(const ProcessInfo &p) const
    {
        if (!p.name.empty())
            return p.name;
        if (!p.command.empty())
            return p.command;
        return "process " + std::to_string(p.pid);
    }

    void metadata()
    {
        int sort = 0;
        for (const ProcessInfo &p : m_model.processes()) {
            if (!p.traced())
                continue;
            begin('M', p.pid, p.pid, 0);
            m_out.raw(",\"name\":\"process_name\",\"args\":{\"name\":").string(processName(p)).raw("}");
            end();
            begin('M', p.pid, p.pid, 0);
            m_out.raw(",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":").integer(sort++).raw("}");
            end();
        }
        for (const ThreadRecord &t : m_model.threads()) {
            if (t.recorder)
                continue; // the observer stays out of the picture
            begin('M', t.pid, t.tid, 0);
            m_out.raw(",\"name\":\"thread_name\",\"args\":{\"name\":").string(m_model.threadName(t.index)).raw("}");
            end();
            begin('M', t.pid, t.tid, 0);
            m_out.raw(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":").integer(t.index).raw("}");
            end();
        }
    }

    /// A thread whose first event came from another tool has no measured states to show.
    bool isImported(uint32_t thread) const
    {
        const auto &events = m_model.threadEvents(thread);
        return !events.empty() && (m_data.events[events.front()].flags & Imported);
    }

    std::string waitedObject(const StateSpan &s) const
    {
        switch (s.reason) {
        case BlockReason::Join:
            if (s.flags & OnProcess) {
                const ProcessInfo *p = m_model.process(int32_t(s.object));
                return p ? processName(*p) + " (" + std::to_string(s.object) + ")"
                         : "process " + std::to_string(s.object);
            } else {
                const uint32_t t = m_model.threadByTid(int32_t(s.object));
                return t != kNoEvent ? m_model.threadName(t) : "thread " + std::to_string(s.object);
            }
        case BlockReason::Io:
            return m_data.string(s.object);
        case BlockReason::None:
        case BlockReason::Held:
            return {};
        default:
            return m_model.objectName(s.object);
        }
    }

    void states()
    {
        for (const ThreadRecord &t : m_model.threads()) {
            if (isImported(t.index))
                continue;
            m_model.forEachState(t.index, kTimeMin, kTimeMax, [&](const StateSpan &s) {
                if (s.state == ThreadState::None || s.state == ThreadState::Exited)
                    return;
                const int64_t stop = clampEnd(s.end);
                if (stop <= s.start)
                    return;
                begin('X', t.pid, t.tid, s.start);
                m_out.raw(",\"dur\":").micros(stop - s.start);
                nameCat(threadStateName(s.state), "state");
                if (s.state == ThreadState::Blocked) {
                    m_out.raw(",\"args\":{\"reason\":").string(blockReasonName(s.reason));
                    m_out.raw(",\"object\":").string(waitedObject(s)).raw("}");
                }
                end();
            });
        }
    }

    /// Slices and async spans of imported traces, so a re-exported import keeps them.
    void importedSlices()
    {
        for (const ThreadRecord &t : m_model.threads()) {
            for (const SliceInfo &s : m_model.slices(t.index)) {
                begin('X', t.pid, t.tid, s.start);
                m_out.raw(",\"dur\":").micros(clampEnd(s.end) - s.start);
                nameCat(m_data.string(s.name), m_data.string(s.category));
                end();
            }
        }
        for (const SliceInfo &s : m_model.asyncSpans())
            asyncSpan(s.thread, s.start, clampEnd(s.end), m_data.string(s.name), "async");
    }

    void locks()
    {
        for (const uint32_t lock : m_model.lockIds()) {
            const std::string lockName = m_model.objectName(lock);
            const std::string waitName = "wait " + lockName;
            const std::string holdName = "hold " + lockName;
            for (const LockInterval &iv : m_model.lockIntervals(lock)) {
                // Who holds or waits, on both ends: a span read alone (or an end matched without its
                // begin) still names its thread.
                std::string args = "{\"thread\":\"" + jsonEscaped(m_model.threadName(iv.thread)) +
                                   "\",\"tid\":" + std::to_string(rec(iv.thread).tid);
                if (iv.open)
                    args += ",\"open\":true";
                else if (iv.timedOut)
                    args += ",\"timed_out\":true";
                args += "}";
                asyncSpan(iv.thread, iv.start, clampEnd(iv.end), iv.kind == LockInterval::Wait ? waitName : holdName,
                          "lock", args, true);
            }
        }
    }

    void tasks()
    {
        for (const TaskInfo &task : m_model.tasks()) {
            if (task.started == kTimeMax || task.worker == kNoEvent || task.worker >= m_model.threadCount())
                continue;
            std::string args =
                "{\"pool\":\"" + jsonEscaped(m_model.objectName(task.pool)) + "\",\"task\":" + std::to_string(task.id);
            if (task.submitted != kTimeMax)
                args += ",\"queued_us\":" + std::to_string((task.started - task.submitted) / 1000);
            if (task.failed)
                args += ",\"failed\":true";
            if (task.killed)
                args += ",\"killed\":true";
            args += "}";
            asyncSpan(task.worker, task.started, clampEnd(task.ended), "task " + std::to_string(task.id), "task", args);
        }
    }

    /// An item's life in a queue or pipe, from put to get, on the putter's process (async ids are
    /// process-scoped in Chrome's format; the flow arrow shows the crossing).
    void queueItems()
    {
        for (const Flow &f : m_model.flows()) {
            if (f.kind != FlowKind::Queue && f.kind != FlowKind::Pipe)
                continue;
            const std::string name = "item " + std::to_string(f.id) + " " + m_model.objectName(f.object);
            const std::string args = "{\"to_tid\":" + std::to_string(rec(f.toThread).tid) + "}";
            asyncSpan(f.fromThread, f.fromTime, std::max(f.toTime, f.fromTime), name,
                      f.kind == FlowKind::Queue ? "queue" : "pipe", args);
        }
    }

    /// For text inside a JSON string written by hand: invalid UTF-8 becomes U+FFFD, as in
    /// JsonStream::string, since names and command lines may be any bytes and the file must parse.
    static std::string jsonEscaped(const std::string &s)
    {
        std::string out;
        for (size_t i = 0; i < s.size();) {
            const auto c = uint8_t(s[i]);
            if (c >= 0x80) {
                const size_t n = JsonStream::utf8Length(s, i);
                out += n == 0 ? std::string_view("\xEF\xBF\xBD") : std::string_view(s).substr(i, n);
                i += n == 0 ? 1 : n;
                continue;
            }
            if (c == '"' || c == '\\')
                out += '\\';
            if (c >= 0x20)
                out += char(c);
            ++i;
        }
        return out;
    }

    void instant(uint32_t thread, int64_t ts, std::string_view name, std::string_view cat, char scope,
                 const std::string &args)
    {
        beginOn('i', thread, ts);
        nameCat(name, cat);
        const char s[2] = {scope, 0};
        m_out.raw(",\"s\":\"").raw(std::string_view(s, 1)).raw("\"");
        if (!args.empty())
            m_out.raw(",\"args\":").raw(args);
        end();
    }

    void marks()
    {
        for (const uint32_t index : m_model.marks()) {
            const Event &e = m_data.events[index];
            switch (e.type) {
            case EventType::ForkReturn:
                instant(e.thread, e.time, "fork", "process", 't', "{\"returned\":" + std::to_string(e.arg) + "}");
                break;
            case EventType::Exec:
                instant(e.thread, e.time, "exec", "process", 't',
                        "{\"command\":\"" + jsonEscaped(m_data.string(e.object)) +
                            "\",\"pid\":" + std::to_string(e.arg) + "}");
                break;
            case EventType::Signal:
                instant(e.thread, e.time, "signal " + std::to_string(e.arg), "process", 't',
                        "{\"target\":" + std::to_string(e.object) + ",\"signal\":" + std::to_string(e.arg) + "}");
                break;
            case EventType::ProcessExit: {
                // Shown on the process that exited, not on the reaper that wrote it.
                const std::string args = (e.flags & ExitSignal) ? "{\"signal\":" + std::to_string(e.arg) + "}"
                                                                : "{\"exit_code\":" + std::to_string(e.arg) + "}";
                begin('i', int32_t(e.object), int32_t(e.object), e.time);
                nameCat("exit", "process");
                m_out.raw(",\"s\":\"p\",\"args\":").raw(args);
                end();
                break;
            }
            case EventType::Deadlock:
                // The cycle is the one of otherData.deadlock, from which a re-import restores it.
                instant(e.thread, e.time, "deadlock", "deadlock", 'g',
                        QJsonDocument(
                            QJsonObject{{QStringLiteral("threads"), double(e.arg)},
                                        {QStringLiteral("cycle"), m_deadlock.value(QLatin1String("cycle")).toArray()}})
                            .toJson(QJsonDocument::Compact)
                            .toStdString());
                break;
            default:
                break;
            }
        }
        for (const uint32_t index : m_model.phases()) {
            const Event &e = m_data.events[index];
            instant(e.thread, e.time, m_data.string(e.object), "phase", 'g', {});
        }
        for (const uint32_t index : m_model.outputs()) {
            const Event &e = m_data.events[index];
            instant(e.thread, e.time, e.arg == 2 ? "stderr" : "stdout", "output", 't',
                    "{\"text\":\"" + jsonEscaped(m_data.string(e.object)) + "\"}");
        }
        for (const uint32_t index : m_model.instants()) {
            const Event &e = m_data.events[index];
            instant(e.thread, e.time, m_data.string(e.object), m_data.string(uint32_t(e.arg)), 't', {});
        }
    }

    void counters()
    {
        const int32_t pid = m_model.processes().empty() ? 0 : m_model.processes().front().pid;
        for (const uint32_t queue : m_model.queueIds()) {
            const std::string name = m_model.objectName(queue);
            for (const CounterPoint &p : m_model.queueDepth(queue)) {
                begin('C', pid, pid, p.time);
                m_out.raw(",\"name\":").string(name).raw(",\"cat\":\"queue\",\"args\":{\"depth\":");
                m_out.number(p.value).raw("}");
                end();
            }
        }
        for (const uint32_t counter : m_model.counterNames()) {
            const std::string &name = m_data.string(counter);
            for (const CounterPoint &p : m_model.counter(counter)) {
                begin('C', pid, pid, p.time);
                m_out.raw(",\"name\":").string(name).raw(",\"args\":{\"value\":").number(p.value).raw("}");
                end();
            }
        }
    }

    void flows()
    {
        for (const Flow &f : m_model.flows()) {
            std::string name;
            switch (f.kind) {
            case FlowKind::Queue:
                name = "put\u2192get";
                break;
            case FlowKind::Pipe:
                name = "send\u2192recv";
                break;
            case FlowKind::Task:
                name = "submit\u2192start";
                break;
            case FlowKind::Fork:
                name = "fork";
                break;
            case FlowKind::Generic:
                name = m_data.string(f.object);
                break;
            }
            const uint64_t id = ++m_flowId;
            for (const char ph : {'s', 'f'}) {
                beginOn(ph, ph == 's' ? f.fromThread : f.toThread, ph == 's' ? f.fromTime : f.toTime);
                nameCat(name, flowKindName(f.kind));
                m_out.raw(",\"id\":").integer(int64_t(id));
                if (ph == 'f')
                    m_out.raw(",\"bp\":\"e\"");
                end();
            }
        }
    }

    void otherData()
    {
        const QJsonObject &meta = m_data.meta;
        m_out.raw("{\"tool\":\"Interleave\",\"version\":\"" INTERLEAVE_VERSION "\"");
        for (const char *key : {"scenario", "params", "status", "wall_ms", "findings"}) {
            const QJsonValue v = std::string_view(key) == "findings" && !m_extras.findings.isEmpty()
                                     ? QJsonValue(m_extras.findings)
                                     : meta.value(QLatin1String(key));
            if (!v.isUndefined())
                m_out.raw(",").key(key).value(v);
        }
        if (!m_deadlock.isEmpty())
            m_out.raw(",").key("deadlock").value(m_deadlock);
        m_out.raw(",\"events\":").integer(int64_t(m_data.events.size()));
        m_out.raw(",\"dropped_events\":").integer(int64_t(m_data.droppedEvents));
        m_out.raw(",\"processes\":[");
        bool first = true;
        for (const ProcessInfo &p : m_model.processes()) {
            if (!p.traced())
                continue;
            m_out.raw(first ? "{\"pid\":" : ",{\"pid\":").integer(p.pid);
            first = false;
            m_out.raw(",\"ppid\":").integer(p.ppid).raw(",\"name\":").string(processName(p));
            if (!p.exited)
                m_out.raw(",\"exit\":null");
            else if (p.signaled)
                m_out.raw(",\"exit\":null,\"signal\":").integer(p.exitStatus);
            else
                m_out.raw(",\"exit\":").integer(p.exitStatus);
            m_out.raw("}");
        }
        m_out.raw("]}");
    }

    const TraceModel &m_model;
    const TraceData &m_data;
    JsonStream &m_out;
    const ChromeExtras &m_extras;
    QJsonObject m_deadlock; ///< deadlockToChrome of the cycle, empty without one
    bool m_first = true;
    uint64_t m_asyncId = 0;
    uint64_t m_flowId = 0;
};

} // namespace

bool exportChromeJson(const TraceModel &model, QIODevice &out, QString *error, const ChromeExtras &extras)
{
    JsonStream stream(out);
    ChromeExporter(model, stream, extras).run();
    if (stream.flush())
        return true;
    if (error)
        *error = ChromeTraceTr::tr("cannot write the Chrome trace: %1; free some disk space or choose another "
                                   "folder")
                     .arg(out.errorString());
    return false;
}

bool exportChromeJson(const TraceModel &model, const QString &path, QString *error, const ChromeExtras &extras)
{
    QString why;
    const auto produce = [&](QIODevice &out, QString *) {
        QString ignored; // a failed write is reported by writeFileSafely with its OS reason
        return exportChromeJson(model, out, &ignored, extras);
    };
    if (writeFileSafely(path, produce, &why))
        return true;
    if (error)
        *error = ChromeTraceTr::tr("cannot export Chrome trace '%1': %2").arg(QDir::toNativeSeparators(path), why);
    return false;
}

} // namespace interleave::core
