// SPDX-License-Identifier: MIT
#pragma once
// The chapter's balance example, shared by the "race" and "lock" scenarios.

#include "scenarios/scenario.h"

#include <cstdint>

namespace interleave::core {

/// The `switch` parameter of the balance lessons (lessons/race.cpp, lessons/lock.cpp): called
/// between the read and the write of `balance = balance + n`, it gives up the CPU there every
/// time (on), every 1000th time per thread (sometimes, as CPython's switch interval could land
/// mid-statement) or never (off).
class MidStatementSwitch
{
public:
    explicit MidStatementSwitch(const ScenarioContext &ctx);
    void operator()() const;

private:
    uint64_t m_every = 0; ///< 0: never
};
/// {iterations, expected, final_balance, lost_updates, lost_delta (= expected - final_balance),
/// cancelled_out, examples} from the trace.
QJsonObject balanceFindings(const TraceModel &model, const QJsonObject &params);
/// The iterations parameter both scenarios take.
ParamSpec iterationsParam();
/// off|sometimes|on: yield between the load and the store (every 1000th time, or every time), forcing
/// the interleaving the chapter draws.
ParamSpec switchParam(const char *defaultValue);

} // namespace interleave::core
