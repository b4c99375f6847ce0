// SPDX-License-Identifier: MIT
// Private to the GraphView sources: the colours of the graph, the scene a paint is laid out in
// (graphviewscene.cpp) and the painter that draws it (graphviewpaint.cpp, graphviewedges.cpp).
#pragma once

#include "ui/graph/graphview.h"

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <map>
#include <utility>
#include <vector>

class QFontMetricsF;
class QPainter;

namespace interleave::ui {

namespace graphdetail {

inline QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * t + b.redF() * (1 - t)), float(a.greenF() * t + b.greenF() * (1 - t)),
                            float(a.blueF() * t + b.blueF() * (1 - t)));
}

inline QColor queueColor(const Theme &theme)
{
    return theme.stateColor(core::ThreadState::Blocked, core::BlockReason::Queue);
}

/// Queue nodes: a warm neutral fill no thread colour has, outlined like the flows through them.
inline QColor queueFill(const Theme &theme)
{
    return blend(QColor(0xc8, 0xb0, 0x80), theme.background, 0.35);
}

inline QColor taskColor(const Theme &theme)
{
    return theme.stateColor(core::ThreadState::Running);
}

} // namespace graphdetail

struct GraphView::Scene
{
    QRectF bounds; ///< where the graph draws
    QRectF area;   ///< the image of the layout's unit square (node centres)
    QRectF note;   ///< the line under the graph that says how many nodes are not drawn (else empty)
    qreal scale = 1.0;
    QFont nameFont;
    QFont detailFont;
    QFont labelFont;
    QFont deadlockFont;
    std::map<uint64_t, QSizeF> boxes;      ///< node box sizes
    std::map<uint64_t, QStringList> lines; ///< node text, the name elided to fit
    GraphLayout layout;

    QPointF map(const QPointF &u) const
    {
        return QPointF(area.left() + u.x() * area.width(), area.top() + u.y() * area.height());
    }

    // Laying the scene out (graphviewscene.cpp).
    /// Fonts at type `scale`, and the box and text of each of `nodes`; returns the largest box
    /// (on screen, `widget`, never smaller than the largest used so far).
    QSizeF measure(const GraphView &view, const std::vector<const GraphNode *> &nodes, qreal scale, bool widget);
    /// The area of node centres: the bounds less half the `largest` box and `margin` all round.
    void placeArea(const QSizeF &largest, qreal margin);
    /// The places whose boxes must keep apart, with the key of their node.
    std::vector<std::pair<QPointF, uint64_t>> places(const std::vector<const GraphNode *> &nodes) const;
    /// How much the type must shrink so that every pair of `points` keeps its boxes apart (1: not at all).
    qreal fit(const std::vector<std::pair<QPointF, uint64_t>> &points, const QSizeF &largest) const;
};

/// One paint of a GraphView: edges first, under the nodes, then the nodes, the edge labels over
/// everything and the deadlock's name.
class GraphPainter
{
public:
    GraphPainter(const GraphView &view, QPainter &painter, const GraphView::Scene &scene, bool animated)
        : m_view(view)
        , m_graph(view.m_graph)
        , m_theme(view.theme())
        , m_painter(painter)
        , m_scene(scene)
        , m_animated(animated)
        , m_lw(m_theme.lineWidth)
    {}

    void paint();

private:
    /// An edge's label: placed after every edge is known, where it covers no node, label or line.
    struct Label
    {
        QPointF p0, control, p1; ///< the edge's curve (control = midpoint when straight)
        QPointF preferred;       ///< the side of the edge to try first
        qreal clearance = 0;     ///< half the edge's pen width and a little
        QString text;
        QColor color;
        QRectF rect;
    };
    struct Stroke
    {
        QColor color;
        qreal width = 0;
        Qt::PenStyle style = Qt::SolidLine;
    };
    /// Where an edge runs: between the boxes of its nodes, straight or bent through `control`.
    struct Route
    {
        uint64_t fromKey = 0;
        uint64_t toKey = 0;
        QRectF a, b;
        QPointF p0, p1;
        QPointF control; ///< the midpoint while straight
        bool curved = false;
    };

    void paintEmptyMessage();
    /// "N more not drawn" when the graph left nodes out (Graph::cap).
    void paintNotDrawn();
    /// Where a node's centre is drawn (mid-animation included), how opaque and its box.
    QPointF centre(uint64_t key) const;
    qreal opacity(uint64_t key) const;
    QRectF boxOf(uint64_t key) const;

    // Edges (graphviewedges.cpp).
    void paintEdges();
    Stroke strokeOf(const GraphEdge &e) const;
    /// A channel drawn under another edge between the same two nodes.
    bool coveredChannel(const GraphEdge &e) const;
    /// Shifts the ends of an edge beside the others between the same two nodes.
    void spreadPair(const GraphEdge &e, Route &r) const;
    /// The route, straight or `bent` through `control`, runs through a node other than its ends.
    bool crossesNode(const Route &r, const QPointF &control, bool bent) const;
    void bowLockOrder(Route &r) const;
    void bendAround(Route &r) const;
    /// Draws the edge and its arrow head; keeps samples of its line and its label for placeLabels().
    void drawEdge(const GraphEdge &e, const Route &r, const Stroke &stroke);
    void placeLabels();

    void paintNodes();
    void paintNode(const GraphNode &n, const QRectF &box, qreal alpha);
    /// Draws the box of `n` by its kind and returns its corner radius; sets the colour of its
    /// text and the part of the box the text goes in.
    qreal paintNodeShape(const GraphNode &n, const QRectF &box, const QFontMetricsF &name, QColor &text,
                         QRectF &textBox);
    void paintLabels();
    void paintDeadlock();

    const GraphView &m_view;
    const Graph &m_graph;
    const Theme &m_theme;
    QPainter &m_painter;
    const GraphView::Scene &m_scene;
    const bool m_animated;
    const qreal m_lw;
    bool m_labelWaits = false;
    QPointF m_cycleCentre;
    std::vector<Label> m_labels;
    std::vector<QPointF> m_linePoints; ///< samples of every edge drawn
};

} // namespace interleave::ui
