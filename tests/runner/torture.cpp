// SPDX-License-Identifier: MIT
// Test-only scenarios (see torture.h): a storm of a few hundred processes forked in waves, some
// double-forking into setsid orphans, and a set of processes that do their best not to die.
// Every child below runs in the child of a multi-threaded runner, so it does only
// async-signal-safe work and lock-free recording: names are interned before the forks.
#include "torture.h"

#include "instrument/blocking.h"
#include "scenarios/scenario.h"
#include "trace/recorder.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace interleave::core {

namespace {

[[noreturn]] void exitChild(int code)
{
    recorder::record(EventType::ThreadExit);
    recorder::closeThread();
    ::_exit(code);
}

[[noreturn]] void hang()
{
    for (;;)
        ::pause();
}

void ignoreTermination()
{
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE})
        ::signal(sig, SIG_IGN);
}

/// Tells the scenario one more process is set up (one byte on the ready pipe).
void announce(int readyFd)
{
    const char byte = 1;
    while (::write(readyFd, &byte, 1) < 0 && errno == EINTR) {
    }
}

/// fork() with the recording a Process::fork child does, minus everything that may lock.
template<typename Body> pid_t forkRecorded(uint32_t nameId, Body body)
{
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
        // The recorder's fork handler has given this process its own cursor already.
        recorder::record(EventType::ForkReturn, 0, 0);
        recorder::record(EventType::ProcessStart, nameId, ::getppid());
        recorder::record(EventType::ThreadName, nameId);
        body();
        exitChild(0);
    }
    recorder::record(EventType::ForkReturn, 0, pid);
    return pid;
}

void reap(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status))
        recorder::record(EventType::ProcessExit, uint32_t(pid), WTERMSIG(status), ExitSignal);
    else
        recorder::record(EventType::ProcessExit, uint32_t(pid), WEXITSTATUS(status));
}

