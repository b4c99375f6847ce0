// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

namespace interleave::core {

/// The finding that tells one run of a scenario from another (`run --repeat`): race and lock
/// "final_balance", deadlock "deadlocked", pool "max_concurrent", gil "max_parallel_running",
/// distributed "correct", subprocess "exit_code", process-vs-thread
/// "thread_crash_killed_process"; empty for a scenario without one (its run status counts then).
QString outcomeFinding(const QString &scenario);
/// That finding's value in a run's --json summary as text ("0", "-5", "true"), or the run's
/// status ("finished") when the scenario has none or the run did not find it.
QString runOutcome(const QJsonObject &summary);

} // namespace interleave::core
