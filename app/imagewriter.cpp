// SPDX-License-Identifier: MIT
// The command line's image (--image, --view, --size, --theme): checked before the run, drawn after it.
#include "imagewriter.h"

#include "commandline.h"
#include "help.h"

#include "scenarios/scenario.h"
#include "scenarios/traceprogram.h"
#include "ui/imageexport.h"
#include "ui/theme.h"
#include "ui/tracedialog.h"
#include "ui/traceview.h"

#include <QFileInfo>
#include <QSize>

namespace interleave {

bool readViewOptions(const CommandLine &cl, QString &view, QSize &size, ui::Theme::Id &theme, QString &error)
{
    if (cl.has("--view"))
        view = cl.value("--view");
    if (!ui::ImageExport::viewNames().contains(view)) {
        error = AppTr::tr("unknown view '%1' for --view (use %2)")
                    .arg(view, ui::ImageExport::viewNames().join(QStringLiteral(", ")));
        return false;
    }
    if (cl.has("--size")) {
        const QStringList wh = cl.value("--size").split(QLatin1Char('x'));
        bool okW = false;
        bool okH = false;
        const int w = wh.size() == 2 ? wh[0].toInt(&okW) : 0;
        const int h = wh.size() == 2 ? wh[1].toInt(&okH) : 0;
        if (!okW || !okH || w < 200 || h < 150 || w > 16000 || h > 16000) {
            error = AppTr::tr("--size takes WIDTHxHEIGHT in pixels from 200x150 to 16000x16000, not '%1'")
                        .arg(cl.value("--size"));
            return false;
        }
        size = QSize(w, h);
    }
    if (cl.has("--theme")) {
        const ui::Theme *named = ui::Theme::byName(cl.value("--theme"));
        if (!named) {
            error = AppTr::tr("unknown theme '%1' for --theme (use light, dark or projector)").arg(cl.value("--theme"));
            return false;
        }
        theme = named->id;
    }
    return true;
}

ui::RunInfo runInfoOf(const QJsonObject &summary)
{
    ui::RunInfo info;
    info.scenario = summary.value(QStringLiteral("scenario")).toString();
    const auto *scenario = core::ScenarioRegistry::instance().find(info.scenario.toStdString());
    info.params = summary.value(QStringLiteral("params")).toObject();
    // A traced program is titled by its command line, as the window titles it.
    const QString command = info.scenario == QLatin1String(core::kTraceScenarioId)
                                ? ui::TraceCommand::fromParams(info.params).display()
                                : QString();
    info.title = !command.isEmpty() ? command : scenario ? core::ScenarioTr::tr(scenario->title()) : info.scenario;
    info.findings = summary.value(QStringLiteral("findings")).toObject();
    info.status = ui::ImageExport::statusWord(summary.value(QStringLiteral("status")).toString());
    return info;
}

ImageWriter imageWriter(const CommandLine &cl, QString &error)
{
    ui::ImageRequest request;
    request.path = cl.value("--image");
    if (!cl.has("--image")) {
        error = AppTr::tr("--view, --size and --theme describe an image: add --image FILE.png|.svg|.pdf");
        return {};
    }
    if (!ui::ImageExport::supportedSuffix(QFileInfo(request.path).suffix())) {
        error = AppTr::tr("cannot draw '%1': give the image a .png, .svg or .pdf name").arg(request.path);
        return {};
    }
    QString view = QStringLiteral("timeline");
    if (!readViewOptions(cl, view, request.size, request.theme, error))
        return {};
    return [request, view](const core::TraceModel &model, const QJsonObject &summary, QString *error) {
        return ui::ImageExport::write(view, model, runInfoOf(summary), request, error);
    };
}

} // namespace interleave
