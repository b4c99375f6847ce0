// SPDX-License-Identifier: MIT
#include "ui/timeline/lanepainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace interleave::ui {

QColor LanePainter::mix(const QColor &background, const QColor &color, double amount)
{
    const double a = std::clamp(amount, 0.0, 1.0);
    return QColor::fromRgbF(float(background.redF() * (1 - a) + color.redF() * a),
                            float(background.greenF() * (1 - a) + color.greenF() * a),
                            float(background.blueF() * (1 - a) + color.blueF() * a));
}

QColor LanePainter::textOn(const QColor &background)
{
    const double luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

QFont LanePainter::fitted(const QFont &font, double pixels)
{
    const QFontMetricsF m(font);
    if (m.height() <= pixels)
        return font;
    QFont f(font);
    f.setPixelSize(std::max(5, int(pixels * 0.8)));
    return f;
}

void LanePainter::hatch(QPainter &painter, const QRectF &bounds, Qt::BrushStyle style, const QColor &color,
                        double lineWidth)
{
    const double w = std::max(1.0, lineWidth);
    const double spacing = 6.0 * w;
    painter.setBrush(Qt::NoBrush);
    switch (style) {
    case Qt::HorPattern: {
        painter.setPen(QPen(color, w * 0.8, Qt::SolidLine, Qt::FlatCap));
        QPainterPath path;
        for (double y = bounds.top() + spacing * 0.5; y < bounds.bottom(); y += spacing * 0.7) {
            path.moveTo(bounds.left(), y);
            path.lineTo(bounds.right(), y);
        }
        painter.drawPath(path);
        break;
    }
    case Qt::Dense1Pattern:
    case Qt::Dense2Pattern:
    case Qt::Dense3Pattern:
    case Qt::Dense4Pattern:
    case Qt::Dense5Pattern:
    case Qt::Dense6Pattern:
    case Qt::Dense7Pattern: {
        // Dots on a staggered grid; sparser for the lighter Qt patterns.
        const double step = style >= Qt::Dense6Pattern   ? spacing * 0.9
                            : style >= Qt::Dense4Pattern ? spacing * 0.5
                                                         : spacing * 0.35;
        const double dot = std::max(1.0, w * (style >= Qt::Dense6Pattern ? 1.2 : 1.5));
        QPainterPath path;
        int row = 0;
        for (double y = bounds.top(); y < bounds.bottom(); y += step, ++row) {
            const double offset = (row % 2) * step * 0.5;
            for (double x = bounds.left() + offset; x < bounds.right(); x += step)
                path.addRect(QRectF(x, y, dot, dot));
        }
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawPath(path);
        break;
    }
    default: {
        // Diagonals (blocked) and anything else: lines rising to the right.
        painter.setPen(QPen(color, w, Qt::SolidLine, Qt::FlatCap));
        QPainterPath path;
        const double h = bounds.height();
        const bool falling = style == Qt::FDiagPattern;
        for (double x = bounds.left() - h; x < bounds.right(); x += spacing) {
            path.moveTo(x, falling ? bounds.top() : bounds.bottom());
            path.lineTo(x + h, falling ? bounds.bottom() : bounds.top());
        }
        painter.drawPath(path);
        break;
    }
    }
}

namespace {

/// Whether device pixel (x, y) is ink of a pattern: Qt's patterns, redrawn with lines as thick as
/// the theme's (on a projector a one-pixel hatch fades away) and spaced to match.
bool patternInk(Qt::BrushStyle style, int x, int y, int thick, int spacing)
{
    switch (style) {
    case Qt::SolidPattern:
        return true;
    case Qt::HorPattern:
        return y % spacing < thick;
    case Qt::VerPattern:
        return x % spacing < thick;
    case Qt::FDiagPattern:
        return ((x - y) % spacing + spacing) % spacing < thick;
    case Qt::Dense1Pattern:
    case Qt::Dense2Pattern:
    case Qt::Dense3Pattern:
    case Qt::Dense4Pattern:
        return ((x / thick) + (y / thick)) % 2 == 0;
    case Qt::Dense5Pattern:
    case Qt::Dense6Pattern:
    case Qt::Dense7Pattern: {
        const int cell = 2 * thick;
        const int row = (y / cell) % 2;
        return y % cell < thick && (x + row * cell) % (2 * cell) < thick;
    }
    case Qt::NoBrush:
        return false;
    default:
        break;
    }
    return (x + y) % spacing < thick; // BDiag and the rest: lines rising to the right
}

/// One code's pixels in a strip: a colour, or a pattern repeating every `period` device pixels.
struct StripStyle
{
    uint16_t code;
    bool solid;
    QRgb colour;               ///< the whole fill of a solid or skipped code
    std::vector<QRgb> pattern; ///< rows * period pixels

    static StripStyle of(uint16_t code, const TileStyle &ts, int rows, int period, QPoint origin, int thick,
                         int spacing)
    {
        StripStyle st{code, true, 0, {}};
        if (ts.skip)
            return st;
        if (ts.style == Qt::NoBrush || ts.style == Qt::SolidPattern) {
            st.colour = ts.style == Qt::SolidPattern ? ts.pattern.rgba() : ts.fill.rgba();
            return st;
        }
        st.solid = false;
        st.pattern.resize(size_t(rows) * size_t(period));
        for (int y = 0; y < rows; ++y)
            for (int i = 0; i < period; ++i)
                st.pattern[size_t(y * period + i)] =
                    patternInk(ts.style, origin.x() + i, origin.y() + y, thick, spacing) ? ts.pattern.rgba()
                                                                                         : ts.fill.rgba();
        return st;
    }
};

/// Raster tiles: one strip image per lane written pixel by pixel and blitted once. Filling many
/// narrow rectangles with Qt's pattern brushes costs ~10 ns a pixel; this costs ~1.
void paintStrip(QPainter &painter, const std::vector<PixelRun> &runs, double left, double top, double height,
                const std::function<TileStyle(uint16_t)> &styleOf, double lineWidth)
{
    const QTransform device = painter.deviceTransform();
    const double scale = std::max(0.01, std::hypot(device.m11(), device.m12()));
    const int width = int(std::ceil(runs.back().x1 * scale));
    const int rows = int(std::ceil(height * scale));
    if (width <= 0 || rows <= 0)
        return;
    static thread_local QImage strip;
    if (strip.width() < width || strip.height() < rows)
        strip =
            QImage(std::max(width, strip.width()), std::max(rows, strip.height()), QImage::Format_ARGB32_Premultiplied);
    const int thick = std::max(1, int(std::lround(lineWidth * 0.8 * scale)));
    const int spacing = std::max(4, int(std::lround(7 * std::max(1.0, lineWidth * 0.8) * scale)));
    // Patterns line up with the device grid, so neighbouring runs and lanes continue each other.
    const QPointF origin = device.map(QPointF(left, top));
    const int ox = int(std::lround(origin.x()));
    const int oy = int(std::lround(origin.y()));
    // Each code's pattern repeats every `period` device pixels along a row: one period per row
    // is worked out once per lane, then copied along the runs.
    int period = 1;
    for (int p : {spacing, 2 * thick, 4 * thick})
        period = std::lcm(period, p);
    std::vector<StripStyle> styles;
    auto styleFor = [&](uint16_t code) -> const StripStyle & {
        for (const StripStyle &st : styles)
            if (st.code == code)
                return st;
        styles.push_back(StripStyle::of(code, styleOf(code), rows, period, QPoint(ox, oy), thick, spacing));
        return styles.back();
    };
    uchar *bits = strip.bits();
    const qsizetype stride = strip.bytesPerLine();
    int filled = 0;
    for (const PixelRun &run : runs) {
        const StripStyle &st = styleFor(run.code);
        const int x0 = std::min(width, int(std::lround(run.x0 * scale)));
        const int x1 = std::min(width, int(std::lround(run.x1 * scale)));
        for (int y = 0; y < rows; ++y) {
            auto *line = reinterpret_cast<QRgb *>(bits + stride * y);
            if (filled < x0)
                std::fill(line + filled, line + x0, 0u); // a gap stays transparent
            if (st.solid) {
                std::fill(line + x0, line + x1, st.colour);
                continue;
            }
            const QRgb *row = st.pattern.data() + size_t(y) * size_t(period);
            int i = x0 % period;
            for (int x = x0; x < x1; ++x) {
                line[x] = row[i];
                if (++i == period)
                    i = 0;
            }
        }
        filled = std::max(filled, x1);
    }
    QImage view(strip.bits(), width, rows, strip.bytesPerLine(), QImage::Format_ARGB32_Premultiplied);
    view.setDevicePixelRatio(scale);
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(QPointF(left, top), view);
    painter.restore();
}

} // namespace

void LanePainter::paintTiles(QPainter &painter, const std::vector<PixelRun> &runs, double left, double top,
                             double height, const std::function<TileStyle(uint16_t)> &styleOf, bool vector,
                             double lineWidth)
{
    if (runs.empty() || height <= 0)
        return;
    if (!vector) {
        // A lane has a handful of codes: look each up once.
        std::vector<uint16_t> seen;
        bool patterned = false;
        for (const PixelRun &run : runs) {
            if (std::find(seen.begin(), seen.end(), run.code) != seen.end())
                continue;
            seen.push_back(run.code);
            const TileStyle st = styleOf(run.code);
            if (!st.skip && st.style != Qt::NoBrush && st.style != Qt::SolidPattern) {
                patterned = true;
                break;
            }
        }
        if (patterned) {
            paintStrip(painter, runs, left, top, height, styleOf, lineWidth);
            return;
        }
    }
    // Few codes per lane: a flat list of (code, rects).
    std::vector<std::pair<uint16_t, std::vector<QRectF>>> byCode;
    for (const PixelRun &run : runs) {
        auto it = std::find_if(byCode.begin(), byCode.end(), [&](const auto &e) { return e.first == run.code; });
        if (it == byCode.end()) {
            byCode.emplace_back(run.code, std::vector<QRectF>());
            it = byCode.end() - 1;
        }
        it->second.emplace_back(left + run.x0, top, run.x1 - run.x0, height);
    }
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    for (const auto &[code, rects] : byCode) {
        const TileStyle style = styleOf(code);
        if (style.skip)
            continue;
        painter.setBrush(style.fill);
        painter.drawRects(rects.data(), int(rects.size()));
        if (style.style == Qt::NoBrush || style.style == Qt::SolidPattern)
            continue;
        if (!vector) {
            painter.setBrush(QBrush(style.pattern, style.style));
            painter.drawRects(rects.data(), int(rects.size()));
            continue;
        }
        QPainterPath clip;
        QRectF bounds;
        for (const QRectF &r : rects) {
            clip.addRect(r);
            bounds = bounds.united(r);
        }
        painter.save();
        painter.setClipPath(clip, Qt::IntersectClip);
        painter.setRenderHint(QPainter::Antialiasing, true);
        hatch(painter, bounds, style.style, style.pattern, lineWidth);
        painter.restore();
        painter.setPen(Qt::NoPen);
    }
    painter.restore();
}

} // namespace interleave::ui
