// SPDX-License-Identifier: MIT
#include "io/safewrite.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace interleave::core {

namespace {

/// What a producer writes to: a buffer in front of the file's descriptor that checks every
/// write(2) itself and keeps the OS reason of the first failure. QFileDevice takes a short write
/// (the usual sign of a full disk) as success or reports it as "Unknown error", and QTextStream,
/// QSvgGenerator and QPdfWriter ignore what a write returns; from here on every write fails.
class CheckedOutput final : public QIODevice
{
public:
    explicit CheckedOutput(int fd)
        : m_fd(fd)
    {
        QIODevice::open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }
    /// Writes what is still buffered; false once any write has failed.
    bool drain()
    {
        if (m_errno == 0 && !m_buffer.isEmpty())
            writeAll(m_buffer.constData(), m_buffer.size());
        m_buffer.clear();
        return m_errno == 0;
    }
    /// errno of the first failed write, 0 if none failed.
    int failure() const { return m_errno; }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        if (m_buffer.size() + size > kBufferSize && !drain())
            return -1;
        if (size >= kBufferSize)
            return writeAll(data, size) ? size : -1;
        if (m_errno != 0)
            return -1;
        m_buffer.append(data, size);
        return size;
    }

private:
    static constexpr qint64 kBufferSize = 64 * 1024;

    bool writeAll(const char *data, qint64 size)
    {
        while (size > 0 && m_errno == 0) {
            const ssize_t n = ::write(m_fd, data, size_t(std::min<qint64>(size, qint64(1) << 30)));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                m_errno = n < 0 ? errno : EIO;
                setErrorString(qt_error_string(m_errno));
                break;
            }
            data += n;
            size -= n;
        }
        return m_errno == 0;
    }

    int m_fd;
    int m_errno = 0;
    QByteArray m_buffer;
};

/// Compresses what is written to it into a gzip stream (zlib's deflate, RFC 1952) on `sink`.
class GzipOutput final : public QIODevice
{
public:
    explicit GzipOutput(QIODevice &sink)
        : m_sink(sink)
    {
        m_ok = deflateInit2(&m_stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
        QIODevice::open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }
    ~GzipOutput() override
    {
        if (m_ok)
            deflateEnd(&m_stream);
    }
    GzipOutput(const GzipOutput &) = delete;
    GzipOutput &operator=(const GzipOutput &) = delete;
    bool isSequential() const override { return true; }
    /// Ends the stream (the last block and the trailer); false if anything failed.
    bool finish() { return pump(nullptr, 0, Z_FINISH); }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        for (qint64 done = 0; done < size;) {
            const auto n = uInt(std::min<qint64>(size - done, qint64(1) << 30)); // avail_in is 32-bit
            if (!pump(data + done, n, Z_NO_FLUSH))
                return -1;
            done += n;
        }
        return size;
    }

private:
    bool pump(const char *data, uInt size, int flush)
    {
        m_stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
        m_stream.avail_in = size;
        char block[64 * 1024];
        int rc = Z_OK;
        while (m_ok) {
            m_stream.next_out = reinterpret_cast<Bytef *>(block);
            m_stream.avail_out = sizeof block;
            rc = deflate(&m_stream, flush);
            const auto have = qint64(sizeof block - m_stream.avail_out);
            if (rc == Z_STREAM_ERROR || (have > 0 && m_sink.write(block, have) != have))
                m_ok = false;
            else if (m_stream.avail_out != 0 && (flush != Z_FINISH || rc == Z_STREAM_END))
                break; // all input taken (and, finishing, the trailer written)
        }
        return m_ok;
    }

    QIODevice &m_sink;
    z_stream m_stream{};
    bool m_ok = false;
};

/// A name ending in .gz is written gzip-compressed.
bool namesGzip(const QString &path)
{
    return path.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive);
}

/// "REASON; WAY OUT", and that an existing file was kept when there was one.
QString failure(const QString &reason, const QString &wayOut, bool existed)
{
    return existed ? SafeWriteTr::tr("%1; %2 (the existing file was left unchanged)").arg(reason, wayOut)
                   : SafeWriteTr::tr("%1; %2").arg(reason, wayOut);
}

QString writeFailure(int error, bool existed)
{
    const bool noSpace = error == ENOSPC || error == EFBIG || error == EDQUOT;
    return failure(qt_error_string(error),
                   noSpace ? SafeWriteTr::tr("free some disk space or choose another folder")
                           : SafeWriteTr::tr("choose another file or folder"),
                   existed);
}

