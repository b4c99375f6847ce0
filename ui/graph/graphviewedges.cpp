// SPDX-License-Identifier: MIT
// GraphView's edges: their strokes, their routes around the nodes, and where their labels go.
#include "ui/graph/graphviewimpl.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using graphdetail::blend;
using graphdetail::queueColor;
using graphdetail::taskColor;

namespace {

/// The point where the segment from the centre of `box` towards `toward` leaves the box.
QPointF boxExit(const QRectF &box, const QPointF &toward, qreal gap)
{
    const QPointF c = box.center();
    const QPointF d = toward - c;
    const qreal hw = box.width() / 2 + gap;
    const qreal hh = box.height() / 2 + gap;
    if (std::abs(d.x()) < 1e-9 && std::abs(d.y()) < 1e-9)
        return c;
    const qreal tx = std::abs(d.x()) > 1e-9 ? hw / std::abs(d.x()) : 1e18;
    const qreal ty = std::abs(d.y()) > 1e-9 ? hh / std::abs(d.y()) : 1e18;
    return c + d * std::min({tx, ty, 1.0});
}

QPointF unit(const QPointF &v)
{
    const qreal len = std::hypot(v.x(), v.y());
    return len > 1e-9 ? v / len : QPointF(1, 0);
}

void drawArrowHead(QPainter &painter, const QPointF &tip, const QPointF &direction, qreal size, const QColor &color)
{
    const QPointF d = unit(direction);
    const QPointF n(-d.y(), d.x());
    const QPointF base = tip - d * size;
    QPolygonF head;
    head << tip << base + n * (size * 0.5) << base - n * (size * 0.5);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(head);
    painter.restore();
}

QPointF onCurve(const QPointF &p0, const QPointF &control, const QPointF &p1, qreal u)
{
    return (1 - u) * (1 - u) * p0 + 2 * u * (1 - u) * control + u * u * p1;
}

} // namespace

void GraphPainter::paintEdges()
{
    const size_t waitEdges = m_graph.countEdges(EdgeKind::Holds) + m_graph.countEdges(EdgeKind::WaitsFor);
    m_labelWaits = waitEdges <= 8;
    m_cycleCentre = m_scene.map(m_scene.layout.cycleCentre);
    // Edges of the cycle last, so nothing crosses over them.
    std::vector<const GraphEdge *> order;
    for (const GraphEdge &e : m_graph.edges)
        if (!e.inCycle)
            order.push_back(&e);
    for (const GraphEdge &e : m_graph.edges)
        if (e.inCycle)
            order.push_back(&e);
    for (const GraphEdge *edge : order) {
        const GraphEdge &e = *edge;
        Route r;
        r.fromKey = m_graph.nodes[e.from].key;
        r.toKey = m_graph.nodes[e.to].key;
        r.a = boxOf(r.fromKey);
        r.b = boxOf(r.toKey);
        const Stroke stroke = strokeOf(e);
        // Several edges between the same two nodes are drawn side by side (a channel under a task
        // is simply covered); an edge that would run through another node bows around it.
        if (coveredChannel(e))
            continue;
        r.p0 = r.a.center();
        r.p1 = r.b.center();
        spreadPair(e, r);
        r.control = (r.p0 + r.p1) / 2;
        if (e.kind == EdgeKind::MayDeadlock)
            bowLockOrder(r);
        else if (!e.inCycle && crossesNode(r, r.control, false))
            bendAround(r);
        drawEdge(e, r, stroke);
    }
}

GraphPainter::Stroke GraphPainter::strokeOf(const GraphEdge &e) const
{
    const Theme &t = m_theme;
    Stroke s{QColor(), 2 * m_lw, Qt::SolidLine};
    switch (e.kind) {
    case EdgeKind::Holds:
        s.color = t.hold;
        break;
    case EdgeKind::WaitsFor:
        s.color = t.wait;
        s.style = e.timed ? Qt::DotLine : Qt::DashLine;
        break;
    case EdgeKind::Child:
        s.color = t.foreground;
        s.width = 1.5 * m_lw;
        break;
    case EdgeKind::Channel:
        s.color = t.muted;
        s.width = m_lw;
        break;
    case EdgeKind::Task:
        s.color = taskColor(t);
        s.width = 3 * m_lw;
        break;
    case EdgeKind::Result:
        s.color = queueColor(t);
        s.width = 3 * m_lw;
        break;
    case EdgeKind::Message:
        s.color = queueColor(t);
        s.width = 2.5 * m_lw;
        s.style = Qt::DashLine;
        break;
    case EdgeKind::MayDeadlock:
        s.color = t.deadlock;
        s.width = 3.5 * m_lw;
        s.style = Qt::DashLine;
        break;
    }
    if (e.inCycle) {
        s.color = t.deadlock;
        s.width = 4.5 * m_lw;
        s.style = Qt::SolidLine;
    }
    return s;
}

