// SPDX-License-Identifier: MIT
#pragma once

#include "ui/timeline/timelinelayout.h"
#include "ui/timeline/timemapping.h"
#include "ui/traceview.h"

#include <QFont>
#include <QPoint>
#include <QPointer>
#include <QRectF>

#include <cstdint>
#include <utility>
#include <vector>

class QCustomPlot;
class QKeyEvent;
class QPaintDevice;
class QScrollBar;
class QWheelEvent;

namespace interleave::ui {

/// Geometry of one frame of a lane view: a fixed label column on the left, the time axis on top,
/// the lanes under it. Rows are laid out in content coordinates and drawn scaled and scrolled.
struct LaneFrame
{
    QRectF bounds;
    QRectF labels; ///< the label column
    QRectF axis;   ///< the time axis, right of the label column
    QRectF plot;   ///< the lanes
    TimeMapping map;
    double scrollY = 0;     ///< content y at plot.top()
    double scale = 1;       ///< rows drawn this many times their natural height (an export fits them all)
    bool vector = false;    ///< painting into SVG / PDF: patterns as real lines
    bool exporting = false; ///< an image export: every row fitted in, the exporter adds the legend
    int64_t origin = 0;     ///< trace start: times are labelled relative to it
    QFont labelFont;
    QFont boldFont;
    QFont smallFont;
    QFont axisFont;

    double rowTop(const TimelineRow &row) const { return plot.top() + row.y * scale - scrollY; }
    double rowHeight(const TimelineRow &row) const { return row.height * scale; }
    /// The content y under widget y.
    double contentY(double y) const { return (y - plot.top() + scrollY) / scale; }
};

/// A view of lanes over time — the timeline and the cores view. QCustomPlot is the drawing
/// surface: one custom plottable paints the lanes of the visible range from the subclass's
/// summaries, and the playhead lives on a buffered layer of its own, so moving it (60 times a
/// second during playback) repaints one line and rebuilds nothing. The same paint code draws an
/// export straight into the exporter's painter, as vectors on SVG and PDF.
///
/// Mouse: the wheel zooms around the cursor (over the labels it scrolls the lanes, with Shift it
/// pans), a drag pans, a click moves the playhead. Keys: + and - zoom, Left and Right pan, Home
/// shows the whole trace, Up, Down, Page Up and Page Down scroll the lanes.
class LaneView : public TraceView
{
    Q_OBJECT
public:
    explicit LaneView(QWidget *parent = nullptr);
    ~LaneView() override;

    std::pair<int64_t, int64_t> visibleRange() const override;
    void setVisibleRange(int64_t t0, int64_t t1) override;
    void renderContent(QPainter &painter, const QSize &size) override;

    /// True while the view shows the whole trace (and keeps doing so as a live run grows).
    bool showsAll() const { return m_showAll; }
    void zoomAt(double factor, double x);
    void panBy(double dx);
    void showAll();
    void scrollBy(double dy);
    double scrollY() const { return m_scrollY; }

    /// The frame of the widget at its current size (cached until something changes).
    const LaneFrame &currentFrame();
    /// The frame of a paint of `size` on `device`; `fit`: every row squeezed in (an export).
    LaneFrame frameFor(const QSize &size, const QPaintDevice *device, bool fit) { return makeFrame(size, device, fit); }
    /// The rows for a frame.
    const TimelineLayout &layoutOf(const LaneFrame &frame) { return layoutFor(frame); }
    /// The hover text at a widget position ("" for none).
    QString hoverText(QPointF pos)
    {
        const LaneFrame &f = currentFrame();
        const QString row = rowToolTip(f, layoutFor(f), pos);
        return row.isEmpty() ? toolTipAt(f, layoutFor(f), pos) : row;
    }
    /// Counts content changes (data, range, theme, size): a moving playhead leaves it alone.
    uint64_t contentVersion() const { return m_contentVersion; }
    /// How many times the lanes were drawn on the surface (a playhead move draws only itself).
    uint64_t lanePaints() const { return m_lanePaints; }
    /// The drawing surface: the QCustomPlot that takes the mouse (tests send it events).
    QWidget *surface() const;
    /// Replots the surface now (normally a replot is queued).
    void replotNow();

