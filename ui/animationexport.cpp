// SPDX-License-Identifier: MIT
// The replay of a view drawn frame by frame as an image export draws it, and encoded as it goes.
#include "ui/animationexport.h"

#include "io/safewrite.h"
#include "trace/tracemodel.h"

#include "ui/animationencoder.h"
#include "ui/imageexport.h"
#include "ui/traceview.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QTemporaryFile>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

namespace {

// The image export's resolution, so type has the same size relative to the frame as in a PNG.
constexpr int kDpi = 96;

QString saveError(const QString &path, const QString &reason)
{
    return AnimationExport::tr("cannot save animation '%1': %2").arg(path, reason);
}

/// Copies the finished file `from` into `out` (the safe writer's temporary file beside the target).
bool copyInto(const QString &from, QIODevice &out, QString *why)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) {
        *why = in.errorString();
        return false;
    }
    QByteArray chunk;
    while (!(chunk = in.read(1 << 20)).isEmpty())
        if (out.write(chunk) != chunk.size())
            return true; // the safe writer reports the refused write
    return true;
}

} // namespace

int64_t AnimationExport::frameCount(int64_t span, int fps, double speed)
{
    if (span <= 0 || fps <= 0 || !(speed > 0))
        return 1;
    const double frames = std::floor(double(span) / (speed * 1e9) * fps + 1e-9);
    return frames >= double(kMaxFrames) ? kMaxFrames + 1 : int64_t(frames) + 1;
}

int64_t AnimationExport::frameTime(int64_t k, int fps, double speed)
{
    return int64_t(std::llround(double(k) * speed * 1e9 / fps));
}

bool AnimationExport::write(TraceView &view, const AnimationRequest &request, const Progress &progress, QString *error)
{
    const QString suffix = QFileInfo(request.path).suffix().toLower();
    std::unique_ptr<AnimationEncoder> encoder = AnimationEncoder::create(suffix);
    if (!encoder) {
        *error = saveError(request.path, tr("unknown animation type; give the file a .gif, .mp4 or .webm name"));
        return false;
    }
    if (request.size.width() < 200 || request.size.height() < 150 || request.size.width() > 16000 ||
        request.size.height() > 16000 || request.fps < 1 || request.fps > kMaxFps || !(request.speed > 0) ||
        !view.model()) {
        *error = saveError(request.path, tr("nothing to draw at this size, frame rate or speed"));
        return false;
    }
    const core::TraceModel &model = *view.model();
    const int64_t origin = model.startTime();
    const int64_t end = std::max(origin, model.endTime());
    const bool ranged = request.rangeEnd > request.rangeStart;
    const int64_t from = std::clamp(origin + (ranged ? request.rangeStart : 0), origin, end);
    const int64_t to = ranged ? std::clamp(origin + request.rangeEnd, from, end) : end;
    const int64_t total = frameCount(to - from, request.fps, request.speed);
    if (total > kMaxFrames) {
        *error = saveError(request.path, tr("the replay would take more than %1 frames; raise --speed or "
                                            "choose a shorter --range")
                                             .arg(kMaxFrames));
        return false;
    }
    const Theme &theme = Theme::get(request.theme);
    view.setTheme(theme);
    if (ranged)
        view.setVisibleRange(from, to);

    // Encoded into a temporary file first, then copied into place by the safe writer: a failed
    // or cancelled export leaves no partial file, and an existing one stays as it was.
    QTemporaryFile encoded(QDir::tempPath() + QStringLiteral("/interleave-animation-XXXXXX.") + suffix);
    QString why;
    if (!encoded.open()) {
        *error = saveError(request.path, encoded.errorString());
        return false;
    }
    encoded.close();
    if (!encoder->open(encoded.fileName(), request.size, request.fps, &why)) {
        *error = saveError(request.path, why);
        return false;
    }
    QImage frame(request.size, QImage::Format_RGB32);
    frame.setDotsPerMeterX(int(std::lround(kDpi / 0.0254)));
    frame.setDotsPerMeterY(int(std::lround(kDpi / 0.0254)));
    for (int64_t k = 0; k < total; ++k) {
        view.setPlayhead(std::min(to, from + frameTime(k, request.fps, request.speed)));
        frame.fill(theme.background);
        {
            QPainter painter(&frame);
            ImageExport::paint(painter, view, theme, request.size);
        }
        if (!encoder->addFrame(frame, &why)) {
            *error = saveError(request.path, why);
            return false;
        }
        if (progress && !progress(k + 1, total)) {
            error->clear();
            return false;
        }
    }
    if (!encoder->finish(&why)) {
        *error = saveError(request.path, why);
        return false;
    }
    const auto produce = [&](QIODevice &out, QString *problem) { return copyInto(encoded.fileName(), out, problem); };
    if (!core::writeFileSafely(request.path, produce, &why)) {
        *error = saveError(request.path, why);
        return false;
    }
    return true;
}

bool AnimationExport::write(const QString &viewName, const core::TraceModel &model, const RunInfo &info,
                            const AnimationRequest &request, const Progress &progress, QString *error)
{
    std::unique_ptr<TraceView> view = ImageExport::createView(viewName);
    if (!view) {
        *error = saveError(
            request.path,
            tr("unknown view '%1' (views: %2)").arg(viewName, ImageExport::viewNames().join(QStringLiteral(", "))));
        return false;
    }
    // Never shown on screen, but laid out as if it were, so child widgets have their sizes.
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->setModel(&model);
    view->setRunInfo(info);
    view->resize(request.size);
    view->show();
    view->refresh();
    return write(*view, request, progress, error);
}

} // namespace interleave::ui
