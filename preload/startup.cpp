// SPDX-License-Identifier: MIT
// The library's constructor and destructor: attach to the runner's log, announce the process and
// its main thread; and the environment an exec'd image needs to be recorded too.
#include "runtime.h"

#include "channels.h"
#include "python.h"
#include "trace/eventlog.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace interleave::preload {

namespace {

core::EventLog *g_log = nullptr;
int g_logFd = -1;
int32_t g_rootPid = -1;
uint32_t g_processName = 0;

constexpr const char *kExecPid = "INTERLEAVE_EXEC_PID";
// What an exec'd image must find in its environment to be recorded as well ("NAME=value").
constexpr const char *kKept[] = {"LD_PRELOAD",          "INTERLEAVE_LOG_FD",
                                 "INTERLEAVE_ROOT_PID", "INTERLEAVE_QUIET_INODES",
                                 "PYTHONPATH",          "INTERLEAVE_PYTHON_SKIP"};
constexpr int kKeptCount = int(sizeof kKept / sizeof kKept[0]);
const char *g_kept[kKeptCount] = {};

std::string baseName(const std::string &path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// "deadlock" for a C program; "python3 deadlock.py" for an interpreter and its script.
std::string processName()
{
    std::string args;
    char buf[4096];
    const int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
            args.append(buf, size_t(n));
        close(fd);
    }
    std::vector<std::string> argv;
    for (size_t at = 0; at < args.size();) {
        const size_t end = args.find('\0', at);
        argv.push_back(args.substr(at, end == std::string::npos ? std::string::npos : end - at));
        at = end == std::string::npos ? args.size() : end + 1;
    }
    if (argv.empty())
        return program_invocation_short_name;
    std::string name = baseName(argv[0]);
    if (name.rfind("python", 0) == 0) {
        for (size_t i = 1; i < argv.size(); ++i) {
            if (argv[i] == "-m" && i + 1 < argv.size())
                return name + " -m " + argv[i + 1];
            if (argv[i] == "-c")
                return name + " -c";
            if (!argv[i].empty() && argv[i][0] != '-')
                return name + ' ' + baseName(argv[i]);
        }
    }
    return name;
}

void keepEnvironment()
{
    for (int i = 0; i < kKeptCount; ++i)
        if (const char *value = getenv(kKept[i]))
            g_kept[i] = strdup((std::string(kKept[i]) + '=' + value).c_str());
}

/// glibc's struct pthread holds the kernel tid; pthread_create fills it before it returns
/// (CLONE_PARENT_SETTID), so a creator knows its new thread's tid at once. Found by looking for
/// the main thread's own tid in its descriptor (0x2d0 on x86-64 glibc 2.3x).
size_t findTidOffset()
{
    const auto *self = reinterpret_cast<const int32_t *>(pthread_self());
    const int32_t tid = int32_t(gettid());
    if (self[0x2d0 / 4] == tid)
        return 0x2d0;
    for (size_t i = 0; i < 0x800 / 4; ++i)
        if (self[i] == tid)
            return i * 4;
    return 0;
}

bool attachLog()
{
    const char *value = getenv(core::EventLog::kEnvFd);
    if (!value || !*value)
        return false;
    std::string error;
    std::unique_ptr<core::EventLog> log = core::EventLog::fromEnvironment(&error);
    if (!log) {
        // Untraced, silently (the program's output is the program's), unless asked.
        if (getenv("INTERLEAVE_DEBUG"))
            std::fprintf(stderr, "interleave: not recording this process (%s)\n", error.c_str());
        return false;
    }
    g_logFd = atoi(value);
    // Never destroyed: threads may record until the very end of the process.
    g_log = log.release();
    core::recorder::attach(g_log);
    if (const char *root = getenv("INTERLEAVE_ROOT_PID"))
        g_rootPid = atoi(root);
    return true;
}

} // namespace

size_t g_tidOffset = 0;

core::EventLog *attachedLog() noexcept
{
    return g_log;
}

int logFd() noexcept
{
    return g_logFd;
}

uint32_t processNameId() noexcept
{
    return g_processName;
}

int32_t recordedParent() noexcept
{
    const int32_t parent = int32_t(getppid());
    return parent == g_rootPid ? 0 : parent;
}

void recordProcessStart(uint32_t name) noexcept
{
    record(EventType::ProcessStart, name, recordedParent());
}

void afterForkInChild() noexcept
{
    core::recorder::afterForkInChild();
    g_processEpoch.fetch_add(1, std::memory_order_relaxed);
}

char *const *execEnvironment(char *const *envp, bool sameProcess, char **out, int cap, char *buffer,
                             int bufferSize) noexcept
{
    int n = 0;
    bool present[kKeptCount] = {};
    for (int i = 0; envp && envp[i] && n < cap - kKeptCount - 2; ++i) {
        if (strncmp(envp[i], kExecPid, strlen(kExecPid)) == 0 && envp[i][strlen(kExecPid)] == '=')
            continue;
        for (int k = 0; k < kKeptCount; ++k) {
            const size_t len = strlen(kKept[k]);
            if (strncmp(envp[i], kKept[k], len) == 0 && envp[i][len] == '=')
                present[k] = true;
        }
        out[n++] = envp[i];
    }
    for (int k = 0; k < kKeptCount; ++k)
        if (!present[k] && g_kept[k])
            out[n++] = const_cast<char *>(g_kept[k]);
    if (sameProcess && g_log) {
        std::snprintf(buffer, size_t(bufferSize), "%s=%d", kExecPid, int(getpid()));
        out[n++] = buffer;
    }
    out[n] = nullptr;
    return out;
}

namespace {

__attribute__((constructor(102))) void start()
{
    Guard guard;
    g_tidOffset = findTidOffset();
    if (!attachLog())
        return;
    keepEnvironment();
    readQuietInodes();
    // An image exec'd by a recorded process continues that process's main thread: its first
    // event is not a start (which would open a new lane for the same tid), the ProcessStart
    // after it renames the process.
    const char *execPid = getenv(kExecPid);
    const bool continued = execPid && atoi(execPid) == int(getpid());
    unsetenv(kExecPid);
    g_processName = core::recorder::intern(processName());
    rememberThread(pthread_self(), int32_t(gettid()));
    if (continued) {
        nameThread("MainThread");
        recordProcessStart(g_processName);
    } else {
        recordProcessStart(g_processName);
        record(EventType::ThreadStart, 0, 0);
        nameThread("MainThread");
    }
    detail::g_ready = true;
    python::init();
}

__attribute__((destructor)) void stop()
{
    core::recorder::closeThread();
}

} // namespace

} // namespace interleave::preload
