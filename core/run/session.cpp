// SPDX-License-Identifier: MIT
#include "run/session.h"

#include "run/logdrainer.h"
#include "run/reaper.h"
#include "run/runner.h"
#include "trace/clock.h"
#include "trace/eventlog.h"

#include <QJsonDocument>

#include <algorithm>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace interleave::core {

namespace {

using Clock = std::chrono::steady_clock;

QString defaultRunner()
{
    if (const QByteArray env = qgetenv("INTERLEAVE_RUNNER"); !env.isEmpty())
        return QString::fromLocal8Bit(env);
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return QStringLiteral("interleave");
    self[n] = 0;
    QString dir = QString::fromLocal8Bit(self, n);
    dir.truncate(dir.lastIndexOf(QLatin1Char('/')));
    return dir + QStringLiteral("/interleave");
}

/// The runner's command line: its mode, the descriptors it finds the control channel (3) and the
/// event log (4) on, and the run asked for.
std::vector<std::string> runnerArguments(const QByteArray &program, const RunRequest &request, const QByteArray &params)
{
    return {program.toStdString(),
            kRunnerMode,
            "--log-fd",
            "4",
            "--control-fd",
            "3",
            "--parent",
            std::to_string(getpid()),
            "--scenario",
            request.scenario->id(),
            "--params",
            params.toStdString(),
            "--seed",
            std::to_string(request.seed)};
}

/// How posix_spawn starts the runner: which descriptors reach it, and its signals and process group.
struct RunnerSpawn
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;

    RunnerSpawn(int controlSource, int logSource)
    {
        posix_spawn_file_actions_init(&actions);
        // dup2 clears close-on-exec: exactly these descriptors reach the runner.
        posix_spawn_file_actions_adddup2(&actions, controlSource, 3);
        posix_spawn_file_actions_adddup2(&actions, logSource, 4);
        // The runner's stdout goes to our stderr: the headless `run --json` keeps stdout for JSON.
        posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
        posix_spawnattr_init(&attr);
        sigset_t none;
        sigemptyset(&none);
        sigset_t defaults;
        sigemptyset(&defaults);
        for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGQUIT})
            sigaddset(&defaults, sig);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setpgroup(&attr, 0); // its own process group, led by the runner
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~RunnerSpawn()
    {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    RunnerSpawn(const RunnerSpawn &) = delete;
    RunnerSpawn &operator=(const RunnerSpawn &) = delete;
};

} // namespace

const char *runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::NotStarted:
        return "not_started";
    case RunStatus::Running:
        return "running";
    case RunStatus::Finished:
        return "finished";
    case RunStatus::Deadlocked:
        return "deadlocked";
    case RunStatus::TimedOut:
        return "timed_out";
    case RunStatus::Crashed:
        return "crashed";
    case RunStatus::Stopped:
        return "stopped";
    case RunStatus::Failed:
        return "failed";
    }
    return "unknown";
}

Session::Session()
{
    reaper::becomeSubreaper();
}

Session::~Session()
{
    if (running())
        stop();
    if (m_control >= 0)
        ::close(m_control);
}

