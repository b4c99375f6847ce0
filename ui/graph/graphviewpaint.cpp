// SPDX-License-Identifier: MIT
// GraphView's painting, step by step: the edges (graphviewedges.cpp) under the nodes, the nodes,
// the edge labels over everything and the deadlock's name inside its cycle.
#include "ui/graph/graphviewimpl.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

namespace interleave::ui {

using graphdetail::blend;
using graphdetail::queueFill;

void GraphView::paintGraph(QPainter &painter, const Scene &s, bool animated) const
{
    GraphPainter(*this, painter, s, animated).paint();
}

void GraphPainter::paint()
{
    const core::TraceModel *model = m_view.model();
    paintNotDrawn();
    if (!model || model->ingestedEvents() == 0 || m_graph.empty()) {
        paintEmptyMessage();
        if (!m_animated || m_view.m_leaving.empty())
            return;
    }
    paintEdges();
    placeLabels();
    paintNodes();
    paintLabels();
    if (m_graph.deadlocked())
        paintDeadlock();
}

void GraphPainter::paintEmptyMessage()
{
    const core::TraceModel *model = m_view.model();
    QString text;
    if (!model || model->ingestedEvents() == 0)
        text = GraphView::tr("No trace yet: run a scenario or open a trace.");
    else if (m_graph.mode == GraphMode::Processes)
        text = GraphView::tr("No process has started yet at this time.");
    else if (m_graph.mode == GraphMode::Topology)
        text = GraphView::tr("No master or worker at this time.");
    else
        text = GraphView::tr("No thread holds or waits for anything at this time.");
    m_painter.setFont(m_theme.font(1.1));
    m_painter.setPen(m_theme.muted);
    m_painter.drawText(m_scene.bounds.adjusted(10, 10, -10, -10), Qt::AlignCenter | Qt::TextWordWrap, text);
}

void GraphPainter::paintNotDrawn()
{
    if (m_graph.notDrawn == 0 || m_scene.note.isEmpty())
        return;
    const QString text =
        GraphView::tr("… %n more not drawn (a graph shows at most %1 nodes; the timeline has them all)", nullptr,
                      int(m_graph.notDrawn))
            .arg(int(Graph::kMaxNodes));
    m_painter.setFont(m_theme.font());
    m_painter.setPen(m_theme.muted);
    const QFontMetricsF m(m_theme.font());
    m_painter.drawText(m_scene.note, Qt::AlignCenter, m.elidedText(text, Qt::ElideRight, m_scene.note.width()));
}

QPointF GraphPainter::centre(uint64_t key) const
{
    return m_scene.map(m_animated ? m_view.displayedUnit(key) : m_scene.layout.at(key).value_or(QPointF(0.5, 0.5)));
}

qreal GraphPainter::opacity(uint64_t key) const
{
    return m_animated && m_view.m_fresh.count(key) ? m_view.m_progress : 1.0;
}

QRectF GraphPainter::boxOf(uint64_t key) const
{
    const QSizeF size = m_scene.boxes.count(key) ? m_scene.boxes.at(key) : QSizeF(40, 20);
    const QPointF c = centre(key);
    return QRectF(c.x() - size.width() / 2, c.y() - size.height() / 2, size.width(), size.height());
}

void GraphPainter::paintNodes()
{
    if (m_animated) {
        for (const auto &[n, at] : m_view.m_leaving) {
            const QSizeF size = m_scene.boxes.count(n.key) ? m_scene.boxes.at(n.key) : QSizeF(40, 20);
            const QPointF c = m_scene.map(at);
            paintNode(n, QRectF(c.x() - size.width() / 2, c.y() - size.height() / 2, size.width(), size.height()),
                      1.0 - m_view.m_progress);
        }
    }
    for (const GraphNode &n : m_graph.nodes)
        paintNode(n, boxOf(n.key), opacity(n.key));
}

void GraphPainter::paintNode(const GraphNode &n, const QRectF &box, qreal alpha)
{
    m_painter.setOpacity(alpha);
    const QStringList lines = m_scene.lines.count(n.key) ? m_scene.lines.at(n.key) : m_view.nodeLines(n);
    const QFontMetricsF name(m_scene.nameFont);
    const QFontMetricsF detail(m_scene.detailFont);
    QColor text = m_theme.foreground;
    QRectF textBox = box;
    const qreal radius = paintNodeShape(n, box, name, text, textBox);
    if (n.inCycle) {
        const qreal out = 3 + 2 * m_lw;
        m_painter.setPen(QPen(m_theme.deadlock, 2.5 * m_lw));
        m_painter.setBrush(Qt::NoBrush);
        m_painter.drawRoundedRect(box.adjusted(-out, -out, out, out), radius + out, radius + out);
    }
    qreal total = 0;
    for (int i = 0; i < lines.size(); ++i)
        total += (i == 0 ? name : detail).height();
    qreal y = box.center().y() - total / 2;
    m_painter.setPen(text);
    for (int i = 0; i < lines.size(); ++i) {
        const QFontMetricsF &m = i == 0 ? name : detail;
        m_painter.setFont(i == 0 ? m_scene.nameFont : m_scene.detailFont);
        m_painter.drawText(QRectF(textBox.left(), y, textBox.width(), m.height()), Qt::AlignCenter, lines[i]);
        y += m.height();
    }
    m_painter.setOpacity(1.0);
}

qreal GraphPainter::paintNodeShape(const GraphNode &n, const QRectF &box, const QFontMetricsF &name, QColor &text,
                                   QRectF &textBox)
{
    const Theme &t = m_theme;
    QPainter &painter = m_painter;
    const qreal border = 1.8 * m_lw;
    qreal radius = 4;
    switch (n.kind) {
    case NodeKind::Thread: {
        const QColor c = m_view.threadColor(n.thread);
        radius = box.height() / 2;
        painter.setPen(QPen(c, 2.4 * m_lw));
        painter.setBrush(blend(c, t.background, 0.3));
        painter.drawRoundedRect(box, radius, radius);
        break;
    }
    case NodeKind::Lock: {
        radius = 3;
        painter.setPen(QPen(t.foreground, border));
        painter.setBrush(t.laneAlternate);
        painter.drawRoundedRect(box, radius, radius);
        // A padlock: the lesson's "lock", recognisable without reading.
        const qreal u = name.height() * 0.5;
        const QPointF c(box.left() + u * 1.25, box.center().y());
        painter.setBrush(t.foreground);
        painter.setPen(Qt::NoPen);
        painter.drawRoundedRect(QRectF(c.x() - u * 0.6, c.y() - u * 0.15, u * 1.2, u * 0.9), 1.5, 1.5);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(t.foreground, std::max<qreal>(1.2, u * 0.22)));
        painter.drawArc(QRectF(c.x() - u * 0.4, c.y() - u * 0.75, u * 0.8, u * 1.2), 0, 180 * 16);
        textBox.setLeft(box.left() + u * 2.2);
        break;
    }
    case NodeKind::Queue: {
        const QColor c = t.flow;
        painter.setPen(QPen(c, border));
        painter.setBrush(queueFill(t));
        painter.drawRoundedRect(box, radius, radius);
        // Three slots at the right end: a queue of items.
        const qreal u = name.height() * 0.3;
        painter.setPen(QPen(c, std::max<qreal>(1, m_lw)));
        for (int i = 1; i <= 3; ++i) {
            const qreal x = box.right() - u * i;
            painter.drawLine(QPointF(x, box.top() + 3), QPointF(x, box.bottom() - 3));
        }
        textBox.setRight(box.right() - u * 3.3);
        break;
    }
    case NodeKind::Process:
        radius = 8;
        if (n.exited) {
            text = t.muted;
            painter.setPen(QPen(t.muted, border, Qt::DashLine));
            painter.setBrush(t.laneAlternate);
        } else {
            painter.setPen(QPen(t.foreground, n.master ? 2 * border : border));
            painter.setBrush(t.background);
        }
        painter.drawRoundedRect(box, radius, radius);
        break;
    case NodeKind::Other:
        painter.setPen(QPen(t.muted, border, Qt::DotLine));
        painter.setBrush(t.background);
        painter.drawRoundedRect(box, radius, radius);
        break;
    }
    return radius;
}

