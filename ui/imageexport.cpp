// SPDX-License-Identifier: MIT
#include "ui/imageexport.h"

#include "io/safewrite.h"
#include "run/summary.h"

#include "ui/legend.h"
#include "ui/timeline/timemapping.h"
#include "ui/traceview.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QJsonValue>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <cmath>

namespace interleave::ui {

namespace {

// Every format is drawn at 96 logical dots per inch, so type has the same size relative to the
// page in PNG, SVG and PDF.
constexpr int kDpi = 96;

QString paramsLine(const QJsonObject &params)
{
    QStringList parts;
    for (auto it = params.begin(); it != params.end(); ++it) {
        const QJsonValue v = it.value();
        const QString text = v.isDouble() ? QString::number(v.toDouble(), 'g', 10) : v.toVariant().toString();
        parts << it.key() + QLatin1Char('=') + text;
    }
    return parts.join(QStringLiteral(", "));
}

/// Lays out and paints the title, the view and the legend on a page of `size`.
void paintPage(QPainter &painter, TraceView &view, const Theme &theme, const QSize &size)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(QRect(QPoint(), size), theme.background);

    const QFont titleFont = theme.font(1.45, true);
    const QFont textFont = theme.font(1.0);
    const QFontMetricsF titleMetrics(titleFont, painter.device());
    const QFontMetricsF textMetrics(textFont, painter.device());
    const qreal margin = std::round(textMetrics.height() * 0.8);
    const qreal width = size.width() - 2 * margin;

    const RunInfo &info = view.runInfo();
    QString heading = info.title.isEmpty() ? info.scenario : info.title;
    heading = heading.isEmpty() ? view.title() : heading + QStringLiteral(" — ") + view.title();
    QStringList facts;
    if (!info.params.isEmpty())
        facts << paramsLine(info.params);
    if (!info.status.isEmpty())
        facts << info.status;
    const auto [t0, t1] = view.visibleRange();
    if (view.model() && t1 > t0) {
        const int64_t origin = view.model()->startTime();
        facts << ImageExport::tr("%1 to %2 (%3 shown)")
                     .arg(TimeFormat::duration(t0 - origin), TimeFormat::duration(t1 - origin),
                          TimeFormat::duration(t1 - t0));
    }

    qreal y = margin;
    painter.setPen(theme.foreground);
    painter.setFont(titleFont);
    painter.drawText(QRectF(margin, y, width, titleMetrics.height()),
                     Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip,
                     titleMetrics.elidedText(heading, Qt::ElideRight, width));
    y += titleMetrics.height();
    painter.setFont(textFont);
    painter.setPen(theme.muted);
    const QString factLine = facts.join(QStringLiteral("   ·   "));
    painter.drawText(QRectF(margin, y, width, textMetrics.height()),
                     Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip,
                     textMetrics.elidedText(factLine, Qt::ElideRight, width));
    y += textMetrics.height() + margin * 0.5;

    // The legend wraps over as many rows as it needs, at the bottom.
    const LegendLayout legend(view.legend(), textMetrics, width);
    const qreal legendTop = size.height() - margin - legend.height();

    const QRect body(int(margin), int(y), int(width), int(std::max<qreal>(1, legendTop - y - margin * 0.5)));
    view.resize(body.size());
    painter.save();
    painter.translate(body.topLeft());
    painter.setClipRect(QRect(QPoint(), body.size()));
    view.renderContent(painter, body.size());
    painter.restore();

