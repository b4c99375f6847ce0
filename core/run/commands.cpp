// SPDX-License-Identifier: MIT
#include "run/commands.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "io/safewrite.h"
#include "run/analysisexport.h"
#include "run/outcome.h"
#include "run/schedule.h"
#include "run/session.h"
#include "run/stopsignals.h"
#include "run/summary.h"
#include "run/traceable.h"
#include "scenarios/paramrange.h"
#include "scenarios/scenario.h"
#include "scenarios/traceprogram.h"
#include "trace/tracemodel.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTextStream>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include <unistd.h>

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
        const QJsonArray params = d.value(QStringLiteral("parameters")).toArray();
        const std::vector<ParamSpec> specs = scenario->parameters();
        for (qsizetype i = 0; i < params.size() && size_t(i) < specs.size(); ++i) {
            const QJsonObject param = params[i].toObject();
            out << QStringLiteral("    --set ") << param.value(QStringLiteral("name")).toString() << QStringLiteral("=")
                << param.value(QStringLiteral("default")).toVariant().toString() << QStringLiteral("  (")
                << paramRangeText(specs[size_t(i)]) << QStringLiteral(")  ")
                << param.value(QStringLiteral("help")).toString() << '\n';
        }
    }
    return ExitOk;
}

namespace {

/// Why an output cannot be written, checked before anything runs (empty: no problem found): a
/// missing or read-only folder, or two outputs into one file. A full disk can only show while
/// writing; writeOutputs reports that.
QString outputPathProblem(const OutputOptions &options)
{
    const std::pair<const char *, QString> outputs[] = {{"--save", options.save},
                                                        {"--chrome", options.chrome},
                                                        {"--image", options.imagePath},
                                                        {"--animation", options.animationPath}};
    for (size_t i = 0; i < std::size(outputs); ++i) {
        const QString &path = outputs[i].second;
        if (path.isEmpty())
            continue;
        if (path == QLatin1String("-") && options.json)
            return CommandTr::tr("--json and %1 - both write to standard output; give %1 a file name")
                .arg(QLatin1String(outputs[i].first));
        if (const QString problem = core::outputPathProblem(path); !problem.isEmpty())
            return CommandTr::tr("cannot write '%1': %2").arg(path, problem);
        for (size_t j = 0; j < i; ++j)
            if (sameOutputPath(outputs[j].second, path))
                return CommandTr::tr("%1 and %2 both name '%3': the second would overwrite the first; give each "
                                     "output its own file")
                    .arg(QLatin1String(outputs[j].first), QLatin1String(outputs[i].first), path);
    }
    return {};
}

/// True if an output is written to standard output ("-").
bool writesToStdout(const OutputOptions &options)
{
    const QLatin1String dash("-");
    return options.save == dash || options.chrome == dash || options.imagePath == dash || options.animationPath == dash;
}

/// Writes --save, --chrome, --image and --animation, each one even when another failed; returns false after
/// printing one line on `err` per output that could not be written.
bool writeOutputs(const TraceModel &model, const QJsonObject &summary, const OutputOptions &options, QTextStream &err)
{
    bool allWritten = true;
    auto report = [&](bool written, const QString &error) {
        if (!written) {
            err << "interleave: " << error << '\n';
            allWritten = false;
        }
    };
    QString error;
    if (!options.save.isEmpty())
        report(saveIltrace(model.data(), options.save, &error), error);
    if (!options.chrome.isEmpty())
        report(exportChromeJson(model, options.chrome, &error,
                                chromeExtras(model, summary.value(QStringLiteral("findings")).toObject())),
               error);
    if (options.image)
        report(options.image(model, summary, &error), error);
    if (options.animation)
        report(options.animation(model, summary, &error), error);
    err.flush();
    return allWritten;
}

/// Prints the console lines recorded since `printed` (in time order), as the program printed them.
void printConsole(const TraceModel &model, size_t &printed, QTextStream &out)
{
    const auto &outputs = model.outputs();
    if (printed >= outputs.size())
        return;
    std::vector<uint32_t> fresh(outputs.begin() + long(printed), outputs.end());
    std::stable_sort(fresh.begin(), fresh.end(),
                     [&](uint32_t a, uint32_t b) { return model.data().events[a].time < model.data().events[b].time; });
    for (uint32_t index : fresh)
        out << QString::fromStdString(model.data().string(model.data().events[index].object)) << '\n';
    out.flush();
    printed = outputs.size();
}

/// Why `out` could not be written (empty: it could): a full disk behind it, or a closed pipe (the
/// program reading it ended; SIGPIPE is caught in the command-line modes, so the write fails with
/// EPIPE instead of killing this process before it saves anything).
QString outputProblem(QTextStream &out)
{
    out.flush();
    if (out.status() != QTextStream::WriteFailed)
        return {};
    const QIODevice *device = out.device();
    const QString reason =
        device && !device->errorString().isEmpty() ? device->errorString() : CommandTr::tr("write error");
    return CommandTr::tr("cannot write to standard output: %1").arg(reason);
}

/// The run asked for: the scenario, its parameters, the seed and the timeout, with the outputs
/// checked before anything runs. Empty, or the line that says what is wrong.
QString readRequest(const RunOptions &options, RunRequest &request)
{
    const Scenario *scenario = ScenarioRegistry::instance().find(options.scenario.toStdString());
    if (!scenario) {
        QStringList ids;
        for (const auto &s : ScenarioRegistry::instance().all())
            ids << QLatin1String(s->id());
        return CommandTr::tr("unknown scenario '%1' (scenarios: %2)")
            .arg(options.scenario, ids.join(QStringLiteral(", ")));
    }
    request.scenario = scenario;
    QString error;
    if (scenario->tracesProgram()) {
        if (options.program.isEmpty())
            return CommandTr::tr("'trace' needs a program: interleave trace -- PROGRAM [ARGS]...");
        const QFileInfo cwd(options.cwd);
        if (!options.cwd.isEmpty() && !cwd.isDir())
            return CommandTr::tr("--cwd '%1' is not a folder").arg(options.cwd);
        if (const QString problem = traceProblem(options.program.first(), nullptr, options.cwd); !problem.isEmpty())
            return problem;
        request.params = traceParams(options.program, options.cwd);
    } else if (!ScenarioRegistry::resolveParams(*scenario, options.sets, request.params, error)) {
        return error;
    }
    if (options.seed.isEmpty()) {
        request.seed = std::random_device{}();
    } else {
        bool ok = false;
        request.seed = options.seed.toULongLong(&ok);
        if (!ok)
            return CommandTr::tr("--seed takes a whole number from 0 to 18446744073709551615, not '%1'")
                .arg(options.seed);
    }
    if (!options.timeout.isEmpty()) {
        bool ok = false;
        const double seconds = options.timeout.toDouble(&ok);
        if (!ok || !(seconds >= 0.001) || seconds > 86400)
            return CommandTr::tr("--timeout takes seconds from 0.001 to 86400, not '%1'").arg(options.timeout);
        request.timeout = std::chrono::milliseconds(std::max<int64_t>(1, int64_t(seconds * 1000)));
    }
    return outputPathProblem(options.output);
}

/// How many runs `--repeat` asks for (1 without it), and the schedule of each: the threads it
/// holds go into `request`. Empty, or the line that says what is wrong.
QString readRepeatAndSchedule(const RunOptions &options, RunRequest &request, int &repeat, QStringList &schedule)
{
    repeat = 1;
    if (!options.repeat.isEmpty()) {
        bool ok = false;
        repeat = options.repeat.toInt(&ok);
        if (!ok || repeat < 1 || repeat > 100000)
            return CommandTr::tr("--repeat takes a whole number of runs from 1 to 100000, not '%1'")
                .arg(options.repeat);
    }
    if (!options.schedule.isEmpty() && !options.scheduleFile.isEmpty())
        return CommandTr::tr("--schedule and --schedule-file both give a schedule; give one of them");
    QString problem;
    if (!options.schedule.isEmpty())
        problem = parseSchedule(options.schedule, schedule);
    else if (!options.scheduleFile.isEmpty())
        problem = readScheduleFile(options.scheduleFile, schedule);
    if (!problem.isEmpty())
        return problem;
    for (const QString &name : schedule) {
        if (std::find(request.heldThreads.begin(), request.heldThreads.end(), name.toStdString()) ==
            request.heldThreads.end())
            request.heldThreads.push_back(name.toStdString());
    }
    return {};
}

/// A line on a terminal's standard error that says how far a run is, rewritten in place (a run
/// with --json or --image prints nothing else until it ends).
class ProgressLine
{
public:
    ProgressLine(bool shown, QString scenario)
        : m_shown(shown)
        , m_scenario(std::move(scenario))
    {
        m_timer.start();
    }
    ~ProgressLine() { clear(); }
    void update(const Session &session)
    {
        if (!m_shown || m_timer.elapsed() < m_next)
            return;
        m_next = m_timer.elapsed() + 250;
        const QString line = CommandTr::tr("running %1: %2 s, %3 events")
                                 .arg(m_scenario)
                                 .arg(double(m_timer.elapsed()) / 1000.0, 0, 'f', 1)
                                 .arg(QLocale::system().toString(qulonglong(session.model().ingestedEvents())));
        write(QStringLiteral("\r\033[K") + line);
        m_written = true;
    }
    void clear()
    {
        if (m_written)
            write(QStringLiteral("\r\033[K"));
        m_written = false;
    }

private:
    static void write(const QString &text)
    {
        const QByteArray bytes = text.toLocal8Bit();
        [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, bytes.constData(), size_t(bytes.size()));
    }
    bool m_shown;
    bool m_written = false;
    QString m_scenario;
    QElapsedTimer m_timer;
    qint64 m_next = 500; ///< the first line after half a second: a short run says nothing
};

/// Follows the run until it ends, printing its console lines as they come on `console` (none:
/// null), and stops it on Ctrl+C, SIGTERM, SIGHUP or a console that can no longer be written.
/// Returns why the console could not be written; empty when it could.
QString followRun(Session &session, QTextStream *console, ProgressLine *progress)
{
    // A console that can no longer be written (a full disk, or `| head` that has read its fill)
    // stops the run as Stop does: what was recorded is still saved and exported.
    QString outProblem;
    size_t printed = 0;
    while (session.poll()) {
        if (StopSignals::requested()) {
            session.stop();
            break;
        }
        if (progress)
            progress->update(session);
        if (console) {
            printConsole(session.model(), printed, *console);
            if (outProblem = outputProblem(*console); !outProblem.isEmpty()) {
                session.stop();
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (progress)
        progress->clear();
    if (console && outProblem.isEmpty())
        printConsole(session.model(), printed, *console);
    return outProblem;
}

} // namespace

namespace {

/// How long a schedule waits for a thread to reach its next step (it may not have started yet,
/// or be blocked) before it gives up.
constexpr std::chrono::seconds kScheduleBound{5};

/// Starts a run of `request` and plays `schedule` on it (its steps go to `steps`); false after
/// one line on `err`, with the exit status in `status` and nothing of the run left running.
bool startRun(Session &session, const RunRequest &request, const QStringList &schedule, const QString &scenario,
              QJsonArray &steps, QTextStream &err, int &status)
{
    QString error;
    if (!session.start(request, &error)) {
        err << "interleave: " << CommandTr::tr("cannot run '%1': %2").arg(scenario, error) << '\n';
        status = ExitEngineFailed;
        return false;
    }
    if (schedule.isEmpty())
        return true;
    const ScheduleResult played =
        playSchedule(session, schedule, kScheduleBound, [] { return StopSignals::requested() != 0; });
    steps = played.steps;
    if (played.error.isEmpty())
        return true;
    session.stop();
    err << "interleave: " << played.error << '\n';
    status = ExitBadInput;
    return false;
}

/// Says how the run ended, prints the summary (with --json) and writes the outputs; the exit
/// status. `outProblem`: why the console could not be written, empty if it could.
int reportRun(const Session &session, const QJsonObject &summary, const RunOptions &options, QString outProblem,
              QTextStream &out, QTextStream &err)
{
    // The run was stopped because its console could not be written: that is the one line to say
    // (a second "run ended: stopped" would only repeat it).
    const bool stoppedForOutput = !outProblem.isEmpty() && session.status() == RunStatus::Stopped;
    if (stoppedForOutput)
        outProblem = CommandTr::tr("%1 (the run was stopped there)").arg(outProblem);

    const RunStatus status = session.status();
    const bool statusOk = status == RunStatus::Finished ||
                          status == RunStatus::Deadlocked || // a deadlock the lesson intends is a successful run
                          status == RunStatus::TimedOut || status == RunStatus::Stopped;
    if (options.output.json && outProblem.isEmpty())
        out << QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Indented));
    if (outProblem.isEmpty())
        outProblem = outputProblem(out);
    // With --json the summary says how the run ended; stderr still names a failed run, so that a
    // script that sees exit status 1 also sees why.
    if (status != RunStatus::Finished && (!options.output.json || !statusOk) && !stoppedForOutput)
        err << "interleave: " << CommandTr::tr("run ended: %1").arg(statusWord(QLatin1String(runStatusName(status))))
            << (session.failure().isEmpty() ? QString()
                                            : QStringLiteral(" (") + session.failure() + QStringLiteral(")"))
            << '\n';
    if (!outProblem.isEmpty())
        err << "interleave: " << outProblem << '\n';
    // The recorder waits for the reader rather than drop; an event lost all the same (the reader
    // stopped draining) makes every analysis of the run doubtful, so it is never a success.
    const QString loss = lossText(session.model().data());
    if (!loss.isEmpty())
        err << "interleave: " << loss << '\n';
    err.flush();
    out.flush(); // before an output written to standard output ("-") goes out past the stream
    const bool written = writeOutputs(session.model(), summary, options.output, err);
    return written && outProblem.isEmpty() && statusOk && loss.isEmpty() ? ExitOk : ExitEngineFailed;
}

/// One run, its console printed as it goes (or, with --json, only the summary at the end).
int runOnce(const RunOptions &options, const RunRequest &request, const QStringList &schedule, QTextStream &out,
            QTextStream &err)
{
    Session session;
    QJsonArray steps;
    int status = ExitOk;
    if (!startRun(session, request, schedule, options.scenario, steps, err, status))
        return status;
    // An output written to standard output ("-") keeps it for itself: the run's own lines go to
    // standard error then. So do a traced program's with --json (the summary is all of stdout);
    // a scenario's are left out then, as they always were.
    QTextStream *console = writesToStdout(options.output) ? &err : &out;
    if (options.output.json)
        console = options.program.isEmpty() ? nullptr : &err;
    // Progress only where nothing else is written to the same terminal while the run goes.
    const bool consoleOnTerminal =
        console == &err || (console == &out && !writesToStdout(options.output) && ::isatty(STDOUT_FILENO));
    ProgressLine progress(::isatty(STDERR_FILENO) && !consoleOnTerminal, options.scenario);
    const QString outProblem = followRun(session, console, &progress);
    QJsonObject summary = runSummary(session);
    if (!schedule.isEmpty())
        summary.insert(QStringLiteral("schedule"), steps);
    return reportRun(session, summary, options, outProblem, out, err);
}

/// `--repeat N`: N fresh runs, counted by their outcome (outcome.h); the summary and the outputs
/// are the last run's, with "runs" and "outcomes" added. A run that fails ends the series.
int runRepeated(const RunOptions &options, RunRequest request, const QStringList &schedule, int repeat,
                QTextStream &out, QTextStream &err)
{
    std::map<QString, int> counts;
    std::unique_ptr<Session> session;
    QJsonArray steps;
    const bool progress = ::isatty(STDERR_FILENO) == 1;
    int runs = 0;
    while (runs < repeat && StopSignals::requested() == 0) {
        if (progress)
            err << '\r' << CommandTr::tr("run %1 of %2").arg(runs + 1).arg(repeat) << Qt::flush;
        if (runs > 0 && options.seed.isEmpty())
            request.seed = std::random_device{}(); // fresh each time, as a run without --seed is
        session = std::make_unique<Session>();
        int status = ExitOk;
        if (!startRun(*session, request, schedule, options.scenario, steps, err, status))
            return status;
        followRun(*session, nullptr, nullptr);
        const RunStatus ended = session->status();
        if (ended != RunStatus::Finished && ended != RunStatus::Deadlocked && ended != RunStatus::TimedOut)
            break; // stopped, or failed: not an outcome of the scenario; reportRun says which
        ++counts[runOutcome(runSummary(*session))];
        ++runs;
    }
    if (progress)
        err << '\n';
    if (!session)
        return ExitOk; // stopped before the first run began: nothing ran, nothing to say
    QJsonObject summary = runSummary(*session);
    QJsonObject outcomes;
    for (const auto &[value, count] : counts)
        outcomes.insert(value, count);
    summary.insert(QStringLiteral("runs"), runs);
    summary.insert(QStringLiteral("outcomes"), outcomes);
    if (!schedule.isEmpty())
        summary.insert(QStringLiteral("schedule"), steps);
    if (!options.output.json) {
        QString finding = outcomeFinding(options.scenario);
        if (finding.isEmpty())
            finding = QStringLiteral("status");
        for (const auto &[value, count] : counts)
            out << CommandTr::tr("%1 = %2: %3 of %4 runs").arg(finding, value).arg(count).arg(runs) << '\n';
    }
    return reportRun(*session, summary, options, QString(), out, err);
}

} // namespace

int runCommand(const RunOptions &options, QTextStream &out, QTextStream &err)
{
    RunRequest request;
    int repeat = 1;
    QStringList schedule;
    QString problem = readRequest(options, request);
    if (problem.isEmpty())
        problem = readRepeatAndSchedule(options, request, repeat, schedule);
    if (!problem.isEmpty()) {
        err << "interleave: " << problem << '\n';
        return ExitBadInput;
    }
    // Ctrl+C, SIGTERM or SIGHUP stops the run as the window's Stop does: its processes are gone,
    // and what it recorded is still summarized, saved and exported (status "stopped"). A second
    // one ends this process at once.
    StopSignals stopSignals;
    if (!options.repeat.isEmpty())
        return runRepeated(options, request, schedule, repeat, out, err);
    return runOnce(options, request, schedule, out, err);
}

int openCommand(const QString &path, const OutputOptions &options, QTextStream &out, QTextStream &err)
{
    if (const QString problem = outputPathProblem(options); !problem.isEmpty()) {
        err << "interleave: " << problem << '\n';
        return ExitBadInput;
    }
    LoadResult loaded = openTraceFile(path); // by content: .iltrace or Chrome/Perfetto JSON
    if (!loaded.ok) {
        err << "interleave: " << loaded.error << '\n';
        // A damaged file still shows its valid prefix; anything else is bad input.
        const bool partial =
            loaded.problem == LoadResult::Problem::Truncated || loaded.problem == LoadResult::Problem::Corrupt;
        if (!partial)
            return ExitBadInput;
    }
    if (const QString loss = lossText(loaded.data); !loss.isEmpty())
        err << "interleave: " << loss << '\n'; // said, not failed: the file is what it is
    TraceModel model(std::move(loaded.data));
    model.update();
    QJsonObject summary = traceSummary(model);
    // What the file holds beyond threads and locks (an imported trace's slices, spans, marks).
    size_t slices = 0;
    for (uint32_t t = 0; t < model.threadCount(); ++t)
        slices += model.slices(t).size();
    const bool empty = model.endTime() < model.startTime();
    summary.insert(QStringLiteral("span_ms"), empty ? 0.0 : double(model.endTime() - model.startTime()) / 1e6);
    summary.insert(QStringLiteral("slices"), double(slices));
    summary.insert(QStringLiteral("async_spans"), double(model.asyncSpans().size()));
    summary.insert(QStringLiteral("instants"), double(model.instants().size()));
    summary.insert(QStringLiteral("counters"), double(model.counterNames().size()));
    if (options.json)
        out << QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Indented));
    const QString outProblem = outputProblem(out);
    if (!outProblem.isEmpty())
        err << "interleave: " << outProblem << '\n';
    if (!writeOutputs(model, summary, options, err) || !outProblem.isEmpty())
        return ExitEngineFailed;
    return loaded.ok ? ExitOk : ExitBadInput;
}

} // namespace interleave::core
