// SPDX-License-Identifier: MIT
// TraceModel locks and flows: acquisitions, hold and wait intervals, holders, flows.
#include "trace/tracemodelimpl.h"

#include <algorithm>

namespace interleave::core {

using namespace detail;

std::vector<uint32_t> TraceModel::lockIds() const
{
    std::vector<uint32_t> ids;
    for (const auto &[id, l] : m_d->locks)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

const std::vector<Acquisition> &TraceModel::acquisitions(uint32_t lock) const
{
    static const std::vector<Acquisition> none;
    auto it = m_d->locks.find(lock);
    return it == m_d->locks.end() ? none : it->second.closed;
}

const std::vector<Acquisition> &TraceModel::openAcquisitions(uint32_t lock) const
{
    static const std::vector<Acquisition> none;
    auto it = m_d->locks.find(lock);
    return it == m_d->locks.end() ? none : it->second.open;
}

namespace {

void intervalsOf(const Acquisition &a, uint32_t lock, const std::vector<Event> &events, int64_t t0, int64_t t1,
                 std::vector<LockInterval> &out)
{
    const Event *obtain = a.obtain != kNoEvent ? &events[a.obtain] : nullptr;
    if (a.wait != kNoEvent) {
        const Event &w = events[a.wait];
        LockInterval li;
        li.kind = LockInterval::Wait;
        li.start = w.time;
        li.end = obtain ? obtain->time : kTimeMax;
        li.thread = w.thread;
        li.object = lock;
        li.timed = (w.flags & Timed) != 0;
        li.timedOut = obtain && obtain->type == EventType::LockTimeout;
        li.open = !obtain;
        li.loc = w.loc;
        if (li.start < t1 && (li.end > t0 || li.start >= t0))
            out.push_back(li);
    }
    if (obtain && obtain->type == EventType::LockObtain) {
        LockInterval li;
        li.kind = LockInterval::Hold;
        li.start = obtain->time;
        li.end = a.release != kNoEvent ? events[a.release].time : kTimeMax;
        li.thread = obtain->thread;
        li.object = lock;
        li.open = a.release == kNoEvent;
        li.loc = obtain->loc;
        if (li.start < t1 && (li.end > t0 || li.start >= t0))
            out.push_back(li);
    }
}

} // namespace

std::vector<LockInterval> TraceModel::lockIntervals(uint32_t lock, int64_t t0, int64_t t1) const
{
    std::vector<LockInterval> out;
    auto it = m_d->locks.find(lock);
    if (it == m_d->locks.end())
        return out;
    const Impl::LockData &ld = it->second;
    const auto &events = m_data.events;
    const auto &c = ld.closed;
    // Closed entries are sorted by obtain time; a hold that overlaps t0 was obtained after
    // t0 - maxHold, and a wait that overlaps [t0, t1) ended before t1 + maxWait.
    const int64_t from = t0 == kTimeMin ? kTimeMin : t0 - ld.maxHold;
    const int64_t to = t1 >= kTimeMax - ld.maxWait ? kTimeMax : t1 + ld.maxWait;
    auto first = std::lower_bound(c.begin(), c.end(), from,
                                  [&](const Acquisition &x, int64_t time) { return events[x.obtain].time < time; });
    for (auto a = first; a != c.end() && events[a->obtain].time <= to; ++a)
        intervalsOf(*a, lock, events, t0, t1, out);
    for (const Acquisition &a : ld.open)
        intervalsOf(a, lock, events, t0, t1, out);
    std::sort(out.begin(), out.end(), [](const LockInterval &x, const LockInterval &y) {
        return x.start != y.start ? x.start < y.start : x.kind != y.kind ? x.kind < y.kind : x.thread < y.thread;
    });
    return out;
}

std::vector<LockInterval> TraceModel::lockIntervalsOfThread(uint32_t thread, int64_t t0, int64_t t1) const
{
    std::vector<LockInterval> out;
    for (uint32_t lock : lockIds())
        for (const LockInterval &li : lockIntervals(lock, t0, t1))
            if (li.thread == thread)
                out.push_back(li);
    std::sort(out.begin(), out.end(), [](const LockInterval &x, const LockInterval &y) {
        return x.start != y.start ? x.start < y.start : x.kind != y.kind ? x.kind < y.kind : x.thread < y.thread;
    });
    return out;
}

uint64_t TraceModel::lockOrderVersion() const
{
    return m_d->lockOrderVersion;
}

std::vector<uint32_t> TraceModel::holdersAt(uint32_t lock, int64_t t) const
{
    std::vector<uint32_t> out;
    auto it = m_d->locks.find(lock);
    if (it == m_d->locks.end())
        return out;
    const Impl::LockData &ld = it->second;
    const auto &events = m_data.events;
    auto holds = [&](const Acquisition &a) {
        if (a.obtain == kNoEvent)
            return false;
        const Event &o = events[a.obtain];
        return o.type == EventType::LockObtain && o.time <= t && (a.release == kNoEvent || events[a.release].time > t);
    };
    const auto &c = ld.closed;
    auto last = std::upper_bound(c.begin(), c.end(), t,
                                 [&](int64_t time, const Acquisition &x) { return time < events[x.obtain].time; });
    const int64_t from = t - ld.maxHold;
    for (auto a = last; a != c.begin();) {
        --a;
        if (events[a->obtain].time < from)
            break;
        if (holds(*a))
            out.push_back(events[a->obtain].thread);
    }
    for (const Acquisition &a : ld.open)
        if (holds(a))
            out.push_back(events[a.obtain].thread);
    return out;
}

std::vector<uint32_t> TraceModel::waitersAt(uint32_t object, int64_t t) const
{
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < m_threads.size(); ++i) {
        const StateSpan s = stateAt(i, t);
        if (s.state == ThreadState::Blocked && s.object == object && s.reason != BlockReason::Join &&
            s.reason != BlockReason::Io)
            out.push_back(i);
    }
    return out;
}

// Flows, tasks, counters ------------------------------------------------------------------------

std::vector<Flow> TraceModel::flows(int64_t t0, int64_t t1) const
{
    std::vector<Flow> out;
    const auto &events = m_data.events;
    for (const auto &[from, to] : m_flows) {
        const Event &a = events[from];
        const Event &b = events[to];
        if (std::max(a.time, b.time) < t0 || std::min(a.time, b.time) >= t1)
            continue;
        Flow f;
        switch (a.type) {
        case EventType::QueuePut:
            f.kind = FlowKind::Queue;
            break;
        case EventType::PipeSend:
            f.kind = FlowKind::Pipe;
            break;
        case EventType::TaskSubmit:
            f.kind = FlowKind::Task;
            break;
        case EventType::ForkReturn:
        case EventType::ForkCall:
            f.kind = FlowKind::Fork;
            break;
        default:
            f.kind = FlowKind::Generic;
            break;
        }
        f.fromThread = a.thread;
        f.fromTime = a.time;
        f.toThread = b.thread;
        f.toTime = b.time;
        f.id = a.type == EventType::ForkCall ? m_threads[b.thread].pid : a.arg;
        f.object = f.kind == FlowKind::Fork ? uint32_t(f.id) : a.object;
        // A trace from before ForkCall starts the arrow at fork()'s return, which the child may
        // precede; the child cannot precede the call, so the arrow starts no later than the child.
        if (f.kind == FlowKind::Fork)
            f.fromTime = std::min(f.fromTime, f.toTime);
        f.fromEvent = from;
        f.toEvent = to;
        out.push_back(f);
    }
    return out;
}

} // namespace interleave::core
