// SPDX-License-Identifier: MIT
// The command line's image output: --image FILE with --view, --size and --theme.
#pragma once

#include <QJsonObject>
#include <QString>

#include <functional>

namespace interleave {

namespace core {
class TraceModel;
}
struct CommandLine;

/// Draws the image of a finished run from its model and summary; false and `error` on failure.
using ImageWriter = std::function<bool(const core::TraceModel &, const QJsonObject &, QString *)>;

/// Checks --image, --view, --size and --theme and returns what draws the image after the run;
/// an empty function and one line in `error` on bad input. Not in the headless build.
ImageWriter imageWriter(const CommandLine &cl, QString &error);

} // namespace interleave
