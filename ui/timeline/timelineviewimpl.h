// SPDX-License-Identifier: MIT
// Private to the TimelineView sources: what timelineview.cpp, timelineviewrows.cpp and
// timelineviewmarks.cpp share.
#pragma once

#include "trace/tracemodel.h"

#include <QString>
#include <Qt>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <utility>

namespace interleave::ui::timelinedetail {

inline QString signalName(int signal)
{
    const char *abbrev = sigabbrev_np(signal);
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}

/// Thins a series of glyphs or arrows drawn left to right: one that falls within `apart` pixels
/// of the last one taken with the same key (a row and a glyph, two lanes) is not drawn, so a
/// hundred forks in a few pixels draw a row of glyphs, not a solid black band.
class Spacing
{
public:
    explicit Spacing(double apart)
        : m_apart(apart)
    {}
    /// Whether to draw the one at `x` with `key` (and remember it if so).
    bool take(std::pair<int, int> key, double x) { return take(key, x, m_apart); }
    /// The same, with its own distance (a glyph's, which grows with its row).
    bool take(std::pair<int, int> key, double x, double apart)
    {
        const auto last = m_last.find(key);
        if (last != m_last.end() && std::abs(x - last->second) < apart)
            return false;
        m_last[key] = x;
        return true;
    }

private:
    double m_apart;
    std::map<std::pair<int, int>, double> m_last;
};

/// How thick flow arrows are: 3 px and more in the projector theme, where thinner lines wash out.
inline double flowWidth(double themeLineWidth)
{
    return std::max(1.0, themeLineWidth * 1.2);
}

/// How a flow of each kind is dashed (the legend says the same).
inline Qt::PenStyle flowStyle(core::FlowKind kind)
{
    switch (kind) {
    case core::FlowKind::Fork:
        return Qt::DashLine;
    case core::FlowKind::Task:
        return Qt::DotLine;
    case core::FlowKind::Pipe:
        return Qt::DashDotLine;
    case core::FlowKind::Queue:
    case core::FlowKind::Generic:
        break;
    }
    return Qt::SolidLine;
}

} // namespace interleave::ui::timelinedetail
