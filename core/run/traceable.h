// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>

namespace interleave::core {

struct TraceableTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::TraceableTr)
};

/// Why `interleave trace -- PROGRAM` cannot record PROGRAM, in one line the user reads, or an
/// empty string when it can. PROGRAM is found as execvp finds it (a name with no '/' in PATH, else
/// relative to `workingDir` or the current folder); a "#!" script is judged by its interpreter
/// ("/usr/bin/env NAME" by NAME). The recorder is a preloaded library, so the program must be a
/// dynamically linked glibc program of this machine's architecture, and neither set-user-ID nor
/// set-group-ID (the loader ignores such preloads). `resolvedPath`, if given, receives the
/// absolute path of the program found (empty when none is).
QString traceProblem(const QString &program, QString *resolvedPath = nullptr, const QString &workingDir = {});

} // namespace interleave::core
