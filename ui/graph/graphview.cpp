// SPDX-License-Identifier: MIT
#include "ui/graph/graphview.h"

#include "ui/legend.h"

#include <QComboBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace interleave::ui {

namespace {

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * t + b.redF() * (1 - t)), float(a.greenF() * t + b.greenF() * (1 - t)),
                            float(a.blueF() * t + b.blueF() * (1 - t)));
}

QColor queueColor(const Theme &theme)
{
    return theme.stateColor(core::ThreadState::Blocked, core::BlockReason::Queue);
}

/// Queue nodes: a warm neutral fill no thread colour has, outlined like the flows through them.
QColor queueFill(const Theme &theme)
{
    return blend(QColor(0xc8, 0xb0, 0x80), theme.background, 0.35);
}

QColor taskColor(const Theme &theme)
{
    return theme.stateColor(core::ThreadState::Running);
}

QString signalName(int64_t signal)
{
    // sigabbrev_np: "KILL" for 9, without the localised description strsignal would give.
    const char *abbrev = signal > 0 && signal < 65 ? sigabbrev_np(int(signal)) : nullptr;
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}

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

} // namespace

struct GraphView::Scene
{
    QRectF bounds; ///< where the graph draws
    QRectF area;   ///< the image of the layout's unit square (node centres)
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
};

GraphView::GraphView(QWidget *parent)
    : TraceView(parent)
{
    setMinimumSize(200, 150);
    m_selector = new QComboBox(this);
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_selector->setFocusPolicy(Qt::TabFocus);
    for (GraphMode mode : {GraphMode::Auto, GraphMode::Locks, GraphMode::Processes, GraphMode::Topology})
        m_selector->addItem(QString(), int(mode));
    m_selector->setFont(theme().font(0.9));
    connect(m_selector, &QComboBox::activated, this,
            [this](int index) { setMode(GraphMode(m_selector->itemData(index).toInt())); });

    m_animation = new QVariantAnimation(this);
    m_animation->setStartValue(0.0);
    m_animation->setEndValue(1.0);
    m_animation->setDuration(kAnimationMs);
    m_animation->setEasingCurve(QEasingCurve::OutCubic);
    connect(m_animation, &QVariantAnimation::valueChanged, this, [this](const QVariant &value) {
        m_progress = value.toReal();
        update();
    });
    connect(m_animation, &QVariantAnimation::finished, this, [this] {
        m_progress = 1.0;
        m_from.clear();
        m_fresh.clear();
        m_leaving.clear();
        update();
    });
    retranslate();
}

GraphView::~GraphView() = default;

QString GraphView::title() const
{
    return tr("Graph");
}

QString GraphView::modeName(GraphMode mode)
{
    switch (mode) {
    case GraphMode::Locks:
        return tr("Locks and waits");
    case GraphMode::Processes:
        return tr("Process tree");
    case GraphMode::Topology:
        return tr("Master and workers");
    case GraphMode::Auto:
        break;
    }
    return tr("Automatic");
}

void GraphView::retranslate()
{
    for (int i = 0; i < m_selector->count(); ++i) {
        const auto mode = GraphMode(m_selector->itemData(i).toInt());
        m_selector->setItemText(i, mode == GraphMode::Auto ? autoItemText() : modeName(mode));
    }
    m_selector->setToolTip(tr("Which graph to show"));
    m_selector->adjustSize();
    placeSelector();
}

QString GraphView::autoItemText() const
{
    // Says which graph "automatic" chose, so the student knows what the picture is.
    return model() ? tr("Automatic: %1").arg(modeName(shownMode())) : modeName(GraphMode::Auto);
}

void GraphView::placeSelector()
{
    m_selector->move(std::max(0, width() - m_selector->width() - 6), 6);
}

void GraphView::setMode(GraphMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    m_sticky = {};
    m_selector->setCurrentIndex(m_selector->findData(int(mode)));
    rebuild(true);
    Q_EMIT modeChanged(mode);
}

GraphMode GraphView::shownMode() const
{
    ensureBuilt();
    return m_graph.mode == GraphMode::Auto ? GraphMode::Locks : m_graph.mode;
}

const Graph &GraphView::graph() const
{
    ensureBuilt();
    return m_graph;
}

