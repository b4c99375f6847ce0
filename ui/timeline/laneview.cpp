// SPDX-License-Identifier: MIT
#include "ui/qcp.h"

#include "ui/timeline/laneview.h"

#include "ui/timeline/lanepainter.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

namespace {

const QString kPlayheadLayer = QStringLiteral("playhead");
/// Shortest range one can zoom into, ns.
constexpr int64_t kMinSpan = 100;

} // namespace

/// Paints the lanes onto QCustomPlot's main layer; it holds no data of its own.
class LanePlottable : public QCPAbstractPlottable
{
public:
    LanePlottable(LaneView *view, QCPAxis *key, QCPAxis *value)
        : QCPAbstractPlottable(key, value)
        , m_view(view)
    {}

    double selectTest(const QPointF &, bool, QVariant *) const override { return -1; }
    QCPRange getKeyRange(bool &found, QCP::SignDomain) const override
    {
        found = false;
        return {};
    }
    QCPRange getValueRange(bool &found, QCP::SignDomain, const QCPRange &) const override
    {
        found = false;
        return {};
    }

protected:
    QRect clipRect() const override { return mParentPlot->viewport(); }
    void draw(QCPPainter *painter) override { m_view->drawSurface(*painter); }
    void drawLegendIcon(QCPPainter *, const QRectF &) const override {}

private:
    LaneView *m_view;
};

/// The playhead, alone on a buffered layer: moving it replots that layer only.
class PlayheadLayerable : public QCPLayerable
{
public:
    PlayheadLayerable(QCustomPlot *plot, LaneView *view)
        : QCPLayerable(plot, kPlayheadLayer)
        , m_view(view)
    {}

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override { painter->setAntialiasing(true); }
    void draw(QCPPainter *painter) override { m_view->drawPlayheadSurface(*painter); }

private:
    LaneView *m_view;
};

LaneView::LaneView(QWidget *parent)
    : TraceView(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 120);
    m_plot = new QCustomPlot(this);
    m_plot->setFocusPolicy(Qt::NoFocus);
    m_plot->setMouseTracking(true);
    m_plot->setInteractions({});
    // QCustomPlot is only the surface: no axes, grids or margins of its own.
    for (QCPAxis *axis : m_plot->axisRect()->axes()) {
        axis->setVisible(false);
        axis->grid()->setVisible(false);
    }
    m_plot->axisRect()->setAutoMargins(QCP::msNone);
    m_plot->axisRect()->setMargins(QMargins());
    m_plot->setCurrentLayer(QStringLiteral("main"));
    new LanePlottable(this, m_plot->xAxis, m_plot->yAxis);
    m_plot->addLayer(kPlayheadLayer, m_plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    m_plot->layer(kPlayheadLayer)->setMode(QCPLayer::lmBuffered);
    new PlayheadLayerable(m_plot, this);
    m_plot->installEventFilter(this);

    m_scrollBar = new QScrollBar(Qt::Vertical, this);
    m_scrollBar->hide();
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int value) {
        if (std::abs(value - m_scrollY) >= 1) {
            m_scrollY = value;
            contentChanged();
        }
    });
}

LaneView::~LaneView() = default;

std::pair<int64_t, int64_t> LaneView::traceRange() const
{
    if (!model())
        return {0, 1};
    const int64_t a = model()->startTime();
    const int64_t b = std::max(model()->endTime(), a + 1);
    return {a, b};
}

std::pair<int64_t, int64_t> LaneView::visibleRange() const
{
    if (!model())
        return {0, 0};
    if (m_leader && m_leader->model() == model())
        return m_leader->visibleRange();
    if (m_showAll)
        return traceRange();
    return {m_t0, m_t1};
}

void LaneView::setRange(int64_t t0, int64_t t1)
{
    if (m_leader && m_leader->model() == model()) {
        m_leader->setRange(t0, t1);
        return;
    }
    const auto [lo, hi] = traceRange();
    const auto r = TimeMapping::clamped(t0, std::max(t1, t0 + kMinSpan), lo, hi);
    m_showAll = r.first <= lo && r.second >= hi;
    m_t0 = r.first;
    m_t1 = r.second;
    contentChanged();
}

