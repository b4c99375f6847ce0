// SPDX-License-Identifier: MIT
#pragma once

#include "ui/graph/graphdata.h"

#include <QPointF>

#include <cstdint>
#include <map>
#include <optional>

namespace interleave::ui {

/// Where the nodes of a graph go, in a unit square ([0, 1] × [0, 1], y down); the view maps it
/// onto its area. It places every slot of the graph, present or not, so it depends on the trace
/// and not on the playhead: a node keeps its place while others come and go. A plain struct,
/// tested without painting.
///
/// * Locks: bipartite, threads in the left column and locks / queues / joined processes in the
///   right one; each column's slots are shared first-come first-served (a slot is free again once
///   its node has gone). The nodes of a deadlock cycle leave their columns for a circle in the middle.
/// * Processes: a layered tree, children below their parent in the order they started; a parent
///   with more leaf children than fit in a row has them wrapped in a grid.
/// * Topology: a hub: the master on the left, the task queue above and the result queue below in
///   the middle, the workers in a column on the right.
struct GraphLayout
{
    std::map<uint64_t, QPointF> positions; ///< every slot's key (and every node's)
    bool hasCycle = false;
    QPointF cycleCentre{0.5, 0.5}; ///< centre of the deadlock circle, where its label goes
    QPointF cycleRadius{0.28, 0.36};

    /// `maxRowNodes`: most children drawn side by side in the process tree (from the view's width).
    static GraphLayout compute(const Graph &graph, int maxRowNodes = 8);
    std::optional<QPointF> at(uint64_t key) const;

    /// The column x of the Locks layout and the topology's columns.
    static constexpr double kLeft = 0.0;
    static constexpr double kRight = 1.0;
};

} // namespace interleave::ui
