// SPDX-License-Identifier: MIT
#pragma once

#include "trace/event.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace interleave::core {

/// One thread as the log or a trace file knows it. Thread indexes in Event::thread point here.
struct ThreadInfo
{
    int32_t pid = 0;
    int32_t tid = 0;
};

/// Event times are ns and lie within ±kTimeLimit (146 years): then the difference of any two fits
/// in int64, which the model and the exporters rely on. Readers refuse or skip what lies outside.
inline constexpr int64_t kTimeLimit = int64_t(1) << 62;

/// The raw, append-only content of a recorded or loaded trace: what files store and what the
/// TraceModel is built from. Strings are addressed by id; id 0 is the empty string.
struct TraceData
{
    std::vector<ThreadInfo> threads;
    std::vector<Event> events; ///< in the order they were read; the model sorts per thread
    /// (id, text), sorted by id. Ids are offsets in the log's string table, so they are sparse:
    /// look one up with string(id) (a binary search), never by position.
    std::vector<std::pair<uint32_t, std::string>> strings;
    uint64_t droppedEvents = 0;
    uint64_t tornEvents = 0;
    /// (pid, tid) of each thread whose last record was left half-written (one per torn record).
    /// Known for live runs only; a saved trace keeps the count.
    std::vector<std::pair<int32_t, int32_t>> tornThreads;
    /// Events a damaged file held that could not be read: the reader skipped their chunks and
    /// went on with the next intact one (.iltrace, see readIltrace).
    uint64_t unreadableEvents = 0;
    /// Run description: scenario, params, status, wall_ms, findings, tool, version ...
    QJsonObject meta;

    const std::string &string(uint32_t id) const;
    /// Adds (or replaces) a string with a given id; keeps `strings` sorted by id.
    void setString(uint32_t id, std::string text);
    /// Adds a string under a fresh id (for importers, which have no log).
    uint32_t addString(std::string text);
    /// The index of (pid, tid) in `threads`, appending it if new.
    uint32_t threadIndex(int32_t pid, int32_t tid);
};

} // namespace interleave::core
