// SPDX-License-Identifier: MIT
// LaneView's input: keys, the wheel, and the mouse on the drawing surface.
#include "ui/qcp.h"

#include "ui/timeline/laneview.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

void LaneView::keyPressEvent(QKeyEvent *event)
{
    const LaneFrame &f = currentFrame();
    const double centre = f.map.left + f.map.width / 2;
    const double lane = theme().laneHeight;
    if (rowKey(event)) {
        event->accept();
        return;
    }
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
            if (clickAt(f, layoutFor(f), p)) {
                // taken by the rows (a process group folds or unfolds)
            } else if (model() && p.x() >= f.plot.left() && p.x() <= f.plot.right()) {
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
        const QString text = hoverText(e->pos());
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
