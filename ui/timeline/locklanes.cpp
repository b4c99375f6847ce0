// SPDX-License-Identifier: MIT
#include "ui/timeline/locklanes.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace interleave::ui {

using core::kTimeMax;

namespace {

void touch(std::map<uint32_t, int64_t> &dirty, uint32_t lock, int64_t t)
{
    auto [it, fresh] = dirty.try_emplace(lock, t);
    if (!fresh)
        it->second = std::min(it->second, t);
}

/// Reads `lane` again from `from` on: its holders, and its waits in start order.
void readLane(LockLane &lane, const std::vector<core::LockInterval> &intervals, int64_t from, int64_t endTime)
{
    lane.holders.truncate(from);
    std::erase_if(lane.waits, [&](const LockWaitSpan &w) { return w.open || w.end > from; });
    lane.openFrom = kTimeMax;
    const size_t kept = lane.waits.size();
    for (const core::LockInterval &li : intervals) {
        int64_t end = li.open ? std::max(endTime, li.start) : li.end;
        end = std::max(end, li.start + 1); // an instant still shows
        if (li.open)
            lane.openFrom = std::min(lane.openFrom, li.start);
        if (li.kind == core::LockInterval::Hold) {
            if (lane.firstHolder == UINT32_MAX)
                lane.firstHolder = li.thread;
            lane.shared = lane.shared || li.thread != lane.firstHolder;
            const int64_t start = std::max(li.start, from);
            if (end > start)
                lane.holders.append(start, end, LockLane::holderCode(li.thread));
        } else {
            lane.shared = true;
            lane.waits.push_back({li.start, end, li.thread, li.open, li.timedOut});
            lane.maxWait = std::max(lane.maxWait, end - li.start);
        }
    }
    auto byStart = [](const LockWaitSpan &a, const LockWaitSpan &b) {
        return a.start != b.start ? a.start < b.start : a.thread < b.thread;
    };
    std::sort(lane.waits.begin() + ptrdiff_t(kept), lane.waits.end(), byStart);
    std::inplace_merge(lane.waits.begin(), lane.waits.begin() + ptrdiff_t(kept), lane.waits.end(), byStart);
}

} // namespace

void LockLanes::clear()
{
    m_lanes.clear();
}

const LockLane *LockLanes::lane(uint32_t lock) const
{
    auto it = std::lower_bound(m_lanes.begin(), m_lanes.end(), lock,
                               [](const LockLane &l, uint32_t id) { return l.lock < id; });
    return it != m_lanes.end() && it->lock == lock ? &*it : nullptr;
}

bool LockLanes::update(const core::TraceModel &model, const core::ModelChanges &changes, bool endChanged)
{
    // The earliest time each lock's new events touch: its lane is read again from there.
    std::map<uint32_t, int64_t> dirty = changes.locksTouched;
    if (endChanged)
        for (const LockLane &l : m_lanes)
            if (l.openFrom != kTimeMax)
                touch(dirty, l.lock, l.openFrom);
    if (dirty.empty())
        return false;

    const int64_t endTime = model.endTime();
    bool changed = false;
    for (const auto &[lock, touched] : dirty) {
        auto it = std::lower_bound(m_lanes.begin(), m_lanes.end(), lock,
                                   [](const LockLane &l, uint32_t id) { return l.lock < id; });
        // An interval still open is read again whole: its end may now lie before `touched`.
        const int64_t from = it != m_lanes.end() && it->lock == lock ? std::min(touched, it->openFrom) : touched;
        const std::vector<core::LockInterval> intervals = model.lockIntervals(lock, from, kTimeMax);
        if (it == m_lanes.end() || it->lock != lock) {
            if (intervals.empty())
                continue;
            LockLane fresh;
            fresh.lock = lock;
            it = m_lanes.insert(it, std::move(fresh));
        }
        LockLane &lane = *it;
        changed = true;
        if (lane.pid == 0 && !intervals.empty() && intervals.front().thread < model.threadCount())
            lane.pid = model.thread(intervals.front().thread).pid;
        readLane(lane, intervals, from, endTime);
    }
    return changed;
}

std::vector<WaitMark> LockLanes::waitMarks(const LockLane &lane, const TimeMapping &map, double minWidth)
{
    std::vector<WaitMark> out;
    const auto &w = lane.waits;
    // Waits that overlap [t0, t1) start no earlier than t0 - maxWait.
    const int64_t from = map.t0 - lane.maxWait;
    auto it = std::lower_bound(w.begin(), w.end(), from, [](const LockWaitSpan &s, int64_t t) { return s.start < t; });
    const double left = map.left;
    const double right = map.left + map.width;
    for (; it != w.end() && it->start < map.t1; ++it) {
        if (it->end <= map.t0)
            continue;
        const double x0 = std::max(left, map.toX(it->start));
        double x1 = std::min(right, map.toX(it->end));
        x1 = std::max(x1, x0 + minWidth);
        // Marks that would touch merge: a run of short waits reads as one mark with a count.
        if (!out.empty() && x0 <= out.back().x1 + 1) {
            out.back().x1 = std::max(out.back().x1, x1);
            ++out.back().count;
            continue;
        }
        out.push_back({x0, x1, 1, it->thread});
    }
    return out;
}

void LockLanes::widenRuns(std::vector<PixelRun> &runs, int minWidth)
{
    bool emptied = false;
    for (size_t i = 0; i < runs.size(); ++i) {
        if (runs[i].code == 0 || runs[i].x1 - runs[i].x0 >= minWidth)
            continue;
        runs[i].x1 = runs[i].x0 + minWidth;
        for (size_t j = i + 1; j < runs.size() && runs[j].x0 < runs[i].x1; ++j) {
            runs[j].x0 = std::min(runs[i].x1, runs[j].x1);
            emptied = emptied || runs[j].x0 == runs[j].x1;
        }
    }
    if (emptied)
        std::erase_if(runs, [](const PixelRun &r) { return r.x0 >= r.x1; });
}

int LockLanes::minWaitWidth(double lineWidth)
{
    return int(std::ceil(std::max(3.0, lineWidth * 2.5)));
}

} // namespace interleave::ui
