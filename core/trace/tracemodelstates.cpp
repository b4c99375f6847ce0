// SPDX-License-Identifier: MIT
// TraceModel thread states: the state spans of a thread over time, its events, pauses.
#include "trace/tracemodelimpl.h"

#include <algorithm>

namespace interleave::core {

using namespace detail;

/// The tiled states of one thread over [t0, t1), handed to `fn` in time order (see forEachState).
struct TraceModel::Impl::StateTiler
{
    const TraceModel &model;
    const ThreadRecord &tr;
    const ThreadData &td;
    const std::vector<Event> &events;
    int64_t t0;
    int64_t t1;
    const std::function<void(const StateSpan &)> &fn;

    void put(StateSpan s) const
    {
        if (s.start < s.end && s.start < t1 && s.end > t0)
            fn(s);
    }

    // Ready window of readySamples[r]: [ts - delay, ts), clamped after the previous window and the start.
    std::pair<int64_t, int64_t> window(size_t r) const
    {
        const auto &rs = td.readySamples;
        const Event &smp = events[rs[r]];
        int64_t w0 = smp.time - int64_t(SampleArg::runDelay(smp.arg));
        if (r > 0)
            w0 = std::max(w0, events[rs[r - 1]].time);
        return std::pair<int64_t, int64_t>{std::max(w0, tr.start), smp.time};
    }

    // Kernel-wait window of kernelWaits[q]: from that sample until the thread is next seen otherwise,
    // by its next sample (less that sample's run-queue delay: it was Ready then) or its next own event.
    std::pair<int64_t, int64_t> kernelWindow(size_t q) const
    {
        const Event &smp = events[td.kernelWaits[q]];
        int64_t w1 = kTimeMax;
        const auto byTime = [&](int64_t time, uint32_t x) { return time < events[x].time; };
        auto next = std::upper_bound(td.samples.begin(), td.samples.end(), smp.time, byTime);
        if (next != td.samples.end())
            w1 = events[*next].time - int64_t(SampleArg::runDelay(events[*next].arg));
        auto own = std::upper_bound(td.events.begin(), td.events.end(), smp.time, byTime);
        if (own != td.events.end())
            w1 = std::min(w1, events[*own].time);
        return std::pair<int64_t, int64_t>{smp.time, std::max(w1, smp.time)};
    }

    /// What `base` turns into where the sampler saw the thread waiting in the kernel at
    /// kernelWaits[q] (S: Sleeping, D: Blocked), or held by a pause.
    StateSpan kernelWait(const StateSpan &base, size_t q, int64_t w0) const
    {
        StateSpan wait = base;
        const char letter = SampleArg::state(events[td.kernelWaits[q]].arg);
        const bool held = model.pausedBefore(w0 + 1) > model.pausedBefore(w0); // sampled inside a pause
        wait.state = letter == 'D' && !held ? ThreadState::Blocked : ThreadState::Sleeping;
        wait.reason = letter == 'D' ? BlockReason::Io : BlockReason::None;
        if (held) {
            wait.state = ThreadState::Blocked;
            wait.reason = BlockReason::Held;
        }
        wait.event = kNoEvent; // measured, not recorded: no event began it
        return wait;
    }

    // Splits a Running base interval by what the sampler measured: Ready windows, and windows where
    // the kernel had the thread waiting in a call that is not instrumented (S: Sleeping, D: Blocked).
    void running(const StateSpan &base) const
    {
        const auto &rs = td.readySamples;
        const auto &ks = td.kernelWaits;
        const int64_t from = std::max(base.start, t0);
        int64_t cur = base.start;
        const auto byTime = [&](int64_t time, uint32_t x) { return time < events[x].time; };
        size_t r = size_t(std::upper_bound(rs.begin(), rs.end(), from, byTime) - rs.begin());
        if (r > 0) {
            // A window ending inside this interval before t0 bounds the Running piece that follows it.
            const auto [w0, w1] = window(r - 1);
            if (w0 < w1 && w1 > base.start)
                cur = std::max(cur, w1);
        }
        size_t q = size_t(std::upper_bound(ks.begin(), ks.end(), from, byTime) - ks.begin());
        if (q > 0) {
            const auto [w0, w1] = kernelWindow(q - 1);
            if (w0 >= base.start && w1 > from)
                --q; // still open at t0
            else if (w0 >= base.start && w0 < w1)
                cur = std::max(cur, w1);
        }
        constexpr std::pair<int64_t, int64_t> none{kTimeMax, kTimeMax};
        while (cur < t1) {
            const auto ready = r < rs.size() ? window(r) : none;
            const auto kernel = q < ks.size() ? kernelWindow(q) : none;
            if (kernel.first < base.start) {
                ++q; // seen waiting before this interval began (an instrumented wait then)
                continue;
            }
            const bool isReady = ready.first <= kernel.first;
            const auto [w0, w1] = isReady ? ready : kernel;
            if (w0 >= base.end)
                break;
            StateSpan wait = base;
            if (isReady) {
                ++r;
                wait.state = ThreadState::Ready;
            } else {
                wait = kernelWait(base, q, w0);
                ++q;
            }
            const int64_t a = std::max(w0, cur);
            const int64_t b = std::min(w1, base.end);
            if (a >= b)
                continue;
            StateSpan run = base;
            run.start = cur;
            run.end = a;
            put(run);
            wait.start = a;
            wait.end = b;
            put(wait);
            cur = b;
        }
        StateSpan rest = base;
        rest.start = cur;
        put(rest);
    }