void LaneView::setVisibleRange(int64_t t0, int64_t t1)
{
    if (t1 <= t0) {
        showAll();
        return;
    }
    setRange(t0, t1);
}

void LaneView::showAll()
{
    if (m_leader && m_leader->model() == model())
        m_leader->showAll();
    m_showAll = true;
    contentChanged();
}

void LaneView::zoomAt(double factor, double x)
{
    const LaneFrame &f = currentFrame();
    const auto [lo, hi] = traceRange();
    const auto r = f.map.zoomed(factor, x, lo, hi, kMinSpan);
    setRange(r.first, r.second);
}

void LaneView::panBy(double dx)
{
    const LaneFrame &f = currentFrame();
    const auto [lo, hi] = traceRange();
    const auto r = f.map.panned(dx, lo, hi);
    setRange(r.first, r.second);
}

void LaneView::scrollBy(double dy)
{
    const LaneFrame &f = currentFrame();
    const double max = std::max(0.0, layoutFor(f).height - f.plot.height());
    const double next = std::clamp(m_scrollY + dy, 0.0, max);
    if (next != m_scrollY) {
        m_scrollY = next;
        contentChanged();
    }
}

void LaneView::refresh()
{
    updateData(false);
    contentChanged();
}

void LaneView::modelChanged()
{
    m_showAll = true;
    m_scrollY = 0;
    updateData(true);
    contentChanged();
}

void LaneView::themeChanged()
{
    m_plot->setBackground(theme().background);
    contentChanged();
}

void LaneView::playheadChanged()
{
    // Only the playhead's own layer is redrawn; the lanes' buffer stays as it is.
    if (isVisible())
        m_plot->layer(kPlayheadLayer)->replot();
}

void LaneView::contentChanged()
{
    ++m_contentVersion;
    m_frameValid = false;
    replot();
    Q_EMIT axisChanged();
}

void LaneView::followAxisOf(LaneView *leader)
{
    if (m_leader)
        disconnect(m_leader, nullptr, this, nullptr);
    m_leader = leader != this ? leader : nullptr;
    if (m_leader)
        connect(m_leader, &LaneView::axisChanged, this, [this] { contentChanged(); });
    contentChanged();
}

bool LaneView::clickAt(const LaneFrame &, const TimelineLayout &, QPointF)
{
    return false;
}

bool LaneView::rowKey(QKeyEvent *)
{
    return false;
}

QString LaneView::rowToolTip(const LaneFrame &, const TimelineLayout &, QPointF)
{
    return {};
}

void LaneView::replot()
{
    if (isVisible())
        m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QWidget *LaneView::surface() const
{
    return m_plot;
}

void LaneView::replotNow()
{
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
}

void LaneView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange)
        contentChanged();
    TraceView::changeEvent(event);
}

void LaneView::resizeEvent(QResizeEvent *event)
{
    TraceView::resizeEvent(event);
    m_plot->setGeometry(rect());
    contentChanged();
}

void LaneView::showEvent(QShowEvent *event)
{
    TraceView::showEvent(event);
    m_plot->setGeometry(rect());
    m_plot->setBackground(theme().background);
    contentChanged();
}

const LaneFrame &LaneView::currentFrame()
{
    if (!m_frameValid) {
        m_frame = makeFrame(size(), this, false);
        m_frameValid = true;
        updateScrollBar(m_frame, layoutFor(m_frame));
    }
    return m_frame;
}

