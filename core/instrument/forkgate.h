// SPDX-License-Identifier: MIT
#pragma once

namespace interleave::core {

/// fork() copies only the calling thread. A lock another thread held at that moment stays held in
/// the child, by nobody, for ever: the child hangs at its first use of it. glibc's malloc takes its
/// own locks around fork(), but AddressSanitizer's allocator in this toolchain does not (a worker
/// forked while the sampler read /proc hung in malloc), and neither do the engine's own mutexes.
///
/// So the engine's own threads that run beside a scenario (the sampler, the master's network
/// thread) do their work inside a NoForkSection, and Process::fork holds the gate shut around
/// fork(): no child is forked while one of them is inside the allocator or one of its locks. A
/// section never waits for a scenario's thread, so a fork waits at most for one section to end.
/// A waiting fork goes first: a steady stream of sections never keeps it waiting for long.
class NoForkSection
{
public:
    NoForkSection();
    ~NoForkSection();
    NoForkSection(const NoForkSection &) = delete;
    NoForkSection &operator=(const NoForkSection &) = delete;
};

/// Held by Process::fork from just before fork() until it returns: waits for the sections in
/// progress, and lets no new one start. In the child the gate starts again open (forkedChild()).
class ForkingSection
{
public:
    ForkingSection();
    ~ForkingSection();
    ForkingSection(const ForkingSection &) = delete;
    ForkingSection &operator=(const ForkingSection &) = delete;

    /// In the child, instead of the destructor: the child's only thread opens the gate it
    /// inherited shut.
    void forkedChild();

private:
    bool m_open = false;
};

} // namespace interleave::core