bool Session::start(const RunRequest &request, QString *error)
{
    auto fail = [&](const QString &line) {
        if (error)
            *error = line;
        m_status = RunStatus::Failed;
        m_failure = line;
        return false;
    };
    if (m_status != RunStatus::NotStarted)
        return fail(QStringLiteral("a session runs once; make a new one"));
    m_request = request;
    if (!request.scenario)
        return fail(QStringLiteral("no scenario"));

    std::string logError;
    EventLogOptions logOptions;
    logOptions.readerSilence = request.readerSilence;
    logOptions.populate = false; // the drain thread does it: start() returns sooner
    m_log = EventLog::create(request.logBytes, &logError, logOptions);
    if (!m_log)
        return fail(QStringLiteral("cannot create the event log: ") + QString::fromStdString(logError));

    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
        return fail(QStringLiteral("cannot create the control channel: ") + QString::fromLocal8Bit(strerror(errno)));
    m_control = pair[0];
    const int childControl = pair[1];

    const QString program = request.runnerProgram.isEmpty() ? defaultRunner() : request.runnerProgram;
    const QByteArray programBytes = program.toLocal8Bit();
    const QByteArray params = QJsonDocument(request.params).toJson(QJsonDocument::Compact);
    const std::vector<std::string> args = runnerArguments(programBytes, request, params);
    std::vector<char *> argv;
    for (const auto &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);

    // Both sources move above the targets first: the log's memfd may itself be descriptor 3 or 4.
    const int controlSource = fcntl(childControl, F_DUPFD_CLOEXEC, 10);
    const int logSource = fcntl(m_log->fd(), F_DUPFD_CLOEXEC, 10);
    ::close(childControl);
    if (controlSource < 0 || logSource < 0) {
        for (int fd : {controlSource, logSource})
            if (fd >= 0)
                ::close(fd);
        return fail(QStringLiteral("cannot prepare the runner's descriptors: ") +
                    QString::fromLocal8Bit(strerror(errno)));
    }
    // Held from their first step on: set before the runner exists, so no step can slip through.
    if (!request.heldThreads.empty() && !m_log->holdNamed(request.heldThreads)) {
        ::close(controlSource);
        ::close(logSource);
        return fail(QStringLiteral("the schedule names too many threads, or a name with a line break"));
    }
    int rc = 0;
    {
        const RunnerSpawn spawn(controlSource, logSource);
        m_started = Clock::now();
        rc = posix_spawn(&m_runner, programBytes.constData(), &spawn.actions, &spawn.attr, argv.data(), environ);
    }
    ::close(controlSource);
    ::close(logSource);
    if (rc != 0) {
        m_runner = 0;
        return fail(
            QStringLiteral("cannot start the runner '%1': %2").arg(program, QString::fromLocal8Bit(strerror(rc))));
    }
    m_status = RunStatus::Running;
    m_drainer = std::make_unique<LogDrainer>(*m_log);
    m_model.data().meta.insert(QStringLiteral("scenario"), QLatin1String(request.scenario->id()));
    m_model.data().meta.insert(QStringLiteral("params"), request.params);
    m_model.data().meta.insert(QStringLiteral("seed"), QString::number(request.seed));
    return true;
}

void Session::readControl()
{
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(m_control, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        const QByteArray message(buf, int(n));
        if (message.startsWith(control::kDone)) {
            m_done = true;
            m_notes = QJsonDocument::fromJson(message.mid(int(std::strlen(control::kDone)))).object();
        } else if (message.startsWith(control::kFailed)) {
            m_failure = QString::fromUtf8(message.mid(int(std::strlen(control::kFailed))));
        }
    }
}

size_t Session::take(size_t maxEvents)
{
    // A traced program's pipe bytes become arrows on the way in (the model ingests an event once).
    if (!m_request.scenario || !m_request.scenario->tracesProgram())
        return m_drainer->take(m_model.data(), maxEvents);
    const size_t taken = m_drainer->take(m_staging, maxEvents);
    m_byteFlows.pass(m_staging, m_model.data(), clock::monotonicNs());
    return taken;
}

void Session::drain()
{
    if (!m_drainer)
        return;
    if (m_ingestBudget.count() <= 0) {
        take(0);
        m_model.update();
        return;
    }
    const auto begin = Clock::now();
    const size_t taken = take(m_sliceEvents);
    m_model.update();
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin);
    // Fit the next slice to the budget by what this one cost per event (too few to tell: keep
    // it). Grow slowly, shrink at once: the cost per event varies along a run.
    if (taken >= 1000 && took.count() > 0) {
        const double perEvent = double(took.count()) / double(taken);
        const size_t fits = size_t(double(m_ingestBudget.count()) / perEvent);
        m_sliceEvents = std::clamp(fits, size_t(1000), std::max(size_t(1000), m_sliceEvents + m_sliceEvents / 4));
    }
}

size_t Session::backlog() const
{
    return m_drainer ? m_drainer->backlog() : 0;
}

