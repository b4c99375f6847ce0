// SPDX-License-Identifier: MIT
// Animated exports: the replay of a view, frame by frame, as GIF, MP4 or WebM.
#pragma once

#include "ui/theme.h"

#include <QCoreApplication>
#include <QSize>
#include <QString>

#include <cstdint>
#include <functional>

namespace interleave::core {
class TraceModel;
}

namespace interleave::ui {

class TraceView;
struct RunInfo;

/// What an animation of a view shows and where it goes.
struct AnimationRequest
{
    QString path;          ///< .gif, .mp4 or .webm (chosen by the suffix)
    QSize size{1280, 720}; ///< every frame, in pixels
    Theme::Id theme = Theme::Id::Light;
    int fps = 15;           ///< frames per second of the animation
    double speed = 1.0;     ///< trace time per animation time: 0.1 shows a 0.3 s trace in 3 s
    int64_t rangeStart = 0; ///< trace times replayed, relative to its start (ns); rangeEnd <= rangeStart:
    int64_t rangeEnd = 0;   ///< the whole trace
};

/// Replays a view as an image export draws it (title, parameters, legend), with the playhead at
/// each frame's time, and encodes the frames as they are drawn: memory does not grow with length.
class AnimationExport
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::AnimationExport)
public:
    /// Called after each frame with the frames done and their total; false cancels the export.
    using Progress = std::function<bool(int64_t done, int64_t total)>;
    static constexpr int kMaxFps = 60;
    static constexpr int64_t kMaxFrames = 36'000;

    /// The number of frames that replay `span` ns at `fps` and `speed` (both ends drawn).
    static int64_t frameCount(int64_t span, int fps, double speed);
    /// The trace time (relative to `from`) of frame `k`.
    static int64_t frameTime(int64_t k, int fps, double speed);

    /// Writes the animation of `view` (already given its model and run info). On failure or
    /// when cancelled returns false, with one line in `error` (empty when cancelled), and leaves
    /// no file behind; an existing file stays as it was.
    static bool write(TraceView &view, const AnimationRequest &request, const Progress &progress, QString *error);
    /// Makes a fresh view named `viewName` for `model` and writes its animation.
    static bool write(const QString &viewName, const core::TraceModel &model, const RunInfo &info,
                      const AnimationRequest &request, const Progress &progress, QString *error);
};

} // namespace interleave::ui
