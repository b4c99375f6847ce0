// SPDX-License-Identifier: MIT
#pragma once
// The chapter's balance example, shared by the "race" and "lock" scenarios.

#include "scenarios/scenario.h"

namespace interleave::core {

/// Runs change_it(5) and change_it(8) in Thread-1 and Thread-2, `iterations` times each, on a
/// traced shared balance; with `locked` every change_it holds one Mutex.
void runBalance(ScenarioContext &ctx, bool locked);
/// {iterations, expected, final_balance, lost_updates} from the trace.
QJsonObject balanceFindings(const TraceModel &model, const QJsonObject &params);
/// The iterations parameter both scenarios take.
ParamSpec iterationsParam();
/// on|off: yield between the load and the store, forcing the interleaving the chapter draws.
ParamSpec switchParam();

} // namespace interleave::core
