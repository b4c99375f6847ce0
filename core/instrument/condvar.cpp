// SPDX-License-Identifier: MIT
#include "instrument/condvar.h"

namespace interleave::core {

CondVar::CondVar(std::string_view name)
    : m_id(recorder::newObject(ObjectKind::CondVar, name))
{}

namespace {

/// The lock handed to the native wait in place of the caller's: it gives the real mutex up and
/// takes it back, and records how it took it back. Waking and re-acquiring the mutex are two
/// waits: a woken thread whose mutex is held by another blocks again, on the lock, and the trace
/// says so (LockWait before, LockObtain after) as it does for any other lock().
class Relocking
{
public:
    Relocking(std::mutex &native, uint32_t cv, uint32_t mutex, uint32_t loc, bool on)
        : m_native(native)
        , m_cv(cv)
        , m_mutex(mutex)
        , m_loc(loc)
        , m_on(on)
    {}

    void unlock() { m_native.unlock(); }

    void lock()
    {
        if (!m_on) {
            m_native.lock();
            return;
        }
        recorder::record(EventType::CondWake, m_cv, m_mutex, 0, m_loc);
        if (!m_native.try_lock()) {
            recorder::record(EventType::LockWait, m_mutex, 0, 0, m_loc);
            m_native.lock();
        }
        recorder::record(EventType::LockObtain, m_mutex, 0, 0, m_loc);
    }

private:
    std::mutex &m_native;
    uint32_t m_cv;
    uint32_t m_mutex;
    uint32_t m_loc;
    bool m_on;
};

/// Runs the native wait on the Mutex's std::mutex, framed by the events that keep the lock's
/// hold intervals true: the release is recorded before the wait gives the mutex up, the
/// re-acquire (and any wait for it) as the wait takes it back.
template<class NativeWait>
auto recordedWait(uint32_t cv, Mutex &mutex, bool timed, std::source_location where, NativeWait nativeWait)
{
    const bool on = recorder::enabled();
    const uint32_t loc = on ? recorder::location(where) : 0;
    if (on) {
        recorder::record(EventType::LockRelease, mutex.id(), 0, 0, loc);
        recorder::record(EventType::CondWait, cv, mutex.id(), timed ? Timed : 0, loc);
    }
    // The caller's unique_lock<Mutex> owns the mutex; the native wait borrows it through Relocking
    // and gives it back locked, as the condition variable contract says.
    Relocking relocking(mutex.native(), cv, mutex.id(), loc, on);
    return nativeWait(relocking);
}

} // namespace

void CondVar::waitOn(Mutex &mutex, std::source_location where)
{
    recordedWait(m_id, mutex, false, where, [this](Relocking &native) {
        m_cv.wait(native);
        return 0;
    });
}

std::cv_status CondVar::waitUntil(Mutex &mutex, std::chrono::steady_clock::time_point deadline,
                                  std::source_location where)
{
    return recordedWait(m_id, mutex, true, where,
                        [this, deadline](Relocking &native) { return m_cv.wait_until(native, deadline); });
}

void CondVar::notify_one(std::source_location where)
{
    if (recorder::enabled())
        recorder::record(EventType::CondNotify, m_id, 1, 0, recorder::location(where));
    m_cv.notify_one();
}

void CondVar::notify_all(std::source_location where)
{
    if (recorder::enabled())
        recorder::record(EventType::CondNotify, m_id, 2, 0, recorder::location(where));
    m_cv.notify_all();
}

} // namespace interleave::core
