// SPDX-License-Identifier: MIT
#include "analysis/lockorder.h"

#include "analysis/callsites.h"

#include <QJsonArray>
#include <algorithm>
#include <cstdlib>
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
    uint32_t event; // the wait or obtain: orders holds taken at the same instant as recorded
};

using Holds = std::vector<std::vector<Hold>>;

// One acquisition of `lock` as a hold of its thread. A wait that never obtained (still waiting when
// the trace ended, as in a real deadlock, or given up by a timeout) shows the order in which the
// thread asked for the locks all the same: a hold of no length. Timed waits count as much as plain
// ones (both orders with timeouts is still an inversion); only a try_lock that did not wait does not.
void collect(const TraceModel &model, uint32_t lock, const Acquisition &a, Holds &perThread)
{
    const auto &events = model.data().events;
    const bool obtained = a.obtain != kNoEvent && events[a.obtain].type == EventType::LockObtain;
    if (!obtained) {
        if (a.wait == kNoEvent || events[a.wait].type != EventType::LockWait)
            return;
        const Event &w = events[a.wait];
        if (w.thread < perThread.size())
            perThread[w.thread].push_back({w.time, w.time, lock, w.loc, true, a.wait});
        return;
    }
    const Event &o = events[a.obtain];
    const bool blocking = a.wait != kNoEvent || !(o.flags & TryLock);
    const int64_t release = a.release != kNoEvent ? events[a.release].time : kTimeMax;
    if (o.thread < perThread.size())
        perThread[o.thread].push_back({o.time, release, lock, o.loc, blocking, a.obtain});
}

// Adds an edge held -> h for every lock the thread held when it took h.
void addEdges(uint32_t th, std::vector<Hold> &holds, std::vector<LockOrderEdge> &edges,
              std::map<std::pair<uint32_t, uint32_t>, size_t> &index)
{
    std::sort(holds.begin(), holds.end(), [](const Hold &a, const Hold &b) {
        return a.obtain != b.obtain ? a.obtain < b.obtain : a.event < b.event;
    });
    std::vector<const Hold *> active;
    for (const Hold &h : holds) {
        std::erase_if(active, [&](const Hold *x) { return x->release <= h.obtain; });
        for (const Hold *held : active) {
            if (held->lock == h.lock)
                continue;
            auto [it, fresh] = index.try_emplace({held->lock, h.lock}, edges.size());
            if (fresh) {
                LockOrderEdge e;
                e.from = held->lock;
                e.to = h.lock;
                e.thread = th;
                e.time = h.obtain;
                e.loc = h.loc;
                edges.push_back(e);
            }
            LockOrderEdge &e = edges[it->second];
            ++e.count;
            e.blocking = e.blocking || h.blocking;
            if (e.threads.size() < 8 && std::find(e.threads.begin(), e.threads.end(), th) == e.threads.end())
                e.threads.push_back(th);
        }
        active.push_back(&h);
    }
}

// The shortest blocking path from edges[first].to back to edges[first].from, as a cycle starting
// at its lowest lock; empty when there is none or only one thread witnessed it.
LockOrderCycle closeCycle(const std::vector<LockOrderEdge> &edges, size_t first,
                          const std::map<uint32_t, std::vector<size_t>> &out)
{
    const LockOrderEdge &fe = edges[first];
    std::map<uint32_t, size_t> via; // lock -> edge that reached it
    std::deque<uint32_t> queue{fe.to};
    via[fe.to] = first;
    bool closed = fe.to == fe.from;
    while (!queue.empty() && !closed) {
        const uint32_t u = queue.front();
        queue.pop_front();
        const auto from = out.find(u);
        if (from == out.end())
            continue;
        for (size_t ei : from->second) {
            const uint32_t v = edges[ei].to;
            if (via.count(v))
                continue;
            via[v] = ei;
            closed = v == fe.from;
            if (closed)
                break;
            queue.push_back(v);
        }
    }
    LockOrderCycle c;
    if (!closed)
        return c;
    for (uint32_t at = fe.from;;) {
        const size_t ei = via[at];
        c.edges.push_back(edges[ei]);
        at = edges[ei].from;
        if (ei == first)
            break;
    }
    std::reverse(c.edges.begin(), c.edges.end());
    std::set<uint32_t> witnesses;
    for (const LockOrderEdge &e : c.edges)
        witnesses.insert(e.threads.begin(), e.threads.end());
    if (witnesses.size() < 2) {
        c.edges.clear(); // one thread cannot deadlock with itself through lock order
        return c;
    }
    auto lowest = std::min_element(c.edges.begin(), c.edges.end(),
                                   [](const LockOrderEdge &a, const LockOrderEdge &b) { return a.from < b.from; });
    std::rotate(c.edges.begin(), lowest, c.edges.end());
    for (const LockOrderEdge &e : c.edges)
        c.locks.push_back(e.from);
    return c;
}

} // namespace

