// SPDX-License-Identifier: MIT
#include "ui/timeline/coredata.h"

#include <algorithm>

namespace interleave::ui {

using core::kTimeMax;
using core::kTimeMin;

namespace {

/// Cores beyond this are not real (the sampler writes 0xffff when /proc gave no core).
constexpr uint32_t kMaxCores = 4096;

} // namespace

std::vector<CoreSegment> CoreData::segments(const std::vector<core::CoreSample> &samples,
                                            const std::function<int64_t(uint32_t, int64_t)> &nextSample,
                                            int64_t endTime)
{
    std::vector<CoreSegment> out;
    struct Current
    {
        bool active = false;
        CoreSegment seg;
        int64_t sampleTime = 0;
        uint64_t delay = 0;
    } cur;
    auto close = [&](int64_t end, bool provisional) {
        cur.seg.end = std::max(end, cur.seg.start + 1);
        cur.seg.provisional = provisional;
        out.push_back(cur.seg);
        cur.active = false;
    };
    for (const core::CoreSample &s : samples) {
        if (cur.active && s.time > cur.seg.end)
            close(cur.seg.end, cur.seg.provisional);
        if (s.state != 'R') {
            // Sleeping, waiting on IO, ...: not running here any more.
            if (cur.active && cur.seg.thread == s.thread)
                close(s.time, false);
            continue;
        }
        const int64_t next = nextSample(s.thread, s.time);
        const bool provisional = next == kTimeMax;
        const int64_t end = std::min(next, s.time + kMaxHold);
        if (cur.active) {
            if (cur.seg.thread == s.thread) {
                cur.seg.end = std::max(cur.seg.end, end);
                cur.seg.provisional = provisional;
                cur.sampleTime = s.time;
                cur.delay = s.runDelay;
                continue;
            }
            if (s.time - cur.sampleTime < kSameTick) {
                // Two runnable threads in one tick: the one that waited less ran.
                if (s.runDelay >= cur.delay)
                    continue;
                if (s.time - cur.seg.start >= kSameTick) {
                    // The holder ran until this tick; from the tick on, the other one runs.
                    const int64_t tick = cur.sampleTime;
                    close(tick, false);
                    cur.active = true;
                    cur.seg = {tick, std::max(end, tick + 1), s.thread, provisional};
                } else {
                    cur.seg.thread = s.thread;
                    cur.seg.end = std::max(end, cur.seg.start + 1);
                    cur.seg.provisional = provisional;
                }
                cur.sampleTime = s.time;
                cur.delay = s.runDelay;
                continue;
            }
            close(s.time, false);
        }
        cur.active = true;
        cur.seg = {s.time, end, s.thread, provisional};
        cur.sampleTime = s.time;
        cur.delay = s.runDelay;
    }
    if (cur.active) {
        if (cur.seg.end > endTime)
            close(std::max(endTime, cur.seg.start + 1), true);
        else
            close(cur.seg.end, cur.seg.provisional);
    }
    return out;
}

void CoreData::clear()
{
    m_model = nullptr;
    m_seen = 0;
    m_lastEnd = kTimeMin;
    m_lastStart = 0;
    m_cores.clear();
    m_lanes.clear();
    m_stable.clear();
    m_sampleTimes.clear();
    m_pending.clear();
    m_threads.clear();
    m_threadSeen.clear();
    m_recorded.clear();
}

const SpanSummary &CoreData::lane(uint32_t core) const
{
    static const SpanSummary none;
    return core < m_lanes.size() ? m_lanes[core] : none;
}

size_t CoreData::bytes() const
{
    size_t b = sizeof(*this);
    for (const SpanSummary &s : m_lanes)
        b += s.bytes();
    for (const auto &v : m_sampleTimes)
        b += v.capacity() * sizeof(int64_t);
    return b;
}

int64_t CoreData::nextSampleOf(const core::TraceModel &model, uint32_t thread, int64_t t) const
{
    int64_t next = kTimeMax;
    if (thread < m_sampleTimes.size()) {
        const auto &v = m_sampleTimes[thread];
        auto it = std::upper_bound(v.begin(), v.end(), t);
        if (it != v.end())
            next = *it;
    }
    const core::ThreadRecord &tr = model.thread(thread);
    if (tr.exited && tr.end > t)
        next = std::min(next, tr.end);
    return next;
}

void CoreData::takeSample(const core::TraceModel &model, const core::SampleSeen &sample, std::vector<uint32_t> &touched)
{
    const uint32_t x = model.threadByTid(sample.tid);
    if (x == core::kNoEvent) {
        m_pending.push_back(sample);
        return;
    }
    auto &v = m_sampleTimes[x];
    v.insert(std::upper_bound(v.begin(), v.end(), sample.time), sample.time);
    if (sample.cpu < kMaxCores)
        touched.push_back(sample.cpu);
}

std::vector<uint32_t> CoreData::takeSamples(const core::TraceModel &model, size_t n)
{
    m_sampleTimes.resize(model.threadCount());
    std::vector<uint32_t> touched;
    std::vector<core::SampleSeen> pending;
    pending.swap(m_pending);
    for (const core::SampleSeen &sample : pending)
        takeSample(model, sample, touched);
    if (n > m_seen)
        for (const core::SampleSeen &sample : core::samplesSince(model, m_seen))
            takeSample(model, sample, touched);
    return touched;
}

void CoreData::addCores(const std::vector<uint32_t> &touched)
{
    for (uint32_t c : touched) {
        if (c >= m_lanes.size()) {
            m_lanes.resize(c + 1);
            m_stable.resize(c + 1, kTimeMin);
        }
        if (!std::binary_search(m_cores.begin(), m_cores.end(), c))
            m_cores.insert(std::upper_bound(m_cores.begin(), m_cores.end(), c), c);
    }
}

void CoreData::refreshLane(const core::TraceModel &model, uint32_t c, int64_t endTime)
{
    SpanSummary &lane = m_lanes[c];
    const int64_t from = m_stable[c];
    if (from == kTimeMin)
        lane.clear();
    else
        lane.truncate(from);
    const std::vector<core::CoreSample> samples = model.coreSamplesOfCore(int(c), from, kTimeMax);
    const auto segs = segments(
        samples, [&](uint32_t thread, int64_t t) { return nextSampleOf(model, thread, t); }, endTime);
    int64_t stable = from;
    for (const CoreSegment &s : segs) {
        lane.append(s.start, s.end, uint16_t(std::min<uint32_t>(s.thread + 1, 0xfffe)));
        if (s.thread >= m_threadSeen.size())
            m_threadSeen.resize(s.thread + 1, false);
        if (!m_threadSeen[s.thread]) {
            m_threadSeen[s.thread] = true;
            m_threads.push_back(s.thread);
        }
    }
    // Next time, start again from the first segment that may still change.
    for (const CoreSegment &s : segs) {
        if (s.provisional) {
            stable = s.start;
            break;
        }
        stable = s.end;
    }
    m_stable[c] = stable;
}

bool CoreData::update(const core::TraceModel &model)
{
    const size_t n = model.ingestedEvents();
    if (m_model != &model || n < m_seen || (m_seen > 0 && model.startTime() > m_lastStart))
        clear();
    m_model = &model;
    const int64_t endTime = model.endTime();
    const bool endChanged = endTime != m_lastEnd;
    if (n == m_seen && !endChanged && m_pending.empty())
        return false;

    std::vector<uint32_t> touched = takeSamples(model, n);
    m_seen = n;

    m_recorded.update(model);
    if (!touched.empty() || !m_cores.empty()) {
        // Every core the trace saw has a lane, also one no sampled thread ran on (an idle core); a
        // trace without samples (an import) keeps its "no samples" text.
        for (uint32_t c = 0; c < uint32_t(std::min<int>(m_recorded.count(), int(kMaxCores))); ++c)
            if (!std::binary_search(m_cores.begin(), m_cores.end(), c))
                touched.push_back(c);
    }
    addCores(touched);
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    bool changed = !touched.empty();
    for (uint32_t c : m_cores) {
        // Cores with new samples, and every core while the trace grows (provisional ends move).
        if (!endChanged && !std::binary_search(touched.begin(), touched.end(), c))
            continue;
        refreshLane(model, c, endTime);
        changed = true;
    }
    m_lastEnd = endTime;
    m_lastStart = model.startTime();
    return changed;
}

} // namespace interleave::ui
