// SPDX-License-Identifier: MIT
#include "ui/legend.h"

#include "ui/theme.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

LegendLayout::LegendLayout(std::vector<LegendEntry> entries, const QFontMetricsF &metrics, qreal width)
    : m_entries(std::move(entries))
    , m_lineHeight(metrics.height() * 1.3)
    , m_swatch(std::round(metrics.height() * 0.9))
{
    // Type from a fallback font (Chinese labels) can stand taller than the font's own height.
    qreal text = metrics.height();
    for (const LegendEntry &entry : m_entries)
        text = std::max(text, metrics.boundingRect(entry.label).height());
    m_lineHeight = text * 1.3;
    const qreal gap = m_swatch;
    qreal x = 0;
    int rows = m_entries.empty() ? 0 : 1;
    for (const LegendEntry &entry : m_entries) {
        const qreal w = m_swatch * 1.4 + metrics.horizontalAdvance(entry.label);
        if (x > 0 && x + w > width) {
            x = 0;
            ++rows;
        }
        m_at.emplace_back(x, (rows - 1) * m_lineHeight);
        x += w + gap;
    }
    m_height = rows * m_lineHeight;
}

void LegendLayout::paint(QPainter &painter, const QPointF &origin, const Theme &theme) const
{
    const qreal textHeight = m_lineHeight / 1.3;
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const LegendEntry &entry = m_entries[i];
        const QPointF at = origin + m_at[i];
        const QRectF box(at.x(), at.y() + (textHeight - m_swatch) / 2, m_swatch, m_swatch);
        if (entry.brush.style() != Qt::NoBrush) {
            // Patterned brushes are drawn over a tint of their colour, as on the timeline.
            const QColor c = entry.brush.color();
            painter.fillRect(box, theme.background);
            painter.fillRect(box, QColor(c.red(), c.green(), c.blue(), 60));
            painter.fillRect(box, entry.brush);
            painter.setPen(entry.pen.style() == Qt::NoPen ? QPen(theme.muted, 1) : entry.pen);
            painter.drawRect(box);
        } else {
            painter.setPen(entry.pen.style() == Qt::NoPen ? QPen(theme.foreground, theme.lineWidth) : entry.pen);
            painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()));
        }
        painter.setPen(theme.foreground);
        painter.drawText(QRectF(box.right() + m_swatch * 0.4, at.y(), 1e6, textHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, entry.label);
    }
}

LegendStrip::LegendStrip(TraceView *view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    // Polled, not pushed: the view's entries follow its data, which it updates as it paints.
    m_timer = new QTimer(this);
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, &LegendStrip::follow);
}

QString LegendStrip::signature() const
{
    QString s = Theme::name(m_view->theme().id);
    for (const LegendEntry &e : m_view->legend())
        s += QLatin1Char('\n') + e.label;
    return s;
}

void LegendStrip::follow()
{
    QString now = signature();
    if (now != m_signature) {
        m_signature = std::move(now);
        refresh();
    }
}

void LegendStrip::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    follow();
    m_timer->start();
}

void LegendStrip::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

LegendLayout LegendStrip::layout(int width) const
{
    const qreal margin = 6;
    return LegendLayout(m_view->legend(), QFontMetricsF(m_view->theme().font()), width - 2 * margin);
}

int LegendStrip::heightForWidth(int width) const
{
    const qreal h = layout(width).height();
    return h > 0 ? int(std::ceil(h + 8)) : 0;
}

QSize LegendStrip::sizeHint() const
{
    return {200, heightForWidth(width() > 0 ? width() : 800)};
}

QSize LegendStrip::minimumSizeHint() const
{
    return {0, sizeHint().height()};
}

void LegendStrip::refresh()
{
    const int h = heightForWidth(width());
    if (h != m_height) {
        m_height = h;
        setFixedHeight(h);
        updateGeometry();
    }
    update();
}

void LegendStrip::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    refresh(); // a narrower strip may need another row
}

void LegendStrip::paintEvent(QPaintEvent *)
{
    const Theme &theme = m_view->theme();
    QPainter painter(this);
    painter.fillRect(rect(), theme.background);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setFont(theme.font());
    layout(width()).paint(painter, QPointF(6, 4), theme);
}

} // namespace interleave::ui
