// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <string_view>

namespace interleave::core {

/// A recorded counting semaphore with a name (like Python's threading.Semaphore). acquire()
/// records SemWait only when it has to block, then SemAcquire (arg = count after); release()
/// records SemRelease (arg = count after). Counts are recorded under the semaphore's own lock,
/// so the sequence of counts in the trace is the true one.
class Semaphore
{
public:
    explicit Semaphore(std::string_view name, int64_t initial = 1);
    Semaphore(const Semaphore &) = delete;
    Semaphore &operator=(const Semaphore &) = delete;

    /// Blocks until a unit is free. Gives up (false) only if instrument::stopRequested().
    bool acquire(std::source_location where = std::source_location::current());
    bool try_acquire(std::source_location where = std::source_location::current());
    /// SemWait carries the Timed flag; false when the timeout expired (or a stop was requested).
    bool try_acquire_for(std::chrono::nanoseconds timeout,
                         std::source_location where = std::source_location::current());
    void release(int64_t units = 1, std::source_location where = std::source_location::current());

    int64_t count() const;
    uint32_t id() const noexcept { return m_id; }

private:
    bool acquireUntil(std::chrono::steady_clock::time_point deadline, bool timed, std::source_location where);

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    int64_t m_count;
    uint32_t m_id;
};

} // namespace interleave::core
