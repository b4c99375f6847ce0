// SPDX-License-Identifier: MIT
#include "ui/graph/graphlayout.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interleave::ui {

namespace {

/// Slots of one column shared first-come first-served: a node takes the lowest slot free at the
/// time it appears, and keeps it for its whole life, whatever else comes and goes.
std::map<uint64_t, double> columnY(std::vector<const GraphSlot *> items)
{
    std::sort(items.begin(), items.end(), [](const GraphSlot *a, const GraphSlot *b) {
        return a->appear != b->appear ? a->appear < b->appear : a->key < b->key;
    });
    std::vector<int64_t> busyUntil;
    std::map<uint64_t, size_t> slot;
    for (const GraphSlot *s : items) {
        size_t i = 0;
        while (i < busyUntil.size() && busyUntil[i] > s->appear)
            ++i;
        if (i == busyUntil.size())
            busyUntil.push_back(0);
        busyUntil[i] = std::max(s->appear, s->vanish);
        slot[s->key] = i;
    }
    std::map<uint64_t, double> y;
    for (const auto &[key, i] : slot)
        y[key] = (double(i) + 0.5) / double(busyUntil.size());
    return y;
}

std::vector<const GraphSlot *> inColumn(const Graph &graph, int column)
{
    std::vector<const GraphSlot *> out;
    for (const GraphSlot &s : graph.universe)
        if (s.column == column)
            out.push_back(&s);
    return out;
}

void layoutLocks(const Graph &graph, GraphLayout &layout)
{
    const std::vector<const GraphSlot *> threads = inColumn(graph, 0);
    const std::vector<const GraphSlot *> resources = inColumn(graph, 1);
    // One column alone (threads joining threads) stands in the middle.
    const bool alone = threads.empty() || resources.empty();
    for (const auto &[key, y] : columnY(threads))
        layout.positions[key] = QPointF(alone ? 0.5 : GraphLayout::kLeft, y);
    for (const auto &[key, y] : columnY(resources))
        layout.positions[key] = QPointF(alone ? 0.5 : GraphLayout::kRight, y);

    if (graph.cycle.empty())
        return;
    // The cycle on a circle, starting at the top and going clockwise: thread, lock, thread, ...
    // It starts with the thread whose name sorts first, so the same scenario draws the same picture
    // whichever thread the detector met first.
    layout.hasCycle = true;
    const size_t n = graph.cycle.size();
    // Names by key, looked up once: sorting a big column must not search the nodes per comparison.
    std::unordered_map<uint64_t, std::string_view> names;
    for (const GraphNode &node : graph.nodes)
        names.emplace(node.key, node.name);
    const auto nameOf = [&](uint64_t key) {
        const auto it = names.find(key);
        return it == names.end() ? std::string_view() : it->second;
    };
    size_t start = 0;
    for (size_t i = 2; i < n; i += 2)
        if (nameOf(graph.cycle[i]) < nameOf(graph.cycle[start]))
            start = i;
    for (size_t i = 0; i < n; ++i) {
        const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * double(i) / double(n);
        layout.positions[graph.cycle[(start + i) % n]] =
            layout.cycleCentre +
            QPointF(layout.cycleRadius.x() * std::cos(angle), layout.cycleRadius.y() * std::sin(angle));
    }
    // The others (the main thread joining, a bystander) down their column in the order of their
    // names, not of who happened to show up first.
    const std::set<uint64_t> inCycle(graph.cycle.begin(), graph.cycle.end());
    for (const auto *column : {&threads, &resources}) {
        std::vector<const GraphSlot *> others;
        for (const GraphSlot *s : *column)
            if (!inCycle.count(s->key))
                others.push_back(s);
        std::stable_sort(others.begin(), others.end(), [&](const GraphSlot *a, const GraphSlot *b) {
            return std::make_pair(nameOf(a->key), a->key) < std::make_pair(nameOf(b->key), b->key);
        });
        for (size_t i = 0; i < others.size(); ++i)
            layout.positions[others[i]->key].setY((double(i) + 0.5) / double(others.size()));
    }
}

struct TreePlacer
{
    std::map<uint64_t, std::vector<uint64_t>> children;
    std::set<uint64_t> placed;
    std::map<uint64_t, QPointF> at; // x in slot widths, y in rows (centres)
    size_t maxRow = 8;

    bool isLeaf(uint64_t key) const
    {
        auto it = children.find(key);
        return it == children.end() || it->second.empty();
    }

