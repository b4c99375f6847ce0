// SPDX-License-Identifier: MIT
#include "ui/imageexport.h"

#include "io/safewrite.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "scenarios/traceprogram.h"

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

QString valueText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'g', 10) : v.toVariant().toString();
}

/// "Variant: naive, Hold time (ms): 300": the scenario's own labels, in its order, where it has them.
QString paramsLine(const QString &scenario, const QJsonObject &params)
{
    QStringList parts;
    const core::Scenario *s =
        scenario.isEmpty() ? nullptr : core::ScenarioRegistry::instance().find(scenario.toStdString());
    QStringList done;
    // A traced program's command line is the title already; its folder stays.
    if (scenario == QLatin1String(core::kTraceScenarioId))
        done << QStringLiteral("argv");
    if (s) {
        for (const core::ParamSpec &spec : s->parameters()) {
            if (!params.contains(spec.name) || done.contains(spec.name))
                continue;
            const QString label = *spec.label ? core::ScenarioTr::tr(spec.label) : spec.name;
            parts << ImageExport::tr("%1: %2").arg(label, valueText(params.value(spec.name)));
            done << spec.name;
        }
    }
    for (auto it = params.begin(); it != params.end(); ++it)
        if (!done.contains(it.key()))
            parts << it.key() + QLatin1Char('=') + valueText(it.value());
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString ImageExport::spanText(int64_t from, int64_t to)
{
    // One unit for both ends, chosen by the larger: "0 – 493 ms", "1.20 – 3.50 s".
    const int64_t a = std::max(std::llabs(from), std::llabs(to));
    if (a < 1'000)
        return TimeFormat::tr("%1 ns").arg(tr("%1 – %2").arg(from).arg(to));
    const int64_t unit = a >= 1'000'000'000 ? 1'000'000'000 : a >= 1'000'000 ? 1'000'000 : 1'000;
    const double hi = double(a) / double(unit);
    const int decimals = hi >= 100 ? 0 : hi >= 10 ? 1 : 2;
    auto number = [&](int64_t v) {
        return v == 0 ? QStringLiteral("0") : QString::number(double(v) / double(unit), 'f', decimals);
    };
    const QString both = tr("%1 – %2").arg(number(from), number(to));
    return unit == 1'000'000'000 ? TimeFormat::tr("%1 s").arg(both)
           : unit == 1'000'000   ? TimeFormat::tr("%1 ms").arg(both)
                                 : TimeFormat::tr("%1 µs").arg(both);
}

namespace {

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
        facts << paramsLine(info.scenario, info.params);
    if (!info.status.isEmpty())
        facts << info.status;
    const auto [t0, t1] = view.visibleRange();
    if (view.model() && t1 > t0) {
        const int64_t origin = view.model()->startTime();
        const bool whole = t0 <= origin && t1 >= view.model()->endTime();
        const QString span = ImageExport::spanText(t0 - origin, t1 - origin);
        facts << (whole ? span : ImageExport::tr("%1 (%2 shown)").arg(span, TimeFormat::duration(t1 - t0)));
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

    const ImageExport::PageGeometry page = ImageExport::pageGeometry(view, theme, size, painter.device());
    const QRect body = page.body;
    view.resize(body.size());
    painter.save();
    painter.translate(body.topLeft());
    painter.setClipRect(QRect(QPoint(), body.size()));
    view.renderContent(painter, body.size());
    painter.restore();

    painter.setFont(textFont);
    const LegendLayout legend(view.legend(), textMetrics, page.legend.width());
    legend.paint(painter, page.legend.topLeft(), theme);
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

void ImageExport::paint(QPainter &painter, TraceView &view, const Theme &theme, const QSize &size)
{
    paintPage(painter, view, theme, size);
}

ImageExport::PageGeometry ImageExport::pageGeometry(TraceView &view, const Theme &theme, const QSize &size,
                                                    const QPaintDevice *device)
{
    const QFontMetricsF titleMetrics(theme.font(1.45, true), device);
    const QFontMetricsF textMetrics(theme.font(1.0), device);
    const qreal margin = std::round(textMetrics.height() * 0.8);
    const qreal width = size.width() - 2 * margin;
    const qreal top = margin + titleMetrics.height() + textMetrics.height() + margin * 0.5;
    // The legend wraps over as many rows as it needs, at the bottom.
    const LegendLayout legend(view.legend(), textMetrics, width);
    const qreal legendTop = size.height() - margin - legend.height();
    PageGeometry g;
    g.body = QRect(int(margin), int(top), int(width), int(std::max<qreal>(1, legendTop - top - margin * 0.5)));
    g.legend = QRectF(margin, legendTop, width, legend.height());
    return g;
}

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
    if (request.prepare)
        request.prepare(*view);
    view->resize(request.size);
    view->show();
    view->refresh();
    return write(*view, request, error);
}

} // namespace interleave::ui