const GraphLayout &GraphView::layout() const
{
    ensureBuilt();
    return m_layout;
}

void GraphView::refresh()
{
    if (isVisible())
        rebuild(true);
    else
        m_dirty = true;
}

TraceView::Prepare GraphView::preparer() const
{
    return [](const core::TraceModel &model) -> Prepared {
        auto builder = std::make_shared<GraphBuilder>();
        builder->sync(model);
        return builder;
    };
}

void GraphView::modelChanged()
{
    m_sticky = {};
    if (const Prepared prepared = takePrepared())
        m_builder = std::move(*static_cast<GraphBuilder *>(prepared.get()));
    else
        m_builder.reset();
    m_animation->stop();
    m_progress = 1.0;
    m_from.clear();
    m_fresh.clear();
    m_leaving.clear();
    m_dirty = true;
    if (isVisible())
        rebuild(false);
}

void GraphView::playheadChanged()
{
    refresh();
}

void GraphView::themeChanged()
{
    m_sticky = {};
    m_selector->setFont(theme().font(0.9));
    m_selector->adjustSize();
    placeSelector();
    // Type sizes change how many process nodes fit in a row.
    m_dirty = true;
    if (isVisible())
        rebuild(false);
}

void GraphView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_sticky = {};
        retranslate();
        update();
    }
    TraceView::changeEvent(event);
}

void GraphView::resizeEvent(QResizeEvent *event)
{
    TraceView::resizeEvent(event);
    placeSelector();
    m_sticky = {};
    m_dirty = true;
    if (isVisible())
        rebuild(false);
}

void GraphView::showEvent(QShowEvent *event)
{
    TraceView::showEvent(event);
    if (m_dirty)
        rebuild(false);
}

void GraphView::ensureBuilt() const
{
    if (!m_dirty)
        return;
    // Builds without animating: nothing was on screen to glide from.
    const_cast<GraphView *>(this)->rebuild(false);
}

void GraphView::rebuild(bool animate)
{
    const bool wasBuilt = !m_dirty;
    std::map<uint64_t, QPointF> shown;
    if (wasBuilt) {
        for (const GraphNode &n : m_graph.nodes)
            shown[n.key] = displayedUnit(n.key);
    }
    const Graph old = std::move(m_graph);
    const GraphLayout previous = std::move(m_layout);
    m_graph = Graph();
    if (model()) {
        m_builder.sync(*model());
        m_graph = m_builder.build(*model(), m_mode, playhead());
    } else {
        m_graph.mode = m_mode == GraphMode::Auto ? GraphMode::Locks : m_mode;
    }
    m_dirty = false;
    m_layout = scene(size(), true, false).layout;
    if (m_selector->itemText(0) != autoItemText())
        retranslate();
    update();

    // Only a new picture (nodes come or go, or move) restarts the glide; a refresh that changes
    // nothing lets a running one finish.
    bool changed = !wasBuilt || old.nodes.size() != m_graph.nodes.size();
    for (const GraphNode &n : m_graph.nodes) {
        const std::optional<QPointF> before = old.indexOf(n.key) >= 0 ? previous.at(n.key) : std::nullopt;
        const QPointF target = m_layout.positions.at(n.key);
        if (!before || std::abs(before->x() - target.x()) > 1e-9 || std::abs(before->y() - target.y()) > 1e-9)
            changed = true;
    }
    if (!changed)
        return;
    m_animation->stop();
    m_from.clear();
    m_fresh.clear();
    m_leaving.clear();
    m_progress = 1.0;
    if (!animate || !isVisible() || shown.empty())
        return;
    for (const GraphNode &n : m_graph.nodes) {
        auto it = shown.find(n.key);
        if (it != shown.end())
            m_from[n.key] = it->second;
        else
            m_fresh.insert(n.key);
    }
    for (const GraphNode &n : old.nodes)
        if (m_graph.indexOf(n.key) < 0)
            m_leaving.emplace_back(n, shown.at(n.key));
    m_progress = 0.0;
    m_animation->start();
}

QPointF GraphView::displayedUnit(uint64_t key) const
{
    const QPointF target = m_layout.at(key).value_or(QPointF(0.5, 0.5));
    if (m_progress >= 1.0)
        return target;
    auto it = m_from.find(key);
    if (it == m_from.end())
        return target;
    return it->second + (target - it->second) * m_progress;
}

