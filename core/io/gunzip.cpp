// SPDX-License-Identifier: MIT
// Reads a gzip-compressed trace file into memory with zlib's inflate, member after member.
#include "io/gunzip.h"

#include <QDir>
#include <QFile>

#include <zlib.h>

#include <algorithm>

namespace interleave::core {

namespace {

/// Inflates `in` into `out` (appending), following one gzip member with the next. Returns false
/// when the output would pass kMaxGunzipBytes or the load was cancelled; damage or a cut ends the
/// output where it is (true). `ended`: a member ended where it should.
bool inflateAll(const uchar *in, qint64 size, QByteArray &out, LoadProgress *progress, bool &cancelled, bool &ended)
{
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return true; // no memory for zlib's state: nothing read, the reader says the file is empty
    constexpr qint64 kStep = qint64(1) << 20;
    qint64 consumed = 0;
    bool fits = true;
    bool full = false; // the last call filled its output: zlib may hold more even with no input left
    while ((consumed < size || full) && fits && !cancelled) {
        z.next_in = const_cast<Bytef *>(in + consumed);
        z.avail_in = uInt(std::min<qint64>(size - consumed, qint64(1) << 30));
        const qint64 before = out.size();
        out.resize(before + kStep);
        z.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        z.avail_out = uInt(kStep);
        const uInt given = z.avail_in;
        const int rc = inflate(&z, Z_NO_FLUSH);
        consumed += qint64(given - z.avail_in);
        full = z.avail_out == 0;
        out.resize(before + (kStep - qint64(z.avail_out)));
        fits = out.size() <= kMaxGunzipBytes;
        if (progress) {
            progress->read = uint64_t(consumed);
            cancelled = progress->cancel;
        }
        if (rc == Z_STREAM_END) {
            ended = true;
            if (inflateReset(&z) != Z_OK)
                break; // a following member would need a fresh state: what came so far stands
        } else if (rc != Z_OK) {
            break; // damaged (Z_DATA_ERROR) or cut off (Z_BUF_ERROR): keep what came before
        }
    }
    inflateEnd(&z);
    return fits && !cancelled;
}

} // namespace

bool isGzip(const QByteArray &head)
{
    return head.size() >= 2 && uchar(head[0]) == 0x1f && uchar(head[1]) == 0x8b;
}

bool gunzipFile(const QString &path, QByteArray &out, LoadProgress *progress, LoadResult &failure)
{
    QFile file;
    if (!openTraceForReading(file, path, failure))
        return false;
    const QString name = QDir::toNativeSeparators(path);
    // Mapped, not copied, where the file allows it.
    QByteArray copy;
    qint64 size = file.size();
    const uchar *bytes = size > 0 ? file.map(0, size) : nullptr;
    if (!bytes) {
        copy = file.readAll();
        bytes = reinterpret_cast<const uchar *>(copy.constData());
        size = copy.size();
    }
    if (progress)
        progress->size = uint64_t(size);
    bool cancelled = false;
    bool ended = false;
    out.clear();
    const bool fits = inflateAll(bytes, size, out, progress, cancelled, ended);
    if (fits && !out.isEmpty())
        return true;
    out = QByteArray();
    failure = {};
    // Nothing came out: said here, for the trace's reader would call the file empty.
    if (fits && ended) {
        failure.problem = LoadResult::Problem::Empty;
        failure.error =
            GunzipTr::tr("cannot open trace '%1': it is an empty file, compressed; export the trace again").arg(name);
    } else if (fits) {
        failure.problem = LoadResult::Problem::Truncated;
        failure.error = GunzipTr::tr("cannot open trace '%1': its gzip stream is cut off or damaged before any of "
                                     "the trace (%2 bytes); compress or export the trace again")
                            .arg(name)
                            .arg(size);
    } else if (cancelled) {
        failure.problem = LoadResult::Problem::Cancelled;
        failure.error = GunzipTr::tr("opening '%1' was cancelled").arg(name);
    } else {
        failure.problem = LoadResult::Problem::Io;
        failure.error = GunzipTr::tr("cannot open trace '%1': it holds more than %2 GiB once decompressed; "
                                     "decompress it with gunzip and open the result")
                            .arg(name)
                            .arg(kMaxGunzipBytes >> 30);
    }
    return false;
}

} // namespace interleave::core
