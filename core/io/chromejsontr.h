// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>

namespace interleave::core {

/// The translation context of the Chrome JSON export and import messages.
struct ChromeTraceTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::ChromeTraceTr)
};

} // namespace interleave::core
