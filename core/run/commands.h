// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QTextStream;

namespace interleave::core {

class TraceModel;

struct CommandTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::CommandTr)
};

/// Exit statuses of every command (DESIGN, "Command line").
enum ExitStatus
{
    ExitOk = 0,
    ExitEngineFailed = 1,
    ExitBadInput = 2
};

/// Outputs that `run` and `open` share.
struct OutputOptions
{
    QString save;      ///< .iltrace path
    QString chrome;    ///< Chrome JSON path
    QString imagePath; ///< --image path, checked before the run with the other outputs
    bool json = false;
    /// Renders an image of the finished trace (set by the app when --image is given) with the
    /// run's --json summary for its caption; returns false with an error line when it cannot.
    std::function<bool(const TraceModel &, const QJsonObject &summary, QString *error)> image;
    QString animationPath; ///< --animation path, checked before the run like the others
    /// Renders the animated replay of the finished trace (set by the app when --animation is given).
    std::function<bool(const TraceModel &, const QJsonObject &summary, QString *error)> animation;
};

/// `interleave run ID ...` as typed.
struct RunOptions
{
    QString scenario;
    QList<QPair<QString, QString>> sets; ///< --set NAME=VALUE, in order
    QString seed;                        ///< empty: a random seed (reported in the summary)
    QString timeout;                     ///< seconds; empty: none
    OutputOptions output;
    /// `interleave trace`: the program and its arguments, and the folder it starts in (the
    /// scenario is then kTraceScenarioId and `sets` is unused).
    QStringList program;
    QString cwd;
    QString schedule;     ///< --schedule T1,T2,...: which thread takes each step; empty: none
    QString scheduleFile; ///< --schedule-file F: the same from a file
    QString repeat;       ///< --repeat N: runs the scenario N times; empty: once
};

/// `interleave list [--json]`: the scenarios with their parameters.
int listCommand(bool json, QTextStream &out);
/// `interleave run`: runs a scenario headless, printing its console (or, with --json, only the
/// summary) on `out` and problems on `err`.
int runCommand(const RunOptions &options, QTextStream &out, QTextStream &err);
/// `interleave open FILE`: loads a trace and writes the requested outputs.
int openCommand(const QString &path, const OutputOptions &options, QTextStream &out, QTextStream &err);

} // namespace interleave::core
