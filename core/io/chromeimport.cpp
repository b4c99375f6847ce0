// SPDX-License-Identifier: MIT
// Import of Chrome / Perfetto JSON traces, streamed: RapidJSON's reader hands over one value at a
// time and each event is staged as soon as its object closes, so memory holds the file and the
// events, never a document of the whole file. This file reads; chromeimportevents.cpp stages.
#include "io/chromeimporter.h"

#include "io/chromejsontr.h"
#include "io/gunzip.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <rapidjson/error/error.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace interleave::core {

namespace detail {

namespace {

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

} // namespace

LoadResult ChromeImporter::run(const char *bytes, size_t size)
{
    // A UTF-8 byte-order mark (written by some Windows editors) is not part of the JSON.
    m_fileSize = size;
    m_byteOrderMark = size >= 3 && std::memcmp(bytes, "\xEF\xBB\xBF", 3) == 0;
    if (m_byteOrderMark) {
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
    if (std::optional<LoadResult> refused = startProblem(bytes, size, first))
        return std::move(*refused);

    reserveStaged(size);
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
    bool cut = false;
    if (std::optional<LoadResult> invalid = jsonProblem(bytes, parsed, errorAt, contentEnd, cut))
        return std::move(*invalid);
    if (m_form == Form::Object && !m_sawEvents)
        return fail(Problem::NotATrace,
                    ChromeTraceTr::tr("cannot open trace '%1': the JSON has no \"traceEvents\" array, so "
                                      "it is not a Chrome/Perfetto trace; open a trace file")
                        .arg(m_name));
    return loaded(cut);
}

std::optional<LoadResult> ChromeImporter::startProblem(const char *bytes, size_t size, size_t first)
{
    // The whole file's size in the message, the mark included: it is what `ls` shows.
    if (first == size && m_fileSize == 0)
        return fail(Problem::Empty,
                    ChromeTraceTr::tr("cannot open trace '%1': the file is empty; export the trace again").arg(m_name));
    if (first == size && m_byteOrderMark)
        return fail(Problem::Empty, ChromeTraceTr::tr("cannot open trace '%1': it holds no events, only a UTF-8 "
                                                      "byte-order mark and white space (%2 bytes); export the trace "
                                                      "again")
                                        .arg(m_name)
                                        .arg(m_fileSize));
    if (first == size)
        return fail(Problem::Empty, ChromeTraceTr::tr("cannot open trace '%1': it holds no events, only white space "
                                                      "(%2 bytes); export the trace again")
                                        .arg(m_name)
                                        .arg(m_fileSize));
    if (bytes[first] != '{' && bytes[first] != '[')
        return fail(Problem::NotATrace,
                    ChromeTraceTr::tr("cannot open trace '%1': it is neither an Interleave trace nor a "
                                      "Chrome/Perfetto JSON trace; open a .iltrace or a .json trace file")
                        .arg(m_name));
    return std::nullopt;
}

std::optional<LoadResult> ChromeImporter::jsonProblem(const char *bytes, const rapidjson::ParseResult &parsed,
                                                      size_t errorAt, size_t contentEnd, bool &cut)
{
    rapidjson::ParseErrorCode code = parsed.Code();
    // The reader stops at a zero byte as at the end of the text: anything after one is not JSON.
    if (parsed && errorAt < contentEnd)
        code = rapidjson::kParseErrorDocumentRootNotSingular;
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
    return std::nullopt;
}

LoadResult ChromeImporter::loaded(bool cut)
{
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

LoadResult ChromeImporter::fail(Problem problem, const QString &error)
{
    LoadResult result;
    result.problem = problem;
    result.error = error;
    return result;
}

std::pair<int, int> ChromeImporter::lineColumn(const char *bytes, size_t offset)
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

bool ChromeImporter::scalar(Scalar::Kind kind, double value, std::string_view text, std::string_view literal)
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

Scalar *ChromeImporter::member(std::string_view key)
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

bool ChromeImporter::open(bool object)
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

bool ChromeImporter::close(bool object)
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

bool ChromeImporter::stageEvent()
{
    ++m_jsonEvents;
    add(m_event);
    if (m_jsonEvents % 4096 != 0)
        return true;
    if (m_progress) {
        m_progress->read = m_stream->Tell();
        m_cancelled = m_progress->cancel;
    }
    releaseReadPages();
    return !m_cancelled;
}

void ChromeImporter::releaseReadPages()
{
    // A mapped file's pages that the reader has gone past are given back (the page cache keeps
    // them; a later look, as at a parse error, reads them again): the file's size is not held in
    // memory on top of its events. Every string the reader hands over is a copy of its own.
    if (!m_mapped || !m_stream)
        return;
    static const size_t page = size_t(::sysconf(_SC_PAGESIZE));
    const auto base = reinterpret_cast<uintptr_t>(m_mapped);
    const uintptr_t upTo = (base + m_stream->Tell()) / page * page;
    constexpr size_t kStep = size_t(8) << 20; // in steps of 8 MiB, a few calls per file
    if (upTo >= m_released + kStep && upTo > base) {
        const uintptr_t from = std::max<uintptr_t>(m_released, base);
        ::madvise(reinterpret_cast<void *>(from), upTo - from, MADV_DONTNEED);
        m_released = upTo;
    }
}

} // namespace detail

using detail::ChromeImporter;

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
        if (const uchar *mapped = file.map(0, file.size())) {
            ChromeImporter importer(name, progress);
            importer.releasePagesOf(mapped);
            return importer.run(reinterpret_cast<const char *>(mapped), size_t(file.size()));
        }
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
    if (isGzip(head)) {
        // Either format, compressed (t.json.gz, t.iltrace.gz): read from the decompressed bytes.
        QByteArray bytes;
        LoadResult failure;
        if (!gunzipFile(path, bytes, progress, failure))
            return failure;
        const QString name = QDir::toNativeSeparators(path);
        if (magic.startsWith(bytes.left(magic.size())))
            return loadIltrace(bytes, name);
        return importChromeJson(bytes.constData(), size_t(bytes.size()), name, progress);
    }
    if (magic.startsWith(head)) // empty, a cut-off header or a whole one
        return loadIltrace(path, progress);
    return importChromeJson(path, progress); // JSON, or it says the file is neither format
}

} // namespace interleave::core
