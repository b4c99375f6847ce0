// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

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

/// True when `pid` exists and is not a zombie.
bool alive(pid_t pid);

} // namespace interleave::core::reaper
