// SPDX-License-Identifier: MIT
// Processes, recorded as core/instrument/process.cpp and processspawn.cpp record theirs: fork
// (ForkCall, ForkReturn in both, the child's ProcessStart), spawn and exec (Exec), and the
// program's own waits for its children (JoinWait/JoinDone on the pid, and the child's ProcessExit,
// since the runner's reaper never sees a child the program reaps itself).
#include "runtime.h"

#include <cstdarg>
#include <cstdlib>
#include <cstring>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace interleave::preload {
namespace {

INTERLEAVE_REAL(fork)
INTERLEAVE_REAL(posix_spawn)
INTERLEAVE_REAL(posix_spawnp)
INTERLEAVE_REAL(execve)
INTERLEAVE_REAL(execvpe)
INTERLEAVE_REAL(fexecve)
INTERLEAVE_REAL(waitpid)
INTERLEAVE_REAL(waitid)
INTERLEAVE_REAL(wait4)
INTERLEAVE_REAL(exit)
INTERLEAVE_REAL(_exit)

pid_t recordedFork(uint32_t site) noexcept
{
    record(EventType::ForkCall, 0, 0, 0, site);
    const uint32_t threadName = t_threadName;
    pid_t pid;
    {
        // The program's own atfork handlers run inside fork(): not recorded.
        Guard guard;
        pid = real_fork()();
    }
    if (pid == 0) {
        afterForkInChild();
        record(EventType::ForkReturn, 0, 0, 0, site);
        recordProcessStart(processNameId());
        if (threadName != 0)
            record(EventType::ThreadName, threadName);
    } else if (pid > 0) {
        record(EventType::ForkReturn, 0, pid, 0, site);
    }
    return pid;
}

/// Where an exec'd image's environment is built: on the stack, no allocation (after vfork-like
/// uses only async-signal-safe work is allowed).
struct ExecEnvironment
{
    static constexpr int kExtra = 16;
    explicit ExecEnvironment(char *const *envp, bool sameProcess, char **storage, int capacity)
        : env(execEnvironment(envp, sameProcess, storage, capacity, buffer, sizeof buffer))
    {}
    char buffer[64];
    char *const *env;
};

/// Whether an exec of `path` cannot succeed: it names a file (a literal path, or one with a slash
/// for the PATH-searching calls) that is not there or not executable. Python's subprocess tries
/// each folder of PATH with execv; those failures must not rename the process.
bool execCannotRun(const char *path, bool searchesPath) noexcept
{
    if (!path || (searchesPath && !std::strchr(path, '/')))
        return false;
    const int saved = errno;
    const bool cannot = ::access(path, X_OK) != 0;
    errno = saved;
    return cannot;
}

/// Exec of this process: Exec (the command line, this pid), the chunk closed, then the real call;
/// the new image's constructor goes on recording. On failure the program goes on too. An exec
/// that cannot run is not recorded (a failure that access() does not foresee still is).
template<class Exec>
int recordedExec(const char *path, char *const *argv, uint32_t site, Exec exec, bool searchesPath = false) noexcept
{
    if (active() && !execCannotRun(path, searchesPath)) {
        record(EventType::Exec, commandLine(path, argv), getpid(), 0, site);
        core::recorder::closeThread();
    }
    return exec();
}

/// execl's arguments as an argv array on the caller's stack.
#define INTERLEAVE_COLLECT_ARGS(first, argv, envp)                                                                     \
    int argc = 1;                                                                                                      \
    {                                                                                                                  \
        va_list count;                                                                                                 \
        va_start(count, first);                                                                                        \
        while (va_arg(count, const char *))                                                                            \
            ++argc;                                                                                                    \
        va_end(count);                                                                                                 \
    }                                                                                                                  \
    char **argv = static_cast<char **>(__builtin_alloca(sizeof(char *) * size_t(argc + 1)));                           \
    char *const *envp = environ;                                                                                       \
    {                                                                                                                  \
        va_list args;                                                                                                  \
        va_start(args, first);                                                                                         \
        argv[0] = const_cast<char *>(first);                                                                           \
        for (int i = 1; i <= argc; ++i)                                                                                \
            argv[i] = va_arg(args, char *);                                                                            \
        if (withEnvironment)                                                                                           \
            envp = va_arg(args, char *const *);                                                                        \
        va_end(args);                                                                                                  \
    }

/// A reaped child's ProcessExit (not for a stopped or continued one).
void recordExit(pid_t pid, int status) noexcept
{
    if (pid <= 0)
        return;
    if (WIFEXITED(status))
        record(EventType::ProcessExit, uint32_t(pid), WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        record(EventType::ProcessExit, uint32_t(pid), WTERMSIG(status), core::ExitSignal);
}

/// A wait for children: JoinWait on the pid asked for (0: any child) when it can block, the
/// reaped child's ProcessExit, JoinDone on the pid reaped.
template<class Wait> pid_t recordedWait(pid_t asked, int options, int *status, uint32_t site, Wait wait) noexcept
{
    int own = 0;
    int *st = status ? status : &own;
    const bool blocks = (options & WNOHANG) == 0;
    const uint32_t target = asked > 0 ? uint32_t(asked) : 0;
    if (blocks)
        record(EventType::JoinWait, target, 0, core::OnProcess, site);
    const pid_t pid = wait(st);
    if (pid > 0)
        recordExit(pid, *st);
    if (blocks)
        record(EventType::JoinDone, pid > 0 ? uint32_t(pid) : target, 0, core::OnProcess, site);
    return pid;
}

// Resolved while the program is still starting (single-threaded, nothing held): dlsym may
// allocate and lock, which is safe here and not in the middle of an intercepted call.
__attribute__((constructor(101))) void resolveReal()
{
    Guard guard;
    real_fork();
    real_posix_spawn();
    real_posix_spawnp();
    real_execve();
    real_execvpe();
    real_fexecve();
    real_waitpid();
    real_waitid();
    real_wait4();
    real_exit();
    real__exit();
}

} // namespace
} // namespace interleave::preload

