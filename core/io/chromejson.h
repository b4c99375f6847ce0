// SPDX-License-Identifier: MIT
#pragma once

#include "io/iltrace.h"
#include "trace/deadlockrecord.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <string>
#include <vector>

class QIODevice;

namespace interleave::core {

class TraceModel;

/// What the analyses found, added to an export by a caller that can run them (trace/ cannot call
/// analysis/): `i` instants on a thread, the `findings` of otherData (else the trace's own), and
/// the deadlock cycle (else the one recorded in the trace, if any).
struct ChromeExtras
{
    struct Instant
    {
        uint32_t thread = 0;
        int64_t time = 0;
        std::string name;
        std::string cat;
        std::string args; ///< a JSON object, or empty
    };
    std::vector<Instant> instants;
    QJsonObject findings;
    std::optional<RecordedDeadlock> deadlock;
};

/// Writes the model as a Chrome / Perfetto JSON trace (see DESIGN.md "Chrome / Perfetto trace
/// export"), streamed through a buffer so millions of events need no document in memory.
/// False on a write error; `error` then names the reason.
bool exportChromeJson(const TraceModel &model, QIODevice &out, QString *error, const ChromeExtras &extras = {});
/// Same, to a file written through a temporary file that replaces `path` only when complete.
bool exportChromeJson(const TraceModel &model, const QString &path, QString *error, const ChromeExtras &extras = {});

/// Reads a Chrome / Perfetto JSON trace written by any tool (object form {"traceEvents":[...]}
/// or bare array form) into TraceData; every event carries the Imported flag. The file is mapped
/// and read as a stream: beyond it, memory holds only the events. With `progress`, it reports how
/// far it has read and stops when cancelled.
LoadResult importChromeJson(const QString &path, LoadProgress *progress = nullptr);
/// Same, from memory; `name` is used in error messages.
LoadResult importChromeJson(const char *bytes, size_t size, const QString &name, LoadProgress *progress = nullptr);
inline LoadResult importChromeJson(const QByteArray &bytes, const QString &name)
{
    return importChromeJson(bytes.constData(), size_t(bytes.size()), name);
}

/// Opens either a native .iltrace or a Chrome JSON trace, recognised by content, not by name.
/// `progress` lets another thread follow the read and cancel it (the window opens files so).
LoadResult openTraceFile(const QString &path, LoadProgress *progress = nullptr);

} // namespace interleave::core
