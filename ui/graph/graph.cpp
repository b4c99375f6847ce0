// SPDX-License-Identifier: MIT
// Graph: lookups in one built graph (the builder is in graphdata.cpp).
#include "ui/graph/graphdata.h"

#include <algorithm>

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

} // namespace interleave::ui
