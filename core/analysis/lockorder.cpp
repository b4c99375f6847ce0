// SPDX-License-Identifier: MIT
#include "analysis/lockorder.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace interleave::core {

namespace {

struct Hold
{
    int64_t obtain;
    int64_t release; // kTimeMax while held
    uint32_t lock;
    uint32_t loc;
    bool blocking;
};

} // namespace

LockOrderGraph LockOrderGraph::build(const TraceModel &model)
{
    const auto &events = model.data().events;
    std::vector<std::vector<Hold>> perThread(model.threadCount());
    auto collect = [&](uint32_t lock, const Acquisition &a) {
        if (a.obtain == kNoEvent) {
            // A wait that never obtained (still waiting when the trace ended, as in a real
            // deadlock) shows the order in which the thread asked for the locks all the same.
            if (a.wait == kNoEvent || events[a.wait].type != EventType::LockWait)
                return;
            const Event &w = events[a.wait];
            if (w.thread < perThread.size())
                perThread[w.thread].push_back({w.time, w.time, lock, w.loc, !(w.flags & Timed)});
            return;
        }
        if (events[a.obtain].type != EventType::LockObtain)
            return;
        const Event &o = events[a.obtain];
        bool blocking = !(o.flags & (TryLock | Timed));
        if (a.wait != kNoEvent && (events[a.wait].flags & Timed))
            blocking = false;
        const int64_t release = a.release != kNoEvent ? events[a.release].time : kTimeMax;
        if (o.thread < perThread.size())
            perThread[o.thread].push_back({o.time, release, lock, o.loc, blocking});
    };
    for (uint32_t lock : model.lockIds()) {
        for (const Acquisition &a : model.acquisitions(lock))
            collect(lock, a);
        for (const Acquisition &a : model.openAcquisitions(lock))
            collect(lock, a);
    }

    std::map<std::pair<uint32_t, uint32_t>, size_t> index;
    LockOrderGraph g;
    for (uint32_t th = 0; th < perThread.size(); ++th) {
        auto &holds = perThread[th];
        std::sort(holds.begin(), holds.end(), [](const Hold &a, const Hold &b) { return a.obtain < b.obtain; });
        std::vector<const Hold *> active;
        for (const Hold &h : holds) {
            std::erase_if(active, [&](const Hold *x) { return x->release <= h.obtain; });
            for (const Hold *held : active) {
                if (held->lock == h.lock)
                    continue;
                auto [it, fresh] = index.try_emplace({held->lock, h.lock}, g.m_edges.size());
                if (fresh) {
                    LockOrderEdge e;
                    e.from = held->lock;
                    e.to = h.lock;
                    e.thread = th;
                    e.time = h.obtain;
                    e.loc = h.loc;
                    g.m_edges.push_back(e);
                }
                LockOrderEdge &e = g.m_edges[it->second];
                ++e.count;
                e.blocking = e.blocking || h.blocking;
                if (e.threads.size() < 8 && std::find(e.threads.begin(), e.threads.end(), th) == e.threads.end())
                    e.threads.push_back(th);
            }
            active.push_back(&h);
        }
    }

    // Cycles: for each blocking edge u->v, the shortest blocking path v ->* u closes one.
    std::map<uint32_t, std::vector<size_t>> out;
    for (size_t i = 0; i < g.m_edges.size(); ++i)
        if (g.m_edges[i].blocking)
            out[g.m_edges[i].from].push_back(i);
    std::set<std::vector<uint32_t>> seen;
    for (size_t first = 0; first < g.m_edges.size() && g.m_cycles.size() < 16; ++first) {
        const LockOrderEdge &fe = g.m_edges[first];
        if (!fe.blocking)
            continue;
        std::map<uint32_t, size_t> via; // lock -> edge that reached it
        std::deque<uint32_t> queue{fe.to};
        via[fe.to] = first;
        bool closed = fe.to == fe.from;
        while (!queue.empty() && !closed) {
            const uint32_t u = queue.front();
            queue.pop_front();
            for (size_t ei : out[u]) {
                const uint32_t v = g.m_edges[ei].to;
                if (via.count(v))
                    continue;
                via[v] = ei;
                if (v == fe.from) {
                    closed = true;
                    break;
                }
                queue.push_back(v);
            }
        }
        if (!closed)
            continue;
        LockOrderCycle c;
        for (uint32_t at = fe.from;;) {
            const size_t ei = via[at];
            c.edges.push_back(g.m_edges[ei]);
            at = g.m_edges[ei].from;
            if (ei == first)
                break;
        }
        std::reverse(c.edges.begin(), c.edges.end());
        std::set<uint32_t> witnesses;
        for (const LockOrderEdge &e : c.edges)
            witnesses.insert(e.threads.begin(), e.threads.end());
        if (witnesses.size() < 2)
            continue; // one thread cannot deadlock with itself through lock order
        auto lowest = std::min_element(c.edges.begin(), c.edges.end(),
                                       [](const LockOrderEdge &a, const LockOrderEdge &b) { return a.from < b.from; });
        std::rotate(c.edges.begin(), lowest, c.edges.end());
        for (const LockOrderEdge &e : c.edges)
            c.locks.push_back(e.from);
        if (seen.insert(c.locks).second)
            g.m_cycles.push_back(std::move(c));
    }
    std::stable_sort(g.m_cycles.begin(), g.m_cycles.end(),
                     [](const LockOrderCycle &a, const LockOrderCycle &b) { return a.locks.size() < b.locks.size(); });
    return g;
}

} // namespace interleave::core
