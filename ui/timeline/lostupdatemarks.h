// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/lostupdates.h"
#include "ui/timeline/laneview.h"

#include <QCoreApplication>

#include <cstdint>
#include <vector>

class QPainter;

namespace interleave::core {
class TraceModel;
}

namespace interleave::ui {

class Theme;

/// One lost update as the timeline draws it: the two loads of the same version (the overwriting
/// thread's and the overwritten thread's), the overwritten store and the store that overwrote it.
struct LostUpdateMark
{
    uint32_t thread = 0;      ///< the thread whose store overwrote
    uint32_t otherThread = 0; ///< the thread whose update was lost
    int64_t seenTime = 0;
    int64_t otherSeenTime = -1; ///< -1: not recorded
    int64_t otherStoreTime = 0;
    int64_t storeTime = 0;
    int64_t seenValue = 0;
    int64_t storeValue = 0;
    int64_t otherValue = 0;
    int64_t lostDelta = 0;

    int64_t firstTime() const;
};

/// The lost updates of a model (core::LostUpdates, the same analysis as the --json findings), in
/// the order of their overwriting stores, with "next" / "previous" lookups for navigation and a
/// grouping of the marks too close to tell apart at a zoom.
class LostUpdateMarks
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::LostUpdateMarks)
public:
    void clear();
    /// Catches up when the model's variable accesses changed (only what arrived since the last
    /// settled access is read again, see core::LostUpdateTracker). True if anything changed.
    bool update(const core::TraceModel &model);

    const std::vector<LostUpdateMark> &marks() const { return m_marks; }
    /// Sum of the lost deltas: 0 with marks present means the lost updates cancelled out.
    int64_t lostDelta() const { return m_lostDelta; }
    /// Index of the first mark whose store is after `t`, -1 if none.
    int next(int64_t t) const;
    /// Index of the last mark whose store is before `t`, -1 if none.
    int previous(int64_t t) const;
    /// The range to show for mark `i`: its loads and stores with a margin on each side.
    std::pair<int64_t, int64_t> rangeOf(int i) const;

    /// Consecutive marks whose stores lie within `minNs` of the group's first store are one group.
    struct Group
    {
        size_t first = 0;
        size_t count = 0;
    };
    std::vector<Group> groups(int64_t t0, int64_t t1, int64_t minNs) const;

    /// "lost +8": what the lost update took away.
    static QString label(const LostUpdateMark &mark);
    /// "12 lost updates, net -5", or "..., cancelled out" when their deltas add up to nothing.
    QString groupLabel(const Group &group) const;
    /// Draws the visible marks (merged with a count where dense) over the lanes.
    void paint(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, const Theme &theme) const;

private:
    const core::TraceModel *m_model = nullptr;
    core::LostUpdateTracker m_tracker;
    uint64_t m_resets = 0;
    size_t m_settled = 0;         ///< marks of the tracker's settled lost updates, made once
    int64_t m_settledMaxSpan = 0; ///< m_maxSpan over those
    std::vector<LostUpdateMark> m_marks;
    int64_t m_maxSpan = 0; ///< longest storeTime - firstTime, to find marks that reach into a range
    int64_t m_lostDelta = 0;
};

} // namespace interleave::ui
