// SPDX-License-Identifier: MIT
// The scenario parameter parser's fuzz input and checks, shared by the fuzz target (which runs
// them on scenarios of its own, since the clang build cannot compile the real ones) and the
// corpus replay (which runs them on every real scenario too).
#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace interleave::core {
class Scenario;
}

namespace interleave::fuzz {

/// The input as `--set` options: one per line, split at the first '=' as the command line does
/// (a line without a name before '=' is refused there, so it is left out here too).
QList<QPair<QString, QString>> splitSets(const uint8_t *data, size_t size);

/// resolveParams on `scenario` with `given`, checked: on success every parameter has a value of
/// its kind inside its range (ints as the scenario's intParam reads them), the last of repeated
/// settings wins; on failure one line naming the scenario; the same answer when asked twice.
void checkResolve(const core::Scenario &scenario, const QList<QPair<QString, QString>> &given);

/// Scenarios with parameters of every kind and the ranges the real ones use.
const std::vector<std::unique_ptr<core::Scenario>> &syntheticScenarios();

} // namespace interleave::fuzz
