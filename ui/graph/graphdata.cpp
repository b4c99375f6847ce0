// SPDX-License-Identifier: MIT
#include "ui/graph/graphdata.h"

#include "analysis/lockorder.h"
#include "analysis/waitforgraph.h"

#include <algorithm>
#include <unordered_map>

namespace interleave::ui {

using core::BlockReason;
using core::EventType;
using core::kNoEvent;
using core::kTimeMax;
using core::kTimeMin;
using core::ObjectKind;
using core::ProcessInfo;
using core::ThreadState;
using core::TraceModel;

// GraphBuilder ----------------------------------------------------------------------------------

namespace {

template<typename Map, typename Key> void noteFirst(Map &map, const Key &key, int64_t time)
{
    auto [it, fresh] = map.try_emplace(key, time);
    if (!fresh)
        it->second = std::min(it->second, time);
}

/// Collects nodes and edges without duplicates while a graph is built.
class GraphAssembler
{
public:
    GraphAssembler(Graph &graph, const TraceModel &model)
        : m_graph(graph)
        , m_model(model)
    {}

    /// The node of `key`, added (with what the trace says about it at the graph's time) if new.
    uint32_t node(uint64_t key)
    {
        auto it = m_index.find(key);
        if (it != m_index.end())
            return it->second;
        GraphNode n;
        n.key = key;
        const uint32_t id = uint32_t(key);
        switch (key >> 32) {
        case 1: {
            n.kind = NodeKind::Thread;
            n.thread = id;
            if (id < m_model.threadCount()) {
                n.pid = m_model.thread(id).pid;
                n.name = m_model.threadName(id);
            }
            break;
        }
        case 2: {
            n.object = id;
            n.name = m_model.objectName(id);
            const core::ObjectInfo *info = m_model.object(id);
            if (!info) {
                n.kind = NodeKind::Lock; // only lock events name an object without announcing it
                break;
            }
            switch (info->kind) {
            case ObjectKind::Mutex:
            case ObjectKind::Semaphore:
                n.kind = NodeKind::Lock;
                break;
            case ObjectKind::Queue:
            case ObjectKind::ProcessQueue:
            case ObjectKind::NetQueue:
                n.kind = NodeKind::Queue;
                break;
            default:
                n.kind = NodeKind::Other;
                break;
            }
            break;
        }
        default: {
            n.kind = NodeKind::Process;
            n.pid = int32_t(id);
            if (const ProcessInfo *p = m_model.process(n.pid)) {
                n.name = p->name;
                n.ppid = p->ppid;
                n.exited = p->exited && p->end <= m_graph.time;
                n.signaled = p->signaled;
                n.exitStatus = p->exitStatus;
            }
            break;
        }
        }
        const uint32_t index = uint32_t(m_graph.nodes.size());
        m_graph.nodes.push_back(std::move(n));
        m_index.emplace(key, index);
        return index;
    }

    bool has(uint64_t key) const { return m_index.count(key) != 0; }

    /// The edge (added if new); Message edges count their duplicates.
    GraphEdge &edge(uint64_t from, uint64_t to, EdgeKind kind, int64_t id = 0)
    {
        const uint32_t a = node(from);
        const uint32_t b = node(to);
        for (GraphEdge &e : m_graph.edges) {
            if (e.from == a && e.to == b && e.kind == kind) {
                if (kind == EdgeKind::Message)
                    ++e.count;
                return e;
            }
        }
        GraphEdge e;
        e.from = a;
        e.to = b;
        e.kind = kind;
        e.id = id;
        m_graph.edges.push_back(e);
        return m_graph.edges.back();
    }

    /// A slot for a node shown outside of every slot it has (a wait seen before its first event).
    void ensureSlot(uint64_t key, int column)
    {
        for (const GraphSlot &s : m_graph.universe)
            if (s.key == key)
                return;
        m_graph.universe.push_back({key, column, m_graph.time, m_graph.time + 1, 0});
    }

