// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>

namespace interleave::core {

class Session;
class TraceModel;
struct ProcessInfo;

/// The `--json` summary of a finished run (DESIGN, "Command line").
QJsonObject runSummary(const Session &session);
/// The parts of the summary that only need the trace (also used by `open --json`).
QJsonObject traceSummary(const TraceModel &model);
/// True for processes that ran in the trace (not a parent known only by its pid).
bool recordedProcess(const ProcessInfo &process);

} // namespace interleave::core