bool GraphPainter::coveredChannel(const GraphEdge &e) const
{
    return e.kind == EdgeKind::Channel &&
           std::any_of(m_graph.edges.begin(), m_graph.edges.end(), [&](const GraphEdge &o) {
               return o.kind != EdgeKind::Channel && o.from == e.from && o.to == e.to;
           });
}

void GraphPainter::spreadPair(const GraphEdge &e, Route &r) const
{
    std::vector<const GraphEdge *> pair;
    for (const GraphEdge &o : m_graph.edges)
        if (o.kind != EdgeKind::Channel && ((o.from == e.from && o.to == e.to) || (o.from == e.to && o.to == e.from)))
            pair.push_back(&o);
    // The normal of the pair's direction from its lower to its higher node index, so both
    // directions agree on which side is which.
    const QPointF along = e.from < e.to ? r.p1 - r.p0 : r.p0 - r.p1;
    const QPointF normal(-unit(along).y(), unit(along).x());
    if (pair.size() > 1 && e.kind != EdgeKind::Channel) {
        const size_t i = size_t(std::find(pair.begin(), pair.end(), &e) - pair.begin());
        const qreal step = std::min(r.a.height(), r.b.height()) * 0.4;
        const qreal shift = (qreal(i) - qreal(pair.size() - 1) / 2) * step;
        r.p0 += normal * shift;
        r.p1 += normal * shift;
    }
}

bool GraphPainter::crossesNode(const Route &r, const QPointF &c, bool bent) const
{
    for (const GraphNode &n : m_graph.nodes) {
        if (n.key == r.fromKey || n.key == r.toKey)
            continue;
        const QRectF box = boxOf(n.key).adjusted(-4, -4, 4, 4);
        for (int k = 1; k < 24; ++k) {
            const qreal u = k / 24.0;
            const QPointF q = bent ? onCurve(r.p0, c, r.p1, u) : r.p0 + (r.p1 - r.p0) * u;
            if (box.contains(q) && !r.a.contains(q) && !r.b.contains(q))
                return true;
        }
    }
    return false;
}

void GraphPainter::bowLockOrder(Route &r) const
{
    // A lock-order cycle bows out, each order on its own side, as two arcs between the locks.
    const qreal length = std::hypot(r.p1.x() - r.p0.x(), r.p1.y() - r.p0.y());
    const QPointF side(-unit(r.p1 - r.p0).y(), unit(r.p1 - r.p0).x());
    // The arc's apex lies half way to the control point: keep it inside the drawing area;
    // with no room on its side (locks at the area's edge), the arc nests inside the other.
    const QPointF mid = (r.p0 + r.p1) / 2;
    const qreal margin = 12 * m_lw;
    qreal room = 0.35 * length;
    for (qreal k = 0; k < 0.35 * length; k += 4)
        if (!m_scene.area.adjusted(margin, margin, -margin, -margin).contains(mid + side * (k / 2))) {
            room = k;
            break;
        }
    r.control = mid + side * (room >= 0.2 * length ? room : room - 0.2 * length);
    r.curved = true;
}

void GraphPainter::bendAround(Route &r) const
{
    const qreal length = std::hypot(r.p1.x() - r.p0.x(), r.p1.y() - r.p0.y());
    // The least bend that clears every node; of two such, the one away from the middle
    // (the deadlock circle, or the graph's centre), where the other edges are.
    const QPointF middle = m_scene.layout.hasCycle ? m_cycleCentre : m_scene.area.center();
    const QPointF side(-unit(r.p1 - r.p0).y(), unit(r.p1 - r.p0).x());
    // A curve whose apex (half way to its control point) leaves the drawing area is cut off at
    // the edge, label and all: such a side counts as taken while the other one is open.
    const QRectF inside = m_scene.area.adjusted(12 * m_lw, 12 * m_lw, -12 * m_lw, -12 * m_lw);
    const auto apexInside = [&](const QPointF &control) { return inside.contains((r.p0 + r.p1) / 4 + control / 2); };
    for (bool keepInside : {true, false}) {
        for (qreal k : {0.25, 0.45, 0.7}) {
            const QPointF plus = (r.p0 + r.p1) / 2 + side * (k * length);
            const QPointF minus = (r.p0 + r.p1) / 2 - side * (k * length);
            const bool plusFree = !crossesNode(r, plus, true) && (!keepInside || apexInside(plus));
            const bool minusFree = !crossesNode(r, minus, true) && (!keepInside || apexInside(minus));
            if (!plusFree && !minusFree)
                continue;
            const auto distance = [&](const QPointF &c) { return std::hypot(c.x() - middle.x(), c.y() - middle.y()); };
            r.control = plusFree && (!minusFree || distance(plus) >= distance(minus)) ? plus : minus;
            r.curved = true;
            return;
        }
    }
}

