// SPDX-License-Identifier: MIT
#include "ui/graph/graphdata.h"

#include "scenarios/traceprogram.h"
#include "ui/graph/graphdataimpl.h"

#include "analysis/lockorder.h"
#include "analysis/waitforgraph.h"

#include <algorithm>

namespace interleave::ui {

using core::BlockReason;
using core::kNoEvent;
using core::kTimeMax;
using core::kTimeMin;
using core::ProcessInfo;
using core::TraceModel;
using graphdetail::GraphAssembler;

// GraphBuilder ----------------------------------------------------------------------------------

namespace {

/// The node a blocked thread's wait points at, or 0 when the graph has none for it.
uint64_t waitTarget(const TraceModel &model, const core::WaitForEdge &w)
{
    uint64_t target = 0;
    switch (w.reason) {
    case BlockReason::Lock:
    case BlockReason::Semaphore:
    case BlockReason::CondVar:
    case BlockReason::Queue:
    case BlockReason::Pipe:
        target = GraphNode::objectKey(w.resource);
        break;
    case BlockReason::Join:
        if (w.onProcess) {
            target = GraphNode::processKey(int32_t(w.resource));
        } else {
            const uint32_t th = model.threadByTid(int32_t(w.resource), model.thread(w.thread).pid);
            if (th != kNoEvent)
                target = GraphNode::threadKey(th);
        }
        break;
    case BlockReason::Io:
    case BlockReason::Held:
    case BlockReason::None:
        break; // nothing in the graph to point at
    }
    return target;
}

/// A "waits for" edge from every blocked thread of `wfg`; returns thread -> index of its edge.
std::map<uint32_t, size_t> addWaits(GraphAssembler &a, Graph &g, const TraceModel &model, const core::WaitForGraph &wfg)
{
    std::map<uint32_t, size_t> waitEdge; // thread -> index of its "waits for" edge
    for (const core::WaitForEdge &w : wfg.waits()) {
        const uint64_t target = waitTarget(model, w);
        if (target == 0)
            continue;
        const uint64_t from = GraphNode::threadKey(w.thread);
        a.ensureSlot(from, 0);
        a.ensureSlot(target, (target >> 32) == 1 ? 0 : 1);
        GraphEdge &e = a.edge(from, target, EdgeKind::WaitsFor);
        e.timed = w.timed;
        waitEdge[w.thread] = size_t(&e - g.edges.data());
    }
    return waitEdge;
}

void addHolders(GraphAssembler &a, const Graph &g, const TraceModel &model, int64_t t)
{
    // Holders of every lock shown (a copy of the keys: adding holders grows the node list).
    std::vector<uint32_t> locks;
    for (const GraphNode &n : g.nodes)
        if (n.kind == NodeKind::Lock)
            locks.push_back(n.object);
    for (uint32_t lock : locks) {
        for (uint32_t holder : model.holdersAt(lock, t)) {
            const core::ThreadRecord &r = model.thread(holder);
            if (r.exited && r.end <= t)
                continue; // killed while holding it: a dead thread holds nothing
            a.ensureSlot(GraphNode::threadKey(holder), 0);
            a.edge(GraphNode::objectKey(lock), GraphNode::threadKey(holder), EdgeKind::Holds);
        }
    }
}

void addDeadlockCycle(GraphAssembler &a, Graph &g, const core::WaitForGraph &wfg,
                      const std::map<uint32_t, size_t> &waitEdge)
{
    // The cycle: thread, the lock it waits for, the thread holding it, ... (a join points straight
    // at the joined thread or process).
    for (const core::DeadlockStep &s : wfg.deadlockCycle()) {
        const uint64_t thread = GraphNode::threadKey(s.thread);
        g.cycle.push_back(thread);
        auto it = waitEdge.find(s.thread);
        if (it != waitEdge.end())
            g.edges[it->second].inCycle = true;
        if (s.reason == BlockReason::Lock) {
            const uint64_t lock = GraphNode::objectKey(s.waitsFor);
            g.cycle.push_back(lock);
            a.edge(lock, GraphNode::threadKey(s.heldBy), EdgeKind::Holds).inCycle = true;
        } else if (it != waitEdge.end() && (g.nodes[g.edges[it->second].to].key >> 32) == 3) {
            g.cycle.push_back(g.nodes[g.edges[it->second].to].key);
        }
    }
    for (uint64_t key : g.cycle)
        g.nodes[size_t(g.indexOf(key))].inCycle = true;
}

// The lock-order cycles seen by t as MayDeadlock edges between their lock nodes (added even when
// nobody holds them), unless the cycle is the real deadlock's, drawn already.
void addPotentialCycles(GraphAssembler &a, Graph &g, const std::vector<OrderCycle> &cycles, int64_t t)
{
    std::set<uint64_t> deadlocked(g.cycle.begin(), g.cycle.end());
    for (const OrderCycle &c : cycles) {
        if (c.seen > t)
            continue;
        const bool same = std::all_of(c.locks.begin(), c.locks.end(),
                                      [&](uint32_t lock) { return deadlocked.count(GraphNode::objectKey(lock)) != 0; });
        if (same && !deadlocked.empty())
            continue;
        for (size_t i = 0; i < c.locks.size(); ++i) {
            const uint64_t from = GraphNode::objectKey(c.locks[i]);
            const uint64_t to = GraphNode::objectKey(c.locks[(i + 1) % c.locks.size()]);
            a.ensureSlot(from, 1);
            a.ensureSlot(to, 1);
            a.edge(from, to, EdgeKind::MayDeadlock);
        }
    }
}

} // namespace

void GraphBuilder::reset()
{
    *this = GraphBuilder();
}

void GraphBuilder::sync(const TraceModel &model)
{
    if (model.ingestedEvents() < m_facts.scanned())
        reset(); // the model was cleared for a new run
    m_facts.sync(model);
    // Only a new lock-order pair can change the potential deadlocks: a run taking one lock a
    // million times rebuilds them never, not on every refresh.
    if (m_facts.hasLocks() && model.lockOrderVersion() != m_lockOrderVersion) {
        m_lockOrderVersion = model.lockOrderVersion();
        m_orderCycles.clear();
        for (const core::LockOrderCycle &c : core::potentialDeadlocks(model)) {
            OrderCycle o{c.locks, kTimeMin};
            for (const core::LockOrderEdge &e : c.edges)
                o.seen = std::max(o.seen, e.time);
            m_orderCycles.push_back(std::move(o));
        }
    }
}

std::vector<const ProcessInfo *> GraphBuilder::treeProcesses(const TraceModel &model)
{
    std::set<int32_t> traced;
    for (const ProcessInfo &p : model.processes())
        if (p.traced())
            traced.insert(p.pid);
    std::vector<const ProcessInfo *> out;
    for (const ProcessInfo &p : model.processes())
        if (p.traced() || traced.count(p.ppid))
            out.push_back(&p);
    return out;
}

GraphMode GraphBuilder::automaticMode(const TraceModel &model) const
{
    if (!m_facts.netQueues().empty())
        return GraphMode::Topology;
    const size_t processes = treeProcesses(model).size();
    if (processes >= 2)
        return GraphMode::Processes;
    if (m_facts.hasLocks() || !m_facts.threadFirst().empty())
        return GraphMode::Locks;
    return processes > 0 ? GraphMode::Processes : GraphMode::Locks;
}

Graph GraphBuilder::build(const TraceModel &model, GraphMode mode, int64_t t) const
{
    Graph g;
    switch (mode == GraphMode::Auto ? automaticMode(model) : mode) {
    case GraphMode::Processes:
        g = buildProcesses(model, t);
        break;
    case GraphMode::Topology:
        g = buildTopology(model, t);
        break;
    case GraphMode::Auto:
    case GraphMode::Locks:
        g = buildLocks(model, t);
        break;
    }
    g.cap();
    return g;
}

int64_t GraphBuilder::lockGraphTime(const TraceModel &model, int64_t t) const
{
    const int64_t mark = m_facts.lastDeadlockAt(t);
    if (mark == kTimeMin)
        return t;
    const std::vector<core::DeadlockStep> cycle = core::WaitForGraph::at(model, mark).deadlockCycle();
    int64_t killed = kTimeMax;
    for (const core::DeadlockStep &step : cycle) {
        const core::ThreadRecord &r = model.thread(step.thread);
        if (!r.exited)
            return t;
        killed = std::min(killed, r.end);
    }
    if (cycle.empty() || killed > t || killed <= mark ||
        core::WaitForGraph::at(model, killed - 1).deadlockCycle().empty())
        return t;
    return killed - 1;
}

Graph GraphBuilder::buildLocks(const TraceModel &model, int64_t playhead) const
{
    const int64_t t = lockGraphTime(model, playhead);
    Graph g;
    g.mode = GraphMode::Locks;
    g.time = t;
    // Every thread, object and joined process that ever took part has a slot from its first part
    // in it until it ends; threads on the left, what they hold or wait for on the right.
    for (const auto &[thread, first] : m_facts.threadFirst()) {
        if (thread >= model.threadCount())
            continue;
        const core::ThreadRecord &r = model.thread(thread);
        g.universe.push_back({GraphNode::threadKey(thread), 0, first, r.exited ? r.end : kTimeMax, 0});
    }
    const bool traced = core::tracesProgram(model.data());
    for (const auto &[object, first] : m_facts.objectFirst()) {
        // A semaphore only one thread ever took, uncontended, is left out: a traced Python
        // program has hundreds (CPython's own locks, one per module it imports). In a traced
        // program, so is such a mutex (its libraries' own: libcrypto's, logging's).
        const core::ObjectInfo *info = model.object(object);
        const bool gil = info && info->kind == core::ObjectKind::Gil;
        if ((traced || (info && info->kind == core::ObjectKind::Semaphore)) && !gil && !m_facts.sharedObject(object))
            continue;
        g.universe.push_back({GraphNode::objectKey(object), 1, first, kTimeMax, 0});
    }
    for (const auto &[pid, first] : m_facts.processJoined()) {
        const ProcessInfo *p = model.process(pid);
        g.universe.push_back({GraphNode::processKey(pid), 1, first, p && p->exited ? p->end : kTimeMax, 0});
    }
    GraphAssembler a(g, model);
    a.presentSlots();

    const core::WaitForGraph wfg = core::WaitForGraph::at(model, t);
    const std::map<uint32_t, size_t> waitEdge = addWaits(a, g, model, wfg);
    addHolders(a, g, model, t);
    addDeadlockCycle(a, g, wfg, waitEdge);
    addPotentialCycles(a, g, m_orderCycles, t);
    return g;
}

} // namespace interleave::ui
