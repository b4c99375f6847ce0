// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/lockguard.h"
#include "instrument/mutex.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <string_view>

namespace interleave::core {

/// A recorded condition variable over a Mutex. A wait records LockRelease (the mutex is given up
/// while waiting, so hold intervals stay true), CondWait (arg = mutex id), then on waking CondWake
/// and LockObtain, with a LockWait between them when the mutex is held by another thread at that
/// moment (re-acquiring it is a lock wait like any other); notify records CondNotify (arg 1 = one, 2 = all).
class CondVar
{
public:
    explicit CondVar(std::string_view name = {});
    CondVar(const CondVar &) = delete;
    CondVar &operator=(const CondVar &) = delete;

    /// Takes std::unique_lock<Mutex> or the lessons' UniqueLock<Mutex> (which records the caller's line).
    void wait(std::unique_lock<Mutex> &lock, std::source_location where = std::source_location::current())
    {
        waitOn(*lock.mutex(), where);
    }
    void wait(UniqueLock<Mutex> &lock, std::source_location where = std::source_location::current())
    {
        waitOn(*lock.mutex(), where);
    }

    template<class Lock, class Predicate>
    void wait(Lock &lock, Predicate pred, std::source_location where = std::source_location::current())
    {
        while (!pred())
            waitOn(*lock.mutex(), where);
    }

    /// Waits at most `timeout` (CondWait carries the Timed flag); cv_status::timeout if it expired.
    template<class Lock, class Rep, class Period>
    std::cv_status wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &timeout,
                            std::source_location where = std::source_location::current())
    {
        return waitUntil(*lock.mutex(),
                         std::chrono::steady_clock::now() +
                             std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout),
                         where);
    }

    /// Returns pred() at the end, as std::condition_variable::wait_for does.
    template<class Lock, class Rep, class Period, class Predicate>
    bool wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &timeout, Predicate pred,
                  std::source_location where = std::source_location::current())
    {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
        while (!pred()) {
            if (waitUntil(*lock.mutex(), deadline, where) == std::cv_status::timeout)
                return pred();
        }
        return true;
    }

    void notify_one(std::source_location where = std::source_location::current());
    void notify_all(std::source_location where = std::source_location::current());

    uint32_t id() const noexcept { return m_id; }

private:
    /// `mutex` is held by the caller's lock, and held again on return.
    void waitOn(Mutex &mutex, std::source_location where);
    std::cv_status waitUntil(Mutex &mutex, std::chrono::steady_clock::time_point deadline, std::source_location where);

    // _any: the native wait re-locks through a lockable that records whether re-acquiring the
    // mutex had to wait, which std::condition_variable (re-locking inside pthread) cannot tell.
    std::condition_variable_any m_cv;
    uint32_t m_id;
};

} // namespace interleave::core
