// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>

#include <functional>

class QIODevice;

namespace interleave::core {

struct SafeWriteTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::SafeWriteTr)
};

/// Writes the content of an output file to `out`; returns false with a reason in `why` when it
/// cannot make the content. A write that `out` refused need not be checked: the caller of the
/// producer finds it by itself.
using Produce = std::function<bool(QIODevice &out, QString *why)>;

/// Writes every output file (trace, Chrome JSON, image): into a temporary file beside `path`
/// (QSaveFile), every write checked, flushed and synced, then renamed over the target. On failure
/// an existing file is left as it was, no temporary file stays, and `why` gets "REASON; WAY OUT"
/// (the OS reason, such as "No space left on device"), to be put after the file's name. A device
/// or a pipe (/dev/stdout, a FIFO) is written in place; "-" is standard output. A name ending in
/// .gz is written gzip-compressed.
bool writeFileSafely(const QString &path, const Produce &produce, QString *why);

/// Why `path` cannot be written, found before anything is produced (a folder that is missing or
/// not writable, a folder given as the file); empty when it looks writable. A full disk only
/// shows while writing.
QString outputPathProblem(const QString &path);

/// True if `a` and `b` name the same file, also through "..", a symbolic link or a relative path.
bool sameOutputPath(const QString &a, const QString &b);

} // namespace interleave::core
