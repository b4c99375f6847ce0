// SPDX-License-Identifier: MIT
// GraphView's scene: the type scale, node boxes and placement for a paint device of a given size.
#include "ui/graph/graphviewimpl.h"

#include <QComboBox>
#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

QSizeF GraphView::Scene::measure(const GraphView &view, const std::vector<const GraphNode *> &nodes, qreal scale,
                                 bool widget)
{
    const Theme &t = view.theme();
    this->scale = scale;
    nameFont = t.font(1.15 * scale, true);
    detailFont = t.font(0.9 * scale);
    labelFont = t.font(scale);
    deadlockFont = t.font(1.3 * std::max<qreal>(scale, 0.8), true);
    const QFontMetricsF name(nameFont);
    const QFontMetricsF detail(detailFont);
    const qreal pad = name.height() * 0.45;
    qreal maxW = 0;
    qreal maxH = 0;
    boxes.clear();
    lines.clear();
    for (const GraphNode *n : nodes) {
        QStringList text = view.nodeLines(*n);
        // A long name (a remote worker's address) is cut, not allowed to push the graph apart.
        text[0] = name.elidedText(text[0], Qt::ElideMiddle, name.height() * 14);
        lines[n->key] = text;
        qreal w = 0;
        qreal h = 0;
        for (int i = 0; i < text.size(); ++i) {
            const QFontMetricsF &m = i == 0 ? name : detail;
            w = std::max(w, m.horizontalAdvance(text[i]));
            h += m.height();
        }
        if (n->kind == NodeKind::Lock || n->kind == NodeKind::Queue)
            w += name.height() * 0.9; // the padlock / the queue's slots
        if (n->kind == NodeKind::Thread)
            w += pad; // round ends
        const QSizeF box(std::max(w + 2 * pad, (h + pad) * 1.6), h + pad * 1.2);
        boxes[n->key] = box;
        maxW = std::max(maxW, box.width());
        maxH = std::max(maxH, box.height());
    }
    if (widget) {
        maxW = std::max(maxW, view.m_sticky.width);
        maxH = std::max(maxH, view.m_sticky.height);
    }
    return QSizeF(maxW, maxH);
}

void GraphView::Scene::placeArea(const QSizeF &largest, qreal margin)
{
    const qreal maxW = largest.width();
    const qreal maxH = largest.height();
    area = bounds.adjusted(maxW / 2 + margin, maxH / 2 + margin, -maxW / 2 - margin, -maxH / 2 - margin);
    if (area.width() < 1)
        area = QRectF(bounds.center().x(), area.top(), 0, area.height());
    if (area.height() < 1)
        area = QRectF(area.left(), bounds.center().y(), area.width(), 0);
}

std::vector<std::pair<QPointF, uint64_t>> GraphView::Scene::places(const std::vector<const GraphNode *> &nodes) const
{
    // A place whose node is not shown now counts with a typical box.
    std::vector<std::pair<QPointF, uint64_t>> points;
    for (const auto &[key, p] : layout.positions)
        points.emplace_back(p, key);
    if (points.size() > 400) { // then only the nodes shown now
        points.clear();
        for (const GraphNode *n : nodes)
            points.emplace_back(layout.at(n->key).value_or(QPointF(0.5, 0.5)), n->key);
    }
    return points;
}

qreal GraphView::Scene::fit(const std::vector<std::pair<QPointF, uint64_t>> &points, const QSizeF &largest) const
{
    const qreal maxW = largest.width();
    const qreal maxH = largest.height();
    std::vector<qreal> widths;
    for (const auto &[key, box] : boxes)
        widths.push_back(box.width());
    std::nth_element(widths.begin(), widths.begin() + long(widths.size() / 2), widths.end());
    const QSizeF typical(widths.empty() ? maxW : widths[widths.size() / 2], maxH);
    auto boxSize = [&](uint64_t key) {
        auto it = boxes.find(key);
        return it == boxes.end() ? typical : it->second;
    };
    qreal fit = 1.0;
    for (size_t i = 0; i < points.size(); ++i) {
        const QSizeF bi = boxSize(points[i].second);
        for (size_t j = i + 1; j < points.size(); ++j) {
            const QSizeF bj = boxSize(points[j].second);
            const qreal dx = std::abs(points[i].first.x() - points[j].first.x()) * area.width();
            const qreal dy = std::abs(points[i].first.y() - points[j].first.y()) * area.height();
            if (dx < 1e-6 && dy < 1e-6)
                continue; // one slot shared in turn: never shown together
            fit = std::min(fit, std::max(dx / ((bi.width() + bj.width()) / 2 * 1.08),
                                         dy / ((bi.height() + bj.height()) / 2 * 1.25)));
        }
    }
    return fit;
}

GraphView::Scene GraphView::scene(const QSize &size, bool widget, bool widgetLayout) const
{
    Scene s;
    s.bounds = QRectF(QPointF(0, 0), QSizeF(size));
    if (widget) {
        s.bounds.setTop(m_selector->geometry().bottom() + 6);
        const qreal legendHeight = paintLegend(nullptr, QRectF(0, 0, size.width(), size.height()));
        s.bounds.setBottom(std::max(s.bounds.top() + 10, s.bounds.bottom() - legendHeight));
    }
    const Theme &t = theme();
    const qreal margin = QFontMetricsF(t.font()).height() * 0.6;
    if (m_graph.notDrawn > 0) {
        const qreal line = QFontMetricsF(t.font()).height() * 1.4;
        s.note = QRectF(s.bounds.left(), s.bounds.bottom() - line, s.bounds.width(), line);
        s.bounds.setBottom(s.note.top());
    }

    // Boxes at a type scale; shrunk below when the graph is crowded.
    std::vector<const GraphNode *> nodes;
    for (const GraphNode &n : m_graph.nodes)
        nodes.push_back(&n);
    if (widget)
        for (const auto &[n, at] : m_leaving)
            nodes.push_back(&n);
    // On screen, type only shrinks and margins only grow while the playhead moves, so nodes do
    // not shift when a wide one comes and goes (a new model, size or theme starts afresh).
    QSizeF largest = s.measure(*this, nodes, widget ? m_sticky.scale : 1.0, widget);
    const int maxRow = std::max(1, int((s.bounds.width() - 2 * margin) / std::max<qreal>(largest.width() * 1.12, 1)));
    s.layout = widgetLayout ? m_layout : GraphLayout::compute(m_graph, maxRow);
    s.placeArea(largest, margin);

    // Shrink type until every pair of places keeps its boxes apart (on one axis at least).
    const std::vector<std::pair<QPointF, uint64_t>> points = s.places(nodes);
    for (int round = 0; round < 2 && largest.width() > 0; ++round) {
        const qreal scale = std::clamp(s.scale * s.fit(points, largest), 0.5, 1.0);
        if (std::abs(scale - s.scale) < 0.01)
            break;
        largest = s.measure(*this, nodes, scale, widget);
        s.placeArea(largest, margin);
    }
    if (widget)
        m_sticky = {s.scale, largest.width(), largest.height()};
    return s;
}

} // namespace interleave::ui
