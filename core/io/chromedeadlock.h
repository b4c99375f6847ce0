// SPDX-License-Identifier: MIT
// A recorded deadlock cycle as the Chrome export carries it, and back (the export's otherData).
#pragma once

#include "trace/deadlockrecord.h"

#include <QJsonObject>

#include <cstdint>
#include <functional>
#include <optional>

namespace interleave::core {

class TraceModel;

/// The cycle as a Chrome export carries it: {"time_ns", "seen_ns", "cycle": [{thread, pid, tid,
/// holds, waits_for, held_by, loc, since_ns}]}, from which deadlockFromChrome rebuilds it.
QJsonObject deadlockToChrome(const TraceModel &model, const RecordedDeadlock &deadlock);

/// The cycle of a deadlockToChrome object; `threadOf` gives the thread index of (pid, tid).
/// Nothing if `o` is not one (an older export, another tool's file).
std::optional<RecordedDeadlock> deadlockFromChrome(const QJsonObject &o,
                                                   const std::function<uint32_t(int32_t, int32_t)> &threadOf);

} // namespace interleave::core
