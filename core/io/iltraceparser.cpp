// SPDX-License-Identifier: MIT
// The .iltrace parser: the header, the walk over the chunks, and what a cut-off or damaged file
// still gives.
#include "io/iltraceparser.h"

#include <QLocale>

#include <algorithm>

namespace interleave::core::detail {

namespace {

QString chunkName(uint32_t type)
{
    QString name;
    for (int i = 0; i < 4; ++i) {
        const char c = char((type >> (8 * i)) & 0xff);
        if (c >= 0x20 && c < 0x7f)
            name += QLatin1Char(c);
    }
    return name;
}

} // namespace

LoadResult IltraceParser::parse()
{
    if (std::optional<LoadResult> refused = checkHeader())
        return std::move(*refused);
    reserveEvents();
    m_scanBudget = 2 * uint64_t(m_size) + (uint64_t(64) << 20);
    size_t pos = iltrace::kHeaderSize;
    for (;;) {
        if (m_progress) {
            m_progress->read = pos;
            if (m_progress->cancel)
                return cancelled();
        }
        if (m_size - pos < iltrace::kChunkHeaderSize)
            return endOfFile();
        if (std::optional<LoadResult> done = readChunk(pos))
            return std::move(*done);
    }
}

std::optional<LoadResult> IltraceParser::checkHeader()
{
    if (m_size == 0)
        return fail(Problem::Empty,
                    TraceFileTr::tr("cannot open trace '%1': the file is empty (0 bytes), so it was never saved "
                                    "completely; record or export the trace again")
                        .arg(m_name));
    char header[iltrace::kHeaderSize];
    const size_t headerLen = std::min(m_size, sizeof header);
    if (!m_src.read(0, header, headerLen))
        return ioError(0);
    const size_t magicLen = std::min(m_size, sizeof iltrace::kMagic);
    if (std::memcmp(header, iltrace::kMagic, magicLen) != 0)
        return fail(Problem::NotATrace,
                    TraceFileTr::tr("cannot open trace '%1': it is not an Interleave trace (no ILTRACE header); "
                                    "open a .iltrace file saved by Interleave or a Chrome/Perfetto JSON trace")
                        .arg(m_name));
    if (m_size < iltrace::kHeaderSize)
        return truncated();
    const auto version = readLe<uint32_t>(header + 8);
    if (version > iltrace::kCurrentVersion)
        return fail(Problem::NewerVersion,
                    TraceFileTr::tr("cannot open trace '%1': it was saved by a newer Interleave (format version "
                                    "%2; this one reads up to version %3); update Interleave to open it")
                        .arg(m_name, QString::number(version), QString::number(iltrace::kCurrentVersion)));
    if (version < iltrace::kOldestSupportedVersion)
        return fail(Problem::LegacyVersion,
                    TraceFileTr::tr("cannot open trace '%1': it uses the legacy pre-release format (version %2), "
                                    "which this Interleave no longer reads (oldest supported: version %3); "
                                    "record the scenario again")
                        .arg(m_name, QString::number(version), QString::number(iltrace::kOldestSupportedVersion)));
    return std::nullopt;
}

std::optional<LoadResult> IltraceParser::readChunk(size_t &pos)
{
    char chunk[iltrace::kChunkHeaderSize];
    if (!m_src.read(pos, chunk, sizeof chunk))
        return ioError(pos);
    const auto type = readLe<uint32_t>(chunk);
    const auto length = readLe<uint64_t>(chunk + 8);
    const auto crc = readLe<uint32_t>(chunk + 16);
    const size_t payloadPos = pos + iltrace::kChunkHeaderSize;
    if (length > m_size - payloadPos) {
        // The file is cut off here, or this length is damaged: an intact chunk further on
        // tells which.
        if (!skipDamaged(pos, length, TraceFileTr::tr("a chunk header is damaged"), 0, NoneFollows::TheFileIsCut))
            return endOfFile();
        return std::nullopt;
    }
    const QString badChecksum = TraceFileTr::tr("checksum mismatch in the %1 chunk at byte %2")
                                    .arg(chunkName(type), QLocale().toString(qulonglong(pos)));
    if (type == iltrace::kEvents || type == iltrace::kEventsZstd)
        return readEventChunk(pos, type, length, crc, badChecksum);
    return readTableChunk(pos, type, length, crc, badChecksum);
}

std::optional<LoadResult> IltraceParser::readEventChunk(size_t &pos, uint32_t type, uint64_t length, uint32_t crc,
                                                        const QString &badChecksum)
{
    const size_t payloadPos = pos + iltrace::kChunkHeaderSize;
    const auto len = size_t(length);
    // Read (or decompressed) straight into place; checked there, and dropped again if it is wrong.
    bool ioFailed = false;
    uint64_t events = wellFormedEventLength(len) ? len / sizeof(Event) : 0;
    const QString why = type == iltrace::kEventsZstd
                            ? readCompressedEvents(payloadPos, len, crc, badChecksum, &ioFailed, &events)
                            : readEvents(payloadPos, len, crc, badChecksum, &ioFailed);
    if (ioFailed)
        return ioError(payloadPos);
    if (!why.isEmpty()) {
        // A bad chunk costs its own events. Its length may be what is damaged, so the
        // reader does not jump by it: it searches on from the chunk's header for the
        // next intact chunk (where the length says, when the length was right).
        if (!skipDamaged(pos, length, why, events))
            return endOfFile(why);
        return std::nullopt;
    }
    pos = payloadPos + len;
    return std::nullopt;
}

std::optional<LoadResult> IltraceParser::readTableChunk(size_t &pos, uint32_t type, uint64_t length, uint32_t crc,
                                                        const QString &badChecksum)
{
    const size_t payloadPos = pos + iltrace::kChunkHeaderSize;
    const auto len = size_t(length);
    m_payload.resize(qsizetype(len));
    if (!m_src.read(payloadPos, m_payload.data(), len))
        return ioError(payloadPos);
    const char *payload = m_payload.constData();
    if (iltrace::crc32(payload, len) != crc) {
        // Names (STRS) and the run's description (META) are worth less than the events:
        // without them the trace still shows. Without THRD no event can be placed.
        if (type == iltrace::kThreads && !(m_seen & kSawThreads))
            return corrupt(badChecksum);
        if (!skipDamaged(pos, length, badChecksum, 0))
            return endOfFile(badChecksum);
        return std::nullopt;
    }
    // The checksum covers the payload, not the header: a damaged type can make an event
    // chunk look like another kind. The writer puts META, STRS and THRD before the events
    // and an END of 8 bytes last; a later one that does not parse, or an END of another
    // length, is damage, not the file's end.
    const unsigned seenBefore = m_seen;
    const size_t stringsBefore = m_result.data.strings.size();
    const size_t threadsBefore = m_result.data.threads.size();
    if (type == iltrace::kEnd && len != 8) {
        damaged(pos,
                TraceFileTr::tr("an END chunk of %L1 bytes at byte %2")
                    .arg(qulonglong(len))
                    .arg(QLocale().toString(qulonglong(pos))),
                0);
        pos = payloadPos + len;
        return std::nullopt;
    }
    QString why;
    switch (type) {
    case iltrace::kMeta:
        m_seen |= kSawMeta;
        why = readMeta(payload, len);
        break;
    case iltrace::kStrings:
        m_seen |= kSawStrings;
        why = readStrings(payload, len);
        break;
    case iltrace::kThreads:
        m_seen |= kSawThreads;
        why = readThreads(payload, len);
        break;
    case iltrace::kEnd:
        return readEnd(pos, payload);
    default:
        break; // a chunk this version does not know: its checksum held, skip it
    }
    if (!why.isEmpty()) {
        const bool again = (type == iltrace::kMeta && (seenBefore & kSawMeta)) ||
                           (type == iltrace::kStrings && (seenBefore & kSawStrings)) ||
                           (type == iltrace::kThreads && (seenBefore & kSawThreads));
        if (!again)
            return corrupt(why);
        m_result.data.strings.resize(stringsBefore); // nothing of it is kept
        m_result.data.threads.resize(threadsBefore);
        damaged(pos, why, 0);
    }
    pos = payloadPos + len;
    return std::nullopt;
}

LoadResult IltraceParser::readEnd(size_t pos, const char *payload)
{
    const uint64_t total = readLe<uint64_t>(payload);
    const size_t read = m_result.data.events.size();
    if (total < read)
        return corrupt(TraceFileTr::tr("the END chunk does not match the number of events read"));
    if (total == read && m_damages == 0) {
        if (m_seen != (kSawMeta | kSawStrings | kSawThreads))
            return corrupt(TraceFileTr::tr("a META, STRS or THRD chunk is missing"));
        m_result.ok = true;
        return std::move(m_result); // anything after END is not part of the trace
    }
    // The END counts every event written, those in skipped chunks too.
    if (m_damages == 0)
        damaged(pos,
                TraceFileTr::tr("the END chunk counts %L1 events but %L2 were found")
                    .arg(qulonglong(total))
                    .arg(qulonglong(read)),
                0);
    m_unreadable = total - read;
    return damagedResult(false);
}

LoadResult IltraceParser::fail(Problem problem, QString error)
{
    m_result.ok = false;
    m_result.problem = problem;
    m_result.error = std::move(error);
    return std::move(m_result);
}

LoadResult IltraceParser::cancelled()
{
    m_result.data = {};
    return fail(Problem::Cancelled, TraceFileTr::tr("opening trace '%1' was cancelled").arg(m_name));
}

LoadResult IltraceParser::truncated()
{
    const size_t n = m_result.data.events.size();
    if (n == 0)
        return fail(Problem::Truncated,
                    TraceFileTr::tr("cannot open trace '%1': the file is truncated before its first event, so "
                                    "there is nothing to show; it was probably cut off while saving or copying")
                        .arg(m_name));
    return fail(Problem::Truncated,
                TraceFileTr::tr("cannot open trace '%1': the file is truncated after %2 events (the first %2 are "
                                "shown); it was probably cut off while saving or copying")
                    .arg(m_name, QLocale().toString(qulonglong(n))));
}

LoadResult IltraceParser::ioError(size_t pos)
{
    const int err = m_src.error();
    return fail(Problem::Io,
                TraceFileTr::tr("cannot open trace '%1': reading failed at byte %2 (%3); copy the "
                                "file to a local disk and try again")
                    .arg(m_name, QLocale().toString(qulonglong(pos)), QString::fromLocal8Bit(std::strerror(err))));
}

LoadResult IltraceParser::corrupt(const QString &why)
{
    const size_t n = m_result.data.events.size();
    if (n == 0)
        return fail(Problem::Corrupt,
                    TraceFileTr::tr("cannot open trace '%1': the file is damaged before its first event (%2), "
                                    "so there is nothing to show; use an intact copy if there is one")
                        .arg(m_name, why));
    return fail(Problem::Corrupt,
                TraceFileTr::tr("cannot open trace '%1': the file is damaged after %2 events (%3; the first %2 "
                                "are shown); use an intact copy if there is one")
                    .arg(m_name, QLocale().toString(qulonglong(n)), why));
}

void IltraceParser::damaged(size_t pos, const QString &why, uint64_t events)
{
    if (m_damages++ == 0) {
        m_firstDamage = pos;
        m_firstDamageWhy = why;
    }
    m_unreadable += events;
}

LoadResult IltraceParser::endOfFile(const QString &why)
{
    if (m_damages == 0)
        return why.isEmpty() ? truncated() : corrupt(why);
    return damagedResult(true);
}

bool IltraceParser::skipDamaged(size_t &pos, uint64_t length, const QString &why, uint64_t events, NoneFollows none)
{
    const size_t next = findChunk(pos + 1);
    if (next == kNone) {
        if (none == NoneFollows::Damage)
            damaged(pos, why, 0);
        return false;
    }
    damaged(pos, why, next - pos - iltrace::kChunkHeaderSize == length ? events : 0);
    pos = next;
    return true;
}

LoadResult IltraceParser::damagedResult(bool cutOff)
{
    const size_t n = m_result.data.events.size();
    if (n == 0 || !(m_seen & kSawThreads))
        return corrupt(m_firstDamageWhy);
    m_result.data.unreadableEvents += m_unreadable;
    const QString where = QLocale().toString(qulonglong(m_firstDamage));
    const QString places = m_damages > 1 ? TraceFileTr::tr(" and in %L1 more places").arg(m_damages - 1) : QString();
    const QString lost = QLocale().toString(qulonglong(m_unreadable));
    const QString shown = QLocale().toString(qulonglong(n));
    if (m_unreadable == 0 && !cutOff)
        return fail(Problem::Corrupt,
                    TraceFileTr::tr("cannot open trace '%1' whole: it is damaged at byte %2 (%3)%4; all %5 "
                                    "events were read and are shown; use an intact copy if there is one")
                        .arg(m_name, where, m_firstDamageWhy, places, shown));
    return fail(Problem::Corrupt,
                cutOff ? TraceFileTr::tr("cannot open trace '%1' whole: it is damaged at byte %2 (%3)%4 and cut off "
                                         "at its end; at least %5 unreadable events were left out and the other "
                                         "%6 are shown; use an intact copy if there is one")
                             .arg(m_name, where, m_firstDamageWhy, places, lost, shown)
                       : TraceFileTr::tr("cannot open trace '%1' whole: it is damaged at byte %2 (%3)%4; %5 "
                                         "unreadable events were left out and the other %6 are shown; use an "
                                         "intact copy if there is one")
                             .arg(m_name, where, m_firstDamageWhy, places, lost, shown));
}

size_t IltraceParser::findChunk(size_t from)
{
    constexpr size_t kBlock = size_t(1) << 20;
    std::vector<char> block;
    for (size_t start = from; start < m_size && m_size - start >= iltrace::kChunkHeaderSize && m_scanBudget > 0;
         start += kBlock) {
        const size_t n = std::min(kBlock + iltrace::kChunkHeaderSize - 1, m_size - start);
        block.resize(n);
        if (!m_src.read(start, block.data(), n))
            return kNone;
        const size_t last = std::min(kBlock, n - iltrace::kChunkHeaderSize + 1); // candidates in this block
        for (size_t i = 0; i < last && m_scanBudget > 0; ++i) {
            const char c = block[i];
            if ((c == 'E' || c == 'M' || c == 'S' || c == 'T') && intactChunkAt(start + i, block.data() + i))
                return start + i;
        }
    }
    return kNone;
}

bool IltraceParser::intactChunkAt(size_t pos, const char *header)
{
    const auto type = readLe<uint32_t>(header);
    const auto length = readLe<uint64_t>(header + 8);
    const size_t payloadPos = pos + iltrace::kChunkHeaderSize;
    if (length > m_size - payloadPos)
        return false;
    const size_t len = size_t(length);
    switch (type) {
    case iltrace::kEvents:
        if (len == 0 || !wellFormedEventLength(len))
            return false;
        break;
    case iltrace::kEventsZstd:
        if (!wellFormedCompressedLength(len))
            return false;
        break;
    case iltrace::kEnd:
        if (len != 8)
            return false;
        break;
    case iltrace::kMeta:
    case iltrace::kStrings:
    case iltrace::kThreads:
        break;
    default:
        return false;
    }
    // Every candidate's payload is checksummed, so a crafted file full of chunk headers
    // could make the search quadratic: all searches of one file together checksum at most
    // about twice its size, then the search gives up (the file is read as ending there).
    if (len > m_scanBudget) {
        m_scanBudget = 0;
        return false;
    }
    m_scanBudget -= len;
    constexpr size_t kPiece = size_t(1) << 20;
    m_scanBuffer.resize(std::min(len, kPiece));
    uint32_t crc = 0;
    for (size_t done = 0; done < len;) {
        const size_t n = std::min(kPiece, len - done);
        if (!m_src.read(payloadPos + done, m_scanBuffer.data(), n))
            return false;
        crc = iltrace::crc32(m_scanBuffer.data(), n, crc);
        done += n;
    }
    return crc == readLe<uint32_t>(header + 16);
}

} // namespace interleave::core::detail