    painter.setFont(textFont);
    legend.paint(painter, QPointF(margin, legendTop), theme);
}

QString saveError(const QString &path, const QString &reason)
{
    return ImageExport::tr("cannot save image '%1': %2").arg(path, reason);
}

/// Draws the page as `suffix` ("png", "svg" or "pdf") into `out`; false if it cannot be drawn.
/// A write that `out` refused is found by core::writeFileSafely.
bool draw(TraceView &view, const ImageRequest &request, const Theme &theme, const QString &suffix, QIODevice &out)
{
    if (suffix == QLatin1String("png")) {
        const qreal scale = std::clamp(request.scale, 0.25, 8.0);
        QImage image(request.size * scale, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        image.setDotsPerMeterX(int(std::lround(kDpi / 0.0254)));
        image.setDotsPerMeterY(int(std::lround(kDpi / 0.0254)));
        image.fill(theme.background);
        {
            QPainter painter(&image);
            paintPage(painter, view, theme, request.size);
        }
        // Encoded in memory first: libpng would print its own "libpng error" line on stderr for
        // a write that fails.
        QBuffer encoded;
        encoded.open(QIODevice::WriteOnly);
        if (!image.save(&encoded, "PNG"))
            return false;
        out.write(encoded.data());
        return true;
    }
    QPainter painter;
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&out);
        svg.setResolution(kDpi);
        svg.setSize(request.size);
        svg.setViewBox(QRect(QPoint(), request.size));
        svg.setTitle(view.title());
        svg.setDescription(QStringLiteral("Interleave %1").arg(QStringLiteral(INTERLEAVE_VERSION)));
        if (!painter.begin(&svg))
            return false;
        paintPage(painter, view, theme, request.size);
        return painter.end();
    }
    QPdfWriter pdf(&out);
    pdf.setResolution(kDpi);
    pdf.setPageSize(QPageSize(QSizeF(request.size) * 72.0 / kDpi, QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(view.title());
    pdf.setCreator(QStringLiteral("Interleave %1").arg(QStringLiteral(INTERLEAVE_VERSION)));
    if (!painter.begin(&pdf))
        return false;
    paintPage(painter, view, theme, request.size);
    return painter.end();
}

} // namespace

QString ImageExport::statusWord(const QString &status)
{
    return core::statusWord(status);
}

bool ImageExport::supportedSuffix(const QString &suffix)
{
    const QString s = suffix.toLower();
    return s == QLatin1String("png") || s == QLatin1String("svg") || s == QLatin1String("pdf");
}

bool ImageExport::write(TraceView &view, const ImageRequest &request, QString *error)
{
    const QString suffix = QFileInfo(request.path).suffix().toLower();
    if (!supportedSuffix(suffix)) {
        *error = saveError(request.path, tr("unknown image type; give the file a .png, .svg or .pdf name"));
        return false;
    }
    if (request.size.width() < 200 || request.size.height() < 150 || request.size.width() > 16000 ||
        request.size.height() > 16000) {
        *error = saveError(request.path, tr("size %1x%2 is out of range (200x150 to 16000x16000)")
                                             .arg(request.size.width())
                                             .arg(request.size.height()));
        return false;
    }
    const Theme &theme = Theme::get(request.theme);
    view.setTheme(theme);
    if (request.rangeEnd > request.rangeStart)
        view.setVisibleRange(request.rangeStart, request.rangeEnd);
    if (view.model())
        view.setPlayhead(request.playhead == INT64_MIN ? view.exportPlayhead() : request.playhead);

    // A failed write (disk full, no permission) leaves no half-written image behind and an
    // existing one as it was.
    QString why;
    const auto produce = [&](QIODevice &out, QString *problem) {
        if (draw(view, request, theme, suffix, out))
            return true;
        *problem = tr("the image could not be drawn");
        return false;
    };
    if (!core::writeFileSafely(request.path, produce, &why)) {
        *error = saveError(request.path, why);
        return false;
    }
    return true;
}

bool ImageExport::write(const QString &viewName, const core::TraceModel &model, const RunInfo &info,
                        const ImageRequest &request, QString *error)
{
    std::unique_ptr<TraceView> view = createView(viewName);
    if (!view) {
        *error = saveError(request.path,
                           tr("unknown view '%1' (views: %2)").arg(viewName, viewNames().join(QStringLiteral(", "))));
        return false;
    }
    // Never shown on screen, but laid out as if it were, so child widgets have their sizes.
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->setModel(&model);
    view->setRunInfo(info);
    view->resize(request.size);
    view->show();
    view->refresh();
    return write(*view, request, error);
}

} // namespace interleave::ui