QStringList GraphView::nodeLines(const GraphNode &node) const
{
    QString name = QString::fromStdString(node.name);
    QStringList lines;
    switch (node.kind) {
    case NodeKind::Thread:
        lines << (name.isEmpty() ? tr("thread %1").arg(node.thread) : name);
        break;
    case NodeKind::Process:
        lines << (name.isEmpty() ? tr("process") : name);
        lines << (node.master   ? tr("master, pid %1").arg(node.pid)
                  : node.worker ? tr("worker, pid %1").arg(node.pid)
                                : tr("pid %1").arg(node.pid));
        if (node.exited)
            lines << (node.signaled ? tr("killed by %1").arg(signalName(node.exitStatus))
                                    : tr("exit code %1").arg(node.exitStatus));
        else if (node.task >= 0)
            lines << tr("runs task %1").arg(node.task);
        break;
    case NodeKind::Queue:
        lines << name;
        if (node.depth >= 0)
            lines << tr("%1 in the queue").arg(node.depth);
        break;
    case NodeKind::Lock:
    case NodeKind::Other:
        lines << name;
        break;
    }
    return lines;
}

QString GraphView::edgeLabel(const GraphEdge &edge, bool labelWaits) const
{
    switch (edge.kind) {
    case EdgeKind::Holds:
        return labelWaits || edge.inCycle ? tr("holds") : QString();
    case EdgeKind::WaitsFor:
        return labelWaits || edge.inCycle ? tr("waits for") : QString();
    case EdgeKind::Task:
        return tr("task %1").arg(edge.id);
    case EdgeKind::Result:
        return tr("result");
    case EdgeKind::Message:
        return tr("%1 on the way").arg(edge.count);
    case EdgeKind::MayDeadlock: // once for the pair of arcs
        return edge.from > edge.to ? tr("could deadlock") : QString();
    case EdgeKind::Child:
    case EdgeKind::Channel:
        break;
    }
    return QString();
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

    // Boxes at a type scale; shrunk below when the graph is crowded.
    std::vector<const GraphNode *> nodes;
    for (const GraphNode &n : m_graph.nodes)
        nodes.push_back(&n);
    if (widget)
        for (const auto &[n, at] : m_leaving)
            nodes.push_back(&n);
    qreal maxW = 0;
    qreal maxH = 0;
    auto measure = [&](qreal scale) {
        s.scale = scale;
        s.nameFont = t.font(1.15 * scale, true);
        s.detailFont = t.font(0.9 * scale);
        s.labelFont = t.font(scale);
        s.deadlockFont = t.font(1.3 * std::max<qreal>(scale, 0.8), true);
        const QFontMetricsF name(s.nameFont);
        const QFontMetricsF detail(s.detailFont);
        const qreal pad = name.height() * 0.45;
        maxW = 0;
        maxH = 0;
        s.boxes.clear();
        s.lines.clear();
        for (const GraphNode *n : nodes) {
            QStringList lines = nodeLines(*n);
            // A long name (a remote worker's address) is cut, not allowed to push the graph apart.
            lines[0] = name.elidedText(lines[0], Qt::ElideMiddle, name.height() * 14);
            s.lines[n->key] = lines;
            qreal w = 0;
            qreal h = 0;
            for (int i = 0; i < lines.size(); ++i) {
                const QFontMetricsF &m = i == 0 ? name : detail;
                w = std::max(w, m.horizontalAdvance(lines[i]));
                h += m.height();
            }
            if (n->kind == NodeKind::Lock || n->kind == NodeKind::Queue)
                w += name.height() * 0.9; // the padlock / the queue's slots
            if (n->kind == NodeKind::Thread)
                w += pad; // round ends
            const QSizeF box(std::max(w + 2 * pad, (h + pad) * 1.6), h + pad * 1.2);
            s.boxes[n->key] = box;
            maxW = std::max(maxW, box.width());
            maxH = std::max(maxH, box.height());
        }
        if (widget) {
            maxW = std::max(maxW, m_sticky.width);
            maxH = std::max(maxH, m_sticky.height);
        }
    };
    auto placeArea = [&] {
        s.area = s.bounds.adjusted(maxW / 2 + margin, maxH / 2 + margin, -maxW / 2 - margin, -maxH / 2 - margin);
        if (s.area.width() < 1)
            s.area = QRectF(s.bounds.center().x(), s.area.top(), 0, s.area.height());
        if (s.area.height() < 1)
            s.area = QRectF(s.area.left(), s.bounds.center().y(), s.area.width(), 0);
    };
    // On screen, type only shrinks and margins only grow while the playhead moves, so nodes do
    // not shift when a wide one comes and goes (a new model, size or theme starts afresh).
    measure(widget ? m_sticky.scale : 1.0);
    const int maxRow = std::max(1, int((s.bounds.width() - 2 * margin) / std::max<qreal>(maxW * 1.12, 1)));
    s.layout = widgetLayout ? m_layout : GraphLayout::compute(m_graph, maxRow);
    placeArea();

    // Shrink type until every pair of places keeps its boxes apart (on one axis at least). A
    // place whose node is not shown now counts with a typical box.
    std::vector<std::pair<QPointF, uint64_t>> points;
    for (const auto &[key, p] : s.layout.positions)
        points.emplace_back(p, key);
    if (points.size() > 400) { // then only the nodes shown now
        points.clear();
        for (const GraphNode *n : nodes)
            points.emplace_back(s.layout.at(n->key).value_or(QPointF(0.5, 0.5)), n->key);
    }
    for (int round = 0; round < 2 && maxW > 0; ++round) {
        std::vector<qreal> widths;
        for (const auto &[key, box] : s.boxes)
            widths.push_back(box.width());
        std::nth_element(widths.begin(), widths.begin() + long(widths.size() / 2), widths.end());
        const QSizeF typical(widths.empty() ? maxW : widths[widths.size() / 2], maxH);
        auto boxSize = [&](uint64_t key) {
            auto it = s.boxes.find(key);
            return it == s.boxes.end() ? typical : it->second;
        };
        qreal fit = 1.0;
        for (size_t i = 0; i < points.size(); ++i) {
            const QSizeF bi = boxSize(points[i].second);
            for (size_t j = i + 1; j < points.size(); ++j) {
                const QSizeF bj = boxSize(points[j].second);
                const qreal dx = std::abs(points[i].first.x() - points[j].first.x()) * s.area.width();
                const qreal dy = std::abs(points[i].first.y() - points[j].first.y()) * s.area.height();
                if (dx < 1e-6 && dy < 1e-6)
                    continue; // one slot shared in turn: never shown together
                fit = std::min(fit, std::max(dx / ((bi.width() + bj.width()) / 2 * 1.08),
                                             dy / ((bi.height() + bj.height()) / 2 * 1.25)));
            }
        }
        const qreal scale = std::clamp(s.scale * fit, 0.5, 1.0);
        if (std::abs(scale - s.scale) < 0.01)
            break;
        measure(scale);
        placeArea();
    }
    if (widget)
        m_sticky = {s.scale, maxW, maxH};
    return s;
}

