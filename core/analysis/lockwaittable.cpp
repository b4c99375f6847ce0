// SPDX-License-Identifier: MIT
#include "analysis/lockwaittable.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace interleave::core {

LockWaitTable LockWaitTable::build(const TraceModel &model)
{
    return build(LockStats::waits(model));
}

LockWaitTable LockWaitTable::build(std::vector<LockWaitSpan> waits)
{
    std::map<std::pair<uint32_t, uint32_t>, std::vector<std::pair<int64_t, int64_t>>> byPair;
    for (const LockWaitSpan &w : waits)
        byPair[{w.lock, w.thread}].emplace_back(w.start, w.end);
    LockWaitTable table;
    table.m_series.reserve(byPair.size());
    for (auto &[key, list] : byPair) {
        std::sort(list.begin(), list.end());
        Series s;
        s.lock = key.first;
        s.thread = key.second;
        s.start.reserve(list.size());
        s.end.reserve(list.size());
        s.sumMs.reserve(list.size() + 1);
        s.maxMs.reserve(list.size() + 1);
        s.sumMs.push_back(0);
        s.maxMs.push_back(0);
        for (const auto &[start, end] : list) {
            const double ms = double(end - start) / 1e6;
            s.start.push_back(start);
            s.end.push_back(end);
            s.sumMs.push_back(s.sumMs.back() + ms);
            s.maxMs.push_back(std::max(s.maxMs.back(), ms));
        }
        table.m_series.push_back(std::move(s));
    }
    return table;
}

std::vector<LockWaitTable::Bar> LockWaitTable::at(int64_t cutoff) const
{
    std::vector<Bar> bars;
    for (const Series &s : m_series) {
        // Waits begun by the cutoff; only the last of them can still be going on then, since one
        // thread waits for one lock at a time.
        const size_t begun = size_t(std::upper_bound(s.start.begin(), s.start.end(), cutoff) - s.start.begin());
        if (begun == 0)
            continue;
        const size_t last = begun - 1;
        const double lastMs = double(std::min(s.end[last], cutoff) - s.start[last]) / 1e6;
        Bar bar;
        bar.lock = s.lock;
        bar.thread = s.thread;
        bar.waits = begun;
        bar.totalMs = s.sumMs[last] + lastMs;
        bar.maxMs = std::max(s.maxMs[last], lastMs);
        bars.push_back(bar);
    }
    return bars;
}

std::vector<uint32_t> LockWaitTable::locks() const
{
    std::set<uint32_t> ids;
    for (const Series &s : m_series)
        ids.insert(s.lock);
    return {ids.begin(), ids.end()};
}

std::vector<uint32_t> LockWaitTable::threads() const
{
    std::set<uint32_t> ids;
    for (const Series &s : m_series)
        ids.insert(s.thread);
    return {ids.begin(), ids.end()};
}

} // namespace interleave::core