using namespace interleave::preload;

INTERLEAVE_EXPORT pid_t fork(void)
{
    if (!active())
        return real_fork()();
    return recordedFork(INTERLEAVE_SITE());
}

// vfork is a fork here: the child may not return from the caller's frame in a real vfork, and a
// correct vfork child (exec or _exit only) behaves the same after a fork.
INTERLEAVE_EXPORT pid_t vfork(void)
{
    if (!active())
        return real_fork()();
    return recordedFork(INTERLEAVE_SITE());
}

INTERLEAVE_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                                  const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    if (!active())
        return real_posix_spawn()(pid, path, actions, attr, argv, envp);
    const uint32_t site = INTERLEAVE_SITE();
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, false, storage, int(std::size(storage)));
    pid_t child = 0;
    const int rc = real_posix_spawn()(&child, path, actions, attr, argv, env.env);
    if (rc == 0)
        record(EventType::Exec, commandLine(path, argv), child, 0, site);
    if (pid)
        *pid = child;
    return rc;
}

INTERLEAVE_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                                   const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    if (!active())
        return real_posix_spawnp()(pid, file, actions, attr, argv, envp);
    const uint32_t site = INTERLEAVE_SITE();
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, false, storage, int(std::size(storage)));
    pid_t child = 0;
    const int rc = real_posix_spawnp()(&child, file, actions, attr, argv, env.env);
    if (rc == 0)
        record(EventType::Exec, commandLine(file, argv), child, 0, site);
    if (pid)
        *pid = child;
    return rc;
}

INTERLEAVE_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, true, storage, int(std::size(storage)));
    return recordedExec(path, argv, INTERLEAVE_SITE(), [&] { return real_execve()(path, argv, env.env); });
}

INTERLEAVE_EXPORT int execv(const char *path, char *const argv[])
{
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(environ, true, storage, int(std::size(storage)));
    return recordedExec(path, argv, INTERLEAVE_SITE(), [&] { return real_execve()(path, argv, env.env); });
}

INTERLEAVE_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, true, storage, int(std::size(storage)));
    return recordedExec(
        file, argv, INTERLEAVE_SITE(), [&] { return real_execvpe()(file, argv, env.env); }, true);
}

INTERLEAVE_EXPORT int execvp(const char *file, char *const argv[])
{
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(environ, true, storage, int(std::size(storage)));
    return recordedExec(
        file, argv, INTERLEAVE_SITE(), [&] { return real_execvpe()(file, argv, env.env); }, true);
}

