// SPDX-License-Identifier: MIT
// Import of Chrome / Perfetto JSON traces, streamed: RapidJSON's reader hands over one value at a
// time and each event is staged as soon as its object closes, so memory holds the file and the
// events, never a document of the whole file.
#include "trace/chromejson.h"
#include "trace/chromejsontr.h"
#include "trace/tracemodel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <rapidjson/error/error.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace interleave::core {

namespace {

using Problem = LoadResult::Problem;

/// One JSON value of an event, as far as the importer reads it: a number, a string, or another
/// kind (read as 0, "" and false, like QJsonValue's conversions).
struct Scalar
{
    enum class Kind : uint8_t
    {
        Absent,
        Number,
        String,
        True,
        Other, ///< null, false, an object or an array
    };
    Kind kind = Kind::Absent;
    double number = 0;
    std::string text;

    bool isNumber() const { return kind == Kind::Number; }
    bool isString() const { return kind == Kind::String; }
    double toDouble() const { return isNumber() ? number : 0.0; }
    bool toBool() const { return kind == Kind::True; }
    std::string_view toString() const { return isString() ? std::string_view(text) : std::string_view(); }
};

/// The members of one trace event that the importer reads.
struct JsonEvent
{
    Scalar ph, name, cat, pid, tid, ts, dur, id, bindId, flowIn, flowOut, id2Global, id2Local;
    bool hasId2 = false;
    std::vector<std::pair<std::string, Scalar>> args; ///< the members of "args", in file order

    void clear()
    {
        for (Scalar *s :
             {&ph, &name, &cat, &pid, &tid, &ts, &dur, &id, &bindId, &flowIn, &flowOut, &id2Global, &id2Local})
            s->kind = Scalar::Kind::Absent;
        hasId2 = false;
        args.clear();
    }
};

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

/// otherData beyond this is not read (Interleave's own is a few kilobytes): it is parsed into a
/// document, and a hostile file must not make that document many times the file.
constexpr size_t kMaxOtherData = size_t(64) << 20;

/// A cut-off escape (\u12) or UTF-8 character is reported from where it starts, at most this
/// far before the end of the text.
constexpr size_t kLongestCutToken = 12;

/// Whether a parse error at `offset` is where the text ends: the reader reports a cut-off value
/// there, or a cut-off escape or character from its start.
bool atTheEnd(rapidjson::ParseErrorCode code, size_t offset, size_t contentEnd)
{
    switch (code) {
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:
    case rapidjson::kParseErrorStringEscapeInvalid:
    case rapidjson::kParseErrorStringInvalidEncoding:
        return offset + kLongestCutToken >= contentEnd;
    default:
        return offset >= contentEnd;
    }
}

/// What is wrong with the JSON, in a phrase that fits the error line (and is translated).
QString parseProblem(rapidjson::ParseErrorCode code)
{
    switch (code) {
    case rapidjson::kParseErrorDocumentRootNotSingular:
        return ChromeTraceTr::tr("more text after the end of the JSON");
    case rapidjson::kParseErrorObjectMissName:
        return ChromeTraceTr::tr("a member name is missing");
    case rapidjson::kParseErrorObjectMissColon:
        return ChromeTraceTr::tr("a colon is missing after a member name");
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
        return ChromeTraceTr::tr("a comma or '}' is missing after a member");
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
        return ChromeTraceTr::tr("a comma or ']' is missing after an element");
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
        return ChromeTraceTr::tr("a \\u escape without four hex digits");
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:
        return ChromeTraceTr::tr("a \\u escape of half a character");
    case rapidjson::kParseErrorStringEscapeInvalid:
        return ChromeTraceTr::tr("an unknown escape in a string");
    case rapidjson::kParseErrorStringMissQuotationMark:
        return ChromeTraceTr::tr("a string without its closing quote");
    case rapidjson::kParseErrorStringInvalidEncoding:
        return ChromeTraceTr::tr("a string that is not UTF-8");
    case rapidjson::kParseErrorNumberTooBig:
        return ChromeTraceTr::tr("a number too large");
    case rapidjson::kParseErrorNumberMissFraction:
    case rapidjson::kParseErrorNumberMissExponent:
        return ChromeTraceTr::tr("a number cut short");
    default:
        return ChromeTraceTr::tr("not a JSON value");
    }
}

/// Turns the stream of JSON values into events: the SAX handler RapidJSON's reader calls.
class ChromeImporter
{
public:
    ChromeImporter(const QString &name, LoadProgress *progress)
        : m_name(name)
        , m_progress(progress)
    {}

