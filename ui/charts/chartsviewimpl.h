// SPDX-License-Identifier: MIT
// Private to the ChartsView sources: what the charts of the trace (chartsviewtrace.cpp) and of the
// findings (chartsviewfindings.cpp) share.
#pragma once

#include <algorithm>
#include <cmath>

namespace interleave::ui::chartsdetail {

// A tick step of 1, 2 or 5 times a power of ten giving about `ticks` ticks up to `max`, never
// below 1: depths and run counts are whole numbers.
inline double wholeStep(double max, int ticks = 5)
{
    const double raw = std::max(1.0, max / ticks);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= raw)
            return m * power;
    }
    return 10 * power;
}

} // namespace interleave::ui::chartsdetail
