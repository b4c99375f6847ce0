// SPDX-License-Identifier: MIT
// Private to the MainWindow sources: what mainwindow.cpp and the mainwindow*.cpp files beside it share.
#pragma once

#include "run/session.h"
#include "ui/imageexport.h"

#include <QString>
#include <Qt>

namespace interleave::ui::windowdetail {

/// The browser items' data role that holds a scenario's id.
constexpr int IdRole = Qt::UserRole;

inline QString statusText(core::RunStatus status)
{
    return status == core::RunStatus::NotStarted ? QString()
                                                 : ImageExport::statusWord(QLatin1String(core::runStatusName(status)));
}

} // namespace interleave::ui::windowdetail
