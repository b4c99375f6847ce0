// SPDX-License-Identifier: MIT
#pragma once
// The chapter's balance example, shared by the "race" and "lock" scenarios.

#include "scenarios/scenario.h"

namespace interleave::core {

/// Runs change_it(5) and change_it(8) in Thread-1 and Thread-2, `iterations` times each, on a
/// traced shared balance; with `locked` every change_it holds one Mutex.
void runBalance(ScenarioContext &ctx, bool locked);
/// {iterations, expected, final_balance, lost_updates, lost_delta (= expected - final_balance),
/// cancelled_out, examples} from the trace.
QJsonObject balanceFindings(const TraceModel &model, const QJsonObject &params);
/// The iterations parameter both scenarios take.
ParamSpec iterationsParam();
/// off|sometimes|on: yield between the load and the store (every 1000th time, or every time), forcing
/// the interleaving the chapter draws.
ParamSpec switchParam(const char *defaultValue);

} // namespace interleave::core
