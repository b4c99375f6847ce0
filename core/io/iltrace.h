// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <cstddef>
#include <cstdint>

class QIODevice;

class QFile;

namespace interleave::core {

/// The outcome of opening a trace file (.iltrace or an imported Chrome JSON trace). When the
/// file is truncated or damaged, `data` still holds the valid prefix so it can be shown.
struct LoadResult
{
    enum class Problem
    {
        None,
        Empty,         ///< zero bytes
        NotATrace,     ///< not the format asked for (bad magic, not JSON, not a trace object)
        Truncated,     ///< ends before its END chunk; data holds the intact prefix
        Corrupt,       ///< a checksum or a record is wrong; data holds the intact prefix
        NewerVersion,  ///< written by a newer Interleave
        LegacyVersion, ///< the pre-release layout (or any version below the oldest supported)
        Io,            ///< cannot be read at all (missing, permissions, ...)
        Cancelled,     ///< stopped through LoadProgress::cancel; data is empty
    };
    bool ok = false;
    TraceData data;
    QString error; ///< one line naming the file, the reason and the way out; empty when ok
    Problem problem = Problem::None;
};

/// Lets another thread follow a load and stop it: the loader stores how many bytes of `size` it
/// has read and checks `cancel` as it goes. A cancelled load gives Problem::Cancelled.
struct LoadProgress
{
    std::atomic<uint64_t> read{0};
    std::atomic<uint64_t> size{0};
    std::atomic<bool> cancel{false};
};

/// Layout constants of the native .iltrace format (little-endian):
/// header = "ILTRACE\0", u32 version, u32 flags; then chunks of
/// {u32 fourcc, u32 reserved, u64 payload length, u32 crc32(payload), payload}.
/// Version 2 stores events zstd-compressed (EVTZ); version 1 has plain EVTS chunks only.
namespace iltrace {
inline constexpr char kMagic[8] = {'I', 'L', 'T', 'R', 'A', 'C', 'E', '\0'};
inline constexpr uint32_t kCurrentVersion = 2;
/// The version of a file whose events are all in plain EVTS chunks, which every reader reads.
inline constexpr uint32_t kPlainEventsVersion = 1;
inline constexpr uint32_t kOldestSupportedVersion = 1;
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kChunkHeaderSize = 20;
inline constexpr uint32_t kMaxEventsPerChunk = 65536;
/// The bound on event times every reader checks (core::kTimeLimit, tracedata.h).
inline constexpr int64_t kTimeLimit = core::kTimeLimit;

constexpr uint32_t fourcc(char a, char b, char c, char d)
{
    return uint32_t(uint8_t(a)) | uint32_t(uint8_t(b)) << 8 | uint32_t(uint8_t(c)) << 16 | uint32_t(uint8_t(d)) << 24;
}
inline constexpr uint32_t kMeta = fourcc('M', 'E', 'T', 'A');    ///< UTF-8 JSON {meta, dropped_events, torn_events}
inline constexpr uint32_t kStrings = fourcc('S', 'T', 'R', 'S'); ///< u32 n; n × {u32 id, u32 len, bytes}
inline constexpr uint32_t kThreads = fourcc('T', 'H', 'R', 'D'); ///< u32 n; n × {i32 pid, i32 tid}
inline constexpr uint32_t kEvents = fourcc('E', 'V', 'T', 'S');  ///< raw 32-byte Event records
inline constexpr uint32_t kEnd = fourcc('E', 'N', 'D', '\0');    ///< u64 total events; marks a complete file
/// u32 n (<= kMaxEventsPerChunk), then one zstd frame of those n raw Event records (version 2 on)
inline constexpr uint32_t kEventsZstd = fourcc('E', 'V', 'T', 'Z');

/// CRC-32 (the zlib / PNG polynomial), slice-by-8; `crc` continues a previous call.
uint32_t crc32(const void *data, size_t size, uint32_t crc = 0);

/// How a writer stores the events: compressed (version 2, a race run's about a seventh of the size), or plain
/// (version 1, which Interleave before format version 2 reads too).
enum class EventStorage
{
    Compressed,
    Plain,
};
} // namespace iltrace

/// Why the trace file at `path` cannot be read, in one line that names it and the way out; empty
/// when it is a regular file. Checked before opening: a named pipe would block the open until some
/// program writes into it, and a device (/dev/null, /dev/zero) is no trace however it reads.
QString traceFileProblem(const QString &path);
/// Opens `path` for a loader: false, with `failure` saying why (Problem::Io), when it is no regular
/// file (traceFileProblem) or cannot be opened.
bool openTraceForReading(QFile &file, const QString &path, LoadResult &failure);

/// Loads a native .iltrace file (memory-mapped; validated so nothing downstream can index out of
/// bounds). With `progress`, it reports how far it has read and stops when cancelled.
LoadResult loadIltrace(const QString &path, LoadProgress *progress = nullptr);
/// Loads a .iltrace image from memory; `name` is used in error messages (also the fuzz entry).
LoadResult loadIltrace(const char *bytes, size_t size, const QString &name);
inline LoadResult loadIltrace(const QByteArray &bytes, const QString &name)
{
    return loadIltrace(bytes.constData(), size_t(bytes.size()), name);
}

/// Saves `data` to `path` through a temporary file in the same folder that is renamed over the
/// target only once complete, so a failed save never destroys an existing file.
bool saveIltrace(const TraceData &data, const QString &path, QString *error);
/// Writes the .iltrace image of `data` to an open device; false on a write error (the device's
/// errorString() tells why).
bool writeIltrace(const TraceData &data, QIODevice &out,
                  iltrace::EventStorage storage = iltrace::EventStorage::Compressed);
/// The .iltrace image of `data` in memory (tests, fuzz corpora, benchmarks).
QByteArray iltraceBytes(const TraceData &data, iltrace::EventStorage storage = iltrace::EventStorage::Compressed);

} // namespace interleave::core
