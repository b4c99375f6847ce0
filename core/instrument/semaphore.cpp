// SPDX-License-Identifier: MIT
#include "instrument/semaphore.h"

#include "instrument/blocking.h"
#include "trace/recorder.h"

#include <algorithm>

namespace interleave::core {

Semaphore::Semaphore(std::string_view name, int64_t initial)
    : m_count(initial)
    , m_id(recorder::newObject(ObjectKind::Semaphore, name))
{}

bool Semaphore::acquire(std::source_location where)
{
    return acquireUntil(std::chrono::steady_clock::time_point::max(), false, where);
}

bool Semaphore::try_acquire(std::source_location where)
{
    std::lock_guard lock(m_mutex);
    if (m_count <= 0)
        return false;
    --m_count;
    if (recorder::enabled())
        recorder::record(EventType::SemAcquire, m_id, m_count, 0, recorder::location(where));
    return true;
}

bool Semaphore::try_acquire_for(std::chrono::nanoseconds timeout, std::source_location where)
{
    return acquireUntil(std::chrono::steady_clock::now() + timeout, true, where);
}

bool Semaphore::acquireUntil(std::chrono::steady_clock::time_point deadline, bool timed, std::source_location where)
{
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    std::unique_lock lock(m_mutex);
    if (m_count <= 0) {
        recorder::record(EventType::SemWait, m_id, m_count, timed ? Timed : 0, loc);
        // Wait in slices so that a stop request always gets through, however long the deadline.
        while (m_count <= 0) {
            if (instrument::stopRequested() || std::chrono::steady_clock::now() >= deadline) {
                // No acquire happened: a LockTimeout on the semaphore ends the recorded wait.
                recorder::record(EventType::LockTimeout, m_id, m_count, 0, loc);
                return false;
            }
            const auto slice = std::chrono::steady_clock::now() + instrument::kStopPollInterval;
            m_cv.wait_until(lock, std::min(deadline, slice));
        }
    }
    --m_count;
    recorder::record(EventType::SemAcquire, m_id, m_count, 0, loc);
    return true;
}

void Semaphore::release(int64_t units, std::source_location where)
{
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    {
        std::lock_guard lock(m_mutex);
        m_count += units;
        recorder::record(EventType::SemRelease, m_id, m_count, 0, loc);
    }
    if (units == 1)
        m_cv.notify_one();
    else
        m_cv.notify_all();
}

int64_t Semaphore::count() const
{
    std::lock_guard lock(m_mutex);
    return m_count;
}

} // namespace interleave::core
