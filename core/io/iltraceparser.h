// SPDX-License-Identifier: MIT
// Private to the .iltrace reader (iltrace.cpp, iltraceparser.cpp, iltracechunks.cpp): where it
// reads from, and the parser that walks the chunks.
#pragma once

#include "io/iltrace.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

struct ZSTD_DCtx_s; // zstd's decompression context (zstd.h), kept out of this header

namespace interleave::core {

struct TraceFileTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::TraceFileTr)
};

namespace detail {

template<typename T> T readLe(const char *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
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

    LoadResult parse();

private:
    using Problem = LoadResult::Problem;

    // The steps of parse() (iltraceparser.cpp). A result is where the parse ends; nullopt: go on.
    /// The file's header: a result when the file is no trace this version reads.
    std::optional<LoadResult> checkHeader();
    /// Reads the chunk whose header is at `pos` and moves `pos` past it, or on to the next intact chunk.
    std::optional<LoadResult> readChunk(size_t &pos);
    /// An EVTS chunk, or a compressed EVTZ one.
    std::optional<LoadResult> readEventChunk(size_t &pos, uint32_t type, uint64_t length, uint32_t crc,
                                             const QString &badChecksum);
    /// A META, STRS, THRD or END chunk (or one this version does not know, skipped).
    std::optional<LoadResult> readTableChunk(size_t &pos, uint32_t type, uint64_t length, uint32_t crc,
                                             const QString &badChecksum);
    /// The END chunk: the whole file was read, or what was lost in damaged chunks.
    LoadResult readEnd(size_t pos, const char *payload);

    LoadResult fail(Problem problem, QString error);
    LoadResult cancelled();
    LoadResult truncated();
    LoadResult ioError(size_t pos);
    LoadResult corrupt(const QString &why);

    static constexpr size_t kNone = SIZE_MAX;

    static bool wellFormedEventLength(size_t len)
    {
        return len % sizeof(Event) == 0 && len / sizeof(Event) <= iltrace::kMaxEventsPerChunk;
    }
    /// An EVTZ chunk: its count and a frame; the writer stores a chunk that compression would not
    /// make smaller plain, so one longer than a full chunk of plain events is damaged.
    static bool wellFormedCompressedLength(size_t len)
    {
        return len > 4 && len <= 4 + iltrace::kMaxEventsPerChunk * sizeof(Event);
    }

    /// Notes a damaged chunk at `pos` that the reader skipped, with `events` events known lost.
    void damaged(size_t pos, const QString &why, uint64_t events);
    /// The file ended before its END chunk; `why`: a damaged chunk with nothing intact after it.
    LoadResult endOfFile(const QString &why = {});

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
                     NoneFollows none = NoneFollows::Damage);
    /// A trace with damaged chunks skipped: what could be read, its gap counted as unreadable
    /// events (which the loss banner and `lossText` report), and one line saying where.
    LoadResult damagedResult(bool cutOff);
    /// Where the next intact chunk starts at or after `from` (a type the writer writes, a
    /// possible length, a checksum that holds), or kNone. Read a block at a time: a damaged length
    /// early in a large file is searched past in one pass.
    size_t findChunk(size_t from);
    bool intactChunkAt(size_t pos, const char *header);

    // What the chunks hold (iltracechunks.cpp).
    void reserveEvents();
    QString readMeta(const char *p, size_t len);
    QString readStrings(const char *p, size_t len);
    QString readThreads(const char *p, size_t len);
    QString readEvents(size_t pos, size_t len, uint32_t crc, const QString &badChecksum, bool *ioFailed);
    /// An EVTZ chunk's events, decompressed into place; `count`: the events it says it holds
    /// (0 when that cannot be read or is impossible).
    QString readCompressedEvents(size_t pos, size_t len, uint32_t crc, const QString &badChecksum, bool *ioFailed,
                                 uint64_t *count);
    /// Checks the `n` events from `first` on; drops them all and says why when one is impossible.
    QString validateEvents(size_t first, size_t n);

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
    struct FreeDecompressor
    {
        void operator()(ZSTD_DCtx_s *context) const;
    };
    std::unique_ptr<ZSTD_DCtx_s, FreeDecompressor> m_decompressor; ///< made at the first EVTZ chunk
    ByteSource &m_src;
    size_t m_size;
    QByteArray m_payload;
    QString m_name;
    LoadProgress *m_progress;
    LoadResult m_result;
};

} // namespace detail

} // namespace interleave::core
