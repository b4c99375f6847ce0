// SPDX-License-Identifier: MIT
#include "net/commands.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "io/safewrite.h"
#include "net/master.h"
#include "net/protocol.h"
#include "net/worker.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracemodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string_view>

namespace interleave::core::net {

namespace {

struct NetTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::net::NetTr)
};

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;

// The master's trace: a log of its own while it serves (its queues, and the events its workers
// send), drained often so that a long session recycles the log's chunks.
constexpr size_t kMasterLogBytes = 32u << 20;

QJsonArray workersJson(const std::vector<WorkerTrace> &workers)
{
    QJsonArray all;
    for (const WorkerTrace &w : workers) {
        all.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(w.name)},
                               {QStringLiteral("peer"), QString::fromStdString(w.peer)},
                               {QStringLiteral("pid"), w.pid},
                               {QStringLiteral("trace_pid"), w.tracePid},
                               {QStringLiteral("process"), QString::fromStdString(w.process)},
                               {QStringLiteral("clock_offset_ns"), double(w.clockOffsetNs)},
                               {QStringLiteral("clock_rtt_ns"), double(w.clockRttNs)},
                               {QStringLiteral("batches"), double(w.batches)},
                               {QStringLiteral("events"), double(w.events)},
                               {QStringLiteral("adjusted_events"), double(w.adjusted)},
                               {QStringLiteral("max_adjust_ns"), double(w.maxAdjustNs)}});
    }
    return all;
}

/// Why --save or --chrome cannot be written, found before the master listens; empty if none.
QString outputsProblem(const MasterCommandOptions &command)
{
    for (const QString &path : {command.save, command.chrome}) {
        if (const QString problem = path.isEmpty() ? QString() : outputPathProblem(path); !problem.isEmpty())
            return NetTr::tr("cannot write '%1': %2").arg(path, problem);
    }
    if (sameOutputPath(command.save, command.chrome))
        return NetTr::tr("--save and --chrome both name '%1': the second would overwrite the first; give each output "
                         "its own file")
            .arg(command.save);
    return {};
}

/// Writes --save and --chrome, each even when the other failed; false after one line per failure.
bool writeOutputs(const TraceModel &model, const MasterCommandOptions &command, QTextStream &err)
{
    bool written = true;
    QString writeError;
    if (!command.save.isEmpty() && !saveIltrace(model.data(), command.save, &writeError)) {
        err << "interleave: " << writeError << Qt::endl;
        written = false;
    }
    if (!command.chrome.isEmpty() && !exportChromeJson(model, command.chrome, &writeError)) {
        err << "interleave: " << writeError << Qt::endl;
        written = false;
    }
    return written;
}

} // namespace

bool resolveAuthkey(const QString &option, const QString &file, QString &key, QString &error)
{
    if (!option.isEmpty()) {
        key = option;
        return true;
    }
    if (!file.isEmpty()) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            error = NetTr::tr("cannot read the key file '%1': %2").arg(file, f.errorString());
            return false;
        }
        // The first line, without its line ending: `echo KEY > F` writes one.
        QByteArray line = f.readLine(64 * 1024);
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        key = QString::fromUtf8(line);
        return true;
    }
    key = qEnvironmentVariable("INTERLEAVE_AUTHKEY");
    return true;
}

