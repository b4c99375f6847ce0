// SPDX-License-Identifier: MIT
#pragma once

#include "scenarios/scenario.h"
#include "trace/tracedata.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

namespace interleave::core {

/// The id of the hidden scenario that runs a program of the user's, unchanged, with the preloaded
/// recorder (`interleave trace -- PROGRAM ARGS`, File > Trace a Program…). Never listed; found by
/// ScenarioRegistry::find.
inline constexpr char kTraceScenarioId[] = "trace";

/// Whether `data` is the trace of a program run by the "trace" scenario (live or saved).
inline bool tracesProgram(const TraceData &data)
{
    return data.meta.value(QStringLiteral("scenario")).toString() == QLatin1String(kTraceScenarioId);
}

/// File name of the preloaded recorder, built beside the `interleave` binary.
inline constexpr char kPreloadLibrary[] = "libinterleave-preload.so";

/// The parameters of a trace run: the program's argv as a JSON array, and its working folder.
ParamValues traceParams(const QStringList &argv, const QString &cwd);
/// The argv a trace run's parameters hold (empty when they hold none).
QStringList traceArgv(const ParamValues &params);

/// Where the preloaded recorder and the Python hook are for the interleave binary in `binDir`:
/// beside it in a build, or in ../lib/interleave and ../share/interleave/python when installed.
/// Empty when not found.
QString preloadLibraryPath(const QString &binDir);
QString pythonHookDir(const QString &binDir);

/// How the runner starts the program (traceprogramrun.cpp): pid of the program, or throws
/// std::runtime_error with one line. The program's stdout is a pseudo-terminal (so C stdio and
/// Python flush each line as at a terminal), its stderr a pipe, its stdin /dev/null; its lines are
/// recorded as its main thread's Output. Returns when the program has exited, with its wait status.
int runTracedProgram(ScenarioContext &ctx, const QStringList &argv, const QString &cwd);

std::unique_ptr<Scenario> makeTraceScenario();

} // namespace interleave::core
