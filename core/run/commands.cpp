// SPDX-License-Identifier: MIT
#include "run/commands.h"

#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "trace/chromejson.h"
#include "trace/iltrace.h"
#include "trace/tracemodel.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <random>
#include <thread>

namespace interleave::core {

int listCommand(bool json, QTextStream &out)
{
    const auto &registry = ScenarioRegistry::instance();
    if (json) {
        QJsonArray all;
        for (const auto &scenario : registry.all())
            all.append(ScenarioRegistry::describe(*scenario));
        out << QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented));
        return ExitOk;
    }
    for (const auto &scenario : registry.all()) {
        const QJsonObject d = ScenarioRegistry::describe(*scenario);
        out << QString::fromLatin1(scenario->id()).leftJustified(20) << d.value(QStringLiteral("title")).toString()
            << '\n';
        for (const auto &p : d.value(QStringLiteral("parameters")).toArray()) {
            const QJsonObject param = p.toObject();
            out << QStringLiteral("    --set ") << param.value(QStringLiteral("name")).toString() << QStringLiteral("=")
                << param.value(QStringLiteral("default")).toVariant().toString() << QStringLiteral("  ")
                << param.value(QStringLiteral("help")).toString() << '\n';
        }
    }
    return ExitOk;
}

namespace {

/// Writes --save, --chrome and --image; returns false after printing one line on `err`.
bool writeOutputs(const TraceModel &model, const OutputOptions &options, QTextStream &err)
{
    QString error;
    if (!options.save.isEmpty() && !saveIltrace(model.data(), options.save, &error)) {
        err << "interleave: " << error << '\n';
        return false;
    }
    if (!options.chrome.isEmpty() && !exportChromeJson(model, options.chrome, &error)) {
        err << "interleave: " << error << '\n';
        return false;
    }
    if (options.image && !options.image(model, &error)) {
        err << "interleave: " << error << '\n';
        return false;
    }
    return true;
}

/// Prints the console lines recorded since `printed` (in time order), as the program printed them.
void printConsole(const TraceModel &model, size_t &printed, QTextStream &out)
{
    const auto &outputs = model.outputs();
    if (printed >= outputs.size())
        return;
    std::vector<uint32_t> fresh(outputs.begin() + long(printed), outputs.end());
    std::stable_sort(fresh.begin(), fresh.end(), [&](uint32_t a, uint32_t b) {
        return model.data().events[a].time < model.data().events[b].time;
    });
    for (uint32_t index : fresh)
        out << QString::fromStdString(model.data().string(model.data().events[index].object)) << '\n';
    out.flush();
    printed = outputs.size();
}

} // namespace

int runCommand(const RunOptions &options, QTextStream &out, QTextStream &err)
{
    auto bad = [&](const QString &line) {
        err << "interleave: " << line << '\n';
        return ExitBadInput;
    };
    const Scenario *scenario = ScenarioRegistry::instance().find(options.scenario.toStdString());
    if (!scenario) {
        QStringList ids;
        for (const auto &s : ScenarioRegistry::instance().all())
            ids << QLatin1String(s->id());
        return bad(CommandTr::tr("unknown scenario '%1' (scenarios: %2)").arg(options.scenario, ids.join(QStringLiteral(", "))));
    }
    RunRequest request;
    request.scenario = scenario;
    QString error;
    if (!ScenarioRegistry::resolveParams(*scenario, options.sets, request.params, error))
        return bad(error);
    if (options.seed.isEmpty()) {
        request.seed = std::random_device{}();
    } else {
        bool ok = false;
        request.seed = options.seed.toULongLong(&ok);
        if (!ok)
            return bad(CommandTr::tr("--seed takes a whole number from 0 to 18446744073709551615, not '%1'").arg(options.seed));
    }
    if (!options.timeout.isEmpty()) {
        bool ok = false;
        const double seconds = options.timeout.toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 86400)
            return bad(CommandTr::tr("--timeout takes seconds from 0.001 to 86400, not '%1'").arg(options.timeout));
        request.timeout = std::chrono::milliseconds(std::max<int64_t>(1, int64_t(seconds * 1000)));
    }
    for (const QString &path : {options.output.save, options.output.chrome}) {
        if (!path.isEmpty() && QFileInfo(path).isDir())
            return bad(CommandTr::tr("cannot write '%1': it is a folder; give a file name").arg(path));
    }

    Session session;
    if (!session.start(request, &error)) {
        err << "interleave: " << CommandTr::tr("cannot run '%1': %2").arg(options.scenario, error) << '\n';
        return ExitEngineFailed;
    }
    size_t printed = 0;
    while (session.poll()) {
        if (!options.output.json)
            printConsole(session.model(), printed, out);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!options.output.json)
        printConsole(session.model(), printed, out);

    const RunStatus status = session.status();
    if (options.output.json)
        out << QString::fromUtf8(QJsonDocument(runSummary(session)).toJson(QJsonDocument::Indented));
    else if (status != RunStatus::Finished)
        err << "interleave: " << CommandTr::tr("run ended: %1").arg(QLatin1String(runStatusName(status)))
            << (session.failure().isEmpty() ? QString() : QStringLiteral(" (") + session.failure() + QStringLiteral(")"))
            << '\n';
    out.flush();
    if (!writeOutputs(session.model(), options.output, err))
        return ExitEngineFailed;
    switch (status) {
    case RunStatus::Finished:
    case RunStatus::Deadlocked: // a deadlock the lesson intends is a successful run
    case RunStatus::TimedOut:
    case RunStatus::Stopped:
        return ExitOk;
    default:
        return ExitEngineFailed;
    }
}

int openCommand(const QString &path, const OutputOptions &options, QTextStream &out, QTextStream &err)
{
    LoadResult loaded = openTraceFile(path); // by content: .iltrace or Chrome/Perfetto JSON
    if (!loaded.ok) {
        err << "interleave: " << loaded.error << '\n';
        // A damaged file still shows its valid prefix; anything else is bad input.
        const bool partial = loaded.problem == LoadResult::Problem::Truncated ||
                             loaded.problem == LoadResult::Problem::Corrupt;
        if (!partial)
            return ExitBadInput;
    }
    TraceModel model(std::move(loaded.data));
    model.update();
    if (options.json)
        out << QString::fromUtf8(QJsonDocument(traceSummary(model)).toJson(QJsonDocument::Indented));
    if (!writeOutputs(model, options, err))
        return ExitEngineFailed;
    return loaded.ok ? ExitOk : ExitBadInput;
}

} // namespace interleave::core
