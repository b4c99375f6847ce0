// SPDX-License-Identifier: MIT
// The .iltrace format: its checksum, the loaders and the writer (the parser is in iltraceparser.cpp).
#include "io/iltrace.h"
#include "io/iltraceparser.h"

#include "io/safewrite.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/stat.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace interleave::core {

// Event records are written as they lie in memory; a big-endian host would need byte swaps.
static_assert(std::endian::native == std::endian::little, "the .iltrace writer assumes a little-endian host");

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
using detail::FileSource;
using detail::IltraceParser;
using detail::MemorySource;

template<typename T> void appendLe(QByteArray &out, T v)
{
    out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

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

// zstd's default level, which keeps saving fast: a race run's events shrink about sevenfold.
constexpr int kZstdLevel = 3;

/// The events in chunks of kMaxEventsPerChunk: each one compressed (EVTZ), or plain (EVTS) when
/// asked so or when compressing would not make it smaller (a version 2 reader takes both).
bool writeEventChunks(const std::vector<Event> &events, QIODevice &out, iltrace::EventStorage storage)
{
    std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx *)> context(nullptr, ZSTD_freeCCtx);
    std::vector<char> packed;
    if (storage == iltrace::EventStorage::Compressed) {
        context.reset(ZSTD_createCCtx());
        // Each frame states its size (what the reader checks before it decompresses) and carries
        // a checksum of the events, so a damaged frame is found even where a CRC was forged.
        if (context && (ZSTD_isError(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, kZstdLevel)) ||
                        ZSTD_isError(ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1))))
            context.reset();
        packed.resize(4 + ZSTD_compressBound(iltrace::kMaxEventsPerChunk * sizeof(Event)));
    }
    for (size_t first = 0; first < events.size(); first += iltrace::kMaxEventsPerChunk) {
        const auto n = uint32_t(std::min<size_t>(iltrace::kMaxEventsPerChunk, events.size() - first));
        const auto *raw = reinterpret_cast<const char *>(events.data() + first);
        const size_t rawLen = n * sizeof(Event);
        if (context) {
            const size_t frame = ZSTD_compress2(context.get(), packed.data() + 4, packed.size() - 4, raw, rawLen);
            if (!ZSTD_isError(frame) && 4 + frame < rawLen) {
                std::memcpy(packed.data(), &n, 4);
                if (!writeChunk(out, iltrace::kEventsZstd, packed.data(), 4 + frame))
                    return false;
                continue;
            }
        }
        if (!writeChunk(out, iltrace::kEvents, raw, rawLen))
            return false;
    }
    return true;
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

bool writeIltrace(const TraceData &data, QIODevice &out, iltrace::EventStorage storage)
{
    char header[iltrace::kHeaderSize];
    const uint32_t version =
        storage == iltrace::EventStorage::Plain ? iltrace::kPlainEventsVersion : iltrace::kCurrentVersion;
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

    if (!writeEventChunks(data.events, out, storage))
        return false;

    QByteArray end;
    appendLe<uint64_t>(end, uint64_t(data.events.size()));
    return writeChunk(out, iltrace::kEnd, end);
}

QByteArray iltraceBytes(const TraceData &data, iltrace::EventStorage storage)
{
    QByteArray bytes;
    // Plain events take their own size; compressed ones about an eighth (more is grown into).
    const size_t eventBytes = data.events.size() * sizeof(Event);
    bytes.reserve(qsizetype(iltrace::kHeaderSize + 256 +
                            (storage == iltrace::EventStorage::Plain ? eventBytes : eventBytes / 8) +
                            (data.events.size() / iltrace::kMaxEventsPerChunk + 8) * iltrace::kChunkHeaderSize));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    writeIltrace(data, buffer, storage);
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