void LaneView::updateScrollBar(const LaneFrame &frame, const TimelineLayout &layout)
{
    const double overflow = layout.height - frame.plot.height();
    if (overflow <= 0.5) {
        m_scrollBar->hide();
        return;
    }
    const int w = m_scrollBar->sizeHint().width();
    m_scrollBar->setGeometry(int(frame.bounds.right()) - w, int(frame.plot.top()), w, int(frame.plot.height()));
    const QSignalBlocker block(m_scrollBar);
    m_scrollBar->setRange(0, int(std::ceil(overflow)));
    m_scrollBar->setPageStep(int(frame.plot.height()));
    m_scrollBar->setSingleStep(int(std::max(4.0, frame.plot.height() / 20)));
    m_scrollBar->setValue(int(std::lround(m_scrollY)));
    m_scrollBar->show();
    m_scrollBar->raise();
}

LaneFrame LaneView::makeFrame(const QSize &size, const QPaintDevice *device, bool fit)
{
    LaneFrame f;
    const Theme &th = theme();
    f.bounds = QRectF(0, 0, size.width(), size.height());
    f.exporting = fit;
    f.labelFont = th.font(0.95);
    f.boldFont = th.font(0.95, true);
    f.smallFont = th.font(0.8);
    f.axisFont = th.font(0.85);
    if (device) {
        // Metrics of the device painted on (an export's DPI differs from the screen's).
        f.labelFont = QFont(f.labelFont, device);
        f.boldFont = QFont(f.boldFont, device);
        f.smallFont = QFont(f.smallFont, device);
        f.axisFont = QFont(f.axisFont, device);
    }
    const QFontMetricsF axisMetrics(f.axisFont);
    const double axisHeight = std::round(axisMetrics.height() * 1.6 + 4);
    double labelW = std::clamp(labelWidth(f), 60.0, std::max(60.0, size.width() * 0.35));
    double right = size.width() - 8.0;
    const bool follow = !fit && m_leader && m_leader->model() == model() && m_leader->isVisible() && isVisible();
    if (follow) {
        // The leader's plot edges, in this widget: the same label column and the same time axis.
        const LaneFrame &lead = m_leader->currentFrame();
        const double left = mapFromGlobal(m_leader->mapToGlobal(QPointF(lead.plot.left(), 0))).x();
        const double end = mapFromGlobal(m_leader->mapToGlobal(QPointF(lead.plot.right(), 0))).x();
        if (left > 0 && end > left + 1) {
            labelW = left;
            right = end;
        }
    }
    f.labels = QRectF(0, axisHeight, labelW, std::max(0.0, size.height() - axisHeight));
    f.axis = QRectF(labelW, 0, std::max(1.0, right - labelW), axisHeight);
    f.plot = QRectF(labelW, axisHeight, std::max(1.0, right - labelW), std::max(1.0, size.height() - axisHeight));
    f.origin = model() ? model()->startTime() : 0;
    const auto [t0, t1] = visibleRange();
    // A little room inside the plot so the first and last spans are not cut by the edge.
    f.map = TimeMapping(t0, std::max(t1, t0 + 1), f.plot.left() + 4, std::max(1.0, f.plot.width() - 8));
    const TimelineLayout &layout = layoutFor(f);
    if (fit) {
        // Every row fits; with room to spare, lanes grow to fill the page so a slide reads from afar.
        f.scale = layout.height > 0 ? f.plot.height() / layout.height : 1.0;
        f.scrollY = 0;
    } else {
        const double overflow = layout.height - f.plot.height();
        if (overflow > 0.5 && !follow) {
            // Room for the scroll bar that appears.
            const double w = m_scrollBar->sizeHint().width();
            f.plot.setRight(f.plot.right() - w + 8);
            f.axis.setRight(f.plot.right());
            f.map = TimeMapping(t0, std::max(t1, t0 + 1), f.plot.left() + 4, std::max(1.0, f.plot.width() - 8));
        }
        m_scrollY = std::clamp(m_scrollY, 0.0, std::max(0.0, overflow));
        f.scrollY = m_scrollY;
        // Rows that need less than the pane grow to fill it; rows that need more scroll.
        if (overflow < 0 && layout.height > 0)
            f.scale = f.plot.height() / layout.height;
    }
    return f;
}