std::optional<QPointF> GraphView::displayedCenter(uint64_t key) const
{
    ensureBuilt();
    if (m_graph.indexOf(key) < 0)
        return std::nullopt;
    return scene(size(), true, true).map(displayedUnit(key));
}

std::optional<QPointF> GraphView::targetCenter(uint64_t key) const
{
    ensureBuilt();
    if (m_graph.indexOf(key) < 0)
        return std::nullopt;
    return scene(size(), true, true).map(m_layout.at(key).value_or(QPointF(0.5, 0.5)));
}

std::optional<QPointF> GraphView::renderedCenter(uint64_t key, const QSize &size) const
{
    ensureBuilt();
    if (m_graph.indexOf(key) < 0)
        return std::nullopt;
    const Scene s = scene(size, false, false);
    return s.map(s.layout.at(key).value_or(QPointF(0.5, 0.5)));
}

void GraphView::renderContent(QPainter &painter, const QSize &size)
{
    ensureBuilt();
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintGraph(painter, scene(size, false, false), false);
    painter.restore();
}

void GraphView::paintEvent(QPaintEvent *)
{
    ensureBuilt();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(rect(), theme().background);
    const Scene s = scene(size(), true, true);
    paintGraph(painter, s, true);
    paintLegend(&painter, QRectF(QPointF(0, 0), QSizeF(size())));
}

