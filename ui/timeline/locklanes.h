// SPDX-License-Identifier: MIT
#pragma once

#include "trace/modelchanges.h"
#include "trace/tracemodel.h"
#include "ui/timeline/spansummary.h"
#include "ui/timeline/timemapping.h"

#include <cstdint>
#include <vector>

namespace interleave::ui {

/// One wait for a lock, as the lock's lane shows it.
struct LockWaitSpan
{
    int64_t start = 0;
    int64_t end = 0; ///< the trace's end while still waiting
    uint32_t thread = 0;
    bool open = false;
    bool timedOut = false;
};

/// A lock's own lane (as Tracy's lock tracks): who holds it over time and who waits for it.
struct LockLane
{
    uint32_t lock = 0;                 ///< object id
    int32_t pid = 0;                   ///< the process it lives in: that of the first thread that used it
    SpanSummary holders{true};         ///< code = holding thread index + 1, 0 = free
    std::vector<LockWaitSpan> waits;   ///< by start time
    int64_t openFrom = core::kTimeMax; ///< start of the earliest interval still open
    int64_t maxWait = 0;               ///< the longest wait (finds the waits overlapping a time)
    uint32_t firstHolder = UINT32_MAX; ///< the first thread that held it
    bool shared = false;               ///< held by two threads or more, or waited for

    static uint16_t holderCode(uint32_t thread) { return uint16_t(std::min<uint32_t>(thread + 1, 0xfffe)); }
    static uint32_t codeThread(uint16_t code) { return uint32_t(code) - 1; }
};

/// A mark of the wait row of a lock lane: one wait, or several merged because they fall within a
/// few pixels of each other. Never narrower than the minimum width, so a 2 µs wait in a 3 s trace
/// still shows.
struct WaitMark
{
    double x0 = 0;
    double x1 = 0;
    int count = 0;       ///< waits merged into this mark
    uint32_t thread = 0; ///< the (first) waiting thread
};

/// The timeline's lock lanes, one per lock, kept up to date with a growing TraceModel: update()
/// re-reads only each lock's intervals from the earliest time its new events touch.
class LockLanes
{
public:
    void clear();
    /// Catches up with `model` from what its new events changed (`changes.locksTouched`);
    /// `endChanged` says the trace's end moved (open holds and waits grow with it). True if
    /// anything changed.
    bool update(const core::TraceModel &model, const core::ModelChanges &changes, bool endChanged);

    const std::vector<LockLane> &lanes() const { return m_lanes; }
    /// The lane of `lock`, or nullptr.
    const LockLane *lane(uint32_t lock) const;

    /// Wait marks of `lane` in the range of `map` (x as map.toX()): every wait at least
    /// `minWidth` wide, and waits that would touch or overlap merged into one mark with their count.
    static std::vector<WaitMark> waitMarks(const LockLane &lane, const TimeMapping &map, double minWidth);
    /// Widens every run of a non-zero code to at least `minWidth` columns (the runs after it give
    /// way), so a wait far shorter than a pixel stays visible at any zoom.
    static void widenRuns(std::vector<PixelRun> &runs, int minWidth);
    /// The narrowest a wait is drawn, in pixels, for the theme's line width.
    static int minWaitWidth(double lineWidth);

private:
    std::vector<LockLane> m_lanes; ///< by lock id
};

} // namespace interleave::ui
