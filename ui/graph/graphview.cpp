// SPDX-License-Identifier: MIT
#include "ui/graph/graphview.h"
#include "ui/graph/graphviewimpl.h"

#include "ui/legend.h"

#include <QComboBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace interleave::ui {

using graphdetail::blend;
using graphdetail::queueColor;
using graphdetail::queueFill;
using graphdetail::taskColor;

namespace {

QString signalName(int64_t signal)
{
    // sigabbrev_np: "KILL" for 9, without the localised description strsignal would give.
    const char *abbrev = signal > 0 && signal < 65 ? sigabbrev_np(int(signal)) : nullptr;
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}

} // namespace

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
        if (node.groupSize > 0) { // a family of short-lived siblings
            lines << tr("%n processes, pids %1–%2", nullptr, node.groupSize).arg(node.pid).arg(node.groupLastPid);
            if (node.groupExited == node.groupSize && node.groupSameExit)
                lines << tr("all exited, code %1").arg(node.exitStatus);
            else if (node.groupKilled > 0)
                lines
                    << tr("%1 of %2 exited, %3 killed").arg(node.groupExited).arg(node.groupSize).arg(node.groupKilled);
            else
                lines << tr("%1 of %2 exited").arg(node.groupExited).arg(node.groupSize);
            break;
        }
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

} // namespace interleave::ui
