// SPDX-License-Identifier: MIT
// The .iltrace parser's chunk readers: the run's description, the string and thread tables, and
// the events, each checked before anything downstream may index by it.
#include "io/iltraceparser.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sys/mman.h>
#include <zstd.h>

#include <algorithm>
#include <iterator>

namespace interleave::core::detail {

namespace {

// How far the space reserved for a compressed chunk trusts the count it states: up to this many
// times its stored size (a race run's chunks compress about sevenfold). A crafted file of tiny
// chunks that each claim a full chunk of events then reserves a few times its own size, not
// gigabytes; events beyond that are still read, into a vector that grows as they come.
constexpr size_t kReservedPerStoredByte = 64;
// The most a compressed chunk may expand. Recorded events compress 5 to 30 times (each one's
// time differs); zstd packs 2 MiB of one repeated byte into about 100 bytes, so without this a
// file of such chunks would make the reader allocate some 20,000 times the file's size.
constexpr size_t kMaxExpansion = 1024;

} // namespace

void IltraceParser::FreeDecompressor::operator()(ZSTD_DCtx_s *context) const
{
    ZSTD_freeDCtx(context);
}

// Counts the events of every complete chunk first, so 5 M events are copied once, not
// re-copied by vector growth.
void IltraceParser::reserveEvents()
{
    size_t pos = iltrace::kHeaderSize;
    size_t total = 0;
    size_t reserved = 0;
    while (m_size - pos >= iltrace::kChunkHeaderSize) {
        char chunk[iltrace::kChunkHeaderSize];
        if (!m_src.read(pos, chunk, sizeof chunk))
            break;
        const auto type = readLe<uint32_t>(chunk);
        const auto length = readLe<uint64_t>(chunk + 8);
        const size_t payloadPos = pos + iltrace::kChunkHeaderSize;
        if (length > m_size - payloadPos)
            break;
        if (type == iltrace::kEvents) {
            total += size_t(length) / sizeof(Event);
            reserved += size_t(length) / sizeof(Event);
        }
        char count[4];
        if (type == iltrace::kEventsZstd && wellFormedCompressedLength(size_t(length)) &&
            m_src.read(payloadPos, count, sizeof count) && readLe<uint32_t>(count) <= iltrace::kMaxEventsPerChunk) {
            total += readLe<uint32_t>(count);
            reserved +=
                std::min<size_t>(readLe<uint32_t>(count), size_t(length) * kReservedPerStoredByte / sizeof(Event));
        }
        if (type == iltrace::kEnd)
            break;
        pos = payloadPos + size_t(length);
    }
    m_eventsInFile = total;
    auto &events = m_result.data.events;
    events.reserve(reserved);
#ifdef MADV_HUGEPAGE
    // Huge pages for the event array: 2 MiB per page fault instead of 4 KiB (loading 5 M
    // events spent most of its time faulting pages in on a VM without this).
    constexpr uintptr_t kHuge = uintptr_t(2) << 20;
    const auto begin = (uintptr_t(events.data()) + kHuge - 1) & ~(kHuge - 1);
    const auto end = uintptr_t(events.data() + events.capacity()) & ~(kHuge - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

QString IltraceParser::readMeta(const char *p, size_t len)
{
    QJsonParseError err{};
    const auto doc = QJsonDocument::fromJson(QByteArray::fromRawData(p, qsizetype(len)), &err);
    if (!doc.isObject())
        return TraceFileTr::tr("the META chunk is not a JSON object");
    const auto obj = doc.object();
    m_result.data.meta = obj.value(QLatin1String("meta")).toObject();
    m_result.data.droppedEvents = uint64_t(obj.value(QLatin1String("dropped_events")).toDouble());
    m_result.data.tornEvents = uint64_t(obj.value(QLatin1String("torn_events")).toDouble());
    m_result.data.unreadableEvents = uint64_t(obj.value(QLatin1String("unreadable_events")).toDouble());
    return {};
}

QString IltraceParser::readStrings(const char *p, size_t len)
{
    const QString bad = TraceFileTr::tr("the string table is malformed");
    if (len < 4)
        return bad;
    const auto n = readLe<uint32_t>(p);
    // Every entry takes at least its id and length: a count the payload cannot hold is refused
    // before anything is allocated for it, and one it can hold is allocated once, not doubled
    // as it grows (grown geometrically still over many chunks, so that stays linear too).
    if (n > (len - 4) / 8)
        return bad;
    size_t pos = 4;
    auto &strings = m_result.data.strings;
    if (strings.capacity() < strings.size() + n)
        strings.reserve(std::max(strings.size() + n, 2 * strings.capacity()));
    // A malformed table is kept not even in part: the table stays sorted for string().
    const size_t before = strings.size();
    const auto malformed = [&] {
        strings.resize(before);
        return bad;
    };
    bool inOrder = true;
    for (uint32_t i = 0; i < n; ++i) {
        if (len - pos < 8)
            return malformed();
        const auto id = readLe<uint32_t>(p + pos);
        const auto slen = readLe<uint32_t>(p + pos + 4);
        pos += 8;
        if (slen > len - pos)
            return malformed();
        std::string text(p + pos, slen);
        pos += slen;
        inOrder = inOrder && (strings.empty() || strings.back().first < id);
        strings.emplace_back(id, std::move(text));
    }
    if (pos != len)
        return malformed();
    if (!inOrder) {
        // Sorted once, not inserted in place one by one (quadratic for descending ids); of a
        // repeated id the last one read wins, as setString would have it.
        std::stable_sort(strings.begin(), strings.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        auto out = strings.begin();
        for (auto it = strings.begin(); it != strings.end(); ++it) {
            if (out != strings.begin() && std::prev(out)->first == it->first) {
                *std::prev(out) = std::move(*it);
            } else {
                if (out != it)
                    *out = std::move(*it);
                ++out;
            }
        }
        strings.erase(out, strings.end());
    }
    return {};
}

QString IltraceParser::readThreads(const char *p, size_t len)
{
    if (len < 4 || (len - 4) / 8 != readLe<uint32_t>(p) || (len - 4) % 8 != 0)
        return TraceFileTr::tr("the thread table is malformed");
    const auto n = readLe<uint32_t>(p);
    auto &threads = m_result.data.threads;
    // Every thread of a trace wrote events: a table far longer than the events is crafted,
    // and each entry would cost the model about a kilobyte.
    if (threads.size() + n > m_eventsInFile + 1024)
        return TraceFileTr::tr("the thread table lists %L1 threads for %L2 events")
            .arg(qulonglong(threads.size() + n))
            .arg(qulonglong(m_eventsInFile));
    threads.reserve(threads.size() + n);
    for (uint32_t i = 0; i < n; ++i)
        threads.push_back({readLe<int32_t>(p + 4 + 8 * i), readLe<int32_t>(p + 8 + 8 * i)});
    return {};
}

QString IltraceParser::readEvents(size_t pos, size_t len, uint32_t crc, const QString &badChecksum, bool *ioFailed)
{
    if (len % sizeof(Event) != 0 || len / sizeof(Event) > iltrace::kMaxEventsPerChunk)
        return TraceFileTr::tr("an event chunk has a malformed length (%L1 bytes)").arg(qulonglong(len));
    auto &events = m_result.data.events;
    const size_t first = events.size();
    const size_t n = len / sizeof(Event);
    events.resize(first + n);
    if (!m_src.read(pos, static_cast<void *>(events.data() + first), len)) {
        events.resize(first);
        *ioFailed = true;
        return {};
    }
    if (iltrace::crc32(events.data() + first, len) != crc) {
        events.resize(first);
        return badChecksum;
    }
    return validateEvents(first, n);
}

QString IltraceParser::readCompressedEvents(size_t pos, size_t len, uint32_t crc, const QString &badChecksum,
                                            bool *ioFailed, uint64_t *count)
{
    *count = 0;
    if (!wellFormedCompressedLength(len))
        return TraceFileTr::tr("a compressed event chunk has a malformed length (%L1 bytes)").arg(qulonglong(len));
    m_payload.resize(qsizetype(len));
    if (!m_src.read(pos, m_payload.data(), len)) {
        *ioFailed = true;
        return {};
    }
    // The count is what a damaged chunk is taken to have lost, as a plain one's length is.
    const auto n = readLe<uint32_t>(m_payload.constData());
    if (n <= iltrace::kMaxEventsPerChunk)
        *count = n;
    if (iltrace::crc32(m_payload.constData(), len) != crc)
        return badChecksum;
    // What the chunk says it holds bounds what is allocated and written: it must be possible in
    // the chunk's size, the frame must say the same size before anything is decompressed and be
    // the whole rest of the chunk, and it must give exactly that many bytes (zstd stops at the
    // end of the space it is given, and checks the events against the frame's checksum).
    if (n > iltrace::kMaxEventsPerChunk)
        return TraceFileTr::tr("a compressed event chunk counts %L1 events, more than the %L2 a chunk holds")
            .arg(qulonglong(n))
            .arg(qulonglong(iltrace::kMaxEventsPerChunk));
    const char *frame = m_payload.constData() + 4;
    const size_t frameLen = len - 4;
    const size_t bytes = size_t(n) * sizeof(Event);
    if (bytes / kMaxExpansion > frameLen || ZSTD_getFrameContentSize(frame, frameLen) != bytes ||
        ZSTD_findFrameCompressedSize(frame, frameLen) != frameLen)
        return TraceFileTr::tr("a compressed event chunk does not hold the %L1 events it counts").arg(qulonglong(n));
    if (!m_decompressor)
        m_decompressor.reset(ZSTD_createDCtx());
    auto &events = m_result.data.events;
    const size_t first = events.size();
    events.resize(first + n);
    void *out = events.data() + first;
    const size_t got = m_decompressor ? ZSTD_decompressDCtx(m_decompressor.get(), out, bytes, frame, frameLen)
                                      : ZSTD_decompress(out, bytes, frame, frameLen);
    if (ZSTD_isError(got) || got != bytes) {
        events.resize(first);
        return TraceFileTr::tr("the compressed events of a chunk cannot be decompressed");
    }
    return validateEvents(first, n);
}

QString IltraceParser::validateEvents(size_t first, size_t n)
{
    auto &events = m_result.data.events;
    // Validate so that views can index thread tables and type tables without checks.
    const auto threadCount = m_result.data.threads.size();
    for (size_t i = first; i < first + n; ++i) {
        const Event &e = events[i];
        const bool badTime = e.time <= -iltrace::kTimeLimit || e.time >= iltrace::kTimeLimit;
        if (uint8_t(e.type) >= uint8_t(EventType::Count) || e.thread >= threadCount || badTime) {
            const QString why =
                uint8_t(e.type) >= uint8_t(EventType::Count)
                    ? TraceFileTr::tr("event %L1 has the unknown type %2").arg(qulonglong(i + 1)).arg(uint8_t(e.type))
                : badTime ? TraceFileTr::tr("event %L1 has the impossible time %L2 ns")
                                .arg(qulonglong(i + 1))
                                .arg(qlonglong(e.time))
                          : TraceFileTr::tr("event %L1 refers to thread %L2 of %L3")
                                .arg(qulonglong(i + 1))
                                .arg(e.thread)
                                .arg(qulonglong(threadCount));
            events.resize(first); // keep whole chunks only
            return why;
        }
    }
    return {};
}

} // namespace interleave::core::detail