void GraphPainter::drawEdge(const GraphEdge &e, const Route &r, const Stroke &stroke)
{
    const QRectF &a = r.a;
    const QRectF &b = r.b;
    const qreal gap = 2 + m_lw;
    const QPointF start =
        boxExit(QRectF(a.topLeft() + (r.p0 - a.center()), a.size()), r.curved ? r.control : r.p1, gap);
    const QPointF end = boxExit(QRectF(b.topLeft() + (r.p1 - b.center()), b.size()), r.curved ? r.control : r.p0, gap);
    const qreal head = 6 + 3.2 * m_lw + (e.inCycle ? 4 : 0);
    const QPointF endDir = unit(end - (r.curved ? r.control : start));
    QPainterPath path(start);
    const QPointF lineEnd = end - endDir * head * 0.6;
    if (r.curved)
        path.quadTo(r.control, lineEnd);
    else
        path.lineTo(lineEnd);
    const qreal fade = std::min(opacity(r.fromKey), opacity(r.toKey));
    m_painter.setOpacity(fade);
    m_painter.setBrush(Qt::NoBrush);
    m_painter.setPen(QPen(stroke.color, stroke.width, stroke.style, Qt::FlatCap, Qt::RoundJoin));
    m_painter.drawPath(path);
    drawArrowHead(m_painter, end, endDir, head, stroke.color);
    m_painter.setOpacity(1.0);

    const QPointF c = r.curved ? r.control : (start + end) / 2;
    for (int k = 0; k <= 16; ++k)
        m_linePoints.push_back(onCurve(start, c, end, k / 16.0));
    const QString text = m_view.edgeLabel(e, m_labelWaits);
    if (!text.isEmpty() && fade > 0.5) {
        const QPointF mid = (start + 2 * c + end) / 4;
        QPointF away = QPointF(-endDir.y(), endDir.x());
        if (e.inCycle) { // outside the circle, where the label "deadlock" is not
            if (QPointF::dotProduct(away, mid - m_cycleCentre) < 0)
                away = -away;
        } else if (away.y() > 0 || (std::abs(away.y()) < 1e-6 && away.x() < 0)) {
            away = -away; // above the line, or right of a vertical one
        }
        m_labels.push_back({start, c, end, away, stroke.width / 2 + 3, text,
                            e.inCycle ? m_theme.deadlock : blend(stroke.color, m_theme.foreground, 0.75), QRectF()});
    }
}

void GraphPainter::placeLabels()
{
    const QFontMetricsF labelMetrics(m_scene.labelFont);
    // Try the middle of the edge, then further along it, on the preferred side, then the other.
    std::vector<QRectF> taken;
    for (const GraphNode &n : m_graph.nodes)
        taken.push_back(boxOf(n.key));
    if (m_graph.deadlocked()) {
        const QFontMetricsF m(m_scene.deadlockFont);
        const QSizeF size(m.horizontalAdvance(GraphView::tr("deadlock")) + m.height(), m.height() * 1.3);
        taken.emplace_back(m_cycleCentre - QPointF(size.width(), size.height()) / 2, size);
    }
    for (Label &l : m_labels) {
        const QSizeF size(labelMetrics.horizontalAdvance(l.text) + 6, labelMetrics.height());
        auto rectAt = [&](qreal u, qreal sideSign) {
            const QPointF on = onCurve(l.p0, l.control, l.p1, u);
            const QPointF away = l.preferred * sideSign;
            const qreal off =
                l.clearance + std::abs(away.x()) * size.width() / 2 + std::abs(away.y()) * size.height() / 2;
            const QPointF at = on + away * off;
            return QRectF(at.x() - size.width() / 2, at.y() - size.height() / 2, size.width(), size.height());
        };
        auto free = [&](const QRectF &r) {
            for (const QRectF &o : taken)
                if (o.intersects(r))
                    return false;
            for (const QPointF &p : m_linePoints)
                if (r.contains(p))
                    return false;
            return true;
        };
        l.rect = rectAt(0.5, 1);
        bool placed = false;
        for (qreal sideSign : {1.0, -1.0}) {
            for (qreal u : {0.5, 0.38, 0.62, 0.28, 0.72}) {
                const QRectF r = rectAt(u, sideSign);
                if (free(r)) {
                    l.rect = r;
                    placed = true;
                    break;
                }
            }
            if (placed)
                break;
        }
        taken.push_back(l.rect);
    }
}

} // namespace interleave::ui
