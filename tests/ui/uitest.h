// SPDX-License-Identifier: MIT
#pragma once

#include <QApplication>
#include <QTemporaryDir>

namespace interleave::ui::testing {

/// The one QApplication of the UI test program (every test file shares it; offscreen platform).
/// Its settings live in a temporary folder that goes away with the program, so the tests neither
/// read the user's settings nor leave their own behind.
inline QApplication &app()
{
    static QTemporaryDir config;
    static const bool configured = qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    (void)configured;
    static int argc = 1;
    static char name[] = "test_ui";
    static char *argv[] = {name, nullptr};
    static QApplication *instance = [] {
        auto *a = new QApplication(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("InterleaveTest"));
        return a;
    }();
    return *instance;
}

} // namespace interleave::ui::testing
