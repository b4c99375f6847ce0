// SPDX-License-Identifier: MIT
#include "ui/timeline/pauseband.h"

#include "ui/theme.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

namespace interleave::ui {

QBrush PauseBand::brush(const Theme &theme)
{
    QColor c = theme.stateColor(core::ThreadState::Blocked, core::BlockReason::Held);
    c.setAlpha(70);
    return QBrush(c, Qt::Dense6Pattern);
}

QString PauseBand::label(int64_t ns)
{
    return tr("paused %1 s").arg(double(ns) / 1e9, 0, 'f', 1);
}

void PauseBand::paint(QPainter &painter, const LaneFrame &frame, const core::TraceModel &model, const Theme &theme)
{
    const auto pauses = model.pauses();
    if (pauses.empty())
        return;
    painter.save();
    const QFontMetricsF fm(frame.smallFont);
    for (const auto &[p0, p1] : pauses) {
        const int64_t end = p1 == core::kTimeMax ? model.endTime() : p1;
        const double x0 = std::max(frame.plot.left(), frame.map.toX(p0));
        const double x1 = std::min(frame.plot.right(), frame.map.toX(end));
        if (x1 < frame.plot.left() || x0 > frame.plot.right())
            continue;
        const QRectF band(x0, frame.plot.top(), std::max(2.0, x1 - x0), frame.plot.height());
        painter.fillRect(band, brush(theme));
        painter.setPen(QPen(theme.muted, std::max(1.0, theme.lineWidth), Qt::DotLine));
        painter.drawLine(band.topLeft(), band.bottomLeft());
        painter.drawLine(band.topRight(), band.bottomRight());
        const QString text = label(end - p0);
        if (fm.horizontalAdvance(text) + 6 <= band.width()) {
            painter.setFont(frame.smallFont);
            painter.setPen(theme.foreground);
            painter.drawText(QRectF(band.left() + 3, band.top() + 2, band.width() - 6, fm.height()),
                             Qt::AlignLeft | Qt::AlignVCenter, text);
        }
    }
    painter.restore();
}

} // namespace interleave::ui
