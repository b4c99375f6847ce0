// SPDX-License-Identifier: MIT
// The command line's help: the whole of it, and that of one command.
#pragma once

#include <QCoreApplication>
#include <QString>

namespace interleave {

/// The translation context of the command line's own messages.
struct AppTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::AppTr)
};

/// `interleave --help`: every command in brief.
QString helpText();
/// `interleave help COMMAND` and `COMMAND --help`: what the command does and its options (the
/// whole help for an empty or unknown `mode`).
QString commandHelpText(const QString &mode);
/// The lines of --animation and its options, for run, trace and open.
QString animationHelpText();

} // namespace interleave
