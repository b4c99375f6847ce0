// SPDX-License-Identifier: MIT
// TraceModel series: queue depths, counters, core samples, slices, async spans, variables.
#include "trace/tracemodelimpl.h"

#include <algorithm>
#include <bit>

namespace interleave::core {

using namespace detail;

namespace {

template<typename Map> std::vector<uint32_t> sortedKeys(const Map &map)
{
    std::vector<uint32_t> ids;
    for (const auto &[id, v] : map)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

std::vector<uint32_t> TraceModel::queueIds() const
{
    return sortedKeys(m_d->queueDepths);
}

std::vector<CounterPoint> TraceModel::queueDepth(uint32_t queue) const
{
    std::vector<CounterPoint> out;
    auto it = m_d->queueDepths.find(queue);
    if (it != m_d->queueDepths.end())
        for (uint32_t i : it->second)
            out.push_back({m_data.events[i].time, double(m_data.events[i].arg)});
    return out;
}

std::vector<uint32_t> TraceModel::counterNames() const
{
    return sortedKeys(m_d->counters);
}

std::vector<CounterPoint> TraceModel::counter(uint32_t name) const
{
    std::vector<CounterPoint> out;
    auto it = m_d->counters.find(name);
    if (it != m_d->counters.end())
        for (uint32_t i : it->second)
            out.push_back({m_data.events[i].time, std::bit_cast<double>(m_data.events[i].arg)});
    return out;
}

// Cores -------------------------------------------------------------------------------------

namespace {

void samplesIn(const std::vector<uint32_t> &v, const std::vector<Event> &events, int64_t t0, int64_t t1,
               const std::function<void(const Event &)> &fn)
{
    auto it = std::lower_bound(v.begin(), v.end(), t0, [&](uint32_t x, int64_t time) { return events[x].time < time; });
    for (; it != v.end() && events[*it].time < t1; ++it)
        fn(events[*it]);
}

} // namespace

std::vector<CoreSample> TraceModel::coreSamplesOfThread(uint32_t thread, int64_t t0, int64_t t1) const
{
    std::vector<CoreSample> out;
    if (thread >= m_threads.size())
        return out;
    samplesIn(m_d->threads[thread].samples, m_data.events, t0, t1, [&](const Event &e) {
        out.push_back({e.time, thread, e.cpu, SampleArg::state(e.arg), SampleArg::runDelay(e.arg)});
    });
    return out;
}

std::vector<CoreSample> TraceModel::coreSamplesOfCore(int cpu, int64_t t0, int64_t t1) const
{
    std::vector<CoreSample> out;
    if (cpu < 0 || size_t(cpu) >= m_coreSamples.size())
        return out;
    samplesIn(m_coreSamples[size_t(cpu)], m_data.events, t0, t1, [&](const Event &e) {
        auto it = m_d->tidIndex.find(int32_t(e.object));
        if (it != m_d->tidIndex.end())
            out.push_back({e.time, it->second, e.cpu, SampleArg::state(e.arg), SampleArg::runDelay(e.arg)});
    });
    return out;
}

// Text, slices, variables ---------------------------------------------------------------------

std::vector<SliceInfo> TraceModel::slices(uint32_t thread) const
{
    std::vector<SliceInfo> out;
    if (thread >= m_threads.size())
        return out;
    const auto &events = m_data.events;
    for (const Impl::Slice &s : m_d->threads[thread].slices) {
        const Event &b = events[s.begin];
        SliceInfo si;
        si.start = b.time;
        si.end = s.end != kNoEvent ? events[s.end].time : kTimeMax;
        si.thread = thread;
        si.name = b.object;
        si.category = uint32_t(b.arg);
        si.depth = s.depth;
        out.push_back(si);
    }
    return out;
}

std::vector<SliceInfo> TraceModel::asyncSpans() const
{
    std::vector<SliceInfo> out;
    const auto &events = m_data.events;
    for (const Impl::Slice &s : m_d->asyncSpans) {
        const Event &b = events[s.begin];
        SliceInfo si;
        si.start = b.time;
        si.end = s.end != kNoEvent ? events[s.end].time : kTimeMax;
        si.thread = b.thread;
        si.name = b.object;
        si.id = b.arg;
        out.push_back(si);
    }
    return out;
}

const std::vector<uint32_t> &TraceModel::varAccesses(uint32_t var) const
{
    static const std::vector<uint32_t> none;
    auto it = m_d->vars.find(var);
    return it == m_d->vars.end() ? none : it->second;
}

std::vector<uint32_t> TraceModel::varIds() const
{
    return sortedKeys(m_d->vars);
}

} // namespace interleave::core
