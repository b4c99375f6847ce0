// SPDX-License-Identifier: MIT
// A monochrome icon drawn in the palette's button-text colour, so it reads in every theme.
#pragma once

#include <QIcon>

namespace interleave::ui {

/// `shape` (a monochrome icon: only its alpha counts) drawn in the application palette's
/// ButtonText colour, the Disabled group's when disabled. The colour is read at each paint, so the
/// icon follows a theme change: dark on the light themes, light on the dark one.
QIcon inkIcon(const QIcon &shape);

} // namespace interleave::ui
