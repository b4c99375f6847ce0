// SPDX-License-Identifier: MIT
#include "trace/chromejson.h"

#include "trace/safewrite.h"
#include "trace/tracemodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <QMap>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace interleave::core {

struct ChromeTraceTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::ChromeTraceTr)
};

namespace {

// ---------------------------------------------------------------------------------------------
// Export

/// A buffered JSON writer: the trace is written as it is walked, never held as a document.
class JsonStream
{
public:
    explicit JsonStream(QIODevice &out)
        : m_out(out)
    {
        m_buf.reserve(kFlushAt + 4096);
    }

    bool ok() const { return m_ok; }
    bool flush()
    {
        if (m_ok && !m_buf.empty())
            m_ok = m_out.write(m_buf.data(), qint64(m_buf.size())) == qint64(m_buf.size());
        m_buf.clear();
        return m_ok;
    }

    JsonStream &raw(std::string_view s)
    {
        m_buf.append(s);
        if (m_buf.size() >= kFlushAt)
            flush();
        return *this;
    }
    JsonStream &integer(int64_t v)
    {
        char tmp[24];
        const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        return raw(std::string_view(tmp, size_t(r.ptr - tmp)));
    }
    JsonStream &number(double v)
    {
        if (!std::isfinite(v))
            return raw("null");
        char tmp[32];
        const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        return raw(std::string_view(tmp, size_t(r.ptr - tmp)));
    }
    /// ns as µs with three decimals, exactly (no rounding through a double).
    JsonStream &micros(int64_t ns)
    {
        if (ns < 0) {
            raw("-");
            ns = ns == INT64_MIN ? INT64_MAX : -ns;
        }
        integer(ns / 1000);
        const auto frac = int(ns % 1000);
        const char tail[5] = {'.', char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10), 0};
        return raw(std::string_view(tail, 4));
    }
    /// A JSON string; invalid UTF-8 becomes U+FFFD so the file always parses.
    JsonStream &string(std::string_view s)
    {
        m_buf.push_back('"');
        size_t i = 0;
        while (i < s.size()) {
            const auto c = uint8_t(s[i]);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                m_buf.push_back(char(c));
                ++i;
            } else if (c < 0x80) {
                switch (c) {
                case '"':
                    m_buf.append("\\\"");
                    break;
                case '\\':
                    m_buf.append("\\\\");
                    break;
                case '\n':
                    m_buf.append("\\n");
                    break;
                case '\t':
                    m_buf.append("\\t");
                    break;
                case '\r':
                    m_buf.append("\\r");
                    break;
                default: {
                    static const char hex[] = "0123456789abcdef";
                    const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    m_buf.append(esc, 6);
                }
                }
                ++i;
            } else {
                const size_t n = utf8Length(s, i);
                if (n == 0) {
                    m_buf.append("\xEF\xBF\xBD");
                    ++i;
                } else {
                    m_buf.append(s.substr(i, n));
                    i += n;
                }
            }
        }
        m_buf.push_back('"');
        if (m_buf.size() >= kFlushAt)
            flush();
        return *this;
    }
    JsonStream &key(std::string_view k)
    {
        string(k);
        return raw(":");
    }
    /// A small Qt JSON value (meta, params): written through QJsonDocument, which is fine at this size.
    JsonStream &value(const QJsonValue &v)
    {
        if (v.isObject())
            return raw(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString());
        if (v.isArray())
            return raw(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact).toStdString());
        if (v.isString())
            return string(v.toString().toUtf8().toStdString());
        if (v.isBool())
            return raw(v.toBool() ? "true" : "false");
        if (v.isDouble())
            return number(v.toDouble());
        return raw("null");
    }

    /// Bytes of the valid UTF-8 sequence starting at s[i]; 0 if there is none.
    static size_t utf8Length(std::string_view s, size_t i)
    {
        const auto c = uint8_t(s[i]);
        size_t n = 0;
        uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            n = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + n > s.size())
            return 0;
        for (size_t k = 1; k < n; ++k) {
            const auto cc = uint8_t(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (cc & 0x3F);
        }
        static constexpr uint32_t minimum[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        return n;
    }

private:
    static constexpr size_t kFlushAt = 1 << 20;
    QIODevice &m_out;
    std::string m_buf;
    bool m_ok = true;
};

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
                        QJsonDocument(QJsonObject{{QStringLiteral("threads"), double(e.arg)},
                                                  {QStringLiteral("cycle"), m_deadlock.value(QLatin1String("cycle"))
                                                                                .toArray()}})
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

