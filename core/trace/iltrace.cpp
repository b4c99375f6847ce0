// SPDX-License-Identifier: MIT
#include "trace/iltrace.h"

#include "trace/safewrite.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <vector>

namespace interleave::core {

// Event records are written as they lie in memory; a big-endian host would need byte swaps.
static_assert(std::endian::native == std::endian::little, "the .iltrace writer assumes a little-endian host");

struct TraceFileTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::TraceFileTr)
};

namespace iltrace {
namespace {

constexpr std::array<std::array<uint32_t, 256>, 8> makeCrcTables()
{
    std::array<std::array<uint32_t, 256>, 8> t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i) {
        for (size_t s = 1; s < 8; ++s)
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
    return t;
}
constexpr auto kCrcTables = makeCrcTables();

} // namespace

uint32_t crc32(const void *data, size_t size, uint32_t crc)
{
    const auto *p = static_cast<const uint8_t *>(data);
    const auto &t = kCrcTables;
    crc = ~crc;
    while (size >= 8) {
        uint32_t lo;
        uint32_t hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        lo ^= crc;
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][hi & 0xff] ^
              t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size-- > 0)
        crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

} // namespace iltrace

namespace {

using Problem = LoadResult::Problem;

template<typename T> T readLe(const char *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template<typename T> void appendLe(QByteArray &out, T v)
{
    out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

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

/// Where the parser reads from: memory (tests, fuzzing) or a file. A file is read with pread
/// straight into the event vector: mapping it instead costs a page fault per 4 KiB, which on
/// virtual machines is slower than the copy itself.
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    virtual size_t size() const = 0;
    /// Copies [pos, pos + len) to dst; false on an I/O error (the caller checked the bounds).
    virtual bool read(size_t pos, void *dst, size_t len) = 0;
    /// errno of the last failed read.
    virtual int error() const { return EIO; }
};

class MemorySource final : public ByteSource
{
public:
    MemorySource(const char *bytes, size_t size)
        : m_bytes(bytes)
        , m_size(size)
    {}
    size_t size() const override { return m_size; }
    bool read(size_t pos, void *dst, size_t len) override
    {
        if (len)
            std::memcpy(dst, m_bytes + pos, len);
        return true;
    }

private:
    const char *m_bytes;
    size_t m_size;
};

class FileSource final : public ByteSource
{
public:
    FileSource(int fd, size_t size)
        : m_fd(fd)
        , m_size(size)
    {}
    size_t size() const override { return m_size; }
    bool read(size_t pos, void *dst, size_t len) override
    {
        auto *out = static_cast<char *>(dst);
        while (len > 0) {
            const ssize_t n = ::pread(m_fd, out, len, off_t(pos));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                m_errno = n < 0 ? errno : EIO;
                return false;
            }
            out += n;
            pos += size_t(n);
            len -= size_t(n);
        }
        return true;
    }
    int error() const override { return m_errno; }

private:
    int m_fd;
    size_t m_size;
    int m_errno = 0;
};

/// Parses a .iltrace image. A damaged chunk of events (or names, or the run's description) costs
/// that chunk, not the file: the reader skips it, or searches for the next intact chunk when its
/// length cannot be trusted, and reports what it skipped. A cut-off file keeps what came before.
class IltraceParser
{
public:
    IltraceParser(ByteSource &source, const QString &name, LoadProgress *progress = nullptr)
        : m_src(source)
        , m_size(source.size())
        , m_name(name)
        , m_progress(progress)
    {
        if (m_progress)
            m_progress->size = m_size;
    }

    LoadResult parse()
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
                if (!skipDamaged(pos, length, TraceFileTr::tr("a chunk header is damaged"), 0,
                                 NoneFollows::TheFileIsCut))
                    return endOfFile();
                continue;
            }
            const auto len = size_t(length);
            const QString badChecksum = TraceFileTr::tr("checksum mismatch in the %1 chunk at byte %2")
                                            .arg(chunkName(type), QLocale().toString(qulonglong(pos)));
            if (type == iltrace::kEvents) {
                // Read straight into place; checked there, and dropped again if it is wrong.
                bool ioFailed = false;
                const QString why = readEvents(payloadPos, len, crc, badChecksum, &ioFailed);
                if (ioFailed)
                    return ioError(payloadPos);
                if (!why.isEmpty()) {
                    // A bad chunk costs its own events. Its length may be what is damaged, so the
                    // reader does not jump by it: it searches on from the chunk's header for the
                    // next intact chunk (where the length says, when the length was right).
                    if (!skipDamaged(pos, length, why, wellFormedEventLength(len) ? len / sizeof(Event) : 0))
                        return endOfFile(why);
                    continue;
                }
                pos = payloadPos + len;
                continue;
            }
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
                continue;
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
                continue;
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
            case iltrace::kEnd: {
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
        }
    }

