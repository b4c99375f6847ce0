// SPDX-License-Identifier: MIT
// Private to the Process sources (process.cpp, processspawn.cpp): small helpers both use.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <source_location>

namespace interleave::core::procdetail {

/// The recorder's id of a call site; 0 while nothing records.
uint32_t locationOf(const std::source_location &where);
/// A pidfd of `pid` for poll(), or -1 without pidfd support.
int openPidfd(pid_t pid);
/// Closes `fd` if open and marks it closed (-1).
void closeFd(int &fd) noexcept;

} // namespace interleave::core::procdetail
