// SPDX-License-Identifier: MIT
// The command line's animated export: --animation FILE with --fps, --speed, --range (and the
// --view, --size and --theme of images).
#pragma once

#include "commandline.h"
#include "imagewriter.h"

namespace interleave {

/// Checks --animation and its options and returns what renders the animation after the run; an
/// empty function and one line in `error` on bad input. Not in the headless build.
ImageWriter animationWriter(const CommandLine &cl, QString &error);

/// True if the command line asks for an animation or gives one of its own options.
inline bool wantsAnimation(const CommandLine &cl)
{
    return cl.has("--animation") || cl.has("--fps") || cl.has("--speed") || cl.has("--range");
}

} // namespace interleave