private:
    LoadResult fail(Problem problem, QString error)
    {
        m_result.ok = false;
        m_result.problem = problem;
        m_result.error = std::move(error);
        return std::move(m_result);
    }

    LoadResult cancelled()
    {
        m_result.data = {};
        return fail(Problem::Cancelled, TraceFileTr::tr("opening trace '%1' was cancelled").arg(m_name));
    }

    LoadResult truncated()
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

    LoadResult ioError(size_t pos)
    {
        const int err = m_src.error();
        return fail(Problem::Io,
                    TraceFileTr::tr("cannot open trace '%1': reading failed at byte %2 (%3); copy the "
                                    "file to a local disk and try again")
                        .arg(m_name, QLocale().toString(qulonglong(pos)), QString::fromLocal8Bit(std::strerror(err))));
    }

    LoadResult corrupt(const QString &why)
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

    static constexpr size_t kNone = SIZE_MAX;

    static bool wellFormedEventLength(size_t len)
    {
        return len % sizeof(Event) == 0 && len / sizeof(Event) <= iltrace::kMaxEventsPerChunk;
    }

    /// Notes a damaged chunk at `pos` that the reader skipped, with `events` events known lost.
    void damaged(size_t pos, const QString &why, uint64_t events)
    {
        if (m_damages++ == 0) {
            m_firstDamage = pos;
            m_firstDamageWhy = why;
        }
        m_unreadable += events;
    }

    /// The file ended before its END chunk; `why`: a damaged chunk with nothing intact after it.
    LoadResult endOfFile(const QString &why = {})
    {
        if (m_damages == 0)
            return why.isEmpty() ? truncated() : corrupt(why);
        return damagedResult(true);
    }

    /// What a damaged chunk with no intact chunk after it is: damage, or the cut where the file ends.
    enum class NoneFollows
    {
        Damage,
        TheFileIsCut
    };

    /// Skips the damaged chunk whose header is at `pos` and claims `length` bytes: goes on at the
    /// next intact chunk after it (`pos` moves there) and notes the damage, counting `events` as
    /// lost when that next chunk is where the length says it ends (otherwise the END chunk's total
    /// tells). False when no intact chunk follows; the damage is then noted unless `none` says the
    /// file is cut there.
    bool skipDamaged(size_t &pos, uint64_t length, const QString &why, uint64_t events,
                     NoneFollows none = NoneFollows::Damage)
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

    /// A trace with damaged chunks skipped: what could be read, its gap counted as unreadable
    /// events (which the loss banner and `lossText` report), and one line saying where.
    LoadResult damagedResult(bool cutOff)
    {
        const size_t n = m_result.data.events.size();
        if (n == 0 || !(m_seen & kSawThreads))
            return corrupt(m_firstDamageWhy);
        m_result.data.unreadableEvents += m_unreadable;
        const QString where = QLocale().toString(qulonglong(m_firstDamage));
        const QString places =
            m_damages > 1 ? TraceFileTr::tr(" and in %L1 more places").arg(m_damages - 1) : QString();
        const QString lost = QLocale().toString(qulonglong(m_unreadable));
        const QString shown = QLocale().toString(qulonglong(n));
        if (m_unreadable == 0 && !cutOff)
            return fail(Problem::Corrupt,
                        TraceFileTr::tr("cannot open trace '%1' whole: it is damaged at byte %2 (%3)%4; all %5 "
                                        "events were read and are shown; use an intact copy if there is one")
                            .arg(m_name, where, m_firstDamageWhy, places, shown));
        return fail(Problem::Corrupt,
                    cutOff
                        ? TraceFileTr::tr("cannot open trace '%1' whole: it is damaged at byte %2 (%3)%4 and cut off "
                                          "at its end; at least %5 unreadable events were left out and the other "
                                          "%6 are shown; use an intact copy if there is one")
                              .arg(m_name, where, m_firstDamageWhy, places, lost, shown)
                        : TraceFileTr::tr("cannot open trace '%1' whole: it is damaged at byte %2 (%3)%4; %5 "
                                          "unreadable events were left out and the other %6 are shown; use an "
                                          "intact copy if there is one")
                              .arg(m_name, where, m_firstDamageWhy, places, lost, shown));
    }

    /// Where the next intact chunk starts at or after `from` (a type the writer writes, a
    /// possible length, a checksum that holds), or kNone. Read a block at a time: a damaged length
    /// early in a large file is searched past in one pass.
    size_t findChunk(size_t from)
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

    bool intactChunkAt(size_t pos, const char *header)
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

    // Counts the events of every complete chunk first, so 5 M events are copied once, not
    // re-copied by vector growth.
    void reserveEvents()
    {
        size_t pos = iltrace::kHeaderSize;
        size_t total = 0;
        while (m_size - pos >= iltrace::kChunkHeaderSize) {
            char chunk[iltrace::kChunkHeaderSize];
            if (!m_src.read(pos, chunk, sizeof chunk))
                break;
            const auto type = readLe<uint32_t>(chunk);
            const auto length = readLe<uint64_t>(chunk + 8);
            const size_t payloadPos = pos + iltrace::kChunkHeaderSize;
            if (length > m_size - payloadPos)
                break;
            if (type == iltrace::kEvents)
                total += size_t(length) / sizeof(Event);
            if (type == iltrace::kEnd)
                break;
            pos = payloadPos + size_t(length);
        }
        m_eventsInFile = total;
        auto &events = m_result.data.events;
        events.reserve(total);
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

    QString readMeta(const char *p, size_t len)
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

    QString readStrings(const char *p, size_t len)
    {
        const QString bad = TraceFileTr::tr("the string table is malformed");
        if (len < 4)
            return bad;
        const auto n = readLe<uint32_t>(p);
        size_t pos = 4;
        auto &strings = m_result.data.strings;
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

    QString readThreads(const char *p, size_t len)
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

    QString readEvents(size_t pos, size_t len, uint32_t crc, const QString &badChecksum, bool *ioFailed)
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
        // Validate so that views can index thread tables and type tables without checks.
        const auto threadCount = m_result.data.threads.size();
        for (size_t i = first; i < first + n; ++i) {
            const Event &e = events[i];
            const bool badTime = e.time <= -iltrace::kTimeLimit || e.time >= iltrace::kTimeLimit;
            if (uint8_t(e.type) >= uint8_t(EventType::Count) || e.thread >= threadCount || badTime) {
                const QString why = uint8_t(e.type) >= uint8_t(EventType::Count)
                                        ? TraceFileTr::tr("event %L1 has the unknown type %2")
                                              .arg(qulonglong(i + 1))
                                              .arg(uint8_t(e.type))
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

    enum : unsigned
    {
        kSawMeta = 1,
        kSawStrings = 2,
        kSawThreads = 4
    };
    unsigned m_seen = 0;
    size_t m_damages = 0;      ///< damaged chunks skipped
    size_t m_firstDamage = 0;  ///< byte offset of the first
    QString m_firstDamageWhy;  ///< and what was wrong with it
    uint64_t m_unreadable = 0; ///< events known lost in them
    uint64_t m_scanBudget = 0; ///< bytes the searches for an intact chunk may still checksum
    std::vector<char> m_scanBuffer;
    size_t m_eventsInFile = 0; ///< events in the file's complete chunks (reserveEvents)
    ByteSource &m_src;
    size_t m_size;
    QByteArray m_payload;
    QString m_name;
    LoadProgress *m_progress;
    LoadResult m_result;
};

bool writeChunk(QIODevice &out, uint32_t type, const char *payload, size_t len)
{
    char header[iltrace::kChunkHeaderSize];
    const uint32_t reserved = 0;
    const uint64_t length = len;
    const uint32_t crc = iltrace::crc32(payload, len);
    std::memcpy(header, &type, 4);
    std::memcpy(header + 4, &reserved, 4);
    std::memcpy(header + 8, &length, 8);
    std::memcpy(header + 16, &crc, 4);
    if (out.write(header, sizeof header) != qint64(sizeof header))
        return false;
    return len == 0 || out.write(payload, qint64(len)) == qint64(len);
}

bool writeChunk(QIODevice &out, uint32_t type, const QByteArray &payload)
{
    return writeChunk(out, type, payload.constData(), size_t(payload.size()));
}

} // namespace

LoadResult loadIltrace(const char *bytes, size_t size, const QString &name)
{
    MemorySource source(bytes, size);
    return IltraceParser(source, name).parse();
}

QString traceFileProblem(const QString &path)
{
    const QString name = QDir::toNativeSeparators(path);
    if (path.isEmpty())
        return TraceFileTr::tr("cannot open a trace: no file name was given; name a .iltrace or .json file");
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT)
            return TraceFileTr::tr("cannot open trace '%1': the file does not exist; check the path").arg(name);
        return TraceFileTr::tr("cannot open trace '%1': %2; check the path and its permissions")
            .arg(name, QString::fromLocal8Bit(std::strerror(err)));
    }
    if (S_ISREG(st.st_mode))
        return {};
    if (S_ISDIR(st.st_mode))
        return TraceFileTr::tr("cannot open trace '%1': it is a folder, not a file; choose a .iltrace file").arg(name);
    const QString kind = S_ISFIFO(st.st_mode)   ? TraceFileTr::tr("a named pipe")
                         : S_ISSOCK(st.st_mode) ? TraceFileTr::tr("a socket")
                                                : TraceFileTr::tr("a device");
    return TraceFileTr::tr("cannot open trace '%1': it is %2, not a file; save the trace to a file and open that")
        .arg(name, kind);
}

