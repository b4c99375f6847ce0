// SPDX-License-Identifier: MIT
#pragma once

#include "trace/hold.h"
#include "trace/recorder.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <string_view>

namespace interleave::core {

namespace detail {

/// What Mutex and TimedMutex share: the recorded lock protocol around a native mutex.
/// Uncontended lock+unlock records exactly two events (LockObtain, LockRelease); a LockWait is
/// recorded only when the lock really is taken, so "no wait" in the trace means no wait happened.
template<class Native> class RecordedMutex
{
public:
    explicit RecordedMutex(std::string_view name)
        : m_id(recorder::newObject(ObjectKind::Mutex, name))
    {}
    RecordedMutex(const RecordedMutex &) = delete;
    RecordedMutex &operator=(const RecordedMutex &) = delete;

    void lock(std::source_location where = std::source_location::current())
    {
        if (!recorder::enabled()) {
            m_native.lock();
            return;
        }
        const uint32_t loc = recorder::location(where);
        // Held (paused, or a schedule's thread) before the lock is tried, not once it is taken:
        // a step decides when the lock is taken, and a held thread never owns what it waits to take.
        recorder::hold(EventType::LockObtain, m_id, loc);
        if (!m_native.try_lock()) {
            recorder::record(EventType::LockWait, m_id, 0, 0, loc);
            m_native.lock();
        }
        recorder::record(EventType::LockObtain, m_id, 0, 0, loc);
    }

    bool try_lock(std::source_location where = std::source_location::current())
    {
        if (!m_native.try_lock())
            return false; // a failed try_lock neither waited nor changed anything: nothing to show
        if (recorder::enabled())
            recorder::record(EventType::LockObtain, m_id, 0, TryLock, recorder::location(where));
        return true;
    }

    /// Records LockRelease *before* the real unlock (not after, as profilers usually do): the
    /// recorded hold then always lies inside the real one, so no view can ever show two threads
    /// holding the lock at once, and in step mode a held thread still owns what it is about to release.
    void unlock(std::source_location where = std::source_location::current())
    {
        if (recorder::enabled())
            recorder::record(EventType::LockRelease, m_id, 0, 0, recorder::location(where));
        m_native.unlock();
    }

    /// The object id announced with ObjectNew (0 when not recording at construction).
    uint32_t id() const noexcept { return m_id; }
    /// The underlying mutex, for CondVar (which records the release/obtain itself).
    Native &native() noexcept { return m_native; }

protected:
    Native m_native;
    uint32_t m_id;
};

} // namespace detail

/// A recorded std::mutex. Satisfies Lockable, so std::lock_guard, std::unique_lock,
/// std::scoped_lock and std::lock work; the call site of each lock/unlock is recorded.
class Mutex : public detail::RecordedMutex<std::mutex>
{
public:
    explicit Mutex(std::string_view name = {})
        : RecordedMutex(name)
    {}
};

/// A recorded std::timed_mutex: also TimedLockable, for the "try_lock with timeout" deadlock cure.
class TimedMutex : public detail::RecordedMutex<std::timed_mutex>
{
public:
    explicit TimedMutex(std::string_view name = {})
        : RecordedMutex(name)
    {}

    /// LockWait (flags Timed) and then LockObtain or LockTimeout, unless the lock is free at once,
    /// which records a plain LockObtain as lock() does.
    template<class Rep, class Period>
    bool try_lock_for(const std::chrono::duration<Rep, Period> &timeout,
                      std::source_location where = std::source_location::current())
    {
        return try_lock_until(std::chrono::steady_clock::now() + timeout, where);
    }

    template<class Clock, class Duration>
    bool try_lock_until(const std::chrono::time_point<Clock, Duration> &deadline,
                        std::source_location where = std::source_location::current())
    {
        if (!recorder::enabled())
            return m_native.try_lock_until(deadline);
        const uint32_t loc = recorder::location(where);
        recorder::hold(EventType::LockObtain, m_id, loc); // before the lock is tried, as in lock()
        if (m_native.try_lock()) {
            recorder::record(EventType::LockObtain, m_id, 0, 0, loc);
            return true;
        }
        recorder::record(EventType::LockWait, m_id, 0, Timed, loc);
        const bool obtained = m_native.try_lock_until(deadline);
        recorder::record(obtained ? EventType::LockObtain : EventType::LockTimeout, m_id, 0, 0, loc);
        return obtained;
    }
};

} // namespace interleave::core