std::vector<LegendEntry> GraphView::legend() const
{
    const Theme &t = theme();
    const qreal lw = t.lineWidth;
    std::vector<LegendEntry> out;
    auto node = [&](const QString &label, const QColor &fill, const QColor &outline,
                    Qt::PenStyle style = Qt::SolidLine) {
        out.push_back({label, QBrush(fill), QPen(outline, 1.5 * lw, style)});
    };
    auto line = [&](const QString &label, const QColor &color, qreal width, Qt::PenStyle style = Qt::SolidLine) {
        out.push_back({label, QBrush(Qt::NoBrush), QPen(color, width, style, Qt::FlatCap)});
    };
    switch (shownMode()) {
    case GraphMode::Processes:
        node(tr("process"), t.background, t.foreground);
        node(tr("exited process"), t.laneAlternate, t.muted, Qt::DashLine);
        line(tr("parent → child"), t.foreground, 1.5 * lw);
        line(tr("waits for"), t.wait, 2 * lw, Qt::DashLine);
        line(tr("item on the way"), queueColor(t), 2.5 * lw, Qt::DashLine);
        break;
    case GraphMode::Topology:
        node(tr("process"), t.background, t.foreground);
        node(tr("queue"), queueFill(t), t.flow);
        line(tr("path of tasks and results"), t.muted, lw);
        line(tr("task being computed"), taskColor(t), 3 * lw);
        line(tr("result not taken yet"), queueColor(t), 3 * lw);
        break;
    case GraphMode::Auto:
    case GraphMode::Locks:
        node(tr("thread"), blend(t.threadColor(0), t.background, 0.3), t.threadColor(0));
        node(tr("lock"), t.laneAlternate, t.foreground);
        node(tr("queue"), queueFill(t), t.flow);
        node(tr("process"), t.background, t.foreground);
        line(tr("holds"), t.hold, 2 * lw);
        line(tr("waits for"), t.wait, 2 * lw, Qt::DashLine);
        line(tr("deadlock"), t.deadlock, 4.5 * lw);
        if (graph().countEdges(EdgeKind::MayDeadlock) > 0)
            line(tr("could deadlock"), t.deadlock, 3.5 * lw, Qt::DashLine);
        break;
    }
    return out;
}

qreal GraphView::paintLegend(QPainter *painter, const QRectF &area) const
{
    const Theme &t = theme();
    const QFont font = t.font(0.85);
    const QFontMetricsF m(font);
    const qreal margin = m.height() * 0.5;
    const LegendLayout layout(legend(), m, area.width() - 2 * margin);
    const qreal height = layout.height() + margin;
    if (!painter)
        return height;
    painter->save();
    painter->setFont(font);
    layout.paint(*painter, QPointF(area.left() + margin, area.bottom() - height), t);
    painter->restore();
    return height;
}

