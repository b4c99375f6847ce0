// SPDX-License-Identifier: MIT
#pragma once

#include "ui/theme.h"

#include <QCoreApplication>
#include <QRect>
#include <QSize>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

class QPainter;

namespace interleave::core {
class TraceModel;
}

namespace interleave::ui {

class TraceView;
struct RunInfo;

/// What an image of a view shows and where it goes.
struct ImageRequest
{
    QString path;          ///< .png, .svg or .pdf (chosen by the suffix)
    QSize size{1600, 900}; ///< the whole image in device-independent pixels
    qreal scale = 1.0;     ///< PNG only: pixels per device-independent pixel (2 for sharp slides)
    Theme::Id theme = Theme::Id::Light;
    int64_t rangeStart = 0; ///< time range shown; rangeEnd <= rangeStart: the whole trace
    int64_t rangeEnd = 0;
    int64_t playhead = INT64_MIN; ///< INT64_MIN: the end of the trace
    /// What the window's view holds beyond the trace (the charts' repeated runs and prediction),
    /// given to the new view before it is drawn; empty: nothing.
    std::function<void(TraceView &)> prepare;
};

/// Writes images of views: a title with the scenario and view, the parameters and time range,
/// the view itself, and its legend underneath, as PNG, SVG or PDF (vector for the last two).
class ImageExport
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::ImageExport)
public:
    /// The names `--view` accepts, in the order of the window's tabs.
    static QStringList viewNames();
    /// A new view of that name, or nullptr.
    static std::unique_ptr<TraceView> createView(const QString &name);
    /// True if `suffix` ("png", "svg", "pdf") can be written.
    static bool supportedSuffix(const QString &suffix);
    /// Where a page puts the view and its legend.
    struct PageGeometry
    {
        QRect body;    ///< the view
        QRectF legend; ///< the legend's rows
    };
    /// The geometry of a page of `size` for `view` on `device` (its DPI sets the type's size).
    static PageGeometry pageGeometry(TraceView &view, const Theme &theme, const QSize &size,
                                     const QPaintDevice *device);
    /// A time range in one unit, relative times in ns: "0 – 493 ms".
    static QString spanText(int64_t from, int64_t to);
    /// The translated word for a run status as --json and the trace name it ("deadlocked").
    static QString statusWord(const QString &status);

    /// Paints the page of `view` as an image shows it (title, facts, view, legend) at its playhead.
    static void paint(QPainter &painter, TraceView &view, const Theme &theme, const QSize &size);

    /// Renders `view` (already given its model, run info and range) as requested. On failure,
    /// returns false with one line in `error` and leaves no file behind.
    static bool write(TraceView &view, const ImageRequest &request, QString *error);
    /// Makes a fresh view named `viewName` for `model` and writes it.
    static bool write(const QString &viewName, const core::TraceModel &model, const RunInfo &info,
                      const ImageRequest &request, QString *error);
};

} // namespace interleave::ui