    /// Places the subtree of `key` with its left edge at x0 and its top row at y0; returns its
    /// width (universe) and height (rows).
    std::pair<double, double> place(uint64_t key, double x0, double y0)
    {
        placed.insert(key);
        std::vector<uint64_t> kids;
        if (auto it = children.find(key); it != children.end())
            for (uint64_t k : it->second)
                if (!placed.count(k)) // a broken trace could make a loop of parents
                    kids.push_back(k);
        if (kids.empty()) {
            at[key] = QPointF(x0 + 0.5, y0 + 0.5);
            return {1.0, 1.0};
        }
        const bool leaves = std::all_of(kids.begin(), kids.end(), [this](uint64_t k) { return isLeaf(k); });
        if (leaves && kids.size() > maxRow) {
            // Many children (a pool, a process per task): a grid under the parent.
            const size_t rows = (kids.size() + maxRow - 1) / maxRow;
            for (size_t i = 0; i < kids.size(); ++i) {
                placed.insert(kids[i]);
                at[kids[i]] = QPointF(x0 + double(i % maxRow) + 0.5, y0 + 1.0 + double(i / maxRow) + 0.5);
            }
            at[key] = QPointF(x0 + double(maxRow) / 2, y0 + 0.5);
            return {double(maxRow), 1.0 + double(rows)};
        }
        double x = x0;
        double height = 0;
        for (uint64_t k : kids) {
            if (placed.count(k))
                continue;
            const auto [w, h] = place(k, x, y0 + 1);
            x += w;
            height = std::max(height, h);
        }
        at[key] = QPointF((at[kids.front()].x() + at[kids.back()].x()) / 2, y0 + 0.5);
        return {x - x0, 1.0 + height};
    }
};

void layoutTree(const Graph &graph, GraphLayout &layout, int maxRowNodes)
{
    std::vector<const GraphSlot *> universe;
    std::set<uint64_t> keys;
    for (const GraphSlot &s : graph.universe) {
        universe.push_back(&s);
        keys.insert(s.key);
    }
    std::sort(universe.begin(), universe.end(), [](const GraphSlot *a, const GraphSlot *b) {
        return a->appear != b->appear ? a->appear < b->appear : a->key < b->key;
    });
    TreePlacer placer;
    placer.maxRow = size_t(std::max(1, maxRowNodes));
    std::vector<uint64_t> roots;
    for (const GraphSlot *s : universe) {
        if (s->parent != 0 && keys.count(s->parent) && s->parent != s->key)
            placer.children[s->parent].push_back(s->key);
        else
            roots.push_back(s->key);
    }
    // Then whatever a loop of parents kept from being reached.
    for (const GraphSlot *s : universe)
        roots.push_back(s->key);
    double width = 0;
    double height = 0;
    for (uint64_t root : roots) {
        if (placer.placed.count(root))
            continue;
        const auto [w, h] = placer.place(root, width, 0);
        width += w;
        height = std::max(height, h);
    }
    for (const auto &[key, p] : placer.at)
        layout.positions[key] = QPointF(p.x() / std::max(width, 1.0), p.y() / std::max(height, 1.0));
}

void layoutTopology(const Graph &graph, GraphLayout &layout)
{
    for (const GraphSlot *s : inColumn(graph, 0))
        layout.positions[s->key] = QPointF(GraphLayout::kLeft, 0.5);
    // Task queue above, result queue below (the builder gives them in that order).
    const std::vector<const GraphSlot *> queues = inColumn(graph, 1);
    for (size_t i = 0; i < queues.size(); ++i) {
        const double y = queues.size() == 1 ? 0.5 : 0.2 + 0.6 * double(i) / double(queues.size() - 1);
        layout.positions[queues[i]->key] = QPointF(0.5, y);
    }
    for (const auto &[key, y] : columnY(inColumn(graph, 2)))
        layout.positions[key] = QPointF(GraphLayout::kRight, y);
}

} // namespace

GraphLayout GraphLayout::compute(const Graph &graph, int maxRowNodes)
{
    GraphLayout layout;
    switch (graph.mode) {
    case GraphMode::Processes:
        layoutTree(graph, layout, maxRowNodes);
        break;
    case GraphMode::Topology:
        layoutTopology(graph, layout);
        break;
    case GraphMode::Auto:
    case GraphMode::Locks:
        layoutLocks(graph, layout);
        break;
    }
    // A node without a slot (it should not happen) still gets a place: the middle.
    for (const GraphNode &n : graph.nodes)
        layout.positions.try_emplace(n.key, QPointF(0.5, 0.5));
    return layout;
}

std::optional<QPointF> GraphLayout::at(uint64_t key) const
{
    auto it = positions.find(key);
    if (it == positions.end())
        return std::nullopt;
    return it->second;
}

} // namespace interleave::ui