void GraphView::paintGraph(QPainter &painter, const Scene &s, bool animated) const
{
    const Theme &t = theme();
    const qreal lw = t.lineWidth;

    if (!model() || model()->ingestedEvents() == 0 || m_graph.empty()) {
        QString text;
        if (!model() || model()->ingestedEvents() == 0)
            text = tr("No trace yet: run a scenario or open a trace.");
        else if (m_graph.mode == GraphMode::Processes)
            text = tr("No process has started yet at this time.");
        else if (m_graph.mode == GraphMode::Topology)
            text = tr("No master or worker at this time.");
        else
            text = tr("No thread holds or waits for anything at this time.");
        painter.setFont(t.font(1.1));
        painter.setPen(t.muted);
        painter.drawText(s.bounds.adjusted(10, 10, -10, -10), Qt::AlignCenter | Qt::TextWordWrap, text);
        if (!animated || m_leaving.empty())
            return;
    }

    auto centre = [&](uint64_t key) {
        return s.map(animated ? displayedUnit(key) : s.layout.at(key).value_or(QPointF(0.5, 0.5)));
    };
    auto opacity = [&](uint64_t key) -> qreal { return animated && m_fresh.count(key) ? m_progress : 1.0; };
    auto boxOf = [&](uint64_t key) {
        const QSizeF size = s.boxes.count(key) ? s.boxes.at(key) : QSizeF(40, 20);
        const QPointF c = centre(key);
        return QRectF(c.x() - size.width() / 2, c.y() - size.height() / 2, size.width(), size.height());
    };

    // Edges first, under the nodes.
    const size_t waitEdges = m_graph.countEdges(EdgeKind::Holds) + m_graph.countEdges(EdgeKind::WaitsFor);
    const bool labelWaits = waitEdges <= 8;
    const QFontMetricsF labelMetrics(s.labelFont);
    const QPointF cycleCentre = s.map(s.layout.cycleCentre);
    // Labels are placed after every edge is known, where they cover no node, label or line.
    struct Label
    {
        QPointF p0, control, p1; ///< the edge's curve (control = midpoint when straight)
        QPointF preferred;       ///< the side of the edge to try first
        qreal clearance = 0;     ///< half the edge's pen width and a little
        QString text;
        QColor color;
        QRectF rect;
    };
    std::vector<Label> labels;
    std::vector<QPointF> linePoints; // samples of every edge drawn
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
        const uint64_t fromKey = m_graph.nodes[e.from].key;
        const uint64_t toKey = m_graph.nodes[e.to].key;
        const QRectF a = boxOf(fromKey);
        const QRectF b = boxOf(toKey);
        QColor color;
        qreal width = 2 * lw;
        Qt::PenStyle style = Qt::SolidLine;
        switch (e.kind) {
        case EdgeKind::Holds:
            color = t.hold;
            break;
        case EdgeKind::WaitsFor:
            color = t.wait;
            style = e.timed ? Qt::DotLine : Qt::DashLine;
            break;
        case EdgeKind::Child:
            color = t.foreground;
            width = 1.5 * lw;
            break;
        case EdgeKind::Channel:
            color = t.muted;
            width = lw;
            break;
        case EdgeKind::Task:
            color = taskColor(t);
            width = 3 * lw;
            break;
        case EdgeKind::Result:
            color = queueColor(t);
            width = 3 * lw;
            break;
        case EdgeKind::Message:
            color = queueColor(t);
            width = 2.5 * lw;
            style = Qt::DashLine;
            break;
        case EdgeKind::MayDeadlock:
            color = t.deadlock;
            width = 3.5 * lw;
            style = Qt::DashLine;
            break;
        }
        if (e.inCycle) {
            color = t.deadlock;
            width = 4.5 * lw;
            style = Qt::SolidLine;
        }
        // Several edges between the same two nodes are drawn side by side (a channel under a task
        // is simply covered); an edge that would run through another node bows around it.
        if (e.kind == EdgeKind::Channel &&
            std::any_of(m_graph.edges.begin(), m_graph.edges.end(), [&](const GraphEdge &o) {
                return o.kind != EdgeKind::Channel && o.from == e.from && o.to == e.to;
            }))
            continue;
        std::vector<const GraphEdge *> pair;
        for (const GraphEdge &o : m_graph.edges)
            if (o.kind != EdgeKind::Channel &&
                ((o.from == e.from && o.to == e.to) || (o.from == e.to && o.to == e.from)))
                pair.push_back(&o);
        QPointF p0 = a.center();
        QPointF p1 = b.center();
        // The normal of the pair's direction from its lower to its higher node index, so both
        // directions agree on which side is which.
        const QPointF along = e.from < e.to ? p1 - p0 : p0 - p1;
        const QPointF normal(-unit(along).y(), unit(along).x());
        if (pair.size() > 1 && e.kind != EdgeKind::Channel) {
            const size_t i = size_t(std::find(pair.begin(), pair.end(), &e) - pair.begin());
            const qreal step = std::min(a.height(), b.height()) * 0.4;
            const qreal shift = (qreal(i) - qreal(pair.size() - 1) / 2) * step;
            p0 += normal * shift;
            p1 += normal * shift;
        }
        QPointF control = (p0 + p1) / 2;
        bool curved = false;
        auto blocked = [&](const QPointF &c, bool bent) {
            for (const GraphNode &n : m_graph.nodes) {
                if (n.key == fromKey || n.key == toKey)
                    continue;
                const QRectF r = boxOf(n.key).adjusted(-4, -4, 4, 4);
                for (int k = 1; k < 24; ++k) {
                    const qreal u = k / 24.0;
                    const QPointF q =
                        bent ? (1 - u) * (1 - u) * p0 + 2 * u * (1 - u) * c + u * u * p1 : p0 + (p1 - p0) * u;
                    if (r.contains(q) && !a.contains(q) && !b.contains(q))
                        return true;
                }
            }
            return false;
        };
        if (e.kind == EdgeKind::MayDeadlock) {
            // A lock-order cycle bows out, each order on its own side, as two arcs between the locks.
            const qreal length = std::hypot(p1.x() - p0.x(), p1.y() - p0.y());
            const QPointF side(-unit(p1 - p0).y(), unit(p1 - p0).x());
            // The arc's apex lies half way to the control point: keep it inside the drawing area;
            // with no room on its side (locks at the area's edge), the arc nests inside the other.
            const QPointF mid = (p0 + p1) / 2;
            const qreal margin = 12 * lw;
            qreal room = 0.35 * length;
            for (qreal k = 0; k < 0.35 * length; k += 4)
                if (!s.area.adjusted(margin, margin, -margin, -margin).contains(mid + side * (k / 2))) {
                    room = k;
                    break;
                }
            control = mid + side * (room >= 0.2 * length ? room : room - 0.2 * length);
            curved = true;
        } else if (!e.inCycle && blocked(control, false)) {
            const qreal length = std::hypot(p1.x() - p0.x(), p1.y() - p0.y());
            // The least bend that clears every node; of two such, the one away from the middle
            // (the deadlock circle, or the graph's centre), where the other edges are.
            const QPointF middle = s.layout.hasCycle ? cycleCentre : s.area.center();
            const QPointF side(-unit(p1 - p0).y(), unit(p1 - p0).x());
            for (qreal k : {0.25, 0.45, 0.7}) {
                const QPointF plus = (p0 + p1) / 2 + side * (k * length);
                const QPointF minus = (p0 + p1) / 2 - side * (k * length);
                const bool plusFree = !blocked(plus, true);
                const bool minusFree = !blocked(minus, true);
                if (!plusFree && !minusFree)
                    continue;
                const auto distance = [&](const QPointF &c) {
                    return std::hypot(c.x() - middle.x(), c.y() - middle.y());
                };
                control = plusFree && (!minusFree || distance(plus) >= distance(minus)) ? plus : minus;
                curved = true;
                break;
            }
        }
        const qreal gap = 2 + lw;
        const QPointF start = boxExit(QRectF(a.topLeft() + (p0 - a.center()), a.size()), curved ? control : p1, gap);
        const QPointF end = boxExit(QRectF(b.topLeft() + (p1 - b.center()), b.size()), curved ? control : p0, gap);
        const qreal head = 6 + 3.2 * lw + (e.inCycle ? 4 : 0);
        const QPointF endDir = unit(end - (curved ? control : start));
        QPainterPath path(start);
        const QPointF lineEnd = end - endDir * head * 0.6;
        if (curved)
            path.quadTo(control, lineEnd);
        else
            path.lineTo(lineEnd);
        const qreal fade = std::min(opacity(fromKey), opacity(toKey));
        painter.setOpacity(fade);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(color, width, style, Qt::FlatCap, Qt::RoundJoin));
        painter.drawPath(path);
        drawArrowHead(painter, end, endDir, head, color);
        painter.setOpacity(1.0);

        const QPointF c = curved ? control : (start + end) / 2;
        for (int k = 0; k <= 16; ++k) {
            const qreal u = k / 16.0;
            linePoints.push_back((1 - u) * (1 - u) * start + 2 * u * (1 - u) * c + u * u * end);
        }
        const QString text = edgeLabel(e, labelWaits);
        if (!text.isEmpty() && fade > 0.5) {
            const QPointF mid = (start + 2 * c + end) / 4;
            QPointF away = QPointF(-endDir.y(), endDir.x());
            if (e.inCycle) { // outside the circle, where the label "deadlock" is not
                if (QPointF::dotProduct(away, mid - cycleCentre) < 0)
                    away = -away;
            } else if (away.y() > 0 || (std::abs(away.y()) < 1e-6 && away.x() < 0)) {
                away = -away; // above the line, or right of a vertical one
            }
            labels.push_back({start, c, end, away, width / 2 + 3, text,
                              e.inCycle ? t.deadlock : blend(color, t.foreground, 0.75), QRectF()});
        }
    }
    // Try the middle of the edge, then further along it, on the preferred side, then the other.
    std::vector<QRectF> taken;
    for (const GraphNode &n : m_graph.nodes)
        taken.push_back(boxOf(n.key));
    if (m_graph.deadlocked()) {
        const QFontMetricsF m(s.deadlockFont);
        const QSizeF size(m.horizontalAdvance(tr("deadlock")) + m.height(), m.height() * 1.3);
        taken.emplace_back(cycleCentre - QPointF(size.width(), size.height()) / 2, size);
    }
    for (Label &l : labels) {
        const QSizeF size(labelMetrics.horizontalAdvance(l.text) + 6, labelMetrics.height());
        auto rectAt = [&](qreal u, qreal sideSign) {
            const QPointF on = (1 - u) * (1 - u) * l.p0 + 2 * u * (1 - u) * l.control + u * u * l.p1;
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
            for (const QPointF &p : linePoints)
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

    // Nodes.
    auto drawNode = [&](const GraphNode &n, const QRectF &box, qreal alpha) {
        painter.setOpacity(alpha);
        const QStringList lines = s.lines.count(n.key) ? s.lines.at(n.key) : nodeLines(n);
        const QFontMetricsF name(s.nameFont);
        const QFontMetricsF detail(s.detailFont);
        const qreal border = 1.8 * lw;
        QColor text = t.foreground;
        QRectF textBox = box;
        qreal radius = 4;
        switch (n.kind) {
        case NodeKind::Thread: {
            const QColor c = threadColor(n.thread);
            radius = box.height() / 2;
            painter.setPen(QPen(c, 2.4 * lw));
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
            painter.setPen(QPen(c, std::max<qreal>(1, lw)));
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
        if (n.inCycle) {
            const qreal out = 3 + 2 * lw;
            painter.setPen(QPen(t.deadlock, 2.5 * lw));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(box.adjusted(-out, -out, out, out), radius + out, radius + out);
        }
        qreal total = 0;
        for (int i = 0; i < lines.size(); ++i)
            total += (i == 0 ? name : detail).height();
        qreal y = box.center().y() - total / 2;
        painter.setPen(text);
        for (int i = 0; i < lines.size(); ++i) {
            const QFontMetricsF &m = i == 0 ? name : detail;
            painter.setFont(i == 0 ? s.nameFont : s.detailFont);
            painter.drawText(QRectF(textBox.left(), y, textBox.width(), m.height()), Qt::AlignCenter, lines[i]);
            y += m.height();
        }
        painter.setOpacity(1.0);
    };
    if (animated) {
        for (const auto &[n, at] : m_leaving) {
            const QSizeF size = s.boxes.count(n.key) ? s.boxes.at(n.key) : QSizeF(40, 20);
            const QPointF c = s.map(at);
            drawNode(n, QRectF(c.x() - size.width() / 2, c.y() - size.height() / 2, size.width(), size.height()),
                     1.0 - m_progress);
        }
    }
    for (const GraphNode &n : m_graph.nodes)
        drawNode(n, boxOf(n.key), opacity(n.key));

    // Edge labels over everything, on a patch of background so lines do not cross the text.
    painter.setFont(s.labelFont);
    for (const Label &l : labels) {
        const QRectF &r = l.rect;
        painter.setPen(Qt::NoPen);
        QColor patch = t.background;
        patch.setAlpha(215);
        painter.setBrush(patch);
        painter.drawRoundedRect(r, 3, 3);
        painter.setPen(l.color);
        painter.drawText(r, Qt::AlignCenter, l.text);
    }

    if (m_graph.deadlocked()) {
        const QString text = tr("deadlock");
        const QFontMetricsF m(s.deadlockFont);
        const QSizeF size(m.horizontalAdvance(text) + m.height(), m.height() * 1.3);
        const QRectF r(cycleCentre.x() - size.width() / 2, cycleCentre.y() - size.height() / 2, size.width(),
                       size.height());
        painter.setPen(QPen(t.deadlock, 1.5 * lw));
        painter.setBrush(t.background);
        painter.drawRoundedRect(r, 4, 4);
        painter.setFont(s.deadlockFont);
        painter.setPen(t.deadlock);
        painter.drawText(r, Qt::AlignCenter, text);
    }
}

} // namespace interleave::ui
