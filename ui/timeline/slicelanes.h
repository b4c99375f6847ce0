// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"

#include <cstdint>
#include <vector>

namespace interleave::ui {

/// One named slice of an imported trace (a Chrome 'X' or B/E pair) as the timeline draws it.
struct SliceBar
{
    int64_t start = 0;
    int64_t end = 0;   ///< the trace's end while still open
    uint32_t name = 0; ///< str id
    bool open = false;
};

/// The nested slices of one thread, a row per depth as Perfetto draws them. The slices of one
/// depth never overlap, so each row is sorted by start and by end: a binary search finds what
/// a window of time shows.
struct SliceLane
{
    uint32_t thread = 0;
    std::vector<std::vector<SliceBar>> rows; ///< by depth
    size_t count = 0;

    /// The slice of row `depth` under time t, or nullptr.
    const SliceBar *at(size_t depth, int64_t t) const;
};

/// The slice lanes of an imported TraceModel: read again whenever the model holds more events,
/// or the trace's end moved while a slice is open.
class SliceLanes
{
public:
    /// Rows drawn at most per thread; deeper slices are counted in the lane's label.
    static constexpr size_t kMaxRows = 24;

    void clear();
    /// True if anything changed.
    bool update(const core::TraceModel &model);
    /// By thread index.
    const std::vector<SliceLane> &lanes() const { return m_lanes; }
    /// The lane of `thread`, or nullptr.
    const SliceLane *lane(uint32_t thread) const;

private:
    std::vector<SliceLane> m_lanes;
    size_t m_seen = 0; ///< the model's events when last read
    int64_t m_end = core::kTimeMin;
    bool m_open = false;
};

} // namespace interleave::ui
