// SPDX-License-Identifier: MIT
// Encoders of animated exports: GIF with giflib, MP4 (H.264) and WebM (VP8) with FFmpeg's libraries.
#pragma once

#include <QCoreApplication>
#include <QSize>
#include <QString>

#include <memory>

class QImage;

namespace interleave::ui {

/// Takes frames one at a time and writes them into a file as they come, so memory stays bounded
/// whatever the length of the animation.
class AnimationEncoder
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::AnimationEncoder)
public:
    virtual ~AnimationEncoder() = default;
    /// An encoder for `suffix` ("gif", "mp4", "webm"), or nullptr.
    static std::unique_ptr<AnimationEncoder> create(const QString &suffix);
    /// True if `suffix` can be written.
    static bool supportedSuffix(const QString &suffix);

    /// Starts the file `path` for frames of `size` at `fps` frames per second; false with one
    /// line in `error` when it cannot.
    virtual bool open(const QString &path, const QSize &size, int fps, QString *error) = 0;
    /// Appends a frame of the size given to open().
    virtual bool addFrame(const QImage &frame, QString *error) = 0;
    /// Completes and closes the file.
    virtual bool finish(QString *error) = 0;
};

} // namespace interleave::ui