namespace {

/// How the master's session ended: its exit status, and what its trace's description says.
struct MasterRun
{
    int status = kOk;
    int received = 0;
    bool stopped = false;
    bool timedOut = false; ///< no result for --result-timeout seconds
    std::vector<WorkerTrace> workers;
};

/// Reads --result-timeout into `seconds` (default 60, 0: none); false after one line on `err`.
bool readResultTimeout(const QString &text, int &seconds, QTextStream &err)
{
    if (text.isEmpty())
        return true;
    bool ok = false;
    seconds = text.toInt(&ok);
    if (ok && seconds >= 0 && seconds <= 86400)
        return true;
    err << "interleave: "
        << NetTr::tr("--result-timeout must be a number of seconds from 0 (wait for ever) to 86400, not '%1'")
               .arg(text.left(40))
        << Qt::endl;
    return false;
}

/// Reads --listen, the key and --tasks into `options` and `count`, and checks the outputs asked
/// for; kBadInput after one line on `err`, else kOk (after a warning when every interface listens).
int readMasterOptions(const MasterCommandOptions &command, MasterOptions &options, int &count, QTextStream &err)
{
    const QString &authkey = command.authkey;
    const QString &tasks = command.tasks;
    QString error;
    if (!parseHostPort(command.listen, options.host, options.port, error)) {
        err << "interleave: " << error << Qt::endl;
        return kBadInput;
    }
    if (authkey.isEmpty()) {
        err << "interleave: "
            << NetTr::tr("refusing to start the master with an empty key (give --authkey-file F, $INTERLEAVE_AUTHKEY "
                         "or --authkey KEY): anyone could log in")
            << Qt::endl;
        return kBadInput;
    }
    if (!tasks.isEmpty()) {
        bool ok = false;
        count = tasks.toInt(&ok);
        if (!ok || count < 1 || count > 100000) {
            err << "interleave: " << NetTr::tr("--tasks must be a number from 1 to 100000, not '%1'").arg(tasks)
                << Qt::endl;
            return kBadInput;
        }
    }
    if (const QString problem = outputsProblem(command); !problem.isEmpty()) {
        err << "interleave: " << problem << Qt::endl;
        return kBadInput;
    }
    if (isWildcardAddress(options.host)) {
        err << "interleave: "
            << NetTr::tr("WARNING: listening on every network interface (%1): any machine that can reach this one "
                         "may try to log in; only the authkey keeps strangers out. Use 127.0.0.1 unless workers "
                         "on other machines must join.")
                   .arg(QString::fromStdString(options.host))
            << Qt::endl;
    }
    options.authkey = authkey.toUtf8();
    options.log = [&err](std::string_view line) {
        err << "master: " << QString::fromUtf8(line.data(), qsizetype(line.size())) << Qt::endl;
    };
    return kOk;
}

/// The master's own log, attached to the recorder, with its process and main thread named;
/// null after one line on `err` when it cannot be made.
std::unique_ptr<EventLog> startRecording(QTextStream &err)
{
    std::string logError;
    EventLogOptions logOptions;
    logOptions.forceMonotonicClock = true; // a few events per task: the plain clock is cheap enough
    std::unique_ptr<EventLog> log = EventLog::create(kMasterLogBytes, &logError, logOptions);
    if (!log) {
        err << "interleave: " << QString::fromStdString(logError) << Qt::endl;
        return nullptr;
    }
    recorder::attach(log.get());
    recorder::record(EventType::ProcessStart, recorder::intern("master"), 0);
    recorder::nameThread("main");
    return log;
}

/// One line of the master's output, also in its trace when it records.
void say(QTextStream &out, bool record, const QString &line)
{
    out << line << Qt::endl;
    if (record)
        recorder::record(EventType::Output, recorder::intern(line.toStdString()), 1);
}

/// Serves `count` random tasks until every result is in, the rest went to the dead-letter list,
/// or a stop is asked for; `log` (when recording) is drained into `data` as it goes. False after
/// one line on `err` (and the recorder detached) when the master cannot listen.
bool serveTasks(const MasterCommandOptions &command, const MasterOptions &options, int count, int resultTimeoutS,
                EventLog *log, TraceData &data, QTextStream &out, QTextStream &err, MasterRun &run)
{
    const bool record = log != nullptr;
    Master master(options);
    std::string listenError;
    if (!master.listen(listenError)) {
        err << "interleave: " << QString::fromStdString(listenError) << Qt::endl;
        recorder::detach();
        return false;
    }
    out << NetTr::tr("Master listening on %1:%2 (authkey required).")
               .arg(QString::fromStdString(options.host))
               .arg(master.port())
        << Qt::endl;
    master.start();
    if (command.listening)
        command.listening(master.port());
    std::mt19937_64 random(std::random_device{}());
    std::uniform_int_distribution<int64_t> pick(0, 10000);
    for (int i = 0; i < count; ++i) {
        const int64_t n = pick(random);
        say(out, record, QStringLiteral("Put task %1...").arg(n));
        master.put(n);
    }
    say(out, record, QStringLiteral("Try get results..."));
    QElapsedTimer sinceResult; // students' workers may join late: the wait counts from the last result
    sinceResult.start();
    while (run.received + int(master.deadLetters().size()) < count) {
        if (command.stopRequested && command.stopRequested()) {
            run.stopped = true;
            break;
        }
        if (resultTimeoutS > 0 && sinceResult.hasExpired(int64_t(resultTimeoutS) * 1000)) {
            run.timedOut = true;
            break;
        }
        const auto result = master.getResult(std::chrono::milliseconds(record ? 100 : 250));
        if (log)
            log->drain(data);
        if (!result)
            continue;
        sinceResult.restart();
        ++run.received;
        say(out, record, QStringLiteral("Result: %1 * %1 = %2").arg(result->n).arg(result->r));
    }
    master.stop(); // the workers send their last events and leave
    run.workers = master.workerTraces();
    if (run.timedOut) {
        err << "interleave: "
            << NetTr::tr("no result for %1 s (--result-timeout): the master ends with %2 of %3 results in")
                   .arg(resultTimeoutS)
                   .arg(run.received)
                   .arg(count)
            << Qt::endl;
        run.status = kFailed;
    }
    const auto dead = master.deadLetters();
    if (!dead.empty()) {
        err << "interleave: "
            << NetTr::tr("%n task(s) went to the dead-letter list: every worker holding them died", nullptr,
                         int(dead.size()))
            << Qt::endl;
        run.status = kFailed;
    }
    return true;
}

/// Ends the master's recording and writes the trace asked for, described by how the run went.
int writeMasterTrace(std::unique_ptr<EventLog> log, TraceData data, const MasterCommandOptions &command, int count,
                     const MasterRun &run, const QElapsedTimer &wall, QTextStream &err)
{
    int status = run.status;
    recorder::record(EventType::ProcessExit, uint32_t(getpid()), status);
    recorder::detach();
    log->drain(data);
    log->finish(data);
    log.reset();
    data.meta.insert(QStringLiteral("params"),
                     QJsonObject{{QStringLiteral("listen"), command.listen}, {QStringLiteral("tasks"), count}});
    data.meta.insert(QStringLiteral("status"), run.timedOut    ? QStringLiteral("timed_out")
                                               : status != kOk ? QStringLiteral("failed")
                                               : run.stopped   ? QStringLiteral("stopped")
                                                               : QStringLiteral("finished"));
    data.meta.insert(QStringLiteral("wall_ms"), double(wall.elapsed()));
    data.meta.insert(QStringLiteral("findings"), QJsonObject{{QStringLiteral("tasks"), count},
                                                             {QStringLiteral("results"), run.received},
                                                             {QStringLiteral("workers"), workersJson(run.workers)}});
    const TraceModel model(std::move(data));
    if (!writeOutputs(model, command, err))
        status = kFailed;
    return status;
}

} // namespace

