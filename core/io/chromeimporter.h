// SPDX-License-Identifier: MIT
// Private to the Chrome JSON import (chromeimport.cpp, chromeimportevents.cpp): the importer that
// RapidJSON's reader drives, and what it stages.
#pragma once

#include "io/chromejson.h"

#include <QJsonObject>
#include <QString>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interleave::core::detail {

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
    int64_t secondary;
    int32_t rank;
    uint32_t seq; ///< the order read (a tie-break: 4 G events would take far more memory than there is)
    Event event;  ///< its time is the one staged
};
static_assert(sizeof(Staged) == 48, "an imported event is held twice while it is sorted: keep it small");

/// Turns the stream of JSON values into events: the SAX handler RapidJSON's reader calls.
class ChromeImporter
{
    using Problem = LoadResult::Problem;

public:
    ChromeImporter(const QString &name, LoadProgress *progress)
        : m_name(name)
        , m_progress(progress)
    {}

    LoadResult run(const char *bytes, size_t size);
    /// The bytes run() reads are a file mapped read-only at `mapped`: the pages it has read are
    /// given back as it goes (never for bytes in ordinary memory, which that would
    /// erase).
    void releasePagesOf(const void *mapped) { m_mapped = mapped; }

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

    LoadResult fail(Problem problem, const QString &error);

    static std::pair<int, int> lineColumn(const char *bytes, size_t offset);

    // The steps of run() (chromeimport.cpp).
    /// A text that cannot be a trace before the reader sees it: empty, blank, or no JSON object or array.
    std::optional<LoadResult> startProblem(const char *bytes, size_t size, size_t first);
    /// What the reader's stop at `errorAt` means: invalid JSON (a result), a cut the events before
    /// it survive (`cut`), or the legal end of a trace being written.
    std::optional<LoadResult> jsonProblem(const char *bytes, const rapidjson::ParseResult &parsed, size_t errorAt,
                                          size_t contentEnd, bool &cut);
    /// The events read, finished (with otherData) and handed over; `cut`: the text ended early.
    LoadResult loaded(bool cut);

    template<typename Write> bool number(double value, Write write)
    {
        if (m_capturing)
            return write(m_writer);
        return scalar(Scalar::Kind::Number, value, {}, {});
    }

    /// A value that is not a container. `literal` is its text when it is null/true/false (for otherData).
    bool scalar(Scalar::Kind kind, double value, std::string_view text, std::string_view literal);

    Scalar *member(std::string_view key);

    bool open(bool object);

    bool close(bool object);

    /// False stops the reader: the load was cancelled.
    bool stageEvent();
    /// Gives back the pages of a mapped file (releasePagesOf) that the reader has gone past.
    void releaseReadPages();

    /// TraceData::threadIndex searches linearly; a trace with thousands of threads needs a map.
    uint32_t threadOf(int32_t pid, int32_t tid);

    uint32_t intern(std::string_view s);

    /// A JSON number as int64: NaN is 0 and values beyond the range saturate (a plain cast is undefined there).
    static int64_t saturated(double v);

    /// pid / tid as numbers, or as strings some tools write (numeric or a name).
    int32_t idOf(const Scalar &v);

    /// Async / flow ids: numbers, "0x1f" hex strings, decimal strings, id2 {local|global}, or any text.
    static int64_t asyncId(const JsonEvent &e);

    void stage(int64_t time, int rank, int64_t secondary, uint32_t thread, EventType type, uint32_t object,
               int64_t arg);

    void slice(uint32_t thread, int64_t t0, int64_t t1, uint32_t name, uint32_t cat);

    /// The value of the member `key` of "args", the last one when it is repeated.
    static const Scalar *arg(const JsonEvent &e, std::string_view key);

    // The events, staged as they are read and finished at the end (chromeimportevents.cpp).
    void add(JsonEvent &e);
    /// 'X': a slice with its duration, and the flows it ends or begins.
    void addComplete(const JsonEvent &e, uint32_t thread, int64_t ts, uint32_t cat);
    /// 'i', 'I', 'n': an instant, and Interleave's deadlock mark.
    void addInstant(const JsonEvent &e, uint32_t thread, int64_t ts, uint32_t cat);
    /// 'b', 'e' of Interleave's own lock spans ("wait L" / "hold L", cat "lock"): the lock events
    /// they were drawn from. False when `e` is no such span.
    bool addLockSpan(const JsonEvent &e, uint32_t thread, int64_t ts, bool begin);
    /// 'C': one counter series per member of "args".
    void addCounter(JsonEvent &e, uint32_t thread, int64_t ts);
    /// 'M': the names of processes and threads.
    void addMetadata(const JsonEvent &e, int32_t pid, uint32_t thread);

    void skip(std::string_view ph);

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
    void matchBeginEnd();

    void finish(const QJsonObject &other);
    /// Process names (with the ppids of Interleave's own exports) and thread names, staged at
    /// the first event of each.
    void stageNames(const QJsonObject &other);
    /// Sorts the staged events into the trace's events.
    /// Room for the events a text of `textBytes` can hold, before it is read.
    void reserveStaged(size_t textBytes);
    void sortStaged();
    /// What the trace's description says of the import, and what Interleave's own exports carry.
    void describeImport(const QJsonObject &other);

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
    size_t m_fileSize = 0;        ///< bytes of the text, a byte-order mark included
    bool m_byteOrderMark = false; ///< the text began with a UTF-8 byte-order mark (skipped)

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
    /// process_sort_index / thread_sort_index metadata: the order the file asks its tracks shown in.
    std::map<int32_t, int64_t> m_processSort;
    std::map<uint32_t, int64_t> m_threadSort;
    std::map<std::string, uint64_t> m_skippedPhases;
    /// Staged instants named "deadlock": the Deadlock mark, with its thread count, when otherData
    /// holds the recorded cycle.
    std::vector<std::pair<size_t, int64_t>> m_deadlockMarks;
    /// Lock id (the string id of its name) -> its ObjectNew in m_staged, kept at its earliest event.
    std::unordered_map<uint32_t, size_t> m_lockAnnouncements;
    uint64_t m_seq = 0;
    uint64_t m_skipped = 0;
    uint64_t m_unmatchedEnds = 0;
    LoadProgress *m_progress;
    const rapidjson::MemoryStream *m_stream = nullptr; ///< while reading: how far it is
    bool m_cancelled = false;
    const void *m_mapped = nullptr; ///< see releasePagesOf
    uintptr_t m_released = 0;       ///< the mapped pages before this address were given back
};

} // namespace interleave::core::detail