void GraphPainter::paintLabels()
{
    // Edge labels over everything, on a patch of background so lines do not cross the text.
    m_painter.setFont(m_scene.labelFont);
    for (const Label &l : m_labels) {
        const QRectF &r = l.rect;
        m_painter.setPen(Qt::NoPen);
        QColor patch = m_theme.background;
        patch.setAlpha(215);
        m_painter.setBrush(patch);
        m_painter.drawRoundedRect(r, 3, 3);
        m_painter.setPen(l.color);
        m_painter.drawText(r, Qt::AlignCenter, l.text);
    }
}

void GraphPainter::paintDeadlock()
{
    const QString text = GraphView::tr("deadlock");
    const QFontMetricsF m(m_scene.deadlockFont);
    const QSizeF size(m.horizontalAdvance(text) + m.height(), m.height() * 1.3);
    const QRectF r(m_cycleCentre.x() - size.width() / 2, m_cycleCentre.y() - size.height() / 2, size.width(),
                   size.height());
    m_painter.setPen(QPen(m_theme.deadlock, 1.5 * m_lw));
    m_painter.setBrush(m_theme.background);
    m_painter.drawRoundedRect(r, 4, 4);
    m_painter.setFont(m_scene.deadlockFont);
    m_painter.setPen(m_theme.deadlock);
    m_painter.drawText(r, Qt::AlignCenter, text);
}

} // namespace interleave::ui