/// Runs `produce` on `fd` (through gzip when `gzip`) and flushes; "REASON; WAY OUT" on failure,
/// else empty.
QString produceInto(int fd, const Produce &produce, bool existed, bool gzip)
{
    CheckedOutput out(fd);
    QString problem;
    bool made = false;
    if (gzip) {
        GzipOutput compressed(out);
        made = produce(compressed, &problem) && compressed.finish();
    } else {
        made = produce(out, &problem);
    }
    if (!out.drain())
        return writeFailure(out.failure(), existed);
    if (!made)
        return problem.isEmpty() ? SafeWriteTr::tr("the content could not be made") : problem;
    return {};
}

/// A device or a pipe (/dev/stdout, /dev/full, a FIFO) is written in place: a temporary file
/// renamed over it would leave a regular file where the device was.
QString writeInPlace(const QString &path, const Produce &produce)
{
    QFile device(path);
    if (!device.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return SafeWriteTr::tr("%1; choose a file you can write to").arg(device.errorString());
    return produceInto(device.handle(), produce, false, namesGzip(path));
}

/// Only a folder that is really missing is called missing; one we may not enter is reported with
/// its own reason.
bool folderIsMissing(const QFileInfo &info)
{
    struct stat st
    {};
    const QByteArray folder = QFile::encodeName(info.absolutePath());
    return ::stat(folder.constData(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

} // namespace

QString outputPathProblem(const QString &path)
{
    const QFileInfo info(path);
    if (path == QLatin1String("-"))
        return {}; // standard output
    if (path.isEmpty())
        return SafeWriteTr::tr("the file name is empty; give a file name");
    if (info.isDir())
        return SafeWriteTr::tr("it is a folder; give a file name");
    if (folderIsMissing(info))
        return SafeWriteTr::tr("the folder '%1' does not exist; choose an existing folder")
            .arg(QDir::toNativeSeparators(info.absolutePath()));
    // A device or pipe is written in place; anything else needs a writable folder for the
    // temporary file that replaces it. access() also sees a read-only file system as root.
    const bool inPlace = info.exists() && !info.isFile();
    const QByteArray target = QFile::encodeName(inPlace ? info.absoluteFilePath() : info.absolutePath());
    if (::access(target.constData(), W_OK) != 0)
        return SafeWriteTr::tr("%1; choose a folder you can write to").arg(qt_error_string(errno));
    return {};
}

bool writeFileSafely(const QString &path, const Produce &produce, QString *why)
{
    auto failed = [&](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (path == QLatin1String("-")) {
        const QString problem = produceInto(STDOUT_FILENO, produce, false, false);
        return problem.isEmpty() || failed(problem);
    }
    const QFileInfo info(path);
    // A folder we may not write to is reported by the open below, with its own reason.
    if (path.isEmpty() || info.isDir() || folderIsMissing(info))
        return failed(outputPathProblem(path));
    if (info.exists() && !info.isFile()) {
        const QString problem = writeInPlace(path, produce);
        return problem.isEmpty() || failed(problem);
    }

    // QSaveFile writes a temporary file beside the target and renames it only on commit(); on
    // any failure the temporary file is removed and an existing file stays as it was.
    const bool existed = info.exists();
    QSaveFile file(path);
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly))
        return failed(SafeWriteTr::tr("%1; choose a folder you can write to").arg(file.errorString()));
    QString problem = produceInto(int(file.handle()), produce, existed, namesGzip(path));
    // commit() does not report a failed fsync (where a network or quota file system may first
    // say it is full): check it here.
    if (problem.isEmpty() && ::fsync(int(file.handle())) != 0 && errno != EINVAL)
        problem = writeFailure(errno, existed);
    if (!problem.isEmpty()) {
        file.cancelWriting(); // the destructor removes the temporary file
        return failed(problem);
    }
    if (!file.commit())
        return failed(failure(file.errorString(), SafeWriteTr::tr("choose another folder"), existed));
    return true;
}

bool sameOutputPath(const QString &a, const QString &b)
{
    if (a.isEmpty() || b.isEmpty())
        return false;
    auto resolved = [](const QString &path) -> QString {
        const QFileInfo info(path);
        // canonicalFilePath() resolves links but is empty for a file that does not exist yet:
        // then its folder is resolved and the name put back.
        if (info.exists())
            return info.canonicalFilePath();
        const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
        return (folder.isEmpty() ? info.absolutePath() : folder) + QLatin1Char('/') + info.fileName();
    };
    return resolved(a) == resolved(b);
}

} // namespace interleave::core
