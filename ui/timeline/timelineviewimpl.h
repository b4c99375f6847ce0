// SPDX-License-Identifier: MIT
// Private to the TimelineView sources: what timelineview.cpp, timelineviewrows.cpp and
// timelineviewmarks.cpp share.
#pragma once

#include "trace/tracemodel.h"

#include <QString>
#include <Qt>

#include <algorithm>
#include <cstring>

namespace interleave::ui::timelinedetail {

inline QString signalName(int signal)
{
    const char *abbrev = sigabbrev_np(signal);
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}

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