void LaneView::paintGrid(QPainter &painter, const LaneFrame &frame) const
{
    const QFontMetricsF metrics(frame.axisFont);
    const double spacing = metrics.horizontalAdvance(TimeFormat::tr("%1 ms").arg(QStringLiteral("000.0"))) * 1.6;
    QColor c = theme().muted;
    c.setAlpha(60);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(c, 1));
    for (const TimeTick &tick : TimeFormat::ticks(frame.map, frame.origin, spacing)) {
        const double x = std::round(frame.map.toX(tick.time));
        if (x >= frame.plot.left() && x <= frame.plot.right())
            painter.drawLine(QPointF(x, frame.plot.top()), QPointF(x, frame.plot.bottom()));
    }
    painter.restore();
}

std::vector<LaneView::TickLabel> LaneView::tickLabels(const LaneFrame &frame) const
{
    const QFontMetricsF metrics(frame.axisFont);
    const double spacing = metrics.horizontalAdvance(TimeFormat::tr("%1 ms").arg(QStringLiteral("000.0"))) * 1.6;
    const double base = frame.axis.bottom() - 1;
    const double tickLength = std::max(4.0, metrics.height() * 0.35);
    std::vector<TickLabel> out;
    for (const TimeTick &tick : TimeFormat::ticks(frame.map, frame.origin, spacing)) {
        const double x = frame.map.toX(tick.time);
        if (x < frame.axis.left() - 0.5 || x > frame.axis.right() + 0.5)
            continue;
        const double w = metrics.horizontalAdvance(tick.label);
        const double left = std::clamp(x - w / 2, frame.axis.left(), frame.bounds.right() - w - 1);
        out.push_back({x, tick.label, QRectF(left, frame.axis.top(), w + 1, base - tickLength - frame.axis.top())});
    }
    return out;
}

void LaneView::paintAxis(QPainter &painter, const LaneFrame &frame) const
{
    const Theme &th = theme();
    const QFontMetricsF metrics(frame.axisFont);
    painter.save();
    painter.setClipRect(frame.bounds);
    painter.fillRect(QRectF(0, 0, frame.bounds.width(), frame.axis.height()), th.background);
    painter.setFont(frame.axisFont);
    painter.setPen(QPen(th.foreground, std::max(1.0, th.lineWidth * 0.6)));
    const double base = frame.axis.bottom() - 1;
    painter.drawLine(QPointF(frame.axis.left(), base), QPointF(frame.axis.right(), base));
    const double tickLength = std::max(4.0, metrics.height() * 0.35);
    for (const TickLabel &tick : tickLabels(frame)) {
        painter.drawLine(QPointF(tick.x, base), QPointF(tick.x, base - tickLength));
        painter.drawText(tick.box, Qt::AlignHCenter | Qt::AlignVCenter, tick.label);
    }
    painter.restore();
}

double LaneView::handleSize(const LaneFrame &frame)
{
    return std::max(5.0, frame.axis.height() * 0.3);
}

std::vector<LaneView::TickLabel> LaneView::clearOfHandle(std::vector<TickLabel> ticks, double x, double s, double left,
                                                         double right)
{
    // A label under the handle moves beside it, or goes if its neighbour is there.
    const double gap = 3;
    std::vector<TickLabel> out;
    for (size_t i = 0; i < ticks.size(); ++i) {
        TickLabel t = ticks[i];
        if (t.box.right() >= x - s - gap && t.box.left() <= x + s + gap) {
            const bool leftOfNext =
                i + 1 >= ticks.size() || x + s + gap + t.box.width() + gap <= ticks[i + 1].box.left();
            if (x + s + gap + t.box.width() <= right && leftOfNext)
                t.box.moveLeft(x + s + gap);
            else
                t.box.moveRight(x - s - gap);
            const bool clear = t.box.left() >= left && t.box.right() <= right &&
                               (out.empty() || t.box.left() - gap >= out.back().box.right()) &&
                               (i + 1 >= ticks.size() || t.box.right() + gap <= ticks[i + 1].box.left());
            if (!clear)
                continue;
        }
        out.push_back(t);
    }
    return out;
}

