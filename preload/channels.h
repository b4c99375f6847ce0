// SPDX-License-Identifier: MIT
#pragma once
// What a file descriptor is to the recorder: a pipe or socket channel (with the object this
// process announced for it), the runner's capture pipe (quiet), or anything else. Cached per fd,
// invalidated wherever a descriptor number changes meaning.

#include <cstdint>

namespace interleave::preload {

struct Channel
{
    uint32_t object = 0; ///< 0: not recorded (not a pipe / socket, or the runner's capture pipe)
};

/// The channel behind `fd` (fstat once per fd, its object announced once per process).
Channel channelOf(int fd) noexcept;
/// `fd` may now be another file: look again at its next use.
void forgetFd(int fd) noexcept;
/// True when reads / writes on `fd` never block (O_NONBLOCK).
bool nonBlocking(int fd) noexcept;
/// Reads the runner's capture-pipe inodes from INTERLEAVE_QUIET_INODES.
void readQuietInodes() noexcept;
/// Announces the socketpair object naming both ends' inodes.
void announceSocketPair(int a, int b) noexcept;
/// Interned once per name ("poll", "select", "accept", ...).
uint32_t waitName(const char *name) noexcept;

} // namespace interleave::preload
