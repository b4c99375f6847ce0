// SPDX-License-Identifier: MIT
#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

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

/// Lets the application's timers run (the window's polls among them) until `done` or `limitMs`.
template<typename Done> bool waitFor(Done done, int limitMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < limitMs)
        QTest::qWait(5);
    return done();
}

} // namespace interleave::ui::testing
