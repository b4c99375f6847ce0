// SPDX-License-Identifier: MIT
#include "ui/timeline/slicelanes.h"

#include <QJsonObject>

#include <algorithm>

namespace interleave::ui {

const SliceBar *SliceLane::at(size_t depth, int64_t t) const
{
    if (depth >= rows.size())
        return nullptr;
    const auto &row = rows[depth];
    auto it = std::upper_bound(row.begin(), row.end(), t, [](int64_t v, const SliceBar &s) { return v < s.start; });
    if (it == row.begin())
        return nullptr;
    --it;
    return t <= it->end ? &*it : nullptr;
}

void SliceLanes::clear()
{
    m_lanes.clear();
    m_seen = 0;
    m_end = core::kTimeMin;
    m_open = false;
}

const SliceLane *SliceLanes::lane(uint32_t thread) const
{
    auto it = std::lower_bound(m_lanes.begin(), m_lanes.end(), thread,
                               [](const SliceLane &l, uint32_t t) { return l.thread < t; });
    return it != m_lanes.end() && it->thread == thread ? &*it : nullptr;
}

bool SliceLanes::update(const core::TraceModel &model)
{
    // Only an imported trace has slices (a run records none): a live run costs one lookup.
    if (!model.data().meta.contains(QLatin1String("import"))) {
        const bool had = !m_lanes.empty();
        clear();
        return had;
    }
    const size_t count = model.ingestedEvents();
    const int64_t end = model.endTime();
    if (count == m_seen && !(m_open && end != m_end))
        return false;
    m_lanes.clear();
    m_open = false;
    for (uint32_t t = 0; t < model.threadCount(); ++t) {
        const std::vector<core::SliceInfo> slices = model.slices(t);
        if (slices.empty())
            continue;
        SliceLane lane;
        lane.thread = t;
        lane.count = slices.size();
        for (const core::SliceInfo &s : slices) {
            if (s.depth >= lane.rows.size())
                lane.rows.resize(s.depth + 1);
            const bool open = s.end == core::kTimeMax;
            m_open = m_open || open;
            lane.rows[s.depth].push_back({s.start, open ? std::max(s.start, end) : s.end, s.name, open});
        }
        for (auto &row : lane.rows) // in order of start already (slices() gives them so); make sure
            std::stable_sort(row.begin(), row.end(),
                             [](const SliceBar &a, const SliceBar &b) { return a.start < b.start; });
        m_lanes.push_back(std::move(lane));
    }
    m_seen = count;
    m_end = end;
    return true;
}

} // namespace interleave::ui
