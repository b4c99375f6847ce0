// SPDX-License-Identifier: MIT
#pragma once
// Lock guards that record the line of the lesson that took the lock. std::lock_guard and friends
// call Mutex::lock() from inside <mutex>, so its default std::source_location names a line of
// std_mutex.h; these take the caller's location in their own constructor instead and hand it on.

#include <chrono>
#include <mutex>
#include <source_location>
#include <utility>

namespace interleave::core {

/// std::lock_guard that records the constructing line for the lock and for the release at scope end.
template<class M> class LockGuard
{
public:
    explicit LockGuard(M &mutex, std::source_location where = std::source_location::current())
        : m_mutex(mutex)
        , m_where(where)
    {
        m_mutex.lock(m_where);
    }
    ~LockGuard() { m_mutex.unlock(m_where); }
    LockGuard(const LockGuard &) = delete;
    LockGuard &operator=(const LockGuard &) = delete;

private:
    M &m_mutex;
    std::source_location m_where;
};

/// Enough of std::unique_lock for the lessons and CondVar: every lock / unlock records the line
/// that asked for it; the release at scope end records the line of the last lock.
template<class M> class UniqueLock
{
public:
    using mutex_type = M;

    explicit UniqueLock(M &mutex, std::source_location where = std::source_location::current())
        : m_mutex(&mutex)
        , m_where(where)
    {
        m_mutex->lock(m_where);
        m_owns = true;
    }
    /// Does not lock yet (std::defer_lock), e.g. for a later try_lock_for.
    UniqueLock(M &mutex, std::defer_lock_t, std::source_location where = std::source_location::current()) noexcept
        : m_mutex(&mutex)
        , m_where(where)
    {}
    ~UniqueLock()
    {
        if (m_owns)
            m_mutex->unlock(m_where);
    }
    UniqueLock(const UniqueLock &) = delete;
    UniqueLock &operator=(const UniqueLock &) = delete;
    UniqueLock(UniqueLock &&other) noexcept
        : m_mutex(std::exchange(other.m_mutex, nullptr))
        , m_where(other.m_where)
        , m_owns(std::exchange(other.m_owns, false))
    {}

    void lock(std::source_location where = std::source_location::current())
    {
        m_where = where;
        m_mutex->lock(where);
        m_owns = true;
    }
    bool try_lock(std::source_location where = std::source_location::current())
    {
        m_where = where;
        m_owns = m_mutex->try_lock(where);
        return m_owns;
    }
    template<class Rep, class Period>
    bool try_lock_for(const std::chrono::duration<Rep, Period> &timeout,
                      std::source_location where = std::source_location::current())
    {
        m_where = where;
        m_owns = m_mutex->try_lock_for(timeout, where);
        return m_owns;
    }
    void unlock(std::source_location where = std::source_location::current())
    {
        m_owns = false;
        m_mutex->unlock(where);
    }

    bool owns_lock() const noexcept { return m_owns; }
    explicit operator bool() const noexcept { return m_owns; }
    M *mutex() const noexcept { return m_mutex; }
    /// Gives up the association without unlocking; the caller now owns the lock.
    M *release() noexcept
    {
        m_owns = false;
        return std::exchange(m_mutex, nullptr);
    }

private:
    M *m_mutex = nullptr;
    std::source_location m_where;
    bool m_owns = false;
};

/// std::scoped_lock for two mutexes: takes both without deadlocking whatever order other threads
/// use (as std::lock: lock one, try the other, else let go and start from the other), recording
/// the constructing line for every lock and unlock.
template<class A, class B> class ScopedLock
{
public:
    ScopedLock(A &a, B &b, std::source_location where = std::source_location::current())
        : m_a(a)
        , m_b(b)
        , m_where(where)
    {
        for (;;) {
            m_a.lock(m_where);
            if (m_b.try_lock(m_where))
                return;
            m_a.unlock(m_where);
            m_b.lock(m_where);
            if (m_a.try_lock(m_where))
                return;
            m_b.unlock(m_where);
        }
    }
    ~ScopedLock()
    {
        m_b.unlock(m_where);
        m_a.unlock(m_where);
    }
    ScopedLock(const ScopedLock &) = delete;
    ScopedLock &operator=(const ScopedLock &) = delete;

private:
    A &m_a;
    B &m_b;
    std::source_location m_where;
};

} // namespace interleave::core
