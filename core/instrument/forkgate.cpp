// SPDX-License-Identifier: MIT
#include "instrument/forkgate.h"

#include <condition_variable>
#include <mutex>
#include <new>

namespace interleave::core {

namespace {

// A mutex and a condition variable rather than a reader-writer lock: the forking thread holds the
// mutex across fork(), so the child inherits it held by its own (only) thread and can release it.
// A reader-writer lock remembers its writer's tid, which the child no longer has.
struct Gate
{
    std::mutex mutex;
    std::condition_variable changed;
    int sections = 0; // NoForkSections in progress
    int forks = 0;    // forks waiting for them (a new section waits for these)
};

Gate &gate()
{
    static Gate *g = new Gate; // never destroyed: sections may run while the process exits
    return *g;
}

} // namespace

NoForkSection::NoForkSection()
{
    Gate &g = gate();
    std::unique_lock lock(g.mutex);
    g.changed.wait(lock, [&] { return g.forks == 0; });
    ++g.sections;
}

NoForkSection::~NoForkSection()
{
    Gate &g = gate();
    std::lock_guard lock(g.mutex);
    if (--g.sections == 0)
        g.changed.notify_all();
}

ForkingSection::ForkingSection()
    : m_open(true)
{
    Gate &g = gate();
    g.mutex.lock(); // held until fork() has returned: no section can start meanwhile
    ++g.forks;
    while (g.sections > 0) {
        std::unique_lock lock(g.mutex, std::adopt_lock);
        g.changed.wait(lock);
        lock.release();
    }
    --g.forks;
}

ForkingSection::~ForkingSection()
{
    if (!m_open)
        return;
    Gate &g = gate();
    g.changed.notify_all();
    g.mutex.unlock();
}

void ForkingSection::forkedChild()
{
    // The child has one thread, this one, which holds the mutex; the threads the condition variable
    // knew of as waiting are not here, so it starts anew. Built over the old one, not destroyed
    // first: pthread_cond_destroy waits for those waiters to wake, which in the child is never.
    Gate &g = gate();
    g.sections = 0;
    g.forks = 0;
    new (&g.changed) std::condition_variable;
    g.mutex.unlock();
    m_open = false;
}

} // namespace interleave::core
