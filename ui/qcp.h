// SPDX-License-Identifier: MIT
#pragma once

// QCustomPlot's header uses `foreach`, which QT_NO_FOREACH forbids, and must come before other Qt
// headers for that #undef to take effect. Every file that plots includes this header first.
#undef QT_NO_FOREACH
#include <qcustomplot.h>
