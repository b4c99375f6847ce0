// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <gtest/gtest.h>

// Not in namespace interleave: the command-line tests call their runner interleave(...).
namespace cli {

/// What a run of the interleave program gave: its exit code and both outputs.
struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

/// Runs $INTERLEAVE_BIN/interleave with `args` and waits for it (a test failure if it takes longer
/// than `timeoutMs`).
inline Result run(const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments(args);
    p.start();
    EXPECT_TRUE(p.waitForFinished(timeoutMs)) << "interleave did not finish";
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace cli