bool Session::poll()
{
    if (m_status != RunStatus::Running)
        return false;
    readControl();
    drain();

    if (!m_runnerExited) {
        int waitStatus = 0;
        if (::waitpid(m_runner, &waitStatus, WNOHANG) == m_runner) {
            m_runnerExited = true;
            m_exitStatus = waitStatus;
            m_ended = Clock::now();
            reaper::sweepChildren(); // orphans of the run were reparented to us: none may survive
            m_drainer->finishSoon(); // every writer is gone: its last read
        }
    }
    if (m_runnerExited) {
        // The run is over; what it recorded still comes in slices, then the end is taken.
        if (m_ingestBudget.count() > 0 && (!m_drainer->finished() || backlog() > 0))
            return true;
        finishRun(m_exitStatus);
        return false;
    }
    if (m_request.timeout.count() > 0 && Clock::now() - m_started > m_request.timeout) {
        killRun(RunStatus::TimedOut);
        return false;
    }
    // A model still behind the log may show a wait that has already ended: check once it caught up.
    if (!m_paused && backlog() == 0 && Clock::now() - m_lastDeadlockCheck > std::chrono::milliseconds(100)) {
        m_lastDeadlockCheck = Clock::now();
        checkDeadlock();
    }
    return m_status == RunStatus::Running;
}

void Session::checkDeadlock()
{
    const std::vector<DeadlockStep> cycle = WaitForGraph::at(m_model, m_model.endTime()).deadlockCycle();
    if (cycle.empty()) {
        m_suspect.clear();
        return;
    }
    // A cycle seen once may be an obtain not drained yet; the same cycle with no new event from
    // its threads a few checks later is a real deadlock (non-timed waits never give up).
    auto same = [&] {
        if (cycle.size() != m_suspect.size())
            return false;
        for (size_t i = 0; i < cycle.size(); ++i) {
            if (cycle[i].thread != m_suspect[i].thread || cycle[i].waitsFor != m_suspect[i].waitsFor)
                return false;
        }
        return true;
    };
    size_t events = 0;
    for (const auto &link : cycle)
        events += m_model.threadEvents(link.thread).size();
    if (!same() || events != m_suspectEvents) {
        m_suspect = cycle;
        m_suspectEvents = events;
        return;
    }
    m_deadlock = cycle;
    Event mark{};
    mark.time = clock::monotonicNs();
    mark.thread = cycle.front().thread;
    mark.type = EventType::Deadlock;
    mark.arg = int64_t(cycle.size());
    m_model.data().events.push_back(mark);
    // Described while the threads still wait (the stop ends their states), recorded once the stop
    // drained the log for good, so the strings it adds take ids no logged string can take.
    RecordedDeadlock record = describeDeadlock(m_model, Deadlock{m_model.endTime(), cycle});
    record.seen = mark.time;
    record.time = kTimeMin;
    for (const DeadlockMember &member : record.members)
        record.time = std::max(record.time, member.since);
    killRun(RunStatus::Deadlocked);
    recordDeadlock(m_model.data(), record);
    m_model.update();
}

void Session::killRun(RunStatus status)
{
    if (m_status != RunStatus::Running)
        return;
    const auto begin = Clock::now();
    if (m_runnerExited) {
        // It ended on its own and was reaped (its pid may be anyone's now): only take the rest.
        finishRun(m_exitStatus);
        m_stopDuration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin);
        return;
    }
    // Ask politely (the runner sweeps its descendants, including setsid escapees), then make sure.
    ::send(m_control, control::kStop, std::strlen(control::kStop), MSG_NOSIGNAL);
    int waitStatus = 0;
    bool reaped = false;
    for (int i = 0; i < 50 && !reaped; ++i) {
        if (::waitpid(m_runner, &waitStatus, WNOHANG) == m_runner) {
            reaped = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(-m_runner, SIGKILL);
    if (!reaped) {
        while (::waitpid(m_runner, &waitStatus, 0) < 0 && errno == EINTR) {
        }
    }
    m_status = status;
    finishRun(waitStatus);
    m_stopDuration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin);
}

