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
    if (m_showAll)
        return traceRange();
    return {m_t0, m_t1};
}

void LaneView::setRange(int64_t t0, int64_t t1)
{
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
    const double labelW = std::clamp(labelWidth(f), 60.0, std::max(60.0, size.width() * 0.35));
    f.labels = QRectF(0, axisHeight, labelW, std::max(0.0, size.height() - axisHeight));
    const double right = size.width() - 8.0;
    f.axis = QRectF(labelW, 0, std::max(1.0, right - labelW), axisHeight);
    f.plot = QRectF(labelW, axisHeight, std::max(1.0, right - labelW), std::max(1.0, size.height() - axisHeight));
    f.origin = model() ? model()->startTime() : 0;
    const auto [t0, t1] = visibleRange();
    // A little room inside the plot so the first and last spans are not cut by the edge.
    f.map = TimeMapping(t0, std::max(t1, t0 + 1), f.plot.left() + 4, std::max(1.0, f.plot.width() - 8));
    const TimelineLayout &layout = layoutFor(f);
    if (fit) {
        // Every row fits; with room to spare, lanes grow (up to 2.5 times) so a slide reads from afar.
        f.scale = layout.height > 0 ? std::min(2.5, f.plot.height() / layout.height) : 1.0;
        f.scrollY = 0;
    } else {
        const double overflow = layout.height - f.plot.height();
        if (overflow > 0.5) {
            // Room for the scroll bar that appears.
            const double w = m_scrollBar->sizeHint().width();
            f.plot.setRight(f.plot.right() - w + 8);
            f.axis.setRight(f.plot.right());
            f.map = TimeMapping(t0, std::max(t1, t0 + 1), f.plot.left() + 4, std::max(1.0, f.plot.width() - 8));
        }
        m_scrollY = std::clamp(m_scrollY, 0.0, std::max(0.0, overflow));
        f.scrollY = m_scrollY;
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

void LaneView::paintAxis(QPainter &painter, const LaneFrame &frame) const
{
    const Theme &th = theme();
    const QFontMetricsF metrics(frame.axisFont);
    const double spacing = metrics.horizontalAdvance(TimeFormat::tr("%1 ms").arg(QStringLiteral("000.0"))) * 1.6;
    painter.save();
    painter.setClipRect(frame.bounds);
    painter.fillRect(QRectF(0, 0, frame.bounds.width(), frame.axis.height()), th.background);
    painter.setFont(frame.axisFont);
    painter.setPen(QPen(th.foreground, std::max(1.0, th.lineWidth * 0.6)));
    const double base = frame.axis.bottom() - 1;
    painter.drawLine(QPointF(frame.axis.left(), base), QPointF(frame.axis.right(), base));
    const double tickLength = std::max(4.0, metrics.height() * 0.35);
    for (const TimeTick &tick : TimeFormat::ticks(frame.map, frame.origin, spacing)) {
        const double x = frame.map.toX(tick.time);
        if (x < frame.axis.left() - 0.5 || x > frame.axis.right() + 0.5)
            continue;
        painter.drawLine(QPointF(x, base), QPointF(x, base - tickLength));
        const double w = metrics.horizontalAdvance(tick.label);
        double left = x - w / 2;
        left = std::clamp(left, frame.axis.left(), frame.bounds.right() - w - 1);
        painter.drawText(QRectF(left, frame.axis.top(), w + 1, base - tickLength - frame.axis.top()),
                         Qt::AlignHCenter | Qt::AlignVCenter, tick.label);
    }
    painter.restore();
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
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(th.playhead, std::max(2.0, th.lineWidth * 1.2), Qt::SolidLine, Qt::FlatCap));
    painter.drawLine(QPointF(x, frame.axis.top() + frame.axis.height() * 0.45), QPointF(x, frame.plot.bottom()));
    // A handle on the axis, so the playhead is found at a glance on a projector.
    const double s = std::max(5.0, frame.axis.height() * 0.3);
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

void LaneView::keyPressEvent(QKeyEvent *event)
{
    const LaneFrame &f = currentFrame();
    const double centre = f.map.left + f.map.width / 2;
    const double lane = theme().laneHeight;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAt(0.5, centre);
        break;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        zoomAt(2.0, centre);
        break;
    case Qt::Key_Left:
        panBy(f.map.width * 0.2);
        break;
    case Qt::Key_Right:
        panBy(-f.map.width * 0.2);
        break;
    case Qt::Key_Home:
        showAll();
        break;
    case Qt::Key_Up:
        scrollBy(-lane);
        break;
    case Qt::Key_Down:
        scrollBy(lane);
        break;
    case Qt::Key_PageUp:
        scrollBy(-f.plot.height() * 0.9);
        break;
    case Qt::Key_PageDown:
        scrollBy(f.plot.height() * 0.9);
        break;
    default:
        TraceView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void LaneView::wheelOnPlot(QWheelEvent *e)
{
    const QPoint angle = e->angleDelta();
    const LaneFrame &f = currentFrame();
    const double notches = angle.y() / 120.0;
    if (angle.x() != 0 && angle.y() == 0) {
        panBy(angle.x() / 120.0 * f.map.width * 0.1); // a sideways wheel or touchpad pans
    } else if (e->modifiers() & Qt::ShiftModifier) {
        panBy(notches * f.map.width * 0.1);
    } else if (e->position().x() < f.plot.left() && !(e->modifiers() & Qt::ControlModifier)) {
        scrollBy(-notches * theme().laneHeight * 3);
    } else {
        zoomAt(std::pow(0.8, notches), e->position().x());
    }
}

bool LaneView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot)
        return TraceView::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() != Qt::LeftButton)
            return false;
        setFocus(Qt::MouseFocusReason);
        m_pressed = true;
        m_dragging = false;
        m_pressPos = e->position().toPoint();
        m_pressFrame = currentFrame();
        m_pressRange = {m_pressFrame.map.t0, m_pressFrame.map.t1};
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (!m_pressed || !(e->buttons() & Qt::LeftButton))
            return false;
        const QPoint d = e->position().toPoint() - m_pressPos;
        if (!m_dragging && d.manhattanLength() < 5)
            return true;
        m_dragging = true;
        // Pan from where the drag began, so the content follows the pointer exactly.
        const auto [lo, hi] = traceRange();
        const auto r = m_pressFrame.map.panned(d.x(), lo, hi);
        setRange(r.first, r.second);
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() != Qt::LeftButton || !m_pressed)
            return false;
        m_pressed = false;
        if (!m_dragging) {
            const LaneFrame &f = currentFrame();
            const QPointF p = e->position();
            if (model() && p.x() >= f.plot.left() && p.x() <= f.plot.right()) {
                const auto [lo, hi] = traceRange();
                Q_EMIT seekRequested(std::clamp(f.map.toTime(p.x()), lo, hi));
            }
        }
        m_dragging = false;
        return true;
    }
    case QEvent::MouseButtonDblClick: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::LeftButton)
            zoomAt(0.5, e->position().x());
        return true;
    }
    case QEvent::Wheel:
        wheelOnPlot(static_cast<QWheelEvent *>(event));
        return true;
    case QEvent::ToolTip: {
        auto *e = static_cast<QHelpEvent *>(event);
        const LaneFrame &f = currentFrame();
        const QString text = toolTipAt(f, layoutFor(f), e->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(e->globalPos(), text, m_plot);
        return true;
    }
    default:
        break;
    }
    return false;
}

} // namespace interleave::ui