LockOrderGraph LockOrderGraph::build(const TraceModel &model)
{
    Holds perThread(model.threadCount());
    for (uint32_t lock : model.lockIds()) {
        for (const Acquisition &a : model.acquisitions(lock))
            collect(model, lock, a, perThread);
        for (const Acquisition &a : model.openAcquisitions(lock))
            collect(model, lock, a, perThread);
    }
    LockOrderGraph g;
    std::map<std::pair<uint32_t, uint32_t>, size_t> index;
    for (uint32_t th = 0; th < perThread.size(); ++th)
        addEdges(th, perThread[th], g.m_edges, index);

    // Cycles: for each blocking edge u->v, the shortest blocking path v ->* u closes one.
    std::map<uint32_t, std::vector<size_t>> out;
    for (size_t i = 0; i < g.m_edges.size(); ++i)
        if (g.m_edges[i].blocking)
            out[g.m_edges[i].from].push_back(i);
    std::set<std::vector<uint32_t>> seen;
    for (size_t first = 0; first < g.m_edges.size() && g.m_cycles.size() < 16; ++first) {
        if (!g.m_edges[first].blocking)
            continue;
        LockOrderCycle c = closeCycle(g.m_edges, first, out);
        if (!c.locks.empty() && seen.insert(c.locks).second)
            g.m_cycles.push_back(std::move(c));
    }
    std::stable_sort(g.m_cycles.begin(), g.m_cycles.end(),
                     [](const LockOrderCycle &a, const LockOrderCycle &b) { return a.locks.size() < b.locks.size(); });
    return g;
}

std::vector<LockOrderCycle> potentialDeadlocks(const TraceModel &model)
{
    return LockOrderGraph::build(model).potentialDeadlocks();
}

QJsonArray potentialDeadlocksToJson(const TraceModel &model, const std::vector<LockOrderCycle> &cycles,
                                    const PythonLineOf &pythonLine)
{
    QJsonArray list;
    for (const LockOrderCycle &c : cycles) {
        QJsonArray locks;
        for (uint32_t lock : c.locks)
            locks.append(QString::fromStdString(model.objectName(lock)));
        std::vector<uint32_t> witnesses;
        QJsonArray sites;
        for (const LockOrderEdge &e : c.edges) {
            for (uint32_t th : e.threads)
                if (std::find(witnesses.begin(), witnesses.end(), th) == witnesses.end())
                    witnesses.push_back(th);
            std::string file;
            int line = 0;
            if (auto where = SourceLocation::parse(model.data().string(e.loc))) {
                file = std::move(where->file);
                line = where->line;
            }
            const int python = line > 0 && pythonLine ? pythonLine(file, line) : 0;
            sites.append(QJsonObject{{QStringLiteral("file"), QString::fromStdString(file)},
                                     {QStringLiteral("line"), line},
                                     {QStringLiteral("python_line"), python}});
        }
        QJsonArray threads;
        for (uint32_t th : witnesses)
            threads.append(QString::fromStdString(model.threadName(th)));
        list.append(QJsonObject{
            {QStringLiteral("locks"), locks}, {QStringLiteral("threads"), threads}, {QStringLiteral("sites"), sites}});
    }
    return list;
}

} // namespace interleave::core