    /// The label column width and time axis to share with `leader` (the window's cores view
    /// follows its timeline, so a time sits at the same x in both). Exports keep their own.
    void followAxisOf(LaneView *leader);
    /// A tick of the time axis and the box of its label.
    struct TickLabel
    {
        double x;
        QString label;
        QRectF box;
    };
    /// The tick labels (in x order) after the one a playhead handle at x, of half-width s, would
    /// cover moved beside it, or dropped where a neighbour is; all within [left, right].
    static std::vector<TickLabel> clearOfHandle(std::vector<TickLabel> ticks, double x, double s, double left,
                                                double right);
    /// The x of time t in the widget as drawn now.
    double xOf(int64_t t) { return currentFrame().map.toX(t); }

public Q_SLOTS:
    void refresh() override;

Q_SIGNALS:
    /// The frame changed (range, size, rows): a follower redraws.
    void axisChanged();

protected:
    /// Brings the subclass's data up to date with model(); `reset`: the model was replaced.
    virtual void updateData(bool reset) = 0;
    /// The rows for fonts of this frame, in natural size (cached by the subclass).
    virtual const TimelineLayout &layoutFor(const LaneFrame &frame) = 0;
    /// Width the label column wants for the fonts of this frame.
    virtual double labelWidth(const LaneFrame &frame) = 0;
    /// Paints lane backgrounds, labels and content of the visible rows (not the axis or playhead).
    virtual void paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout) = 0;
    /// The hover text at a widget position ("" for none).
    virtual QString toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) = 0;
    /// Shown when there is nothing to draw.
    virtual QString emptyText() const = 0;
    /// A click (not a drag) at a widget position; true if taken (then the playhead stays).
    virtual bool clickAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos);
    /// A key for the rows (before zoom, pan and scroll keys); true if taken.
    virtual bool rowKey(QKeyEvent *event);
    /// A hover text that comes before toolTipAt()'s ("" for none): what a row's header does.
    virtual QString rowToolTip(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos);

    void paintGrid(QPainter &painter, const LaneFrame &frame) const;
    /// Invalidates the cached frame and replots (data, theme, range or size changed).
    void contentChanged();

    void modelChanged() override;
    void themeChanged() override;
    void playheadChanged() override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    friend class LanePlottable;
    friend class PlayheadLayerable;

    LaneFrame makeFrame(const QSize &size, const QPaintDevice *device, bool fit);
    void paintFrame(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, bool withPlayhead);
    std::vector<TickLabel> tickLabels(const LaneFrame &frame) const;
    static double handleSize(const LaneFrame &frame);
    /// Moves aside (or drops) the tick label that the playhead's handle at x would cover.
    void uncoverTickLabel(QPainter &painter, const LaneFrame &frame, double x) const;
    void paintAxis(QPainter &painter, const LaneFrame &frame) const;
    void paintPlayhead(QPainter &painter, const LaneFrame &frame) const;
    void drawSurface(QPainter &painter);
    void drawPlayheadSurface(QPainter &painter);
    void setRange(int64_t t0, int64_t t1);
    /// Over the plot: zoom at the pointer; sideways or with Shift pan; over the labels scroll.
    void wheelOnPlot(QWheelEvent *e);
    std::pair<int64_t, int64_t> traceRange() const;
    void updateScrollBar(const LaneFrame &frame, const TimelineLayout &layout);
    void replot();

    QPointer<LaneView> m_leader;
    QCustomPlot *m_plot = nullptr;
    QScrollBar *m_scrollBar = nullptr;
    bool m_showAll = true;
    int64_t m_t0 = 0;
    int64_t m_t1 = 1;
    double m_scrollY = 0;
    LaneFrame m_frame;
    bool m_frameValid = false;
    uint64_t m_contentVersion = 0;
    uint64_t m_lanePaints = 0;
    QPoint m_pressPos;
    bool m_pressed = false;
    bool m_dragging = false;
    std::pair<int64_t, int64_t> m_pressRange;
    LaneFrame m_pressFrame;
};

} // namespace interleave::ui
