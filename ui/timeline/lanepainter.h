// SPDX-License-Identifier: MIT
#pragma once

#include "ui/timeline/spansummary.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QRectF>

#include <functional>
#include <vector>

class QPainter;

namespace interleave::ui {

/// How the tiles of one code are filled: a light tint under a pattern in the full colour, so a
/// state reads by pattern as well as by colour (colour-blind students, washed-out projectors).
struct TileStyle
{
    QColor fill;                        ///< the tint (or the whole fill for a solid style)
    QColor pattern;                     ///< colour of the pattern's lines and dots
    Qt::BrushStyle style = Qt::NoBrush; ///< Qt::NoBrush / Qt::SolidPattern: the fill only
    bool skip = false;                  ///< draw nothing (gaps)
};

/// Paints tiles of pixel runs, batched per code.
struct LanePainter
{
    /// Fills runs (columns relative to `left`) between `top` and `top + height`. On a vector
    /// device (SVG, PDF) patterns become real lines and dots, since those formats do not carry Qt's
    /// bitmap patterns; on a raster they are brush patterns, which cost nothing extra per run.
    static void paintTiles(QPainter &painter, const std::vector<PixelRun> &runs, double left, double top, double height,
                           const std::function<TileStyle(uint16_t)> &styleOf, bool vector, double lineWidth);
    /// Draws `style` as vector lines or dots over `bounds` (the caller clips).
    static void hatch(QPainter &painter, const QRectF &bounds, Qt::BrushStyle style, const QColor &color,
                      double lineWidth);
    /// `color` mixed into `background` by `amount` (0..1), opaque.
    static QColor mix(const QColor &background, const QColor &color, double amount);
    /// Black or white, whichever reads better on `background`.
    static QColor textOn(const QColor &background);
    /// A font no taller than `pixels` (rows of an export squeezed to fit), or the font itself.
    static QFont fitted(const QFont &font, double pixels);
};

} // namespace interleave::ui
