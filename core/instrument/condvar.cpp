// SPDX-License-Identifier: MIT
#include "instrument/condvar.h"

namespace interleave::core {

CondVar::CondVar(std::string_view name) : m_id(recorder::newObject(ObjectKind::CondVar, name)) {}

namespace {

/// Runs the native wait on the Mutex's std::mutex, framed by the events that keep the lock's
/// hold intervals true: the release is recorded before the wait gives the mutex up, the obtain
/// after the wait has it back.
template<class NativeWait>
auto recordedWait(uint32_t cv, Mutex &mutex, bool timed, std::source_location where, NativeWait nativeWait)
{
    const bool on = recorder::enabled();
    const uint32_t loc = on ? recorder::location(where) : 0;
    if (on) {
        recorder::record(EventType::LockRelease, mutex.id(), 0, 0, loc);
        recorder::record(EventType::CondWait, cv, mutex.id(), timed ? Timed : 0, loc);
    }
    // The caller's unique_lock<Mutex> owns the mutex; the native wait borrows it without a second
    // ownership record and gives it back locked, as the std::condition_variable contract says.
    std::unique_lock<std::mutex> native(mutex.native(), std::adopt_lock);
    const auto result = nativeWait(native);
    native.release();
    if (on) {
        recorder::record(EventType::CondWake, cv, mutex.id(), 0, loc);
        recorder::record(EventType::LockObtain, mutex.id(), 0, 0, loc);
    }
    return result;
}

} // namespace

void CondVar::waitOn(Mutex &mutex, std::source_location where)
{
    recordedWait(m_id, mutex, false, where, [this](std::unique_lock<std::mutex> &native) {
        m_cv.wait(native);
        return 0;
    });
}

std::cv_status CondVar::waitUntil(Mutex &mutex, std::chrono::steady_clock::time_point deadline,
                                  std::source_location where)
{
    return recordedWait(m_id, mutex, true, where, [this, deadline](std::unique_lock<std::mutex> &native) {
        return m_cv.wait_until(native, deadline);
    });
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