void Session::finishRun(int waitStatus)
{
    // Orphans of the run were reparented to us (we are a subreaper): none may survive.
    reaper::sweepChildren();
    if (!m_runnerExited)
        m_ended = Clock::now();
    if (m_paused) {
        // Stopped while paused: the pause lasted until the end.
        m_paused = false;
        m_pausedTotal += m_ended - m_pausedAt;
        markPause(EventType::Resumed);
    }
    readControl();
    if (m_drainer) {
        m_drainer->finish();
        take(0);
        m_byteFlows.flush(m_model.data());
        m_drainer.reset();
    }
    m_model.update();

    // Processes the stop killed had no reaper to record their end: record it here.
    const int64_t now = clock::monotonicNs();
    for (const auto &process : m_model.processes()) {
        if (process.exited || process.threads.empty() || process.pid == getpid())
            continue;
        Event exit{};
        exit.time = std::max(now, m_model.endTime());
        exit.thread = process.threads.front();
        exit.type = EventType::ProcessExit;
        exit.object = uint32_t(process.pid);
        if (process.pid == m_runner && WIFEXITED(waitStatus)) {
            exit.arg = WEXITSTATUS(waitStatus);
        } else {
            exit.arg = process.pid == m_runner && WIFSIGNALED(waitStatus) ? WTERMSIG(waitStatus) : SIGKILL;
            exit.flags = ExitSignal;
        }
        m_model.data().events.push_back(exit);
    }
    m_model.update();

    if (m_status == RunStatus::Running) {
        if (WIFSIGNALED(waitStatus)) {
            m_status = RunStatus::Crashed;
            m_failure = QStringLiteral("the runner was killed by signal %1 (%2)")
                            .arg(WTERMSIG(waitStatus))
                            .arg(QString::fromLocal8Bit(strsignal(WTERMSIG(waitStatus))));
        } else if (WEXITSTATUS(waitStatus) == 0 && m_done) {
            m_status = RunStatus::Finished;
        } else {
            m_status = RunStatus::Failed;
            if (m_failure.isEmpty())
                m_failure = QStringLiteral("the runner exited with status %1").arg(WEXITSTATUS(waitStatus));
        }
    }
    m_model.squeeze(); // the trace is complete: give back what the growing vectors reserved
    auto &meta = m_model.data().meta;
    meta.insert(QStringLiteral("status"), QLatin1String(runStatusName(m_status)));
    meta.insert(QStringLiteral("wall_ms"), double(wallMs()));
    if (!m_notes.isEmpty())
        meta.insert(QStringLiteral("notes"), m_notes);
    m_log.reset();
}

RunStatus Session::wait()
{
    while (poll())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return m_status;
}

void Session::stop()
{
    killRun(RunStatus::Stopped);
}

void Session::setPaused(bool paused)
{
    if (m_status != RunStatus::Running || paused == m_paused)
        return;
    m_paused = paused;
    const char *message = paused ? control::kPause : control::kResume;
    // Marked before the runner holds anyone and after it lets them go, so the band covers the hold.
    if (paused) {
        m_pausedAt = Clock::now();
        markPause(EventType::Paused);
    }
    ::send(m_control, message, std::strlen(message), MSG_NOSIGNAL);
    if (!paused) {
        m_pausedTotal += Clock::now() - m_pausedAt;
        markPause(EventType::Resumed);
    }
}

void Session::markPause(EventType type)
{
    drain(); // the runner's main thread is known once its first events are in
    uint32_t thread = m_model.threadByTid(m_runner, m_runner);
    if (thread == kNoEvent && m_model.threadCount() > 0)
        thread = 0;
    if (thread == kNoEvent)
        return; // nothing recorded yet: nothing to hold either
    Event mark{};
    mark.time = clock::monotonicNs();
    mark.thread = thread;
    mark.type = type;
    mark.arg = type == EventType::Resumed
                   ? int64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - m_pausedAt).count())
                   : 0;
    m_model.data().events.push_back(mark);
    m_model.update();
}

int64_t Session::pausedMs() const
{
    auto total = m_pausedTotal;
    if (m_paused && m_status == RunStatus::Running)
        total += Clock::now() - m_pausedAt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(total).count();
}

void Session::step()
{
    if (m_status == RunStatus::Running && m_paused)
        ::send(m_control, control::kStep, std::strlen(control::kStep), MSG_NOSIGNAL);
}

int64_t Session::wallMs() const
{
    if (m_status == RunStatus::NotStarted)
        return 0;
    const auto end = m_status == RunStatus::Running && !m_runnerExited ? Clock::now() : m_ended;
    return std::chrono::duration_cast<std::chrono::milliseconds>(end - m_started).count();
}

std::vector<pid_t> Session::leftoverProcesses() const
{
    std::vector<pid_t> left;
    for (const auto &process : m_model.processes()) {
        if (process.pid > 0 && process.traced() && reaper::alive(process.pid))
            left.push_back(process.pid);
    }
    if (m_runner > 0 && reaper::alive(m_runner) && std::find(left.begin(), left.end(), m_runner) == left.end())
        left.push_back(m_runner);
    return left;
}

} // namespace interleave::core
