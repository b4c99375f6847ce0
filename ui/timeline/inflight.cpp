// SPDX-License-Identifier: MIT
#include "ui/timeline/inflight.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <unordered_map>
#include <utility>

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

size_t InFlightData::partition(std::vector<InFlightSpan> &spans)
{
    using Busy = std::pair<int64_t, size_t>; // (end, sub-row)
    std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> idle;
    size_t rows = 0;
    for (InFlightSpan &s : spans) {
        // Starts ascend, so a sub-row free at one start stays free at every later one.
        while (!busy.empty() && busy.top().first <= s.start) {
            idle.push(busy.top().second);
            busy.pop();
        }
        size_t slot = rows;
        if (!idle.empty()) {
            slot = idle.top();
            idle.pop();
        } else {
            ++rows;
        }
        busy.emplace(s.end, slot);
        s.slot = uint16_t(std::min<size_t>(slot, 0xffff));
    }
    return rows;
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
        // Heaps, not a scan of the sub-rows: 100 k spans open at once made the scan quadratic.
        const size_t rows = partition(spans);
        // A thread that waits for one thing at a time shows it in its own lane already.
        if (rows < 2)
            continue;
        InFlightLane lane;
        lane.thread = thread;
        lane.depth = uint16_t(std::min<size_t>(rows, 0xffff));
        lane.spans = std::move(spans);
        m_lanes.push_back(std::move(lane));
    }

    std::unordered_map<int32_t, size_t> lastPhase; ///< pid -> its latest band in m_phases
    for (core::PhaseMark &phase : core::phaseMarks(model)) {
        PhaseBand band;
        band.start = phase.time;
        band.end = endTime;
        band.pid = phase.pid;
        band.name = std::move(phase.name);
        // The previous phase of this process ends where this one begins.
        const auto [previous, first] = lastPhase.try_emplace(band.pid, m_phases.size());
        if (!first) {
            PhaseBand &before = m_phases[previous->second];
            before.end = std::min(before.end, band.start);
            previous->second = m_phases.size();
        }
        m_phases.push_back(std::move(band));
    }
    return true;
}

} // namespace interleave::ui
