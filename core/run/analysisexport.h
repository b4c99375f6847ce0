// SPDX-License-Identifier: MIT
#pragma once

#include "io/chromejson.h"

#include <QJsonObject>

namespace interleave::core {

class TraceModel;

/// What the analyses add to a Chrome export of `model`: an instant per lost update (cat
/// "lost-update", on the overwriting thread at its store, args as the findings' examples) and
/// otherData.findings = `findings` (the --json findings; empty keeps the trace's own), and the
/// deadlock cycle every reader shows (theDeadlock: the recorded one, else the one found).
ChromeExtras chromeExtras(const TraceModel &model, const QJsonObject &findings);

} // namespace interleave::core