    LoadResult run(const char *bytes, size_t size)
    {
        // A UTF-8 byte-order mark (written by some Windows editors) is not part of the JSON.
        if (size >= 3 && std::memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
            bytes += 3;
            size -= 3;
        }
        size_t first = 0;
        while (first < size && isBlank(bytes[first]))
            ++first;
        // A file preallocated and cut off by a crash ends in zero bytes: they are no content either.
        size_t contentEnd = size;
        while (contentEnd > first && (isBlank(bytes[contentEnd - 1]) || bytes[contentEnd - 1] == '\0'))
            --contentEnd;
        if (first == size)
            return fail(
                Problem::Empty,
                size == 0
                    ? ChromeTraceTr::tr("cannot open trace '%1': the file is empty; export the trace again").arg(m_name)
                    : ChromeTraceTr::tr("cannot open trace '%1': it holds nothing but white space (%2 "
                                        "bytes); export the trace again")
                          .arg(m_name)
                          .arg(size));
        if (bytes[first] != '{' && bytes[first] != '[')
            return fail(Problem::NotATrace,
                        ChromeTraceTr::tr("cannot open trace '%1': it is neither an Interleave trace nor a "
                                          "Chrome/Perfetto JSON trace; open a .iltrace or a .json trace file")
                            .arg(m_name));

        rapidjson::MemoryStream stream(bytes, size);
        m_stream = &stream;
        if (m_progress)
            m_progress->size = size;
        rapidjson::Reader reader;
        // Iterative: a deeply nested file cannot exhaust the stack. Strings must be valid UTF-8.
        const rapidjson::ParseResult parsed =
            reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(stream, *this);
        m_stream = nullptr;
        if (m_cancelled)
            return fail(Problem::Cancelled, ChromeTraceTr::tr("opening trace '%1' was cancelled").arg(m_name));
        const size_t errorAt = parsed ? stream.Tell() : parsed.Offset();
        rapidjson::ParseErrorCode code = parsed.Code();
        // The reader stops at a zero byte as at the end of the text: anything after one is not JSON.
        if (parsed && errorAt < contentEnd)
            code = rapidjson::kParseErrorDocumentRootNotSingular;
        bool cut = false;
        if (code != rapidjson::kParseErrorNone) {
            // Only where the text ends: an error in the middle (a damaged byte, a hand edit) is not
            // a cut, and a guess at the events before it would show a trace that was never written.
            const bool end = !parsed && atTheEnd(code, errorAt, contentEnd);
            if (end && m_form == Form::Array && m_depth == 1) {
                // The array form may legally lack its closing bracket (a trace being written).
            } else if (end && m_sawEvents) {
                cut = true; // events before the cut are kept; otherData may be lost
            } else {
                const auto [line, column] = lineColumn(bytes, errorAt);
                return fail(Problem::Corrupt,
                            ChromeTraceTr::tr("cannot open trace '%1': invalid JSON at line %2, column %3 (%4); "
                                              "repair the file or export it again")
                                .arg(m_name, QString::number(line), QString::number(column), parseProblem(code)));
            }
        }
        if (m_form == Form::Object && !m_sawEvents)
            return fail(Problem::NotATrace,
                        ChromeTraceTr::tr("cannot open trace '%1': the JSON has no \"traceEvents\" array, so "
                                          "it is not a Chrome/Perfetto trace; open a trace file")
                            .arg(m_name));

        QJsonObject other;
        if (!m_otherData.empty())
            other = QJsonDocument::fromJson(QByteArray::fromRawData(m_otherData.data(), qsizetype(m_otherData.size())))
                        .object();
        m_otherData = {};
        finish(other);
        LoadResult result;
        result.ok = !cut;
        if (cut) {
            result.problem = Problem::Truncated;
            result.error = ChromeTraceTr::tr("trace '%1' is cut off: %2 event(s) before the cut are shown; export it "
                                             "again for the rest")
                               .arg(m_name)
                               .arg(m_jsonEvents);
        }
        result.data = std::move(m_data);
        return result;
    }

