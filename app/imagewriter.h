// SPDX-License-Identifier: MIT
// The command line's image output: --image FILE with --view, --size and --theme.
#pragma once

#ifndef INTERLEAVE_NO_UI
#include "ui/theme.h"
#endif

#include <QJsonObject>
#include <QSize>
#include <QString>

#include <functional>

namespace interleave {

namespace core {
class TraceModel;
}
namespace ui {
struct RunInfo;
}
struct CommandLine;

/// Draws the image of a finished run from its model and summary; false and `error` on failure.
using ImageWriter = std::function<bool(const core::TraceModel &, const QJsonObject &, QString *)>;

/// Checks --image, --view, --size and --theme and returns what draws the image after the run;
/// an empty function and one line in `error` on bad input. Not in the headless build.
ImageWriter imageWriter(const CommandLine &cl, QString &error);

#ifndef INTERLEAVE_NO_UI
/// Reads --view, --size and --theme, which an image and an animation share, into what is given
/// (left as they are when the option is absent); false and one line in `error` on a bad value.
bool readViewOptions(const CommandLine &cl, QString &view, QSize &size, ui::Theme::Id &theme, QString &error);

/// The title, parameters, findings and status that caption a run's pictures, from its --json summary.
ui::RunInfo runInfoOf(const QJsonObject &summary);
#endif // the headless build (INTERLEAVE_NO_UI) draws no pictures

} // namespace interleave
