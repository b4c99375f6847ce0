// SPDX-License-Identifier: MIT
#include "run/runner.h"

#include "instrument/blocking.h"
#include "instrument/enginethread.h"
#include "instrument/sampler.h"
#include "run/reaper.h"
#include "scenarios/scenario.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"

#include <QJsonDocument>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <memory>
#include <mutex>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace interleave::core {

namespace {

std::atomic<bool> g_stop{false};
int g_controlFd = -1;
pid_t g_runnerPid = 0;
std::atomic<int> g_frozen{0}; // runner threads parked in onFreeze

/// Parks the calling thread for good (see freezeOtherThreads). A forked child inherits this
/// handler: there it acts as the default action would.
void onFreeze(int sig)
{
    if (::getpid() != g_runnerPid) {
        ::signal(sig, SIG_DFL);
        ::raise(sig);
        return;
    }
    g_frozen.fetch_add(1);
    for (;;)
        ::pause();
}

/// The parent-death signal. It must not kill the runner outright: a dead runner's descendants
/// would be orphaned and live on. It closes the control channel instead, and the control
/// thread, seeing end-of-file, sweeps and dies. A forked child inherits this handler: there it
/// acts as the default action would.
void onParentDeath(int sig)
{
    if (::getpid() != g_runnerPid) {
        ::signal(sig, SIG_DFL);
        ::raise(sig);
        return;
    }
    if (g_controlFd >= 0)
        ::shutdown(g_controlFd, SHUT_RDWR);
    else
        ::kill(::getpid(), SIGKILL); // no channel, so no control thread: nothing was started yet
}

void sendControl(const std::string &message)
{
    if (g_controlFd >= 0)
        ::send(g_controlFd, message.data(), message.size(), MSG_NOSIGNAL);
}

/// Real-time signals no scenario uses: the one the kernel sends when the window dies, and the
/// one that parks the runner's other threads before the final sweep.
int parentDeathSignal()
{
    return SIGRTMIN;
}
int freezeSignal()
{
    return SIGRTMIN + 1;
}

/// Parks every other thread of the runner in onFreeze, so that no scenario thread can fork a
/// child after the sweep has looked (a storm forks all the time) and nothing the sweep needs is
/// used by them any more. Threads are found in /proc/self/task without allocating: a parked
/// thread may hold the allocator's lock. Gives up waiting after 50 ms (a thread that has the
/// signal blocked, like a sanitizer's own, never parks; it never forks either).
void freezeOtherThreads()
{
    const pid_t self = pid_t(::syscall(SYS_gettid));
    pid_t signalled[512];
    int sent = 0;
    for (bool more = true; more;) {
        more = false;
        reaper::forEachTask([&](pid_t tid) {
            if (tid == self || sent == int(std::size(signalled)) ||
                std::find(signalled, signalled + sent, tid) != signalled + sent)
                return;
            ::syscall(SYS_tgkill, g_runnerPid, tid, freezeSignal());
            signalled[sent++] = tid;
            more = true;
        });
        // A thread that was being created when its creator parked shows up in the next look.
        for (int i = 0; i < 500 && g_frozen.load() < sent; ++i) {
            const timespec nap{0, 100'000};
            ::nanosleep(&nap, nullptr);
        }
    }
}

/// Kills every descendant and reaps it, then dies at once. Used when the window asks to stop
/// or disappears: scenario threads may be blocked for good (a real deadlock), so the runner
/// cannot wait for them.
[[noreturn]] void sweepAndDie()
{
    freezeOtherThreads();
    reaper::sweepChildrenSignalSafe();
    // Killed, not exited: a run that had to be stopped (or a deadlock) ends the way the chapter
    // says it must, by the operating system, and the trace shows SIGKILL.
    ::signal(SIGKILL, SIG_DFL);
    ::kill(::getpid(), SIGKILL);
    ::_exit(137);
}

class RunnerContext final : public ScenarioContext
{
public:
    RunnerContext(ParamValues params, uint64_t seed, int logFd)
        : m_params(std::move(params))
        , m_random(seed)
        , m_logFd(logFd)
    {}
    int eventLogFd() const override { return m_logFd; }
    const ParamValues &params() const override { return m_params; }
    std::mt19937_64 &random() override { return m_random; }
    void print(std::string_view line) override { recorder::record(EventType::Output, recorder::intern(line), 1); }
    void phase(std::string_view name) override { recorder::record(EventType::Phase, recorder::intern(name)); }
    bool stopRequested() const override { return g_stop.load(std::memory_order_relaxed); }
    void note(const QString &key, const QJsonValue &value) override
    {
        const std::lock_guard lock(m_mutex);
        m_notes.insert(key, value);
    }
    QJsonObject notes() const
    {
        const std::lock_guard lock(m_mutex);
        return m_notes;
    }

private:
    ParamValues m_params;
    std::mt19937_64 m_random;
    int m_logFd = -1;
    mutable std::mutex m_mutex;
    QJsonObject m_notes;
};

/// What the session passed on the runner's command line.
struct RunnerArguments
{
    int logFd = -1;
    int parent = 0;
    QString scenarioId;
    QByteArray paramsJson;
    uint64_t seed = 0;
};

/// Reads the runner's arguments; the control channel's descriptor goes to g_controlFd.
RunnerArguments readArguments(const QStringList &arguments)
{
    RunnerArguments args;
    for (int i = 0; i + 1 < arguments.size(); i += 2) {
        const QString &key = arguments[i];
        const QString &value = arguments[i + 1];
        if (key == QLatin1String("--log-fd"))
            args.logFd = value.toInt();
        else if (key == QLatin1String("--control-fd"))
            g_controlFd = value.toInt();
        else if (key == QLatin1String("--parent"))
            args.parent = value.toInt();
        else if (key == QLatin1String("--scenario"))
            args.scenarioId = value;
        else if (key == QLatin1String("--params"))
            args.paramsJson = value.toUtf8();
        else if (key == QLatin1String("--seed"))
            args.seed = value.toULongLong();
    }
    return args;
}

/// The control thread: pause and resume act on the log; stop and EOF end the process.
void serveControl(EventLog *log)
{
    char buf[256];
    for (;;) {
        const ssize_t n = ::recv(g_controlFd, buf, sizeof buf - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            sweepAndDie();
        const std::string_view message(buf, size_t(n));
        if (message == control::kStop) {
            g_stop = true;
            instrument::setStopRequested(true);
            log->setPaused(false);
            sweepAndDie();
        }
        if (message == control::kPause)
            log->setPaused(true);
        else if (message == control::kResume)
            log->setPaused(false);
        else if (message == control::kStep)
            log->step(1);
        else if (message.starts_with(control::kStepThread))
            log->stepThread(int32_t(
                std::strtol(std::string(message.substr(std::strlen(control::kStepThread))).c_str(), nullptr, 10)));
    }
}

// Whatever the scenario left running goes now; its exits are part of the trace, as they
// happened (a child that had already exited is a zombie here and keeps its own status).
void killLeftovers()
{
    for (pid_t pid : reaper::children()) {
        ::kill(pid, SIGKILL);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        recorder::recordProcessExit(pid, status);
    }
    reaper::sweepChildren();
}

} // namespace

int runnerMain(const QStringList &arguments)
{
    const RunnerArguments args = readArguments(arguments);

    // Die with the window, and take every descendant along: the control channel's EOF below,
    // and the parent-death signal, which closes that channel (onParentDeath).
    g_runnerPid = getpid();
    struct sigaction action = {};
    sigemptyset(&action.sa_mask);
    action.sa_handler = onFreeze;
    sigaction(freezeSignal(), &action, nullptr);
    action.sa_handler = onParentDeath;
    sigaction(parentDeathSignal(), &action, nullptr);
    prctl(PR_SET_PDEATHSIG, parentDeathSignal(), 0, 0, 0);
    if (args.parent != 0 && getppid() != args.parent)
        return 3; // the window died before we got here
    reaper::becomeSubreaper();
    if (g_controlFd >= 0)
        fcntl(g_controlFd, F_SETFD, FD_CLOEXEC);

    std::string error;
    // Shared with the control thread, which runs until the process exits: a "resume" that comes
    // as the scenario ends must not find the log gone (ThreadSanitizer saw it under --schedule).
    std::shared_ptr<EventLog> log = EventLog::attach(args.logFd, &error);
    if (args.logFd >= 0)
        ::close(args.logFd); // attach() keeps its own duplicate
    if (!log) {
        sendControl(std::string(control::kFailed) + "cannot map the event log: " + error);
        return 1;
    }
    const Scenario *scenario = ScenarioRegistry::instance().find(args.scenarioId.toStdString());
    if (!scenario) {
        sendControl(std::string(control::kFailed) + "unknown scenario " + args.scenarioId.toStdString());
        return 1;
    }

    recorder::attach(log.get());
    if (scenario->tracesProgram()) {
        // A program of the user's runs: this process only starts, watches and reaps it.
        recorder::record(EventType::RecorderThread);
    } else {
        recorder::record(EventType::ProcessStart, recorder::intern(scenario->id()), getppid());
        recorder::record(EventType::ThreadStart, 0, 0);
        recorder::nameThread("MainThread");
    }

    // Pause and resume act on the log; stop and EOF end the process from the control thread.
    EngineThread control([log] { serveControl(log.get()); });
    control.detach(); // it ends with the process

    Sampler sampler({.interval = std::chrono::milliseconds(2), .pids = {}, .root = getpid(), .log = log.get()});
    sampler.start();

    RunnerContext context(QJsonDocument::fromJson(args.paramsJson).object(), args.seed, log->fd());
    int code = 0;
    std::string failure;
    try {
        scenario->run(context);
    } catch (const std::exception &e) {
        failure = e.what();
        code = 1;
    }
    sampler.stop();
    killLeftovers();

    if (!scenario->tracesProgram())
        recorder::record(EventType::ThreadExit);
    const QByteArray notes = QJsonDocument(context.notes()).toJson(QJsonDocument::Compact);
    recorder::detach();
    if (code == 0)
        sendControl(std::string(control::kDone) + notes.toStdString());
    else
        sendControl(std::string(control::kFailed) + failure);
    return code;
}

} // namespace interleave::core