int masterCommand(const MasterCommandOptions &command, QTextStream &out, QTextStream &err)
{
    MasterOptions options;
    int count = 10;
    if (const int bad = readMasterOptions(command, options, count, err); bad != kOk)
        return bad;
    int resultTimeoutS = 60;
    if (!readResultTimeout(command.resultTimeout, resultTimeoutS, err))
        return kBadInput;

    // Recording is on only when a trace is asked for: the plain master stays as it was.
    const bool record = !command.save.isEmpty() || !command.chrome.isEmpty();
    std::unique_ptr<EventLog> log;
    TraceData data;
    QElapsedTimer wall;
    wall.start();
    if (record) {
        log = startRecording(err);
        if (!log)
            return kFailed;
    }

    MasterRun run;
    if (!serveTasks(command, options, count, resultTimeoutS, log.get(), data, out, err, run))
        return kFailed;
    if (run.stopped)
        err << "interleave: " << NetTr::tr("stopped with %1 of %2 results in").arg(run.received).arg(count) << Qt::endl;
    say(out, record, QStringLiteral("master exit."));
    if (!record)
        return run.status;
    return writeMasterTrace(std::move(log), std::move(data), command, count, run, wall, err);
}

int workerCommand(const QString &connect, const QString &authkey, const QString &name, QTextStream &out,
                  QTextStream &err, const std::optional<QString> &retry)
{
    WorkerOptions options;
    QString error;
    if (!parseHostPort(connect, options.host, options.port, error)) {
        err << "interleave: " << error << Qt::endl;
        return kBadInput;
    }
    if (authkey.isEmpty()) {
        err << "interleave: "
            << NetTr::tr(
                   "refusing to log in with an empty key (give --authkey-file F, $INTERLEAVE_AUTHKEY or --authkey KEY)")
            << Qt::endl;
        return kBadInput;
    }
    options.authkey = authkey.toUtf8();
    options.name = name.isEmpty() ? "worker-" + std::to_string(getpid()) : name.toStdString();
    options.connectRetry = std::chrono::seconds(60); // the master may still be starting, or be busy
    if (const char *pace = std::getenv("INTERLEAVE_WORKER_PACE_MS"))
        options.pace = std::chrono::milliseconds(std::clamp(std::atoi(pace), 0, 60000));
    if (const char *retryEnv = std::getenv("INTERLEAVE_WORKER_RETRY_S"))
        options.connectRetry = std::chrono::seconds(std::clamp(std::atoi(retryEnv), 0, 86400));
    if (retry) {
        bool ok = false;
        const int seconds = retry->toInt(&ok);
        if (!ok || seconds < 0 || seconds > 86400) {
            err << "interleave: "
                << NetTr::tr("--retry must be a number of seconds from 0 to 86400, not '%1'").arg(retry->left(40))
                << Qt::endl;
            return kBadInput;
        }
        options.connectRetry = std::chrono::seconds(seconds);
    }
    if (const char *skew = std::getenv("INTERLEAVE_WORKER_CLOCK_SKEW_MS")) // tests only
        options.clockSkew = std::chrono::milliseconds(std::clamp<long long>(std::atoll(skew), -86400000, 86400000));
    const char *quietValue = std::getenv("INTERLEAVE_WORKER_QUIET");
    const bool quiet = quietValue && *quietValue && std::string_view(quietValue) != "0";
    options.print = [&out, quiet](std::string_view line) {
        if (!quiet)
            out << QString::fromUtf8(line.data(), qsizetype(line.size())) << Qt::endl;
    };
    options.log = [&err](std::string_view line) {
        err << "interleave: " << QString::fromUtf8(line.data(), qsizetype(line.size())) << Qt::endl;
    };
    const int status = runWorker(options);
    return status == WorkerDone ? kOk : status == WorkerBadInput ? kBadInput : kFailed;
}

} // namespace interleave::core::net
