// SPDX-License-Identifier: MIT
// The command line's animated export: checked before the run, rendered after it with a progress
// line on a terminal's stderr.
#include "animationwriter.h"

#include "commandline.h"
#include "help.h"

#include "ui/animationencoder.h"
#include "ui/animationexport.h"
#include "ui/traceview.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

#include <unistd.h>

#include <cmath>

namespace interleave {

namespace {

/// "1.5s", "300ms", "20us", "100ns" or a bare number of seconds, in ns; -1 if it is none of them.
int64_t timeOf(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]*)?)\\s*(ns|us|µs|ms|s)?\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const QString unit = m.captured(2);
    const double scale = unit == QLatin1String("ns")                                   ? 1.0
                         : unit == QLatin1String("us") || unit == QStringLiteral("µs") ? 1e3
                         : unit == QLatin1String("ms")                                 ? 1e6
                                                                                       : 1e9;
    const double ns = m.captured(1).toDouble() * scale;
    return ns < 1e18 ? int64_t(std::llround(ns)) : -1;
}

/// Reads --fps, --speed and --range into `request`; false and one line in `error` on a bad value.
bool readReplayOptions(const CommandLine &cl, ui::AnimationRequest &request, QString &error)
{
    if (cl.has("--fps")) {
        bool ok = false;
        request.fps = cl.value("--fps").toInt(&ok);
        if (!ok || request.fps < 1 || request.fps > ui::AnimationExport::kMaxFps) {
            error = AppTr::tr("--fps takes a whole number of frames per second from 1 to %1, not '%2'")
                        .arg(ui::AnimationExport::kMaxFps)
                        .arg(cl.value("--fps"));
            return false;
        }
    }
    if (cl.has("--speed")) {
        bool ok = false;
        request.speed = cl.value("--speed").toDouble(&ok);
        if (!ok || !(request.speed >= 0.0001 && request.speed <= 10000)) {
            error = AppTr::tr("--speed takes a number from 0.0001 to 10000 (0.1: ten times slower than real "
                              "time), not '%1'")
                        .arg(cl.value("--speed"));
            return false;
        }
    }
    if (cl.has("--range")) {
        const QStringList ends = cl.value("--range").split(QLatin1Char('-'));
        request.rangeStart = ends.size() == 2 ? timeOf(ends[0]) : -1;
        request.rangeEnd = ends.size() == 2 ? timeOf(ends[1]) : -1;
        if (request.rangeStart < 0 || request.rangeEnd <= request.rangeStart) {
            error = AppTr::tr("--range takes START-END from the start of the trace, such as 0-1.5s or 200ms-800ms "
                              "(a bare number is in seconds), with START before END, not '%1'")
                        .arg(cl.value("--range"));
            return false;
        }
    }
    return true;
}

/// Rewrites one line on stderr with the frames done, when stderr is a terminal.
ui::AnimationExport::Progress terminalProgress(const QString &path)
{
    if (!::isatty(STDERR_FILENO))
        return {};
    return [path](int64_t done, int64_t total) {
        QTextStream err(stderr);
        err << '\r' << AppTr::tr("interleave: animation '%1': frame %2 of %3").arg(path).arg(done).arg(total);
        if (done == total)
            err << '\n';
        return true;
    };
}

} // namespace

ImageWriter animationWriter(const CommandLine &cl, QString &error)
{
    ui::AnimationRequest request;
    request.path = cl.value("--animation");
    if (!cl.has("--animation")) {
        error = AppTr::tr("--fps, --speed and --range describe an animation: add --animation FILE.gif|.mp4|.webm");
        return {};
    }
    if (!ui::AnimationEncoder::supportedSuffix(QFileInfo(request.path).suffix())) {
        error = AppTr::tr("cannot animate '%1': give the animation a .gif, .mp4 or .webm name").arg(request.path);
        return {};
    }
    QString view = QStringLiteral("timeline");
    if (!readViewOptions(cl, view, request.size, request.theme, error) || !readReplayOptions(cl, request, error))
        return {};
    return [request, view](const core::TraceModel &model, const QJsonObject &summary, QString *error) {
        return ui::AnimationExport::write(view, model, runInfoOf(summary), request, terminalProgress(request.path),
                                          error);
    };
}

} // namespace interleave