// ---------------------------------------------------------------------------------------------
// Import

using Problem = LoadResult::Problem;

/// One event before sorting: at equal times, ends of earlier slices come first (children before
/// parents), then names and begins (parents before children), then ends of zero-length slices.
struct Staged
{
    int64_t time;
    int rank;
    int64_t secondary;
    uint64_t seq;
    Event event;
};

class ChromeImporter
{
public:
    explicit ChromeImporter(const QString &name)
        : m_name(name)
    {}

    LoadResult run(QByteArray bytes)
    {
        LoadResult result;
        // A UTF-8 byte-order mark (written by some Windows editors) is not part of the JSON.
        if (bytes.startsWith("\xEF\xBB\xBF"))
            bytes.remove(0, 3);
        const QByteArray trimmed = bytes.trimmed();
        if (trimmed.isEmpty()) {
            result.problem = Problem::Empty;
            result.error = bytes.isEmpty()
                               ? ChromeTraceTr::tr("cannot open trace '%1': the file is empty; export the trace again")
                                     .arg(m_name)
                               : ChromeTraceTr::tr("cannot open trace '%1': it holds nothing but white space (%2 "
                                                   "bytes); export the trace again")
                                     .arg(m_name)
                                     .arg(bytes.size());
            return result;
        }
        if (trimmed.front() != '{' && trimmed.front() != '[') {
            result.problem = Problem::NotATrace;
            result.error = ChromeTraceTr::tr("cannot open trace '%1': it is neither an Interleave trace nor a "
                                             "Chrome/Perfetto JSON trace; open a .iltrace or a .json trace file")
                               .arg(m_name);
            return result;
        }
        // QJsonDocument holds the whole document in memory (several times the file size) and
        // refuses documents beyond its internal limits (QJsonParseError::DocumentTooLarge); files
        // from other tools are usually well under 100 MB. A streaming parser would lift this.
        QJsonParseError err{};
        QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
        if (err.error != QJsonParseError::NoError && trimmed.front() == '[') {
            // The array form may legally lack its closing bracket (a trace cut off while written).
            QByteArray fixed = trimmed;
            while (!fixed.isEmpty() && (fixed.back() == ',' || std::isspace(uchar(fixed.back()))))
                fixed.chop(1);
            QJsonParseError err2{};
            doc = QJsonDocument::fromJson(fixed + ']', &err2);
            if (err2.error == QJsonParseError::NoError)
                err = err2;
        }
        bool cut = false;
        // Only where the text ends: an error in the middle (a damaged byte, a hand edit) is not a
        // cut, and a guess at the events before it would show a trace that was never written.
        qsizetype contentEnd = bytes.size();
        while (contentEnd > 0 && std::isspace(uchar(bytes[contentEnd - 1])))
            --contentEnd;
        const bool errorAtTheEnd = err.offset >= contentEnd - 1;
        if (err.error != QJsonParseError::NoError && errorAtTheEnd && trimmed.front() == '{' &&
            trimmed.indexOf("\"traceEvents\"") >= 0) {
            // An export cut off while it was written ends inside its event array: the events before
            // the cut are kept. Each try ends the text after an earlier '}' (the end of an event,
            // or of something inside the one that was cut) and closes the array and the object.
            qsizetype end = trimmed.size();
            for (int tries = 0; tries < 8 && err.error != QJsonParseError::NoError; ++tries) {
                end = trimmed.lastIndexOf('}', end - 1);
                if (end <= 0)
                    break;
                QJsonParseError err2{};
                QJsonDocument fixedDoc = QJsonDocument::fromJson(trimmed.left(end + 1) + "]}", &err2);
                if (err2.error == QJsonParseError::NoError && fixedDoc.object().value(QLatin1String("traceEvents")).isArray()) {
                    doc = std::move(fixedDoc);
                    err = err2;
                    cut = true;
                }
            }
        }
        if (err.error != QJsonParseError::NoError) {
            const auto [line, column] = lineColumn(bytes, err.offset);
            result.problem = Problem::Corrupt;
            result.error = ChromeTraceTr::tr("cannot open trace '%1': invalid JSON at line %2, column %3 (%4); "
                                             "repair the file or export it again")
                               .arg(m_name, QString::number(line), QString::number(column), err.errorString());
            return result;
        }
        QJsonArray events;
        QJsonObject other;
        if (doc.isArray()) {
            events = doc.array();
        } else {
            const QJsonObject root = doc.object();
            const QJsonValue te = root.value(QLatin1String("traceEvents"));
            if (!te.isArray()) {
                result.problem = Problem::NotATrace;
                result.error = ChromeTraceTr::tr("cannot open trace '%1': the JSON has no \"traceEvents\" array, so "
                                                 "it is not a Chrome/Perfetto trace; open a trace file")
                                   .arg(m_name);
                return result;
            }
            events = te.toArray();
            other = root.value(QLatin1String("otherData")).toObject();
        }
        m_restoresDeadlock = other.value(QLatin1String("deadlock")).isObject();
        m_staged.reserve(size_t(events.size()) * 2);
        for (const QJsonValue &v : std::as_const(events))
            add(v.toObject());
        finish(other);
        result.ok = !cut;
        if (cut) {
            result.problem = Problem::Truncated;
            result.error = ChromeTraceTr::tr("trace '%1' is cut off: %2 event(s) before the cut are shown; export it "
                                             "again for the rest")
                               .arg(m_name)
                               .arg(events.size());
        }
        result.data = std::move(m_data);
        return result;
    }

private:
    static std::pair<int, int> lineColumn(const QByteArray &bytes, qsizetype offset)
    {
        int line = 1;
        int column = 1;
        for (qsizetype i = 0; i < std::min(offset, bytes.size()); ++i) {
            if (bytes[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return {line, column};
    }

    /// TraceData::threadIndex searches linearly; a trace with thousands of threads needs a map.
    uint32_t threadOf(int32_t pid, int32_t tid)
    {
        const quint64 key = quint64(uint32_t(pid)) << 32 | uint32_t(tid);
        const auto it = m_threadIds.constFind(key);
        if (it != m_threadIds.constEnd())
            return *it;
        // Not in the map, so not in the list (every thread of the import is made here).
        m_data.threads.push_back({pid, tid});
        const auto index = uint32_t(m_data.threads.size() - 1);
        m_threadIds.insert(key, index);
        return index;
    }

    uint32_t intern(const QString &s)
    {
        if (s.isEmpty())
            return 0;
        const auto it = m_stringIds.constFind(s);
        if (it != m_stringIds.constEnd())
            return *it;
        const uint32_t id = m_data.addString(s.toStdString());
        m_stringIds.insert(s, id);
        return id;
    }

    /// A JSON number as int64: NaN is 0 and values beyond the range saturate (a plain cast is undefined there).
    static int64_t saturated(double v)
    {
        if (!(v == v))
            return 0;
        if (v >= 0x1p63)
            return INT64_MAX;
        if (v <= -0x1p63)
            return INT64_MIN;
        return int64_t(v);
    }

    /// pid / tid as numbers, or as strings some tools write (numeric or a name).
    int32_t idOf(const QJsonValue &v)
    {
        if (v.isDouble())
            return int32_t(saturated(v.toDouble()));
        if (v.isString()) {
            bool ok = false;
            const int32_t n = v.toString().toInt(&ok);
            if (ok)
                return n;
            auto it = m_namedIds.find(v.toString());
            if (it == m_namedIds.end())
                it = m_namedIds.insert(v.toString(), int32_t(1'000'000'000 + m_namedIds.size()));
            return *it;
        }
        return 0;
    }

    /// Async / flow ids: numbers, "0x1f" hex strings, decimal strings, id2 {local|global}, or any text.
    static int64_t asyncId(const QJsonObject &e)
    {
        QJsonValue v = e.value(QLatin1String("id"));
        if (v.isUndefined()) {
            const QJsonObject id2 = e.value(QLatin1String("id2")).toObject();
            v = id2.contains(QLatin1String("global")) ? id2.value(QLatin1String("global"))
                                                      : id2.value(QLatin1String("local"));
        }
        if (v.isUndefined())
            v = e.value(QLatin1String("bind_id"));
        if (v.isDouble())
            return saturated(v.toDouble());
        const QString s = v.toString();
        bool ok = false;
        const qulonglong n = s.startsWith(QLatin1String("0x")) || s.startsWith(QLatin1String("0X"))
                                 ? s.mid(2).toULongLong(&ok, 16)
                                 : s.toULongLong(&ok, 10);
        if (ok)
            return int64_t(n);
        uint64_t h = 1469598103934665603ull; // FNV-1a of the text
        for (const QChar c : s)
            h = (h ^ c.unicode()) * 1099511628211ull;
        return int64_t(h >> 1);
    }

    void stage(int64_t time, int rank, int64_t secondary, uint32_t thread, EventType type, uint32_t object, int64_t arg)
    {
        Event ev{};
        ev.time = time;
        ev.arg = arg;
        ev.thread = thread;
        ev.object = object;
        ev.type = type;
        ev.flags = Imported;
        m_staged.push_back({time, rank, secondary, m_seq++, ev});
    }

    void slice(uint32_t thread, int64_t t0, int64_t t1, uint32_t name, uint32_t cat)
    {
        // Longer slices first at equal starts; one never ended is the longest.
        stage(t0, 1, t1 == kTimeMax ? kTimeMin : -(t1 - t0), thread, EventType::SliceBegin, name, cat);
        if (t1 == kTimeMax)
            return;
        if (t1 == t0)
            stage(t1, 2, 0, thread, EventType::SliceEnd, name, 0);
        else
            stage(t1, 0, -t0, thread, EventType::SliceEnd, name, 0);
    }

    void add(const QJsonObject &e)
    {
        const QString ph = e.value(QLatin1String("ph")).toString();
        const QString name = e.value(QLatin1String("name")).toString();
        const int32_t pid = idOf(e.value(QLatin1String("pid")));
        const int32_t tid = idOf(e.value(QLatin1String("tid")));
        const double tsNs = e.value(QLatin1String("ts")).toDouble() * 1000.0;
        const QJsonObject args = e.value(QLatin1String("args")).toObject();
        // Times beyond ±146 years (or not numbers) cannot be real, and would overflow differences.
        if (ph.size() != 1 || !(std::abs(tsNs) < double(iltrace::kTimeLimit))) {
            skip(ph);
            return;
        }
        const int64_t ts = std::llround(tsNs);
        const uint32_t thread = threadOf(pid, tid);
        if (m_threadFirst.size() < m_data.threads.size())
            m_threadFirst.resize(m_data.threads.size(), kTimeMax);
        if (ph != QLatin1String("M"))
            m_threadFirst[thread] = std::min(m_threadFirst[thread], ts);
        const uint32_t cat = intern(e.value(QLatin1String("cat")).toString());
        switch (ph.front().toLatin1()) {
        case 'X': {
            const double durNs = e.value(QLatin1String("dur")).toDouble() * 1000.0;
            // Ends stay inside the time limit too; NaN and negative durations become 0.
            const int64_t room = iltrace::kTimeLimit - 1 - ts;
            const int64_t dur =
                durNs > 0 ? std::min<int64_t>(room, durNs < double(room) ? std::llround(durNs) : room) : 0;
            slice(thread, ts, ts + dur, intern(name), cat);
            if (e.contains(QLatin1String("bind_id")) || e.value(QLatin1String("flow_out")).toBool() ||
                e.value(QLatin1String("flow_in")).toBool()) {
                if (e.value(QLatin1String("flow_in")).toBool())
                    stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
                if (e.value(QLatin1String("flow_out")).toBool())
                    stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
            }
            break;
        }
        case 'B':
        case 'E':
            m_stacks.push_back({thread, ts, m_seq++, ph == QLatin1String("B"), intern(name), cat});
            break;
        case 'b':
        case 'S':
            stage(ts, 1, 1, thread, EventType::AsyncBegin, intern(name), asyncId(e));
            break;
        case 'e':
        case 'F':
            stage(ts, 1, 1, thread, EventType::AsyncEnd, intern(name), asyncId(e));
            break;
        case 'i':
        case 'I':
        case 'n':
            if (m_restoresDeadlock && name == QLatin1String("deadlock") && m_data.string(cat) == "deadlock")
                stage(ts, 1, 1, thread, EventType::Deadlock, 0,
                      saturated(args.value(QLatin1String("threads")).toDouble()));
            else
                stage(ts, 1, 1, thread, EventType::Instant, intern(name), cat);
            break;
        case 'C':
            for (auto it = args.constBegin(); it != args.constEnd(); ++it) {
                bool ok = it.value().isDouble();
                double value = it.value().toDouble();
                if (!ok && it.value().isString())
                    value = it.value().toString().toDouble(&ok);
                if (ok)
                    stage(ts, 1, 1, thread, EventType::Counter, intern(name + QLatin1Char(' ') + it.key()),
                          std::bit_cast<int64_t>(value));
            }
            break;
        case 's':
            stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
            break;
        case 't':
            // A step ends the flow's previous leg and begins the next one here.
            stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
            stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
            break;
        case 'f':
            stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
            break;
        case 'M':
            if (name == QLatin1String("process_name"))
                m_processNames[pid] = args.value(QLatin1String("name")).toString();
            else if (name == QLatin1String("thread_name"))
                m_threadNames[thread] = args.value(QLatin1String("name")).toString();
            break; // sort indexes and labels only order tracks
        default:
            skip(ph);
        }
    }

    void skip(const QString &ph)
    {
        ++m_skipped;
        ++m_skippedPhases[ph.isEmpty() ? QStringLiteral("(none)") : ph];
    }

    struct StackEvent
    {
        uint32_t thread;
        int64_t time;
        uint64_t seq;
        bool begin;
        uint32_t name;
        uint32_t cat;
    };

    /// B/E pairs become complete slices: per thread in time order, E closes the latest open B.
    void matchBeginEnd()
    {
        std::stable_sort(m_stacks.begin(), m_stacks.end(), [](const StackEvent &a, const StackEvent &b) {
            return a.thread != b.thread ? a.thread < b.thread : a.time < b.time;
        });
        std::vector<const StackEvent *> open;
        uint32_t thread = kNoEvent;
        auto closeAll = [&] {
            for (const StackEvent *b : open)
                slice(b->thread, b->time, kTimeMax, b->name, b->cat);
            open.clear();
        };
        for (const StackEvent &ev : m_stacks) {
            if (ev.thread != thread) {
                closeAll();
                thread = ev.thread;
            }
            if (ev.begin) {
                open.push_back(&ev);
            } else if (!open.empty()) {
                const StackEvent *b = open.back();
                open.pop_back();
                slice(b->thread, b->time, ev.time, b->name, b->cat ? b->cat : ev.cat);
            } else {
                ++m_unmatchedEnds;
            }
        }
        closeAll();
    }

    void finish(const QJsonObject &other)
    {
        matchBeginEnd();
        m_threadFirst.resize(m_data.threads.size(), kTimeMax);
        auto firstOf = [&](uint32_t thread) { return m_threadFirst[thread] == kTimeMax ? 0 : m_threadFirst[thread]; };

        // Interleave's own exports carry ppids and the run description.
        std::unordered_map<int32_t, int32_t> ppids;
        const bool ours = other.value(QLatin1String("tool")).toString() == QLatin1String("Interleave");
        for (const QJsonValue &p : other.value(QLatin1String("processes")).toArray())
            ppids[p[QLatin1String("pid")].toInt()] = p[QLatin1String("ppid")].toInt();

        // Process names go on the process' main thread (tid == pid) or else its first thread.
        // The threads of each process are listed once: 50 k named processes took seconds when
        // every name scanned every thread.
        QHash<int32_t, std::vector<uint32_t>> threadsOf;
        for (uint32_t i = 0; i < m_data.threads.size(); ++i)
            threadsOf[m_data.threads[i].pid].push_back(i);
        for (auto it = m_processNames.constBegin(); it != m_processNames.constEnd(); ++it) {
            std::vector<uint32_t> &own = threadsOf[it.key()];
            uint32_t thread = kNoEvent;
            for (const uint32_t i : own) {
                if (thread == kNoEvent || m_data.threads[i].tid == it.key())
                    thread = i;
            }
            if (thread == kNoEvent) {
                thread = threadOf(it.key(), it.key());
                own.push_back(thread);
                m_threadFirst.resize(m_data.threads.size(), kTimeMax);
            }
            int64_t start = kTimeMax;
            for (const uint32_t i : own)
                start = std::min(start, firstOf(i));
            const auto ppid = ppids.find(it.key());
            stage(start == kTimeMax ? 0 : start, -1, 0, thread, EventType::ProcessStart, intern(it.value()),
                  ppid != ppids.end() ? ppid->second : 0);
        }
        for (auto it = m_threadNames.constBegin(); it != m_threadNames.constEnd(); ++it)
            stage(firstOf(it.key()), -1, 1, it.key(), EventType::ThreadName, intern(it.value()), 0);

        std::sort(m_staged.begin(), m_staged.end(), [](const Staged &a, const Staged &b) {
            if (a.time != b.time)
                return a.time < b.time;
            if (a.rank != b.rank)
                return a.rank < b.rank;
            if (a.secondary != b.secondary)
                return a.secondary < b.secondary;
            return a.rank == 2 ? a.seq > b.seq : a.seq < b.seq;
        });
        m_data.events.reserve(m_staged.size());
        for (const Staged &s : m_staged)
            m_data.events.push_back(s.event);
        // An Interleave export's deadlock cycle becomes the session's events again.
        if (const auto cycle = deadlockFromChrome(other.value(QLatin1String("deadlock")).toObject(),
                                                  [this](int32_t pid, int32_t tid) { return threadOf(pid, tid); }))
            recordDeadlock(m_data, *cycle, Imported);

        QJsonObject import;
        import.insert(QStringLiteral("format"), QStringLiteral("chrome-json"));
        import.insert(QStringLiteral("source"), m_name);
        import.insert(QStringLiteral("skipped_events"), double(m_skipped));
        QJsonObject phases;
        for (auto it = m_skippedPhases.constBegin(); it != m_skippedPhases.constEnd(); ++it)
            phases.insert(it.key(), double(it.value()));
        import.insert(QStringLiteral("skipped_phases"), phases);
        import.insert(QStringLiteral("unmatched_ends"), double(m_unmatchedEnds));
        m_data.meta.insert(QStringLiteral("import"), import);
        m_data.meta.insert(QStringLiteral("tool"),
                           other.value(QLatin1String("tool")).toString(QStringLiteral("unknown")));
        if (ours) {
            for (const char *key : {"scenario", "params", "status", "wall_ms", "findings"}) {
                const QJsonValue v = other.value(QLatin1String(key));
                if (!v.isUndefined())
                    m_data.meta.insert(QLatin1String(key), v);
            }
            // A run that lost events stays marked as one when its export is opened.
            const double dropped = other.value(QLatin1String("dropped_events")).toDouble();
            if (dropped > 0 && dropped < 1e15)
                m_data.droppedEvents = uint64_t(dropped);
        }
    }

    QString m_name;
    TraceData m_data;
    std::vector<Staged> m_staged;
    std::vector<StackEvent> m_stacks;
    std::vector<int64_t> m_threadFirst;
    QHash<QString, uint32_t> m_stringIds;
    QHash<QString, int32_t> m_namedIds;
    QHash<quint64, uint32_t> m_threadIds;
    QMap<int32_t, QString> m_processNames;
    QMap<uint32_t, QString> m_threadNames;
    QMap<QString, qint64> m_skippedPhases;
    bool m_restoresDeadlock = false; ///< the file has otherData.deadlock: its instant is the Deadlock mark
    uint64_t m_seq = 0;
    uint64_t m_skipped = 0;
    uint64_t m_unmatchedEnds = 0;
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

LoadResult importChromeJson(const QByteArray &bytes, const QString &name)
{
    return ChromeImporter(name).run(bytes);
}

LoadResult importChromeJson(const QString &path)
{
    const QString name = QDir::toNativeSeparators(path);
    LoadResult result;
    result.problem = Problem::Io;
    result.error = traceFileProblem(path);
    if (!result.error.isEmpty())
        return result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = ChromeTraceTr::tr("cannot open trace '%1': %2; check that it is a readable file")
                           .arg(name, file.errorString());
        return result;
    }
    return importChromeJson(file.readAll(), name);
}

LoadResult openTraceFile(const QString &path)
{
    QFile file(path);
    if (!traceFileProblem(path).isEmpty() || !file.open(QIODevice::ReadOnly))
        return loadIltrace(path); // says why it cannot be opened
    const QByteArray head = file.read(sizeof iltrace::kMagic);
    const QByteArray magic(iltrace::kMagic, qsizetype(sizeof iltrace::kMagic));
    if (magic.startsWith(head)) // empty, a cut-off header or a whole one
        return loadIltrace(path);
    return importChromeJson(path); // JSON, or it says the file is neither format
}

} // namespace interleave::core
