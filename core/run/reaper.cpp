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
#include <mutex>
#include <sys/prctl.h>
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

bool alive(pid_t pid)
{
    char state = 0;
    pid_t ppid = 0;
    return readStat(pid, state, ppid) && state != 'Z' && state != 'X';
}

} // namespace interleave::core::reaper
