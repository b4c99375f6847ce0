// SPDX-License-Identifier: MIT
// GraphBuilder's process tree and the distributed master's topology with its queues and workers.
#include "ui/graph/graphdataimpl.h"

#include <algorithm>

namespace interleave::ui {

using core::BlockReason;
using core::kNoEvent;
using core::kTimeMax;
using core::ProcessInfo;
using core::ThreadState;
using core::TraceModel;
using graphdetail::GraphAssembler;

namespace {

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

/// The items in each queue node at t.
void setQueueDepths(GraphAssembler &a, Graph &g, const TraceModel &model, int64_t t, uint32_t taskQueue,
                    uint32_t resultQueue)
{
    for (uint32_t queue : {taskQueue, resultQueue}) {
        if (queue == 0 || !a.has(GraphNode::objectKey(queue)))
            continue;
        const std::vector<core::CounterPoint> depth = model.queueDepth(queue);
        auto it = std::upper_bound(depth.begin(), depth.end(), t,
                                   [](int64_t time, const core::CounterPoint &p) { return time < p.time; });
        g.nodes[a.node(GraphNode::objectKey(queue))].depth = it == depth.begin() ? 0 : int64_t(std::prev(it)->value);
    }
}

/// The ways tasks and results can travel, between the master, the queues and every live worker
/// (the workers are marked as such); returns the live workers' keys.
std::vector<uint64_t> addChannels(GraphAssembler &a, Graph &g, uint64_t masterKey, uint64_t taskKey, uint64_t resultKey)
{
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
    return live;
}

void addTasks(GraphAssembler &a, Graph &g, const TraceModel &model, int64_t t, const std::vector<uint64_t> &live,
              uint32_t taskQueue, uint64_t taskKey)
{
    // Tasks being computed: the worker holds a lease on them.
    for (const auto &[pid, task] : runningTasks(model, t, taskQueue)) {
        const uint64_t w = GraphNode::processKey(pid);
        if (std::find(live.begin(), live.end(), w) == live.end() || !a.has(taskKey))
            continue;
        a.edge(taskKey, w, EdgeKind::Task, task);
        g.nodes[a.node(w)].task = task;
    }
}

void addResults(GraphAssembler &a, const TraceModel &model, int64_t t, uint32_t resultQueue, uint64_t resultKey)
{
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
}

} // namespace

Graph GraphBuilder::buildProcesses(const TraceModel &model, int64_t t) const
{
    Graph g;
    g.mode = GraphMode::Processes;
    g.time = t;
    const std::vector<const ProcessInfo *> processes = treeProcesses(model);
    std::set<int32_t> inTree;
    for (const ProcessInfo *p : processes)
        inTree.insert(p->pid);
    const graphdetail::ProcessGroups groups = graphdetail::ProcessGroups::find(processes);
    // Exited processes stay (greyed), so a slot never ends: the tree keeps its shape. A family's
    // slot is its first member's, there from the moment the first of them is.
    std::map<uint64_t, size_t> slotOf;
    for (const ProcessInfo *p : processes) {
        // A child is there from the moment fork() returned in its parent, which can be well
        // before its own first event.
        int64_t appear = p->start;
        if (auto it = m_facts.forked().find(p->pid); it != m_facts.forked().end())
            appear = std::min(appear, it->second);
        if (appear == kTimeMax)
            appear = p->exited ? p->end : model.endTime();
        const uint64_t key = groups.keyOf(p->pid);
        if (groups.hidden(p->pid)) {
            GraphSlot &slot = g.universe[slotOf.at(key)];
            slot.appear = std::min(slot.appear, appear);
            continue;
        }
        const uint64_t parent =
            inTree.count(p->ppid) && p->ppid != p->pid ? GraphNode::processKey(p->ppid) : uint64_t(0);
        slotOf[key] = g.universe.size();
        g.universe.push_back({key, 0, appear, kTimeMax, parent});
    }
    GraphAssembler a(g, model);
    a.presentSlots();
    for (GraphNode &node : g.nodes)
        groups.describe(node, t);
    for (const GraphSlot &s : g.universe)
        if (s.parent != 0 && a.has(s.key) && a.has(s.parent))
            a.edge(s.parent, s.key, EdgeKind::Child);

    for (const auto &[pid, task] : runningTasks(model, t)) {
        const int i = g.indexOf(groups.keyOf(pid));
        if (i >= 0 && !g.nodes[size_t(i)].exited)
            g.nodes[size_t(i)].task = task;
    }
    // A process whose thread is blocked in join on another process waits for it.
    const std::vector<core::StateSpan> states = model.statesAt(t);
    for (uint32_t th = 0; th < states.size(); ++th) {
        const core::StateSpan &s = states[th];
        if (s.state != ThreadState::Blocked || s.reason != BlockReason::Join || !(s.flags & core::OnProcess))
            continue;
        const uint64_t from = groups.keyOf(model.thread(th).pid);
        const uint64_t to = groups.keyOf(int32_t(s.object));
        if (a.has(from) && a.has(to))
            a.edge(from, to, EdgeKind::WaitsFor);
    }
    // Items on their way through a queue or pipe from one process to another.
    for (const core::Flow &f : model.flows(t, t + 1)) {
        if ((f.kind != core::FlowKind::Queue && f.kind != core::FlowKind::Pipe) || !(f.fromTime <= t && t < f.toTime))
            continue;
        const uint64_t from = groups.keyOf(model.thread(f.fromThread).pid);
        const uint64_t to = groups.keyOf(model.thread(f.toThread).pid);
        if (from != to && a.has(from) && a.has(to))
            a.edge(from, to, EdgeKind::Message, f.id);
    }
    return g;
}

std::pair<uint32_t, uint32_t> GraphBuilder::netQueues(const TraceModel &model) const
{
    uint32_t task = 0;
    uint32_t result = 0;
    for (const auto &[id, creator] : m_facts.netQueues()) {
        const std::string name = model.objectName(id);
        if (name == "task" && task == 0)
            task = id;
        else if (name == "result" && result == 0)
            result = id;
    }
    // Queues named otherwise: the first announced carries tasks, the next results.
    for (const auto &[id, creator] : m_facts.netQueues()) {
        if (task == 0 && id != result)
            task = id;
        else if (result == 0 && id != task)
            result = id;
    }
    return {task, result};
}

std::vector<std::pair<int64_t, int32_t>> GraphBuilder::topologyWorkers(const TraceModel &model, uint32_t taskQueue,
                                                                       uint32_t resultQueue, int32_t masterPid,
                                                                       int64_t created) const
{
    // Workers: the other processes that used the queues, in the order they started.
    std::vector<std::pair<int64_t, int32_t>> workers;
    for (const auto &[object, pid] : m_facts.queueUsers()) {
        if ((object != taskQueue && object != resultQueue) || pid == masterPid || pid == 0)
            continue;
        const ProcessInfo *p = model.process(pid);
        int64_t start = p ? p->start : kTimeMax;
        if (auto it = m_facts.forked().find(pid); it != m_facts.forked().end())
            start = std::min(start, it->second);
        if (start == kTimeMax)
            start = created;
        if (std::find_if(workers.begin(), workers.end(), [pid = pid](const auto &w) { return w.second == pid; }) ==
            workers.end())
            workers.emplace_back(start, pid);
    }
    std::sort(workers.begin(), workers.end());
    return workers;
}

Graph GraphBuilder::buildTopology(const TraceModel &model, int64_t t) const
{
    Graph g;
    g.mode = GraphMode::Topology;
    g.time = t;
    const auto [taskQueue, resultQueue] = netQueues(model);
    if (taskQueue == 0)
        return g;
    const auto [creator, created] = m_facts.netQueues().at(taskQueue);
    if (creator >= model.threadCount())
        return g;
    const int32_t masterPid = model.thread(creator).pid;
    const ProcessInfo *master = model.process(masterPid);
    const uint64_t masterKey = GraphNode::processKey(masterPid);
    g.universe.push_back({masterKey, 0, master ? std::min(master->start, created) : created, kTimeMax, 0});
    g.universe.push_back({GraphNode::objectKey(taskQueue), 1, created, kTimeMax, 0});
    if (resultQueue != 0)
        g.universe.push_back(
            {GraphNode::objectKey(resultQueue), 1, m_facts.netQueues().at(resultQueue).created, kTimeMax, 0});
    for (const auto &[start, pid] : topologyWorkers(model, taskQueue, resultQueue, masterPid, created))
        g.universe.push_back({GraphNode::processKey(pid), 2, start, kTimeMax, 0});

    GraphAssembler a(g, model);
    a.presentSlots();
    if (!a.has(masterKey))
        return g;
    g.nodes[a.node(masterKey)].master = true;
    const uint64_t taskKey = GraphNode::objectKey(taskQueue);
    const uint64_t resultKey = resultQueue != 0 ? GraphNode::objectKey(resultQueue) : 0;
    setQueueDepths(a, g, model, t, taskQueue, resultQueue);
    const std::vector<uint64_t> live = addChannels(a, g, masterKey, taskKey, resultKey);
    addTasks(a, g, model, t, live, taskQueue, taskKey);
    addResults(a, model, t, resultQueue, resultKey);
    return g;
}

} // namespace interleave::ui
