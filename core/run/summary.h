// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

namespace interleave::core {

class Session;
class TraceModel;
struct TraceData;

/// The `--json` summary of a finished run (DESIGN, "Command line").
QJsonObject runSummary(const Session &session);
/// The parts of the summary that only need the trace (also used by `open --json`).
QJsonObject traceSummary(const TraceModel &model);
/// One line saying how many events the recorder lost, or empty when none was: a trace with
/// lost events is incomplete, and every view and analysis of it may be wrong.
QString lossText(const TraceData &data);
/// A run status as the user reads it, in the current language ("timed_out" -> "timed out", "超时");
/// a name it does not know comes back unchanged.
QString statusWord(const QString &statusName);

} // namespace interleave::core
