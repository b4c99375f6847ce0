// SPDX-License-Identifier: MIT
#pragma once

#include "ui/timeline/laneview.h"

#include <QCoreApplication>

class QPainter;

namespace interleave::ui {

struct Theme;

/// The times a live run was paused, drawn as a band across every lane with its length, so held
/// time is never mistaken for the program's own (a task that "ran 5.8 s" while paused for 2.1 s).
struct PauseBand
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::PauseBand)
public:
    static void paint(QPainter &painter, const LaneFrame &frame, const core::TraceModel &model, const Theme &theme);
    /// The band's fill, for the legend too.
    static QBrush brush(const Theme &theme);
    static QString label(int64_t ns);
};

} // namespace interleave::ui
