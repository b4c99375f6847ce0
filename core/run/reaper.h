// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <memory>
#include <type_traits>
#include <vector>

namespace interleave::core::reaper {

/// Makes this process a child subreaper (once): orphans of anything it starts come back to it,
/// even those that double-fork or call setsid, so they can be swept.
void becomeSubreaper();

/// Pids whose parent is this process (from /proc).
std::vector<pid_t> children();

/// Kills (SIGKILL) and reaps every child of this process except `keep`, generation after
/// generation (a killed child's orphans are reparented here), until none is left or `rounds`
/// passes found nothing new. Returns how many processes it reaped.
int sweepChildren(const std::vector<pid_t> &keep = {}, int rounds = 50);

/// Like sweepChildren, with system calls only (no allocation, no lock, no stdio), so it works
/// while the process's other threads are parked anywhere, even inside malloc.
int sweepChildrenSignalSafe() noexcept;

namespace detail {
/// Calls fn(number, context) for each numeric entry of the folder `dir`, with system calls only.
void forEachNumericEntry(const char *dir, void (*fn)(long number, void *context), void *context) noexcept;
} // namespace detail

/// Calls fn(tid) for every thread of this process, with system calls only.
template<typename Fn> void forEachTask(Fn &&fn)
{
    using F = std::remove_reference_t<Fn>;
    detail::forEachNumericEntry(
        "/proc/self/task", [](long tid, void *f) { (*static_cast<F *>(f))(pid_t(tid)); },
        const_cast<void *>(static_cast<const void *>(std::addressof(fn))));
}

/// True when `pid` exists and is not a zombie.
bool alive(pid_t pid);

} // namespace interleave::core::reaper
