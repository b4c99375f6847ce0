// SPDX-License-Identifier: MIT
#include "ui/timeline/timelinedata.h"

#include <QJsonObject>

#include <algorithm>

namespace interleave::ui {

using core::kTimeMax;
using core::kTimeMin;

namespace {

/// A trace imported from another tool (a Chrome JSON file not written by Interleave): it tells
/// when each thread lived and what it did, not when it ran on a core or waited for one.
bool withoutScheduling(const core::TraceData &data)
{
    return data.meta.value(QLatin1String("import")).toObject().value(QLatin1String("format")).toString() ==
               QLatin1String("chrome-json") &&
           data.meta.value(QLatin1String("tool")).toString() != QLatin1String("Interleave");
}

} // namespace

void TimelineData::clear()
{
    m_model = nullptr;
    m_seen = 0;
    m_lastStart = 0;
    m_lastEnd = kTimeMin;
    m_lanes.clear();
    m_flows.clear();
    m_queues.clear();
    m_counters.clear();
    m_counterEvents = 0;
    m_slices.clear();
    m_deadlocks.clear();
    m_lockLanes.clear();
    m_inFlight.clear();
    m_present.reset();
    m_hasHolds = m_hasWaits = m_unscheduled = false;
    m_folds.clear();
}

TimelineData::Hit TimelineData::stateAt(uint32_t thread, int64_t t) const
{
    Hit hit;
    if (thread >= m_lanes.size())
        return hit;
    const SpanSummary &s = m_lanes[thread].states;
    const size_t i = s.find(t);
    if (i == SpanSummary::npos)
        return hit;
    hit.found = true;
    hit.start = s.start(i);
    hit.end = s.end(i);
    hit.code = s.code(i);
    return hit;
}

size_t TimelineData::bytes() const
{
    size_t b = sizeof(*this) + m_lanes.capacity() * sizeof(ThreadLane) + m_flows.capacity() * sizeof(core::Flow);
    for (const ThreadLane &lane : m_lanes)
        b += lane.states.bytes() + lane.holds.bytes() + lane.waits.bytes();
    for (const auto *series : {&m_queues, &m_counters})
        for (const QueueSeries &q : *series)
            b += sizeof(q) + q.points.capacity() * sizeof(core::CounterPoint);
    for (const SliceLane &lane : m_slices.lanes())
        b += sizeof(lane) + lane.count * sizeof(SliceBar);
    for (const LockLane &l : m_lockLanes.lanes())
        b += sizeof(l) + l.holders.bytes() + l.waits.capacity() * sizeof(LockWaitSpan);
    return b;
}

void TimelineData::refetchStates(const core::TraceModel &model, uint32_t thread, int64_t from)
{
    SpanSummary &s = m_lanes[thread].states;
    // Cut at the start of the span that contains `from`, so the spans fetched again line up with
    // the model's own (a hover shows the model's span, not a piece of it).
    auto spanStartAt = [&](int64_t t) -> int64_t {
        if (s.empty() || t <= s.beginTime())
            return kTimeMin;
        const size_t i = s.find(t);
        return i == SpanSummary::npos ? s.start(s.size() - 1) : s.start(i);
    };
    int64_t cut = from == kTimeMin ? kTimeMin : spanStartAt(from);
    for (int round = 0; round < 64; ++round) {
        if (cut == kTimeMin) {
            s.clear();
            s.setDeferred(true);
        } else {
            s.truncate(cut);
        }
        bool first = true;
        int64_t earlier = kTimeMax;
        model.forEachState(thread, cut, kTimeMax, [&](const core::StateSpan &span) {
            if (earlier != kTimeMax)
                return;
            if (first && cut != kTimeMin && span.start < cut) {
                // The model's span now begins before the cut (a Ready window moved a boundary).
                earlier = span.start;
                return;
            }
            first = false;
            const uint16_t code = stateCode(span.state, span.reason);
            m_present.set(code & 127);
            s.append(span.start, span.end, code);
        });
        s.setDeferred(false);
        if (earlier == kTimeMax) {
            if (cut == kTimeMin && s.size() > 4096)
                s.squeeze(); // read in one go: no growth to leave room for
            return;
        }
        cut = spanStartAt(earlier);
        if (cut != kTimeMin && cut > earlier)
            cut = earlier;
    }
}

void TimelineData::updateLocks(const core::TraceModel &model, std::vector<int64_t> &dirty, bool endChanged)
{
    int64_t from = kTimeMax;
    for (size_t t = 0; t < m_lanes.size(); ++t) {
        if (endChanged)
            dirty[t] = std::min(dirty[t], m_lanes[t].lockOpenFrom);
        from = std::min(from, dirty[t]);
    }
    if (from == kTimeMax)
        return;
    struct Piece
    {
        int64_t start;
        int64_t end;
        bool hold;
        bool open;
    };
    std::vector<std::vector<Piece>> pieces(m_lanes.size());
    const int64_t endTime = model.endTime();
    for (uint32_t lock : model.lockIds()) {
        for (const core::LockInterval &li : model.lockIntervals(lock, from, kTimeMax)) {
            if (li.thread >= m_lanes.size() || dirty[li.thread] == kTimeMax)
                continue;
            const int64_t cut = dirty[li.thread];
            int64_t end = li.open ? std::max(endTime, li.start) : li.end;
            end = std::max(end, li.start + 1); // an instant hold still shows
            if (end <= cut)
                continue;
            pieces[li.thread].push_back({std::max(li.start, cut), end, li.kind == core::LockInterval::Hold, li.open});
        }
    }
    for (size_t t = 0; t < m_lanes.size(); ++t) {
        if (dirty[t] == kTimeMax)
            continue;
        ThreadLane &lane = m_lanes[t];
        lane.holds.truncate(dirty[t]);
        lane.waits.truncate(dirty[t]);
        lane.lockOpenFrom = kTimeMax;
        auto &list = pieces[t];
        std::sort(list.begin(), list.end(), [](const Piece &a, const Piece &b) { return a.start < b.start; });
        // Holds may overlap (two locks held); the lane shows their union.
        for (bool hold : {true, false}) {
            SpanSummary &s = hold ? lane.holds : lane.waits;
            int64_t a = 0;
            int64_t b = kTimeMin;
            for (const Piece &p : list) {
                if (p.hold != hold)
                    continue;
                if (p.open)
                    lane.lockOpenFrom = std::min(lane.lockOpenFrom, p.start);
                if (p.start > b) {
                    if (b != kTimeMin)
                        s.append(a, b, 1);
                    a = p.start;
                    b = p.end;
                } else {
                    b = std::max(b, p.end);
                }
            }
            if (b != kTimeMin) {
                s.append(a, b, 1);
                (hold ? m_hasHolds : m_hasWaits) = true;
            }
        }
    }
}

void TimelineData::addDeadlocks(const core::TraceModel &model, const std::vector<int64_t> &times)
{
    for (const int64_t t : times) {
        DeadlockMark mark;
        mark.time = t;
        mark.cycle = core::WaitForGraph::at(model, t).deadlockCycle();
        m_deadlocks.push_back(std::move(mark));
    }
}

void TimelineData::refetchDirty(const core::TraceModel &model, const std::vector<int64_t> &dirty, bool endChanged)
{
    const size_t threads = dirty.size();
    for (uint32_t t = 0; t < threads; ++t) {
        const core::ThreadRecord &tr = model.thread(t);
        if (tr.start == kTimeMax)
            continue;
        SpanSummary &s = m_lanes[t].states;
        int64_t from = dirty[t];
        if (s.empty())
            from = kTimeMin;
        else if (endChanged)
            from = std::min(from, s.start(s.size() - 1)); // the last span grows with the trace
        if (from != kTimeMax)
            refetchStates(model, t, from);
    }
}

void TimelineData::updateQueues(const core::TraceModel &model, const std::vector<uint32_t> &queues)
{
    for (uint32_t id : queues) {
        auto it = std::lower_bound(m_queues.begin(), m_queues.end(), id,
                                   [](const QueueSeries &q, uint32_t v) { return q.id < v; });
        if (it == m_queues.end() || it->id != id) {
            QueueSeries q;
            q.id = id;
            it = m_queues.insert(it, q);
        }
        it->points = model.queueDepth(id);
        it->measure();
    }
}

void QueueSeries::measure()
{
    maxDepth = minValue = 0;
    constant = true;
    for (const core::CounterPoint &p : points) {
        maxDepth = std::max(maxDepth, p.value);
        minValue = std::min(minValue, p.value);
        constant = constant && p.value == points.front().value;
    }
}

void TimelineData::updateCounters(const core::TraceModel &model)
{
    const size_t n = model.ingestedEvents();
    if (n == m_counterEvents)
        return;
    m_counterEvents = n;
    const std::vector<uint32_t> names = model.counterNames();
    if (names.empty() && m_counters.empty())
        return;
    m_counters.clear();
    for (const uint32_t name : names) {
        QueueSeries series;
        series.id = name;
        series.points = model.counter(name);
        series.measure();
        m_counters.push_back(std::move(series));
    }
}

bool TimelineData::update(const core::TraceModel &model)
{
    const size_t n = model.ingestedEvents();
    if (m_model != &model || n < m_seen || model.threadCount() < m_lanes.size() ||
        (m_seen > 0 && model.startTime() > m_lastStart))
        clear();
    if (m_model != &model || m_seen == 0)
        m_unscheduled = withoutScheduling(model.data());
    m_model = &model;
    const int64_t endTime = model.endTime();
    const bool endChanged = endTime != m_lastEnd;
    if (n == m_seen && !endChanged && model.threadCount() == m_lanes.size())
        return false;

    m_lanes.resize(model.threadCount());
    core::ModelChanges changes = core::changesSince(model, m_seen);
    addDeadlocks(model, changes.deadlocks);
    m_lockLanes.update(model, changes, endChanged);
    m_inFlight.update(model, changes, endChanged);
    m_seen = n;

    refetchDirty(model, changes.statesFrom, endChanged);
    updateLocks(model, changes.locksFrom, endChanged);

    if (model.flowCount() != m_flows.size())
        m_flows = model.flows();

    if (!changes.queues.empty())
        updateQueues(model, changes.queues);
    updateCounters(model);
    m_slices.update(model);
    m_lastStart = model.startTime();
    m_lastEnd = endTime;
    return true;
}

} // namespace interleave::ui
