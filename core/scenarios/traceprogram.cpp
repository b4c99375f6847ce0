// SPDX-License-Identifier: MIT
// The hidden scenario "trace": a program of the user's, run unchanged with the preloaded recorder.
#include "scenarios/traceprogram.h"

#include "trace/tracemodel.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <sys/wait.h>

namespace interleave::core {

ParamValues traceParams(const QStringList &argv, const QString &cwd)
{
    return ParamValues{
        {QStringLiteral("argv"),
         QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(argv)).toJson(QJsonDocument::Compact))},
        {QStringLiteral("cwd"), cwd}};
}

QStringList traceArgv(const ParamValues &params)
{
    QStringList argv;
    const QJsonArray array = QJsonDocument::fromJson(params.value(QStringLiteral("argv")).toString().toUtf8()).array();
    for (const QJsonValue &v : array)
        argv << v.toString();
    return argv;
}

QString preloadLibraryPath(const QString &binDir)
{
    const QStringList candidates{binDir + QLatin1Char('/') + QLatin1String(kPreloadLibrary),
                                 binDir + QStringLiteral("/../lib/interleave/") + QLatin1String(kPreloadLibrary)};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isFile())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

QString pythonHookDir(const QString &binDir)
{
    const QStringList candidates{binDir + QStringLiteral("/python"),
                                 binDir + QStringLiteral("/../share/interleave/python")};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate + QStringLiteral("/sitecustomize.py")).isFile())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

namespace {

class TraceScenario final : public Scenario
{
public:
    const char *id() const override { return kTraceScenarioId; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Your programs"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Trace a program: any program, run unchanged");
    }
    bool tracesProgram() const override { return true; }
    std::vector<ParamSpec> parameters() const override
    {
        return {
            {QStringLiteral("argv"), ParamSpec::Kind::Text, QStringLiteral("[]"), 0, 0, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Program and arguments"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "a JSON array: the program, then its arguments")},
            {QStringLiteral("cwd"), ParamSpec::Kind::Text, QString(), 0, 0, QStringList(),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Working folder"),
             QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "where the program starts; empty: the current one")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int status = runTracedProgram(ctx, traceArgv(ctx.params()), ctx.textParam("cwd"));
        // Ended by a signal N: -N, as Python's returncode and the shell's view of it say.
        ctx.note(QStringLiteral("exit_code"), WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        // The program is the process whose parent is not in the trace (the runner never shows).
        // Killed by Interleave (a deadlock, Stop, a timeout): its signal as -N, like its own end.
        QJsonValue exitCode;
        for (const ProcessInfo &p : model.processes()) {
            if (p.traced() && p.ppid == 0 && p.exited) {
                exitCode = double(p.signaled ? -p.exitStatus : p.exitStatus);
                break;
            }
        }
        return {{QStringLiteral("argv"), QJsonArray::fromStringList(traceArgv(params))},
                {QStringLiteral("cwd"), params.value(QStringLiteral("cwd"))},
                {QStringLiteral("exit_code"), exitCode}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeTraceScenario()
{
    return std::make_unique<TraceScenario>();
}

} // namespace interleave::core
