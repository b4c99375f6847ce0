// SPDX-License-Identifier: MIT
// Private to the GraphBuilder sources: the assembler every graph is built with, shared by
// graphdata.cpp (the locks graph) and graphdatatopology.cpp (the process tree and the topology).
#pragma once

#include "ui/graph/graphdata.h"

#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace interleave::ui {

namespace graphdetail {

/// Collects nodes and edges without duplicates while a graph is built.
class GraphAssembler
{
public:
    GraphAssembler(Graph &graph, const core::TraceModel &model)
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
            case core::ObjectKind::Mutex:
            case core::ObjectKind::Gil:
            case core::ObjectKind::Semaphore:
                n.kind = NodeKind::Lock;
                break;
            case core::ObjectKind::Queue:
            case core::ObjectKind::ProcessQueue:
            case core::ObjectKind::NetQueue:
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
            if (const core::ProcessInfo *p = m_model.process(n.pid)) {
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
        // Looked up, not searched: a process tree of 100 k children of one parent was quadratic.
        const auto [at, fresh] = m_edgeIndex.try_emplace({a, b, kind}, uint32_t(m_graph.edges.size()));
        if (!fresh) {
            GraphEdge &e = m_graph.edges[at->second];
            if (kind == EdgeKind::Message)
                ++e.count;
            return e;
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
        if (m_slotKeys.empty())
            for (const GraphSlot &s : m_graph.universe)
                m_slotKeys.insert(s.key);
        if (!m_slotKeys.insert(key).second)
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
    const core::TraceModel &m_model;
    std::unordered_map<uint64_t, uint32_t> m_index;
    std::map<std::tuple<uint32_t, uint32_t, EdgeKind>, uint32_t> m_edgeIndex; ///< (from, to, kind) -> edge
    std::unordered_set<uint64_t> m_slotKeys; ///< keys of the universe, once ensureSlot needs them
};

/// Families of many short-lived sibling processes (P-1 … P-100, children of one parent with one
/// name but for a number, every one exited by the end of the trace): the process tree draws each
/// family as one node, its first member's, so a hundred slivers do not bury the rest.
struct ProcessGroups
{
    static constexpr size_t kAtLeast = 8; ///< smaller families stay one node per process

    std::map<int32_t, int32_t> leader;                                  ///< member pid -> its family's first pid
    std::map<int32_t, std::vector<const core::ProcessInfo *>> families; ///< first pid -> members, in order

    static ProcessGroups find(const std::vector<const core::ProcessInfo *> &processes);
    /// The key of the node that stands for `pid`: its family's, or its own.
    uint64_t keyOf(int32_t pid) const;
    /// Whether `pid` is a member but not the first: it has no node of its own.
    bool hidden(int32_t pid) const;
    /// Writes the family on its node: how many, the names and pids from first to last, and how
    /// many had exited (been killed) at the graph's time `t`.
    void describe(GraphNode &node, int64_t t) const;
};

} // namespace graphdetail

} // namespace interleave::ui
