// SPDX-License-Identifier: MIT
#include "run/reaper.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <iterator>
#include <mutex>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace interleave::core::reaper {

void becomeSubreaper()
{
    static std::once_flag once;
    std::call_once(once, [] { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); });
}

namespace {

/// Reads "pid (comm) state ppid" from /proc/<pid>/stat; comm may contain spaces and parentheses.
bool readStat(pid_t pid, char &state, pid_t &ppid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    const char *close = std::strrchr(buf, ')');
    if (!close || close[1] == 0)
        return false;
    int parent = 0;
    if (std::sscanf(close + 2, "%c %d", &state, &parent) != 2)
        return false;
    ppid = parent;
    return true;
}

} // namespace

std::vector<pid_t> children()
{
    std::vector<pid_t> result;
    const pid_t self = getpid();
    DIR *proc = opendir("/proc");
    if (!proc)
        return result;
    while (const dirent *entry = readdir(proc)) {
        char *end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (!end || *end != 0 || pid <= 0)
            continue;
        char state = 0;
        pid_t ppid = 0;
        if (readStat(pid_t(pid), state, ppid) && ppid == self)
            result.push_back(pid_t(pid));
    }
    closedir(proc);
    return result;
}

int sweepChildren(const std::vector<pid_t> &keep, int rounds)
{
    int reaped = 0;
    for (int round = 0; round < rounds; ++round) {
        auto found = children();
        std::erase_if(found, [&](pid_t pid) { return std::find(keep.begin(), keep.end(), pid) != keep.end(); });
        if (found.empty()) {
            // A killed child's own children are reparented here only after it died; one more
            // look after a short pause catches the last generation.
            if (round > 0)
                break;
            continue;
        }
        for (pid_t pid : found)
            ::kill(pid, SIGKILL);
        for (pid_t pid : found) {
            int status = 0;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            ++reaped;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return reaped;
}

namespace detail {

void forEachNumericEntry(const char *dir, void (*fn)(long number, void *context), void *context) noexcept
{
    struct Entry // linux_dirent64
    {
        uint64_t inode;
        int64_t offset;
        unsigned short length;
        unsigned char type;
        char name[1];
    };
    const int fd = int(::syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd < 0)
        return;
    alignas(8) char buf[8192];
    for (long n; (n = ::syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0;) {
        for (long at = 0; at < n;) {
            const auto *entry = reinterpret_cast<const Entry *>(buf + at);
            at += entry->length;
            long number = 0;
            const char *c = entry->name;
            for (; *c >= '0' && *c <= '9'; ++c)
                number = number * 10 + (*c - '0');
            if (*c == 0 && c != entry->name)
                fn(number, context);
        }
    }
    ::syscall(SYS_close, fd);
}

} // namespace detail

namespace {

/// The parent of `pid` from /proc/<pid>/stat with system calls only; -1 when unknown.
pid_t rawParentOf(long pid) noexcept
{
    char path[48] = "/proc/";
    char *p = path + 6;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = char('0' + pid % 10);
        pid /= 10;
    } while (pid > 0);
    while (n > 0)
        *p++ = digits[--n];
    std::memcpy(p, "/stat", 6);
    const int fd = int(::syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
    if (fd < 0)
        return -1;
    char buf[512];
    const long r = ::syscall(SYS_read, fd, buf, sizeof buf - 1);
    ::syscall(SYS_close, fd);
    if (r <= 0)
        return -1;
    buf[r] = 0;
    const char *close = nullptr; // "pid (comm) S ppid": comm may hold spaces and parentheses
    for (const char *c = buf; *c; ++c) {
        if (*c == ')')
            close = c;
    }
    if (!close || !close[1] || !close[2] || !close[3])
        return -1;
    long ppid = 0;
    for (const char *c = close + 4; *c >= '0' && *c <= '9'; ++c)
        ppid = ppid * 10 + (*c - '0');
    return pid_t(ppid);
}

} // namespace

int sweepChildrenSignalSafe() noexcept
{
    struct Found
    {
        pid_t self;
        int count;
        int total;
        pid_t pids[1024];
    };
    Found found{};
    found.self = pid_t(::syscall(SYS_getpid));
    int reaped = 0;
    for (int round = 0; round < 10000; ++round) {
        found.count = 0;
        found.total = 0;
        detail::forEachNumericEntry(
            "/proc",
            [](long pid, void *context) {
                auto &f = *static_cast<Found *>(context);
                if (rawParentOf(pid) != f.self)
                    return;
                ::syscall(SYS_kill, pid, SIGKILL);
                ++f.total;
                if (f.count < int(std::size(f.pids)))
                    f.pids[f.count++] = pid_t(pid);
            },
            &found);
        // More than fit are killed already; the next round reaps them.
        for (int i = 0; i < found.count; ++i) {
            int status = 0;
            while (::syscall(SYS_wait4, found.pids[i], &status, __WALL, nullptr) < 0 && errno == EINTR) {
            }
            ++reaped;
        }
        // As in sweepChildren: one more look after a pause catches the last generation.
        if (found.total == 0 && round > 0)
            break;
        const timespec nap{0, 1'000'000};
        ::syscall(SYS_nanosleep, &nap, nullptr);
    }
    return reaped;
}

bool alive(pid_t pid)
{
    char state = 0;
    pid_t ppid = 0;
    return readStat(pid, state, ppid) && state != 'Z' && state != 'X';
}

} // namespace interleave::core::reaper
