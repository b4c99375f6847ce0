// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QCoreApplication;

namespace interleave::ui {

/// Application-wide set-up shared by the window and the headless modes: names, settings,
/// translators. The language can change while the window is open.
class Application
{
public:
    /// Whose language an empty `language` means: the window remembers the one last chosen in its
    /// menu; a command (run, open --json, list, master, worker, --image) follows the system's
    /// (LC_ALL, LC_MESSAGES, LANG), as command-line programs do, so a script's locale decides.
    enum class Front
    {
        Window,
        Command
    };
    /// `language`: "zh_CN", "en", or empty (see Front).
    static void setup(QCoreApplication &app, const QString &language, Front front);
    /// Installs the translators for `language` ("zh_CN" or "en"); widgets get a LanguageChange.
    static void setLanguage(const QString &language);
    static QString language();
    /// Shows the main window (with the trace at `tracePath` open, if given) and runs the event loop.
    /// SIGTERM, SIGINT and SIGHUP close the window as its close button does (CloseOnSignal).
    /// With INTERLEAVE_EXIT_AFTER_FIRST_PAINT=1 it quits once the window has painted (start-up
    /// benchmark); INTERLEAVE_TEST_RUN=ID starts scenario ID with its defaults at once (tests).
    static int runWindow(const QString &tracePath = QString());
};

} // namespace interleave::ui