    /// Adds the node of every slot present at the graph's time.
    void presentSlots()
    {
        for (const GraphSlot &s : m_graph.universe)
            if (s.appear <= m_graph.time && m_graph.time < s.vanish)
                node(s.key);
    }

private:
    Graph &m_graph;
    const TraceModel &m_model;
    std::unordered_map<uint64_t, uint32_t> m_index;
};

/// The task each process runs at t (pool workers, distributed workers): pid -> task id.
std::map<int32_t, int64_t> runningTasks(const TraceModel &model, int64_t t, uint32_t pool = 0)
{
    std::map<int32_t, int64_t> out;
    for (const core::TaskInfo &task : model.tasks()) {
        if ((pool != 0 && task.pool != pool) || task.worker == kNoEvent || task.worker >= model.threadCount())
            continue;
        if (task.started <= t && t < task.ended)
            out.emplace(model.thread(task.worker).pid, task.id);
    }
    return out;
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
    const size_t ingested = model.ingestedEvents();
    if (ingested < m_scanned)
        reset(); // the model was cleared for a new run
    const auto &events = model.data().events;
    const size_t end = std::min(ingested, events.size());
    for (size_t i = m_scanned; i < end; ++i) {
        const core::Event &e = events[i];
        const bool known = e.thread < model.threadCount();
        const int32_t pid = known ? model.thread(e.thread).pid : 0;
        switch (e.type) {
        case EventType::LockWait:
        case EventType::LockObtain:
        case EventType::LockTimeout:
        case EventType::SemWait:
        case EventType::SemAcquire:
            m_hasLocks = true;
            noteFirst(m_threadFirst, e.thread, e.time);
            noteFirst(m_objectFirst, e.object, e.time);
            break;
        case EventType::CondWait:
        case EventType::PipeRecvWait:
            noteFirst(m_threadFirst, e.thread, e.time);
            noteFirst(m_objectFirst, e.object, e.time);
            break;
        case EventType::QueueGetWait:
            noteFirst(m_threadFirst, e.thread, e.time);
            noteFirst(m_objectFirst, e.object, e.time);
            m_queueUsers.emplace(e.object, pid);
            break;
        case EventType::QueuePut:
        case EventType::QueueGet:
        case EventType::TaskSubmit:
        case EventType::TaskStart:
        case EventType::TaskEnd:
            m_queueUsers.emplace(e.object, pid);
            break;
        case EventType::JoinWait:
            noteFirst(m_threadFirst, e.thread, e.time);
            if (e.flags & core::OnProcess) {
                noteFirst(m_processJoined, int32_t(e.object), e.time);
            } else {
                const uint32_t target = model.threadByTid(int32_t(e.object), pid);
                if (target != kNoEvent)
                    noteFirst(m_threadFirst, target, e.time);
            }
            break;
        case EventType::ForkReturn:
            if (e.arg > 0)
                noteFirst(m_forked, int32_t(e.arg), e.time);
            break;
        case EventType::ObjectNew:
            if (e.flags == uint8_t(ObjectKind::NetQueue))
                m_netQueues.try_emplace(e.object, e.thread, e.time);
            break;
        default:
            break;
        }
    }
    // Only a new lock-order pair can change the potential deadlocks: a run taking one lock a
    // million times rebuilds them never, not on every refresh.
    if (m_hasLocks && model.lockOrderVersion() != m_lockOrderVersion) {
        m_lockOrderVersion = model.lockOrderVersion();
        m_orderCycles.clear();
        for (const core::LockOrderCycle &c : core::potentialDeadlocks(model)) {
            OrderCycle o{c.locks, kTimeMin};
            for (const core::LockOrderEdge &e : c.edges)
                o.seen = std::max(o.seen, e.time);
            m_orderCycles.push_back(std::move(o));
        }
    }
    m_scanned = std::max(m_scanned, end);
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
    if (!m_netQueues.empty())
        return GraphMode::Topology;
    const size_t processes = treeProcesses(model).size();
    if (processes >= 2)
        return GraphMode::Processes;
    if (m_hasLocks || !m_threadFirst.empty())
        return GraphMode::Locks;
    return processes > 0 ? GraphMode::Processes : GraphMode::Locks;
}

Graph GraphBuilder::build(const TraceModel &model, GraphMode mode, int64_t t) const
{
    switch (mode == GraphMode::Auto ? automaticMode(model) : mode) {
    case GraphMode::Processes:
        return buildProcesses(model, t);
    case GraphMode::Topology:
        return buildTopology(model, t);
    case GraphMode::Auto:
    case GraphMode::Locks:
        break;
    }
    return buildLocks(model, t);
}

int64_t GraphBuilder::lockGraphTime(const TraceModel &model, int64_t t)
{
    const auto &events = model.data().events;
    const std::vector<uint32_t> &marks = model.marks();
    for (auto it = marks.rbegin(); it != marks.rend(); ++it) {
        const core::Event &mark = events[*it];
        if (mark.type != EventType::Deadlock || mark.time > t)
            continue;
        const std::vector<core::DeadlockStep> cycle = core::WaitForGraph::at(model, mark.time).deadlockCycle();
        int64_t killed = kTimeMax;
        for (const core::DeadlockStep &step : cycle) {
            const core::ThreadRecord &r = model.thread(step.thread);
            if (!r.exited)
                return t;
            killed = std::min(killed, r.end);
        }
        if (cycle.empty() || killed > t || killed <= mark.time ||
            core::WaitForGraph::at(model, killed - 1).deadlockCycle().empty())
            return t;
        return killed - 1;
    }
    return t;
}

Graph GraphBuilder::buildLocks(const TraceModel &model, int64_t playhead) const
{
    const int64_t t = lockGraphTime(model, playhead);
    Graph g;
    g.mode = GraphMode::Locks;
    g.time = t;
    // Every thread, object and joined process that ever took part has a slot from its first part
    // in it until it ends; threads on the left, what they hold or wait for on the right.
    for (const auto &[thread, first] : m_threadFirst) {
        if (thread >= model.threadCount())
            continue;
        const core::ThreadRecord &r = model.thread(thread);
        g.universe.push_back({GraphNode::threadKey(thread), 0, first, r.exited ? r.end : kTimeMax, 0});
    }
    for (const auto &[object, first] : m_objectFirst)
        g.universe.push_back({GraphNode::objectKey(object), 1, first, kTimeMax, 0});
    for (const auto &[pid, first] : m_processJoined) {
        const ProcessInfo *p = model.process(pid);
        g.universe.push_back({GraphNode::processKey(pid), 1, first, p && p->exited ? p->end : kTimeMax, 0});
    }
    GraphAssembler a(g, model);
    a.presentSlots();

    const core::WaitForGraph wfg = core::WaitForGraph::at(model, t);
    std::map<uint32_t, size_t> waitEdge; // thread -> index of its "waits for" edge
    for (const core::WaitForEdge &w : wfg.waits()) {
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
        if (target == 0)
            continue;
        const uint64_t from = GraphNode::threadKey(w.thread);
        a.ensureSlot(from, 0);
        a.ensureSlot(target, (target >> 32) == 1 ? 0 : 1);
        GraphEdge &e = a.edge(from, target, EdgeKind::WaitsFor);
        e.timed = w.timed;
        waitEdge[w.thread] = size_t(&e - g.edges.data());
    }
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
    addPotentialCycles(a, g, m_orderCycles, t);
    return g;
}

Graph GraphBuilder::buildProcesses(const TraceModel &model, int64_t t) const
{
    Graph g;
    g.mode = GraphMode::Processes;
    g.time = t;
    const std::vector<const ProcessInfo *> processes = treeProcesses(model);
    std::set<int32_t> inTree;
    for (const ProcessInfo *p : processes)
        inTree.insert(p->pid);
    // Exited processes stay (greyed), so a slot never ends: the tree keeps its shape.
    for (const ProcessInfo *p : processes) {
        // A child is there from the moment fork() returned in its parent, which can be well
        // before its own first event.
        int64_t appear = p->start;
        if (auto it = m_forked.find(p->pid); it != m_forked.end())
            appear = std::min(appear, it->second);
        if (appear == kTimeMax)
            appear = p->exited ? p->end : model.endTime();
        const uint64_t parent =
            inTree.count(p->ppid) && p->ppid != p->pid ? GraphNode::processKey(p->ppid) : uint64_t(0);
        g.universe.push_back({GraphNode::processKey(p->pid), 0, appear, kTimeMax, parent});
    }
    GraphAssembler a(g, model);
    a.presentSlots();
    for (const GraphSlot &s : g.universe)
        if (s.parent != 0 && a.has(s.key) && a.has(s.parent))
            a.edge(s.parent, s.key, EdgeKind::Child);

    for (const auto &[pid, task] : runningTasks(model, t)) {
        const int i = g.indexOf(GraphNode::processKey(pid));
        if (i >= 0 && !g.nodes[size_t(i)].exited)
            g.nodes[size_t(i)].task = task;
    }
    // A process whose thread is blocked in join on another process waits for it.
    const std::vector<core::StateSpan> states = model.statesAt(t);
    for (uint32_t th = 0; th < states.size(); ++th) {
        const core::StateSpan &s = states[th];
        if (s.state != ThreadState::Blocked || s.reason != BlockReason::Join || !(s.flags & core::OnProcess))
            continue;
        const uint64_t from = GraphNode::processKey(model.thread(th).pid);
        const uint64_t to = GraphNode::processKey(int32_t(s.object));
        if (a.has(from) && a.has(to))
            a.edge(from, to, EdgeKind::WaitsFor);
    }
    // Items on their way through a queue or pipe from one process to another.
    for (const core::Flow &f : model.flows(t, t + 1)) {
        if ((f.kind != core::FlowKind::Queue && f.kind != core::FlowKind::Pipe) || !(f.fromTime <= t && t < f.toTime))
            continue;
        const uint64_t from = GraphNode::processKey(model.thread(f.fromThread).pid);
        const uint64_t to = GraphNode::processKey(model.thread(f.toThread).pid);
        if (from != to && a.has(from) && a.has(to))
            a.edge(from, to, EdgeKind::Message, f.id);
    }
    return g;
}

std::pair<uint32_t, uint32_t> GraphBuilder::netQueues(const TraceModel &model) const
{
    uint32_t task = 0;
    uint32_t result = 0;
    for (const auto &[id, creator] : m_netQueues) {
        const std::string name = model.objectName(id);
        if (name == "task" && task == 0)
            task = id;
        else if (name == "result" && result == 0)
            result = id;
    }
    // Queues named otherwise: the first announced carries tasks, the next results.
    for (const auto &[id, creator] : m_netQueues) {
        if (task == 0 && id != result)
            task = id;
        else if (result == 0 && id != task)
            result = id;
    }
    return {task, result};
}

Graph GraphBuilder::buildTopology(const TraceModel &model, int64_t t) const
{
    Graph g;
    g.mode = GraphMode::Topology;
    g.time = t;
    const auto [taskQueue, resultQueue] = netQueues(model);
    if (taskQueue == 0)
        return g;
    const auto [creator, created] = m_netQueues.at(taskQueue);
    if (creator >= model.threadCount())
        return g;
    const int32_t masterPid = model.thread(creator).pid;
    const ProcessInfo *master = model.process(masterPid);
    const uint64_t masterKey = GraphNode::processKey(masterPid);
    g.universe.push_back({masterKey, 0, master ? std::min(master->start, created) : created, kTimeMax, 0});
    g.universe.push_back({GraphNode::objectKey(taskQueue), 1, created, kTimeMax, 0});
    if (resultQueue != 0)
        g.universe.push_back({GraphNode::objectKey(resultQueue), 1, m_netQueues.at(resultQueue).second, kTimeMax, 0});
    // Workers: the other processes that used the queues, in the order they started.
    std::vector<std::pair<int64_t, int32_t>> workers;
    for (const auto &[object, pid] : m_queueUsers) {
        if ((object != taskQueue && object != resultQueue) || pid == masterPid || pid == 0)
            continue;
        const ProcessInfo *p = model.process(pid);
        int64_t start = p ? p->start : kTimeMax;
        if (auto it = m_forked.find(pid); it != m_forked.end())
            start = std::min(start, it->second);
        if (start == kTimeMax)
            start = created;
        if (std::find_if(workers.begin(), workers.end(), [pid](const auto &w) { return w.second == pid; }) ==
            workers.end())
            workers.emplace_back(start, pid);
    }
    std::sort(workers.begin(), workers.end());
    for (const auto &[start, pid] : workers)
        g.universe.push_back({GraphNode::processKey(pid), 2, start, kTimeMax, 0});

    GraphAssembler a(g, model);
    a.presentSlots();
    if (!a.has(masterKey))
        return g;
    g.nodes[a.node(masterKey)].master = true;
    const uint64_t taskKey = GraphNode::objectKey(taskQueue);
    const uint64_t resultKey = resultQueue != 0 ? GraphNode::objectKey(resultQueue) : 0;
    for (uint32_t queue : {taskQueue, resultQueue}) {
        if (queue == 0 || !a.has(GraphNode::objectKey(queue)))
            continue;
        const std::vector<core::CounterPoint> depth = model.queueDepth(queue);
        auto it = std::upper_bound(depth.begin(), depth.end(), t,
                                   [](int64_t time, const core::CounterPoint &p) { return time < p.time; });
        g.nodes[a.node(GraphNode::objectKey(queue))].depth = it == depth.begin() ? 0 : int64_t(std::prev(it)->value);
    }
    if (a.has(taskKey))
        a.edge(masterKey, taskKey, EdgeKind::Channel);
    if (resultKey != 0 && a.has(resultKey))
        a.edge(resultKey, masterKey, EdgeKind::Channel);
    std::vector<uint64_t> live;
    for (GraphNode &n : g.nodes) {
        if (n.kind == NodeKind::Process && n.key != masterKey) {
            n.worker = true;
            if (!n.exited)
                live.push_back(n.key);
        }
    }
    for (uint64_t w : live) {
        if (a.has(taskKey))
            a.edge(taskKey, w, EdgeKind::Channel);
        if (resultKey != 0 && a.has(resultKey))
            a.edge(w, resultKey, EdgeKind::Channel);
    }
    // Tasks being computed: the worker holds a lease on them.
    for (const auto &[pid, task] : runningTasks(model, t, taskQueue)) {
        const uint64_t w = GraphNode::processKey(pid);
        if (std::find(live.begin(), live.end(), w) == live.end() || !a.has(taskKey))
            continue;
        a.edge(taskKey, w, EdgeKind::Task, task);
        g.nodes[a.node(w)].task = task;
    }
    // Results put and not taken by the master yet.
    if (resultKey != 0 && a.has(resultKey)) {
        for (const core::Flow &f : model.flows(t, t + 1)) {
            if (f.kind != core::FlowKind::Queue || f.object != resultQueue || !(f.fromTime <= t && t < f.toTime))
                continue;
            const uint64_t w = GraphNode::processKey(model.thread(f.fromThread).pid);
            if (a.has(w))
                a.edge(w, resultKey, EdgeKind::Result, f.id);
        }
    }
    return g;
}

} // namespace interleave::ui