bool openTraceForReading(QFile &file, const QString &path, LoadResult &failure)
{
    failure = {};
    failure.problem = Problem::Io;
    failure.error = traceFileProblem(path);
    if (!failure.error.isEmpty())
        return false;
    file.setFileName(path);
    if (file.open(QIODevice::ReadOnly))
        return true;
    failure.error = TraceFileTr::tr("cannot open trace '%1': %2; check that the file is readable")
                        .arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
}

LoadResult loadIltrace(const QString &path, LoadProgress *progress)
{
    QFile file;
    LoadResult failure;
    if (!openTraceForReading(file, path, failure))
        return failure;
    FileSource source(file.handle(), size_t(file.size()));
    return IltraceParser(source, QDir::toNativeSeparators(path), progress).parse();
}

bool writeIltrace(const TraceData &data, QIODevice &out)
{
    char header[iltrace::kHeaderSize];
    const uint32_t version = iltrace::kCurrentVersion;
    const uint32_t flags = 0;
    std::memcpy(header, iltrace::kMagic, 8);
    std::memcpy(header + 8, &version, 4);
    std::memcpy(header + 12, &flags, 4);
    if (out.write(header, sizeof header) != qint64(sizeof header))
        return false;

    QJsonObject meta;
    meta.insert(QLatin1String("meta"), data.meta);
    meta.insert(QLatin1String("dropped_events"), double(data.droppedEvents));
    meta.insert(QLatin1String("torn_events"), double(data.tornEvents));
    if (data.unreadableEvents != 0) // saved again, a damaged file's gap is still a gap
        meta.insert(QLatin1String("unreadable_events"), double(data.unreadableEvents));
    if (!writeChunk(out, iltrace::kMeta, QJsonDocument(meta).toJson(QJsonDocument::Compact)))
        return false;

    QByteArray strings;
    appendLe<uint32_t>(strings, uint32_t(data.strings.size()));
    for (const auto &[id, text] : data.strings) {
        appendLe<uint32_t>(strings, id);
        appendLe<uint32_t>(strings, uint32_t(text.size()));
        strings.append(text.data(), qsizetype(text.size()));
    }
    if (!writeChunk(out, iltrace::kStrings, strings))
        return false;

    QByteArray threads;
    appendLe<uint32_t>(threads, uint32_t(data.threads.size()));
    for (const auto &t : data.threads) {
        appendLe<int32_t>(threads, t.pid);
        appendLe<int32_t>(threads, t.tid);
    }
    if (!writeChunk(out, iltrace::kThreads, threads))
        return false;

    const size_t total = data.events.size();
    for (size_t first = 0; first < total; first += iltrace::kMaxEventsPerChunk) {
        const size_t n = std::min<size_t>(iltrace::kMaxEventsPerChunk, total - first);
        if (!writeChunk(out, iltrace::kEvents, reinterpret_cast<const char *>(data.events.data() + first),
                        n * sizeof(Event)))
            return false;
    }

    QByteArray end;
    appendLe<uint64_t>(end, total);
    return writeChunk(out, iltrace::kEnd, end);
}

QByteArray iltraceBytes(const TraceData &data)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(iltrace::kHeaderSize + 256 + data.events.size() * sizeof(Event) +
                            (data.events.size() / iltrace::kMaxEventsPerChunk + 8) * iltrace::kChunkHeaderSize));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    writeIltrace(data, buffer);
    return bytes;
}

bool saveIltrace(const TraceData &data, const QString &path, QString *error)
{
    QString why;
    if (writeFileSafely(
            path, [&](QIODevice &out, QString *) { return writeIltrace(data, out); }, &why))
        return true;
    if (error)
        *error = TraceFileTr::tr("cannot save trace '%1': %2").arg(QDir::toNativeSeparators(path), why);
    return false;
}

} // namespace interleave::core