    // The reader's handler: one call per value, key and bracket.
    bool Null() { return scalar(Scalar::Kind::Other, 0, {}, "null"); }
    bool Bool(bool b) { return scalar(b ? Scalar::Kind::True : Scalar::Kind::Other, 0, {}, b ? "true" : "false"); }
    bool Int(int i)
    {
        return number(double(i), [&](auto &w) { return w.Int(i); });
    }
    bool Uint(unsigned u)
    {
        return number(double(u), [&](auto &w) { return w.Uint(u); });
    }
    bool Int64(int64_t i)
    {
        return number(double(i), [&](auto &w) { return w.Int64(i); });
    }
    bool Uint64(uint64_t u)
    {
        return number(double(u), [&](auto &w) { return w.Uint64(u); });
    }
    bool Double(double d)
    {
        return number(d, [&](auto &w) { return w.Double(d); });
    }
    bool RawNumber(const char *s, rapidjson::SizeType n, bool) { return String(s, n, true); } // not asked for
    bool String(const char *s, rapidjson::SizeType n, bool)
    {
        return scalar(Scalar::Kind::String, 0, std::string_view(s, n), {});
    }
    bool Key(const char *s, rapidjson::SizeType n, bool)
    {
        const std::string_view key(s, n);
        if (m_capturing)
            return m_writer.Key(s, n);
        if (m_depth == 1 && m_form == Form::Object)
            m_topKey.assign(key);
        else if (m_depth == eventDepth())
            m_eventKey.assign(key);
        else if (m_depth == eventDepth() + 1)
            m_innerKey.assign(key);
        return true;
    }
    bool StartObject() { return open(true); }
    bool StartArray() { return open(false); }
    bool EndObject(rapidjson::SizeType) { return close(true); }
    bool EndArray(rapidjson::SizeType) { return close(false); }

private:
    enum class Form
    {
        Unknown,
        Array,  ///< [event, ...]
        Object, ///< {"traceEvents": [event, ...], "otherData": {...}, ...}
    };
    /// Where an event's own members are: one level inside the event array's elements.
    size_t eventDepth() const { return m_eventsDepth + 1; }
    bool inEvents() const { return m_eventsDepth != 0; }

    static bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    LoadResult fail(Problem problem, const QString &error)
    {
        LoadResult result;
        result.problem = problem;
        result.error = error;
        return result;
    }

