// SPDX-License-Identifier: MIT
#pragma once

#include "ui/graph/graphdata.h"
#include "ui/graph/graphlayout.h"
#include "ui/traceview.h"

#include <QPointF>

#include <map>
#include <optional>
#include <set>
#include <vector>

class QComboBox;
class QVariantAnimation;

namespace interleave::ui {

/// The graph at the playhead: who holds which lock and who waits for what (with the deadlock
/// cycle drawn unmistakably), the process tree, or the distributed master with its queues and
/// workers. It picks the graph from what the trace contains; a small selector (and the `mode`
/// property) switches. Nodes glide to their new places when the playhead moves; an export draws
/// the final picture at once, with vector drawing only.
class GraphView : public TraceView
{
    Q_OBJECT
    Q_PROPERTY(interleave::ui::GraphMode mode READ mode WRITE setMode NOTIFY modeChanged)
public:
    /// How long nodes take to move to a new layout.
    static constexpr int kAnimationMs = 250;

    explicit GraphView(QWidget *parent = nullptr);
    ~GraphView() override;

    QString title() const override;
    QString viewName() const override { return QStringLiteral("graph"); }
    std::vector<LegendEntry> legend() const override;
    /// Indexes the whole trace (GraphBuilder::sync) on the opening thread.
    Prepare preparer() const override;
    void renderContent(QPainter &painter, const QSize &size) override;

    /// The user's choice (Auto: chosen from the trace).
    GraphMode mode() const { return m_mode; }
    void setMode(GraphMode mode);
    /// The graph shown now (never Auto).
    GraphMode shownMode() const;
    static QString modeName(GraphMode mode);

    /// The graph at the playhead, as drawn.
    const Graph &graph() const;
    /// The layout the widget animates towards (for its current size).
    const GraphLayout &layout() const;
    /// Where a node's centre is drawn now (widget coordinates, mid-animation included).
    std::optional<QPointF> displayedCenter(uint64_t key) const;
    /// Where it will be when the animation is over.
    std::optional<QPointF> targetCenter(uint64_t key) const;
    /// Where renderContent(painter, size) draws it.
    std::optional<QPointF> renderedCenter(uint64_t key, const QSize &size) const;
    /// The animation that moves nodes (tests drive it with setCurrentTime).
    QVariantAnimation *animation() const { return m_animation; }
    QComboBox *modeSelector() const { return m_selector; }

public Q_SLOTS:
    void refresh() override;

Q_SIGNALS:
    void modeChanged(interleave::ui::GraphMode mode);

protected:
    void modelChanged() override;
    void playheadChanged() override;
    void themeChanged() override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    friend class GraphPainter; // graphviewpaint.cpp: one paint, step by step
    struct Scene;
    /// Rebuilds the graph at the playhead; `animate`: glide from the positions shown now.
    void rebuild(bool animate);
    /// Builds the graph if a change arrived while hidden.
    void ensureBuilt() const;
    /// Fonts, box sizes and placement for a paint device of `size`; `widget`: leave room for the
    /// selector and the legend; `widgetLayout`: use the layout the widget animates to.
    Scene scene(const QSize &size, bool widget, bool widgetLayout) const;
    QPointF displayedUnit(uint64_t key) const;
    void paintGraph(QPainter &painter, const Scene &scene, bool animated) const;
    /// The widget's own legend at the bottom of `area` (an export has its own); returns its
    /// height, and only measures when `painter` is nullptr.
    qreal paintLegend(QPainter *painter, const QRectF &area) const;
    QString autoItemText() const;
    QStringList nodeLines(const GraphNode &node) const;
    QString edgeLabel(const GraphEdge &edge, bool labelWaits) const;
    void retranslate();
    void placeSelector();

    GraphMode m_mode = GraphMode::Auto;
    QComboBox *m_selector = nullptr;
    QVariantAnimation *m_animation = nullptr;

    // The graph and its layout, built lazily: a hidden view does no work at 25 refreshes a second.
    mutable GraphBuilder m_builder;
    mutable Graph m_graph;
    mutable GraphLayout m_layout;
    mutable bool m_dirty = true;
    /// Type scale and largest box used on screen so far (see scene()).
    struct Sticky
    {
        qreal scale = 1.0;
        qreal width = 0;
        qreal height = 0;
    };
    mutable Sticky m_sticky;

    // Animation between two layouts, in unit coordinates.
    qreal m_progress = 1.0;
    std::map<uint64_t, QPointF> m_from;                   ///< positions of the nodes shown when it started
    std::set<uint64_t> m_fresh;                           ///< nodes fading in
    std::vector<std::pair<GraphNode, QPointF>> m_leaving; ///< nodes fading out, where they were
};

} // namespace interleave::ui
