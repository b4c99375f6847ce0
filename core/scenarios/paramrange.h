// SPDX-License-Identifier: MIT
// A parameter's values in words, as `list` and a refused --set say them.
#pragma once

#include "scenarios/scenario.h"

#include <QString>

namespace interleave::core {

/// The values a parameter takes, as people write them: "1 to 10000000", "one of off, on".
QString paramRangeText(const ParamSpec &spec);

} // namespace interleave::core
