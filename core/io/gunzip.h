// SPDX-License-Identifier: MIT
// A gzip-compressed trace file read into memory (zlib's inflate), so that `open` takes *.gz too.
#pragma once

#include "io/iltrace.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace interleave::core {

struct GunzipTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::GunzipTr)
};

/// The most a compressed trace may hold once decompressed: it is read into memory whole.
inline constexpr qint64 kMaxGunzipBytes = qint64(4) << 30;

/// True if `head`, the first bytes of a file, starts as gzip does.
bool isGzip(const QByteArray &head);

/// The decompressed content of the gzip file `path` (every member, as `gzip -dc` gives it) in
/// `out`. A stream that is cut off or damaged gives what came before the damage: the trace's
/// own reader then says what is missing. False, with `failure` saying why, when the file cannot
/// be read, the load was cancelled (LoadProgress::cancel), it holds more than kMaxGunzipBytes, or
/// nothing came out of it (an empty file compressed, or a stream cut before any content).
bool gunzipFile(const QString &path, QByteArray &out, LoadProgress *progress, LoadResult &failure);

} // namespace interleave::core