/// Waits until `expected` processes have announced themselves; false if the run was stopped.
bool awaitReady(int readyFd, int expected, ScenarioContext &ctx)
{
    char buf[256];
    while (expected > 0) {
        if (ctx.stopRequested())
            return false;
        pollfd p{readyFd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        const ssize_t n = ::read(readyFd, buf, std::min<size_t>(sizeof buf, size_t(expected)));
        if (n > 0)
            expected -= int(n);
    }
    return true;
}

/// Keeps the runner's main thread busy doing nothing until Stop (or the session's timeout).
void holdOrReturn(ScenarioContext &ctx)
{
    if (ctx.textParam("end") != QLatin1String("hold"))
        return;
    while (!ctx.stopRequested())
        sleepFor(std::chrono::milliseconds(20));
}

int countProcesses(const TraceModel &model, const char *name)
{
    int n = 0;
    for (const ProcessInfo &p : model.processes())
        n += p.name == name;
    return n;
}

ParamSpec endParam()
{
    return testChoiceParam("end", {"hold", "return"},
                           "hold: wait for Stop or the timeout; return: end while everything still runs");
}

/// A few hundred processes in waves; every `orphan_every`-th child double-forks: its child calls
/// setsid and the middle parent exits at once, so the grandchild is orphaned and comes back to
/// the runner (a subreaper). `keep` says who stays alive: all, only the orphans, or none.
class StormScenario final : public Scenario
{
public:
    const char *id() const override { return "torture-storm"; }
    const char *group() const override { return "test"; }
    const char *title() const override { return "torture: process storm"; }
    std::vector<ParamSpec> parameters() const override
    {
        return {testIntParam("waves", 5, 1, 20), testIntParam("per_wave", 60, 1, 200),
                testIntParam("orphan_every", 3, 0, 10),
                testChoiceParam("keep", {"all", "orphans", "none"}, "which processes stay alive after the storm"),
                endParam()};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int waves = ctx.intParam("waves");
        const int perWave = ctx.intParam("per_wave");
        const int orphanEvery = ctx.intParam("orphan_every");
        const QString keep = ctx.textParam("keep");
        const bool keepAll = keep == QLatin1String("all");
        const bool keepOrphans = keepAll || keep == QLatin1String("orphans");
        const uint32_t childName = recorder::intern("storm child");
        const uint32_t orphanName = recorder::intern("storm orphan");
        int ready[2];
        if (::pipe2(ready, O_CLOEXEC) != 0)
            throw std::runtime_error("cannot create the ready pipe");

        int expected = 0;
        int forked = 0;
        for (int wave = 0; wave < waves && !ctx.stopRequested(); ++wave) {
            ctx.phase("wave " + std::to_string(wave + 1));
            std::vector<pid_t> exiting;
            for (int i = 0; i < perWave; ++i) {
                const bool doubleFork = orphanEvery > 0 && i % orphanEvery == 0;
                const pid_t pid = forkRecorded(childName, [&] {
                    if (doubleFork) {
                        forkRecorded(orphanName, [&] {
                            ::setsid();
                            if (!keepOrphans)
                                exitChild(0);
                            ignoreTermination();
                            announce(ready[1]);
                            hang();
                        });
                        exitChild(0); // the middle parent goes: its child is an orphan now
                    }
                    if (!keepAll)
                        exitChild(0);
                    announce(ready[1]);
                    hang();
                });
                ++forked;
                if (doubleFork) {
                    ++forked;
                    expected += keepOrphans;
                    exiting.push_back(pid);
                } else if (keepAll) {
                    ++expected;
                } else {
                    exiting.push_back(pid);
                }
            }
            for (pid_t pid : exiting)
                reap(pid);
            sleepFor(std::chrono::milliseconds(5));
        }
        ::close(ready[1]);
        const bool all = awaitReady(ready[0], expected, ctx);
        ::close(ready[0]);
        ctx.note(QStringLiteral("forked"), forked);
        ctx.note(QStringLiteral("alive"), expected);
        if (all)
            ctx.print("storm ready: " + std::to_string(forked) + " forked, " + std::to_string(expected) + " alive");
        holdOrReturn(ctx);
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        return {{QStringLiteral("storm_children"), countProcesses(model, "storm child")},
                {QStringLiteral("storm_orphans"), countProcesses(model, "storm orphan")}};
    }
};

/// Processes that make a sweep hard: they ignore SIGTERM, sleep in pause(), read a pipe nobody
/// writes, nap in a loop, leave their session or process group, stop themselves, wait in vfork
/// (state D), block every signal, keep an unreaped zombie, double-fork, and nest.
class StubbornScenario final : public Scenario
{
public:
    const char *id() const override { return "torture-stubborn"; }
    const char *group() const override { return "test"; }
    const char *title() const override { return "torture: processes that will not die"; }
    std::vector<ParamSpec> parameters() const override
    {
        return {testIntParam("copies", 3, 1, 20), testIntParam("depth", 4, 1, 20), endParam()};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int copies = ctx.intParam("copies");
        const int depth = ctx.intParam("depth");
        const uint32_t name = recorder::intern("stubborn");
        const uint32_t orphanName = recorder::intern("stubborn orphan");
        const uint32_t nestedName = recorder::intern("stubborn nested");
        const uint32_t pipeWait = recorder::intern("a pipe nobody writes");
        int ready[2];
        if (::pipe2(ready, O_CLOEXEC) != 0)
            throw std::runtime_error("cannot create the ready pipe");
        const int readyFd = ready[1];
        int expected = 0;
        std::vector<pid_t> middles;

        for (int copy = 0; copy < copies && !ctx.stopRequested(); ++copy) {
            // Ignores every polite signal.
            forkRecorded(name, [&] {
                ignoreTermination();
                announce(readyFd);
                hang();
            });
            // Reads a pipe whose only writer is itself.
            forkRecorded(name, [&] {
                int p[2];
                if (::pipe(p) != 0)
                    exitChild(2);
                ignoreTermination();
                announce(readyFd);
                recorder::record(EventType::IoWaitBegin, pipeWait);
                char byte;
                while (::read(p[0], &byte, 1) != 0) {
                }
                exitChild(0);
            });
            // Naps in a loop, ignoring SIGTERM.
            forkRecorded(name, [&] {
                ignoreTermination();
                announce(readyFd);
                for (;;) {
                    timespec t{0, 10'000'000};
                    ::nanosleep(&t, nullptr);
                }
            });
            // Its own session, then its own process group: neither the run's group nor its session.
            forkRecorded(name, [&] {
                ::setsid();
                ignoreTermination();
                announce(readyFd);
                hang();
            });
            forkRecorded(name, [&] {
                ::setpgid(0, 0);
                ignoreTermination();
                announce(readyFd);
                hang();
            });
            // Stops itself: a stopped process takes no signal but SIGKILL (and SIGCONT).
            forkRecorded(name, [&] {
                ignoreTermination();
                announce(readyFd);
                ::kill(::getpid(), SIGSTOP);
                hang();
            });
            // A vfork parent waits in state D until its child execs or exits, which it never does.
            forkRecorded(name, [&] {
                ignoreTermination();
                const pid_t child = ::vfork();
                if (child == 0) {
                    // vfork child: raw system calls only, it shares the parent's memory.
                    const char byte = 1;
                    ::syscall(SYS_write, readyFd, &byte, 1);
                    for (;;)
                        ::syscall(SYS_pause);
                }
                hang();
            });
            // Blocks every signal that can be blocked.
            forkRecorded(name, [&] {
                sigset_t all;
                sigfillset(&all);
                ::sigprocmask(SIG_BLOCK, &all, nullptr);
                announce(readyFd);
                hang();
            });
            // Keeps a zombie child it never reaps.
            forkRecorded(name, [&] {
                ignoreTermination();
                const pid_t zombie = ::fork();
                if (zombie == 0)
                    ::_exit(0);
                announce(readyFd);
                hang();
            });
            // Double-forks: the grandchild leaves the session and ignores SIGTERM, the middle exits.
            middles.push_back(forkRecorded(name, [&] {
                forkRecorded(orphanName, [&] {
                    ::setsid();
                    ignoreTermination();
                    announce(readyFd);
                    hang();
                });
                exitChild(0);
            }));
            // A chain of `depth` processes, each the parent of the next, all ignoring SIGTERM.
            forkRecorded(nestedName, [&] { nest(nestedName, depth - 1, readyFd); });
            expected += 10 + depth;
        }
        for (pid_t pid : middles)
            reap(pid);
        ::close(ready[1]);
        const bool all = awaitReady(ready[0], expected, ctx);
        ::close(ready[0]);
        ctx.note(QStringLiteral("alive"), expected);
        if (all)
            ctx.print("stubborn ready: " + std::to_string(expected) + " processes");
        holdOrReturn(ctx);
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        return {{QStringLiteral("stubborn"), countProcesses(model, "stubborn")},
                {QStringLiteral("stubborn_orphans"), countProcesses(model, "stubborn orphan")},
                {QStringLiteral("stubborn_nested"), countProcesses(model, "stubborn nested")}};
    }

private:
    static void nest(uint32_t nameId, int more, int readyFd)
    {
        ignoreTermination();
        if (more > 0)
            forkRecorded(nameId, [&] { nest(nameId, more - 1, readyFd); });
        announce(readyFd);
        hang();
    }
};

} // namespace