    // Base interval k: k == 0 is the implicit Running from the thread's start; k >= 1 begins at changes[k - 1].
    StateSpan baseInterval(size_t k) const
    {
        StateSpan s;
        if (k == 0) {
            s.start = tr.start;
            s.state = ThreadState::Running;
        } else {
            const Event &e = events[td.changes[k - 1]];
            const BaseState bs = baseStateOf(e.type);
            s.start = e.time;
            s.state = bs.state;
            s.reason = bs.reason;
            s.event = td.changes[k - 1];
            if (bs.state == ThreadState::Blocked) {
                s.object = e.object;
                s.flags = e.flags & (Timed | OnProcess);
            }
        }
        return s;
    }
};

void TraceModel::forEachState(uint32_t thread, int64_t t0, int64_t t1,
                              const std::function<void(const StateSpan &)> &fn) const
{
    if (thread >= m_threads.size() || t0 >= t1)
        return;
    const ThreadRecord &tr = m_threads[thread];
    const Impl::ThreadData &td = m_d->threads[thread];
    const std::vector<Event> &events = m_data.events;
    if (tr.start == kTimeMax || tr.recorder)
        return;
    const int64_t lifeEnd = tr.exited ? tr.end : std::max(endTime(), tr.start);
    const auto &ch = td.changes;
    const Impl::StateTiler tiler{*this, tr, td, events, t0, t1, fn};

    size_t k = size_t(
        std::upper_bound(ch.begin(), ch.end(), t0, [&](int64_t time, uint32_t x) { return time < events[x].time; }) -
        ch.begin());
    for (; k <= ch.size(); ++k) {
        StateSpan s = tiler.baseInterval(k);
        s.start = std::max(s.start, tr.start);
        s.end = k < ch.size() ? events[ch[k]].time : lifeEnd;
        s.end = std::min(s.end, lifeEnd);
        if (k == ch.size() && !tr.exited && s.end <= s.start)
            s.end = s.start + 1; // the state a live thread entered at the last instant of the trace still shows
        else if (s.start >= lifeEnd)
            break;
        if (s.start >= t1)
            break;
        if (s.state == ThreadState::Running)
            tiler.running(s);
        else
            tiler.put(s);
    }
    if (tr.exited) {
        StateSpan x;
        x.state = ThreadState::Exited;
        x.start = tr.end;
        x.end = std::max(endTime(), tr.end);
        if (x.end == x.start)
            ++x.end; // an exit at the very end of the trace still shows
        if (x.start < t1 && x.end > t0)
            fn(x);
    }
}

std::vector<StateSpan> TraceModel::states(uint32_t thread, int64_t t0, int64_t t1) const
{
    std::vector<StateSpan> out;
    forEachState(thread, t0, t1, [&](const StateSpan &s) { out.push_back(s); });
    return out;
}

StateSpan TraceModel::stateAt(uint32_t thread, int64_t t) const
{
    StateSpan result;
    if (thread >= m_threads.size())
        return result;
    const ThreadRecord &tr = m_threads[thread];
    if (tr.start == kTimeMax || t < tr.start) {
        result.start = std::min(startTime(), tr.start);
        result.end = tr.start;
        return result;
    }
    bool found = false;
    forEachState(thread, t, t + 1, [&](const StateSpan &s) {
        if (!found && s.start <= t && t < s.end) {
            result = s;
            found = true;
        }
    });
    if (!found) {
        // Past the last event of a live thread: its last state goes on.
        const int64_t last = std::max(tr.start, endTime());
        forEachState(thread, last - 1, kTimeMax, [&](const StateSpan &s) { result = s; });
        if (result.state == ThreadState::None) {
            result.state = ThreadState::Running;
            result.start = tr.start;
        }
        result.end = t + 1;
    }
    return result;
}

std::vector<StateSpan> TraceModel::statesAt(int64_t t) const
{
    std::vector<StateSpan> out;
    out.reserve(m_threads.size());
    for (uint32_t i = 0; i < m_threads.size(); ++i)
        out.push_back(stateAt(i, t));
    return out;
}

const std::vector<uint32_t> &TraceModel::threadEvents(uint32_t thread) const
{
    return m_d->threads[thread].events;
}

uint32_t TraceModel::lastEventAt(uint32_t thread, int64_t t) const
{
    const auto &v = m_d->threads[thread].events;
    const auto &events = m_data.events;
    auto it = std::upper_bound(v.begin(), v.end(), t, [&](int64_t time, uint32_t x) { return time < events[x].time; });
    return it == v.begin() ? kNoEvent : *(it - 1);
}

std::vector<std::pair<int64_t, int64_t>> TraceModel::pauses() const
{
    std::vector<std::pair<int64_t, int64_t>> out;
    for (uint32_t i : m_d->pauses) {
        const Event &e = m_data.events[i];
        if (e.type == EventType::Paused) {
            if (out.empty() || out.back().second != kTimeMax)
                out.emplace_back(e.time, kTimeMax);
        } else if (!out.empty() && out.back().second == kTimeMax) {
            out.back().second = e.time;
        }
    }
    return out;
}

int64_t TraceModel::pausedBefore(int64_t t) const
{
    int64_t total = 0;
    for (const auto &[p0, p1] : pauses()) {
        if (p0 >= t)
            break;
        total += std::min(p1, t) - p0;
    }
    return total;
}

// Locks -------------------------------------------------------------------------------------

} // namespace interleave::core