void LaneView::uncoverTickLabel(QPainter &painter, const LaneFrame &frame, double x) const
{
    const double s = handleSize(frame);
    const auto ticks = tickLabels(frame);
    const auto placed = clearOfHandle(ticks, x, s, frame.axis.left(), frame.bounds.right());
    // Only labels that moved or went are redrawn (the playhead's layer lies over the axis).
    size_t k = 0;
    for (const TickLabel &t : ticks) {
        const bool kept = k < placed.size() && placed[k].label == t.label && placed[k].x == t.x;
        if (kept && placed[k].box == t.box) {
            ++k;
            continue;
        }
        painter.fillRect(t.box.adjusted(-1, 0, 1, 0), theme().background);
        if (kept) {
            painter.setFont(frame.axisFont);
            painter.setPen(theme().foreground);
            painter.drawText(placed[k].box, Qt::AlignHCenter | Qt::AlignVCenter, t.label);
            ++k;
        }
    }
}

void LaneView::paintPlayhead(QPainter &painter, const LaneFrame &frame) const
{
    if (!model() || model()->ingestedEvents() == 0)
        return;
    const double x = frame.map.toX(playhead());
    if (x < frame.plot.left() - 1 || x > frame.plot.right() + 1)
        return;
    const Theme &th = theme();
    painter.save();
    uncoverTickLabel(painter, frame, x);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(th.playhead, std::max(2.0, th.lineWidth * 1.2), Qt::SolidLine, Qt::FlatCap));
    painter.drawLine(QPointF(x, frame.axis.top() + frame.axis.height() * 0.45), QPointF(x, frame.plot.bottom()));
    // A handle on the axis, so the playhead is found at a glance on a projector.
    const double s = handleSize(frame);
    QPolygonF handle;
    handle << QPointF(x - s, frame.axis.top() + 1) << QPointF(x + s, frame.axis.top() + 1)
           << QPointF(x, frame.axis.top() + 1 + s * 1.2);
    painter.setPen(Qt::NoPen);
    painter.setBrush(th.playhead);
    painter.drawPolygon(handle);
    painter.restore();
}

void LaneView::paintFrame(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, bool withPlayhead)
{
    const Theme &th = theme();
    painter.save();
    painter.fillRect(frame.bounds, th.background);
    if (!model() || layout.rows.empty()) {
        painter.setPen(th.muted);
        painter.setFont(frame.labelFont);
        painter.drawText(frame.bounds, Qt::AlignCenter | Qt::TextWordWrap, emptyText());
        painter.restore();
        return;
    }
    painter.save();
    painter.setClipRect(QRectF(0, frame.plot.top(), frame.bounds.width(), frame.plot.height()), Qt::IntersectClip);
    paintRows(painter, frame, layout);
    painter.restore();
    paintAxis(painter, frame);
    if (withPlayhead)
        paintPlayhead(painter, frame);
    painter.restore();
}

void LaneView::drawSurface(QPainter &painter)
{
    ++m_lanePaints;
    const LaneFrame &f = currentFrame();
    LaneFrame frame = f;
    frame.vector = painter.paintEngine() && painter.paintEngine()->type() != QPaintEngine::Raster;
    paintFrame(painter, frame, layoutFor(frame), false);
}

void LaneView::drawPlayheadSurface(QPainter &painter)
{
    paintPlayhead(painter, currentFrame());
}

void LaneView::renderContent(QPainter &painter, const QSize &size)
{
    updateData(false);
    LaneFrame frame = makeFrame(size, painter.device(), true);
    frame.vector = painter.paintEngine() && painter.paintEngine()->type() != QPaintEngine::Raster;
    paintFrame(painter, frame, layoutFor(frame), true);
    m_frameValid = false; // the layout cache now holds the export's metrics
}

} // namespace interleave::ui