ParamSpec testIntParam(const char *name, int def, int min, int max)
{
    ParamSpec p;
    p.name = QLatin1String(name);
    p.kind = ParamSpec::Kind::Int;
    p.defaultValue = def;
    p.minimum = min;
    p.maximum = max;
    p.label = name;
    p.help = name;
    return p;
}

ParamSpec testChoiceParam(const char *name, std::initializer_list<const char *> choices, const char *help)
{
    ParamSpec p;
    p.name = QLatin1String(name);
    p.kind = ParamSpec::Kind::Choice;
    for (const char *choice : choices)
        p.choices.append(QLatin1String(choice));
    p.defaultValue = p.choices.value(0);
    p.label = name;
    p.help = help;
    return p;
}

void registerTestScenarios()
{
    static const bool registered = [] {
        std::vector<std::unique_ptr<Scenario>> all;
        all.push_back(std::make_unique<StormScenario>());
        all.push_back(std::make_unique<StubbornScenario>());
        all.push_back(makeTortureCrashScenario());
        all.push_back(makeTortureFloodScenario());
        ScenarioRegistry::addUnlisted(std::move(all));
        char self[PATH_MAX];
        const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            std::string runner(self, size_t(n));
            runner.resize(runner.rfind('/') + 1);
            ::setenv("INTERLEAVE_RUNNER", (runner + "interleave-test-runner").c_str(), 0);
        }
        return true;
    }();
    (void)registered;
}

} // namespace interleave::core
