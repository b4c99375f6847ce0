// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>

namespace interleave::core {

class Session;
class TraceModel;

/// The `--json` summary of a finished run (DESIGN, "Command line").
QJsonObject runSummary(const Session &session);
/// The parts of the summary that only need the trace (also used by `open --json`).
QJsonObject traceSummary(const TraceModel &model);

} // namespace interleave::core
