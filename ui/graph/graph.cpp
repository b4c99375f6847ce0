// SPDX-License-Identifier: MIT
// Graph: lookups in one built graph (the builder is in graphdata.cpp).
#include "ui/graph/graphdata.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

namespace interleave::ui {

int Graph::indexOf(uint64_t key) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].key == key)
            return int(i);
    return -1;
}

const GraphNode *Graph::node(uint64_t key) const
{
    const int i = indexOf(key);
    return i < 0 ? nullptr : &nodes[size_t(i)];
}

size_t Graph::countEdges(EdgeKind kind) const
{
    return size_t(std::count_if(edges.begin(), edges.end(), [kind](const GraphEdge &e) { return e.kind == kind; }));
}

const GraphEdge *Graph::edge(uint64_t from, uint64_t to, EdgeKind kind) const
{
    for (const GraphEdge &e : edges)
        if (e.kind == kind && nodes[e.from].key == from && nodes[e.to].key == to)
            return &e;
    return nullptr;
}

void Graph::cap(size_t maxNodes)
{
    if (nodes.size() <= maxNodes && universe.size() <= maxNodes)
        return;
    // 0: in the deadlock cycle, 1: with an edge, 2: a lock, queue or process alone, 3: an idle
    // thread (the many threads of a crafted trace must not crowd out what they would share).
    std::vector<uint8_t> rank(nodes.size(), 2);
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].kind == NodeKind::Thread)
            rank[i] = 3;
    for (const GraphEdge &e : edges) {
        rank[e.from] = std::min<uint8_t>(rank[e.from], 1);
        rank[e.to] = std::min<uint8_t>(rank[e.to], 1);
    }
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].inCycle)
            rank[i] = 0;
    std::vector<uint32_t> order(nodes.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });
    const size_t kept = std::min(maxNodes, nodes.size());
    order.resize(kept);
    std::sort(order.begin(), order.end()); // the kept nodes in their first order
    std::unordered_set<uint64_t> present;
    for (const GraphNode &n : nodes)
        present.insert(n.key);
    std::vector<int64_t> newIndex(nodes.size(), -1);
    std::vector<GraphNode> keptNodes;
    keptNodes.reserve(kept);
    for (uint32_t i : order) {
        newIndex[i] = int64_t(keptNodes.size());
        keptNodes.push_back(std::move(nodes[i]));
    }
    notDrawn = nodes.size() - kept;
    nodes = std::move(keptNodes);
    std::vector<GraphEdge> keptEdges;
    for (GraphEdge e : edges) {
        if (newIndex[e.from] < 0 || newIndex[e.to] < 0)
            continue;
        e.from = uint32_t(newIndex[e.from]);
        e.to = uint32_t(newIndex[e.to]);
        keptEdges.push_back(e);
    }
    edges = std::move(keptEdges);
    // Slots: every kept node's, then places of nodes absent now while there is room.
    std::unordered_set<uint64_t> shown;
    for (const GraphNode &n : nodes)
        shown.insert(n.key);
    size_t room = maxNodes - nodes.size();
    std::vector<GraphSlot> keptSlots;
    for (const GraphSlot &slot : universe) {
        if (shown.count(slot.key) || (!present.count(slot.key) && room > 0 && room--))
            keptSlots.push_back(slot);
    }
    universe = std::move(keptSlots);
}

} // namespace interleave::ui