    static std::pair<int, int> lineColumn(const char *bytes, size_t offset)
    {
        int line = 1;
        int column = 1;
        for (size_t i = 0; i < offset; ++i) {
            if (bytes[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return {line, column};
    }

    template<typename Write> bool number(double value, Write write)
    {
        if (m_capturing)
            return write(m_writer);
        return scalar(Scalar::Kind::Number, value, {}, {});
    }

    /// A value that is not a container. `literal` is its text when it is null/true/false (for otherData).
    bool scalar(Scalar::Kind kind, double value, std::string_view text, std::string_view literal)
    {
        if (m_capturing) {
            if (kind == Scalar::Kind::String)
                return m_writer.String(text.data(), rapidjson::SizeType(text.size()));
            if (literal == "null")
                return m_writer.Null();
            return m_writer.Bool(literal == "true");
        }
        if (inEvents() && m_depth == m_eventsDepth) {
            // An element of the event array that is no object is an event without a phase.
            m_event.clear();
            stageEvent();
            return true;
        }
        if (!m_inEvent)
            return true;
        Scalar *target = nullptr;
        if (m_depth == eventDepth())
            target = member(m_eventKey);
        else if (m_depth == eventDepth() + 1 && m_inner == Inner::Args)
            target = &m_event.args.emplace_back(m_innerKey, Scalar{}).second;
        else if (m_depth == eventDepth() + 1 && m_inner == Inner::Id2)
            target = m_innerKey == "global" ? &m_event.id2Global : m_innerKey == "local" ? &m_event.id2Local : nullptr;
        if (target) {
            target->kind = kind;
            target->number = value;
            if (kind == Scalar::Kind::String)
                target->text.assign(text);
        }
        return true;
    }

    Scalar *member(std::string_view key)
    {
        static const std::pair<std::string_view, Scalar JsonEvent::*> kMembers[] = {
            {"ph", &JsonEvent::ph},
            {"name", &JsonEvent::name},
            {"cat", &JsonEvent::cat},
            {"pid", &JsonEvent::pid},
            {"tid", &JsonEvent::tid},
            {"ts", &JsonEvent::ts},
            {"dur", &JsonEvent::dur},
            {"id", &JsonEvent::id},
            {"bind_id", &JsonEvent::bindId},
            {"flow_in", &JsonEvent::flowIn},
            {"flow_out", &JsonEvent::flowOut},
        };
        for (const auto &[name, field] : kMembers) {
            if (name == key)
                return &(m_event.*field);
        }
        return nullptr;
    }

    bool open(bool object)
    {
        if (m_capturing) {
            ++m_depth;
            return object ? m_writer.StartObject() : m_writer.StartArray();
        }
        if (m_depth == 0) {
            m_form = object ? Form::Object : Form::Array;
            if (!object) {
                m_eventsDepth = 1;
                m_sawEvents = true;
            }
        } else if (m_depth == 1 && m_form == Form::Object) {
            if (!object && m_topKey == "traceEvents") {
                m_eventsDepth = 2;
                m_sawEvents = true;
            } else if (object && m_topKey == "otherData") {
                m_otherDataBuffer.Clear();
                m_otherDataTooLarge = false;
                m_writer.Reset(m_otherDataBuffer);
                m_capturing = true;
                ++m_depth;
                return m_writer.StartObject();
            }
        } else if (inEvents() && m_depth == m_eventsDepth) {
            // An event; an array here is an event without a phase, like any other non-object.
            m_event.clear();
            m_inEvent = object;
        } else if (m_inEvent && m_depth == eventDepth()) {
            m_inner = Inner::None;
            if (object && m_eventKey == "args") {
                m_inner = Inner::Args;
                m_event.args.clear();
            } else if (object && m_eventKey == "id2") {
                m_inner = Inner::Id2;
                m_event.hasId2 = true;
                m_event.id2Global.kind = m_event.id2Local.kind = Scalar::Kind::Absent;
            } else if (Scalar *s = member(m_eventKey)) {
                s->kind = Scalar::Kind::Other;
            }
        } else if (m_inEvent && m_depth == eventDepth() + 1) {
            if (m_inner == Inner::Args)
                m_event.args.emplace_back(m_innerKey, Scalar{Scalar::Kind::Other, 0, {}});
            else if (m_inner == Inner::Id2 && (m_innerKey == "global" || m_innerKey == "local"))
                (m_innerKey == "global" ? m_event.id2Global : m_event.id2Local).kind = Scalar::Kind::Other;
        }
        ++m_depth;
        return true;
    }

    bool close(bool object)
    {
        --m_depth;
        if (m_capturing) {
            const bool ok = object ? m_writer.EndObject() : m_writer.EndArray();
            if (m_otherDataBuffer.GetSize() > kMaxOtherData) {
                // Too large to be Interleave's: written on only to follow the nesting.
                m_otherDataTooLarge = true;
                m_otherDataBuffer.Clear();
            }
            if (m_depth == 1) {
                m_capturing = false;
                m_otherData.clear();
                if (!m_otherDataTooLarge)
                    m_otherData.assign(m_otherDataBuffer.GetString(), m_otherDataBuffer.GetSize());
                m_otherDataBuffer.Clear();
                m_otherDataBuffer.ShrinkToFit();
            }
            return ok;
        }
        if (inEvents() && m_depth == m_eventsDepth - 1 && !object) {
            m_eventsDepth = 0; // the event array is closed
        } else if (inEvents() && m_depth == m_eventsDepth) {
            m_inEvent = false; // an event, or an array in its place, is read whole
            return stageEvent();
        } else if (m_inEvent && m_depth == eventDepth()) {
            m_inner = Inner::None;
        }
        return true;
    }

    /// False stops the reader: the load was cancelled.
    bool stageEvent()
    {
        ++m_jsonEvents;
        add(m_event);
        if (m_progress && m_jsonEvents % 4096 == 0) {
            m_progress->read = m_stream->Tell();
            m_cancelled = m_progress->cancel;
        }
        return !m_cancelled;
    }

    /// TraceData::threadIndex searches linearly; a trace with thousands of threads needs a map.
    uint32_t threadOf(int32_t pid, int32_t tid)
    {
        const uint64_t key = uint64_t(uint32_t(pid)) << 32 | uint32_t(tid);
        const auto [it, added] = m_threadIds.try_emplace(key, uint32_t(m_data.threads.size()));
        if (added) // not in the map, so not in the list (every thread of the import is made here)
            m_data.threads.push_back({pid, tid});
        return it->second;
    }

    uint32_t intern(std::string_view s)
    {
        if (s.empty())
            return 0;
        const auto it = m_stringIds.find(s);
        if (it != m_stringIds.end())
            return it->second;
        const uint32_t id = m_data.addString(std::string(s));
        m_stringIds.emplace(std::string(s), id);
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
    int32_t idOf(const Scalar &v)
    {
        if (v.isNumber())
            return int32_t(saturated(v.number));
        if (!v.isString())
            return 0;
        bool ok = false;
        const int32_t n = QString::fromStdString(v.text).toInt(&ok);
        if (ok)
            return n;
        const auto [it, added] = m_namedIds.try_emplace(v.text, int32_t(1'000'000'000 + m_namedIds.size()));
        return it->second;
    }

    /// Async / flow ids: numbers, "0x1f" hex strings, decimal strings, id2 {local|global}, or any text.
    static int64_t asyncId(const JsonEvent &e)
    {
        const Scalar *v = &e.id;
        if (v->kind == Scalar::Kind::Absent && e.hasId2)
            v = e.id2Global.kind != Scalar::Kind::Absent ? &e.id2Global : &e.id2Local;
        if (v->kind == Scalar::Kind::Absent)
            v = &e.bindId;
        if (v->isNumber())
            return saturated(v->number);
        const QString s = QString::fromStdString(std::string(v->toString()));
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

    /// The value of the member `key` of "args", the last one when it is repeated.
    static const Scalar *arg(const JsonEvent &e, std::string_view key)
    {
        for (auto it = e.args.rbegin(); it != e.args.rend(); ++it) {
            if (it->first == key)
                return &it->second;
        }
        return nullptr;
    }

    void add(JsonEvent &e)
    {
        const std::string_view ph = e.ph.toString();
        const std::string_view name = e.name.toString();
        const int32_t pid = idOf(e.pid);
        const int32_t tid = idOf(e.tid);
        const double tsNs = e.ts.toDouble() * 1000.0;
        // Times beyond ±146 years (or not numbers) cannot be real, and would overflow differences.
        if (ph.size() != 1 || !(std::abs(tsNs) < double(iltrace::kTimeLimit))) {
            skip(ph);
            return;
        }
        const int64_t ts = std::llround(tsNs);
        const uint32_t thread = threadOf(pid, tid);
        if (m_threadFirst.size() < m_data.threads.size())
            m_threadFirst.resize(m_data.threads.size(), kTimeMax);
        if (ph != "M")
            m_threadFirst[thread] = std::min(m_threadFirst[thread], ts);
        const uint32_t cat = intern(e.cat.toString());
        switch (ph.front()) {
        case 'X': {
            const double durNs = e.dur.toDouble() * 1000.0;
            // Ends stay inside the time limit too; NaN and negative durations become 0.
            const int64_t room = iltrace::kTimeLimit - 1 - ts;
            const int64_t dur =
                durNs > 0 ? std::min<int64_t>(room, durNs < double(room) ? std::llround(durNs) : room) : 0;
            slice(thread, ts, ts + dur, intern(name), cat);
            if (e.flowIn.toBool())
                stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
            if (e.flowOut.toBool())
                stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
            break;
        }
        case 'B':
        case 'E':
            m_stacks.push_back({thread, ts, m_seq++, ph == "B", intern(name), cat});
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
            // Interleave's deadlock mark, if otherData (read later, perhaps) holds the cycle.
            if (name == "deadlock" && e.cat.toString() == "deadlock") {
                const Scalar *threads = arg(e, "threads");
                m_deadlockMarks.push_back({m_staged.size(), saturated(threads ? threads->toDouble() : 0.0)});
            }
            stage(ts, 1, 1, thread, EventType::Instant, intern(name), cat);
            break;
        case 'C': {
            // One series per member, in the order of their names; a repeated name counts once, last.
            std::stable_sort(e.args.begin(), e.args.end(),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
            for (size_t i = 0; i < e.args.size(); ++i) {
                if (i + 1 < e.args.size() && e.args[i + 1].first == e.args[i].first)
                    continue;
                const Scalar &v = e.args[i].second;
                bool ok = v.isNumber();
                double value = v.number;
                if (v.isString())
                    value = QString::fromStdString(v.text).toDouble(&ok);
                if (ok) {
                    std::string series(name);
                    series += ' ';
                    series += e.args[i].first;
                    stage(ts, 1, 1, thread, EventType::Counter, intern(series), std::bit_cast<int64_t>(value));
                }
            }
            break;
        }
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
        case 'M': {
            const Scalar *label = arg(e, "name");
            const std::string text(label ? label->toString() : std::string_view());
            if (name == "process_name")
                m_processNames[pid] = text;
            else if (name == "thread_name")
                m_threadNames[thread] = text;
            break; // sort indexes and labels only order tracks
        }
        default:
            skip(ph);
        }
    }

    void skip(std::string_view ph)
    {
        ++m_skipped;
        ++m_skippedPhases[ph.empty() ? std::string("(none)") : std::string(ph)];
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
        std::unordered_map<int32_t, std::vector<uint32_t>> threadsOf;
        for (uint32_t i = 0; i < m_data.threads.size(); ++i)
            threadsOf[m_data.threads[i].pid].push_back(i);
        for (const auto &[pid, processName] : m_processNames) {
            std::vector<uint32_t> &own = threadsOf[pid];
            uint32_t thread = kNoEvent;
            for (const uint32_t i : own) {
                if (thread == kNoEvent || m_data.threads[i].tid == pid)
                    thread = i;
            }
            if (thread == kNoEvent) {
                thread = threadOf(pid, pid);
                own.push_back(thread);
                m_threadFirst.resize(m_data.threads.size(), kTimeMax);
            }
            int64_t start = kTimeMax;
            for (const uint32_t i : own)
                start = std::min(start, firstOf(i));
            const auto ppid = ppids.find(pid);
            stage(start == kTimeMax ? 0 : start, -1, 0, thread, EventType::ProcessStart, intern(processName),
                  ppid != ppids.end() ? ppid->second : 0);
        }
        for (const auto &[thread, threadName] : m_threadNames)
            stage(firstOf(thread), -1, 1, thread, EventType::ThreadName, intern(threadName), 0);

        if (other.value(QLatin1String("deadlock")).isObject()) {
            for (const auto &[index, threads] : m_deadlockMarks) {
                Event &mark = m_staged[index].event;
                mark.type = EventType::Deadlock;
                mark.object = 0;
                mark.arg = threads;
            }
        }
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
        m_staged = {};
        // An Interleave export's deadlock cycle becomes the session's events again.
        if (const auto cycle = deadlockFromChrome(other.value(QLatin1String("deadlock")).toObject(),
                                                  [this](int32_t pid, int32_t tid) { return threadOf(pid, tid); }))
            recordDeadlock(m_data, *cycle, Imported);

        QJsonObject import;
        import.insert(QStringLiteral("format"), QStringLiteral("chrome-json"));
        import.insert(QStringLiteral("source"), m_name);
        import.insert(QStringLiteral("skipped_events"), double(m_skipped));
        QJsonObject phases;
        for (const auto &[ph, count] : m_skippedPhases)
            phases.insert(QString::fromStdString(ph), double(count));
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

    /// Heterogeneous lookup: a key is looked up as a view, not copied into a string first.
    struct StringHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    enum class Inner
    {
        None,
        Args, ///< inside the event's "args" object
        Id2,  ///< inside the event's "id2" object
    };

    QString m_name;
    TraceData m_data;

    // Where the reader is.
    Form m_form = Form::Unknown;
    size_t m_depth = 0;       ///< open objects and arrays
    size_t m_eventsDepth = 0; ///< the depth inside the event array while it is open, else 0
    bool m_sawEvents = false; ///< an event array was opened
    bool m_inEvent = false;
    Inner m_inner = Inner::None;
    std::string m_topKey, m_eventKey, m_innerKey;
    JsonEvent m_event;
    uint64_t m_jsonEvents = 0; ///< elements of the event array read whole

    // otherData, written back out as text while it is read and parsed into a document at the end.
    bool m_capturing = false;
    bool m_otherDataTooLarge = false;
    rapidjson::StringBuffer m_otherDataBuffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_writer;
    std::string m_otherData;

    std::vector<Staged> m_staged;
    std::vector<StackEvent> m_stacks;
    std::vector<int64_t> m_threadFirst;
    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> m_stringIds;
    std::unordered_map<std::string, int32_t> m_namedIds;
    std::unordered_map<uint64_t, uint32_t> m_threadIds;
    std::map<int32_t, std::string> m_processNames;
    std::map<uint32_t, std::string> m_threadNames;
    std::map<std::string, uint64_t> m_skippedPhases;
    /// Staged instants named "deadlock": the Deadlock mark, with its thread count, when otherData
    /// holds the recorded cycle.
    std::vector<std::pair<size_t, int64_t>> m_deadlockMarks;
    uint64_t m_seq = 0;
    uint64_t m_skipped = 0;
    uint64_t m_unmatchedEnds = 0;
    LoadProgress *m_progress;
    const rapidjson::MemoryStream *m_stream = nullptr; ///< while reading: how far it is
    bool m_cancelled = false;
};

} // namespace

LoadResult importChromeJson(const char *bytes, size_t size, const QString &name, LoadProgress *progress)
{
    return ChromeImporter(name, progress).run(bytes, size);
}

LoadResult importChromeJson(const QString &path, LoadProgress *progress)
{
    const QString name = QDir::toNativeSeparators(path);
    QFile file;
    LoadResult result;
    if (!openTraceForReading(file, path, result))
        return result;
    // Mapped, not copied: the file's pages are the page cache's, read once and given back.
    if (file.size() > 0) {
        if (const uchar *mapped = file.map(0, file.size()))
            return importChromeJson(reinterpret_cast<const char *>(mapped), size_t(file.size()), name, progress);
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        result.error = ChromeTraceTr::tr("cannot open trace '%1': %2; check that it is a readable file")
                           .arg(name, file.errorString());
        return result;
    }
    return importChromeJson(bytes.constData(), size_t(bytes.size()), name, progress);
}

LoadResult openTraceFile(const QString &path, LoadProgress *progress)
{
    QFile file(path);
    if (!traceFileProblem(path).isEmpty() || !file.open(QIODevice::ReadOnly))
        return loadIltrace(path, progress); // says why it cannot be opened
    const QByteArray head = file.read(sizeof iltrace::kMagic);
    const QByteArray magic(iltrace::kMagic, qsizetype(sizeof iltrace::kMagic));
    if (magic.startsWith(head)) // empty, a cut-off header or a whole one
        return loadIltrace(path, progress);
    return importChromeJson(path, progress); // JSON, or it says the file is neither format
}

} // namespace interleave::core