INTERLEAVE_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, true, storage, int(std::size(storage)));
    return recordedExec(nullptr, argv, INTERLEAVE_SITE(), [&] { return real_fexecve()(fd, argv, env.env); });
}

INTERLEAVE_EXPORT int execl(const char *path, const char *arg, ...)
{
    constexpr bool withEnvironment = false;
    INTERLEAVE_COLLECT_ARGS(arg, argv, envp)
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, true, storage, int(std::size(storage)));
    return recordedExec(path, argv, INTERLEAVE_SITE(), [&] { return real_execve()(path, argv, env.env); });
}

INTERLEAVE_EXPORT int execlp(const char *file, const char *arg, ...)
{
    constexpr bool withEnvironment = false;
    INTERLEAVE_COLLECT_ARGS(arg, argv, envp)
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, true, storage, int(std::size(storage)));
    return recordedExec(
        file, argv, INTERLEAVE_SITE(), [&] { return real_execvpe()(file, argv, env.env); }, true);
}

INTERLEAVE_EXPORT int execle(const char *path, const char *arg, ...)
{
    constexpr bool withEnvironment = true;
    INTERLEAVE_COLLECT_ARGS(arg, argv, envp)
    char *storage[1024 + ExecEnvironment::kExtra];
    ExecEnvironment env(envp, true, storage, int(std::size(storage)));
    return recordedExec(path, argv, INTERLEAVE_SITE(), [&] { return real_execve()(path, argv, env.env); });
}

INTERLEAVE_EXPORT pid_t waitpid(pid_t pid, int *status, int options)
{
    if (!active())
        return real_waitpid()(pid, status, options);
    return recordedWait(pid, options, status, INTERLEAVE_SITE(),
                        [&](int *st) { return real_waitpid()(pid, st, options); });
}

INTERLEAVE_EXPORT pid_t wait(int *status)
{
    if (!active())
        return real_waitpid()(-1, status, 0);
    return recordedWait(-1, 0, status, INTERLEAVE_SITE(), [&](int *st) { return real_waitpid()(-1, st, 0); });
}

INTERLEAVE_EXPORT pid_t wait3(int *status, int options, struct rusage *usage)
{
    if (!active())
        return real_wait4()(-1, status, options, usage);
    return recordedWait(-1, options, status, INTERLEAVE_SITE(),
                        [&](int *st) { return real_wait4()(-1, st, options, usage); });
}

INTERLEAVE_EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    if (!active())
        return real_wait4()(pid, status, options, usage);
    return recordedWait(pid, options, status, INTERLEAVE_SITE(),
                        [&](int *st) { return real_wait4()(pid, st, options, usage); });
}

INTERLEAVE_EXPORT int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
    if (!active())
        return real_waitid()(type, id, info, options);
    const uint32_t site = INTERLEAVE_SITE();
    const bool blocks = (options & WNOHANG) == 0;
    const uint32_t target = type == P_PID ? uint32_t(id) : 0;
    if (blocks)
        record(EventType::JoinWait, target, 0, core::OnProcess, site);
    const int rc = real_waitid()(type, id, info, options);
    const pid_t pid = rc == 0 && info ? info->si_pid : 0;
    if (pid > 0 && (options & WNOWAIT) == 0) {
        if (info->si_code == CLD_EXITED)
            record(EventType::ProcessExit, uint32_t(pid), info->si_status);
        else if (info->si_code == CLD_KILLED || info->si_code == CLD_DUMPED)
            record(EventType::ProcessExit, uint32_t(pid), info->si_status, core::ExitSignal);
    }
    if (blocks)
        record(EventType::JoinDone, pid > 0 ? uint32_t(pid) : target, 0, core::OnProcess, site);
    return rc;
}

INTERLEAVE_EXPORT void exit(int code)
{
    // Handlers run by exit() may still record; they take a chunk of their own.
    if (active())
        core::recorder::closeThread();
    real_exit()(code);
    __builtin_unreachable();
}

INTERLEAVE_EXPORT void _exit(int code)
{
    if (active())
        core::recorder::closeThread();
    real__exit()(code);
    __builtin_unreachable();
}

INTERLEAVE_EXPORT void _Exit(int code)
{
    if (active())
        core::recorder::closeThread();
    real__exit()(code);
    __builtin_unreachable();
}
