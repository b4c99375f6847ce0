// SPDX-License-Identifier: MIT
#include "ui/timeline/inflight.h"

#include <algorithm>
#include <map>

namespace interleave::ui {

void InFlightData::clear()
{
    m_lanes.clear();
    m_phases.clear();
    m_open = false;
}

const InFlightLane *InFlightData::lane(uint32_t thread) const
{
    auto it = std::lower_bound(m_lanes.begin(), m_lanes.end(), thread,
                               [](const InFlightLane &l, uint32_t t) { return l.thread < t; });
    return it != m_lanes.end() && it->thread == thread ? &*it : nullptr;
}

bool InFlightData::update(const core::TraceModel &model, const core::ModelChanges &changes, bool endChanged)
{
    const bool touched = changes.spans || (endChanged && m_open);
    if (!touched)
        return false;
    clear();
    m_open = !model.phases().empty();
    const int64_t endTime = model.endTime();
    std::map<uint32_t, std::vector<InFlightSpan>> byThread;
    for (const core::SliceInfo &s : model.asyncSpans()) {
        InFlightSpan span;
        span.start = s.start;
        span.open = s.end == core::kTimeMax;
        span.end = std::max(span.open ? endTime : s.end, s.start + 1);
        span.name = s.name;
        m_open = m_open || span.open;
        byThread[s.thread].push_back(span);
    }
    for (auto &[thread, spans] : byThread) {
        std::stable_sort(spans.begin(), spans.end(),
                         [](const InFlightSpan &a, const InFlightSpan &b) { return a.start < b.start; });
        // Each span takes the lowest sub-row free at its start (interval partitioning: as many
        // sub-rows as spans in flight at once at the busiest moment).
        std::vector<int64_t> slotEnd;
        for (InFlightSpan &s : spans) {
            size_t slot = 0;
            while (slot < slotEnd.size() && slotEnd[slot] > s.start)
                ++slot;
            if (slot == slotEnd.size())
                slotEnd.push_back(s.end);
            else
                slotEnd[slot] = s.end;
            s.slot = uint16_t(std::min<size_t>(slot, 0xffff));
        }
        // A thread that waits for one thing at a time shows it in its own lane already.
        if (slotEnd.size() < 2)
            continue;
        InFlightLane lane;
        lane.thread = thread;
        lane.depth = uint16_t(std::min<size_t>(slotEnd.size(), 0xffff));
        lane.spans = std::move(spans);
        m_lanes.push_back(std::move(lane));
    }

    for (core::PhaseMark &phase : core::phaseMarks(model)) {
        PhaseBand band;
        band.start = phase.time;
        band.end = endTime;
        band.pid = phase.pid;
        band.name = std::move(phase.name);
        // The previous phase of this process ends where this one begins.
        for (auto it = m_phases.rbegin(); it != m_phases.rend(); ++it) {
            if (it->pid == band.pid) {
                it->end = std::min(it->end, band.start);
                break;
            }
        }
        m_phases.push_back(std::move(band));
    }
    return true;
}

} // namespace interleave::ui
