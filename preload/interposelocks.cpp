// SPDX-License-Identifier: MIT
// Mutexes and read-write locks, recorded as core/instrument/mutex.h records its Mutex: LockWait
// only when the lock is really taken, LockObtain after, LockRelease before the real unlock.
#include "python.h"
#include "runtime.h"

#include <cerrno>
#include <ctime>

#include <pthread.h>

namespace interleave::preload {
namespace {

INTERLEAVE_REAL(pthread_mutex_lock)
INTERLEAVE_REAL(pthread_mutex_trylock)
INTERLEAVE_REAL(pthread_mutex_timedlock)
INTERLEAVE_REAL(pthread_mutex_clocklock)
INTERLEAVE_REAL(pthread_mutex_unlock)
INTERLEAVE_REAL(pthread_mutex_init)
INTERLEAVE_REAL(pthread_mutex_destroy)
INTERLEAVE_REAL(pthread_rwlock_rdlock)
INTERLEAVE_REAL(pthread_rwlock_tryrdlock)
INTERLEAVE_REAL(pthread_rwlock_timedrdlock)
INTERLEAVE_REAL(pthread_rwlock_clockrdlock)
INTERLEAVE_REAL(pthread_rwlock_wrlock)
INTERLEAVE_REAL(pthread_rwlock_trywrlock)
INTERLEAVE_REAL(pthread_rwlock_timedwrlock)
INTERLEAVE_REAL(pthread_rwlock_clockwrlock)
INTERLEAVE_REAL(pthread_rwlock_unlock)
INTERLEAVE_REAL(pthread_rwlock_init)
INTERLEAVE_REAL(pthread_rwlock_destroy)

/// A robust mutex whose owner died is obtained all the same.
bool obtained(int rc) noexcept
{
    return rc == 0 || rc == EOWNERDEAD;
}

/// lock(): try first, so an uncontended lock records no wait (as Mutex::lock does).
template<class Try, class Block> int recordedLock(const void *lock, uint32_t site, Try tryLock, Block block) noexcept
{
    const uint32_t id = objectFor(lock, ObjectKind::Mutex, site);
    const uint32_t loc = siteFor(id, site);
    int rc = tryLock();
    if (rc == EBUSY) {
        record(EventType::LockWait, id, 0, 0, loc);
        rc = block();
        // A wait that ends without the lock (an error-checking mutex's EDEADLK) ends as a timeout does.
        if (!obtained(rc))
            record(EventType::LockTimeout, id, 0, 0, loc);
    }
    if (obtained(rc))
        record(EventType::LockObtain, id, 0, 0, loc);
    clearPythonSite(id);
    return rc;
}

/// A timed lock: LockWait flagged Timed, then LockObtain or LockTimeout (TimedMutex::try_lock_until).
template<class Try, class Block>
int recordedTimedLock(const void *lock, uint32_t site, Try tryLock, Block block) noexcept
{
    const uint32_t id = objectFor(lock, ObjectKind::Mutex, site);
    const uint32_t loc = siteFor(id, site);
    int rc = tryLock();
    if (rc == EBUSY) {
        record(EventType::LockWait, id, 0, core::Timed, loc);
        rc = block();
        record(obtained(rc) ? EventType::LockObtain : EventType::LockTimeout, id, 0, 0, loc);
    } else if (obtained(rc)) {
        record(EventType::LockObtain, id, 0, 0, loc);
    }
    clearPythonSite(id);
    return rc;
}

template<class Try> int recordedTry(const void *lock, uint32_t site, Try tryLock) noexcept
{
    const int rc = tryLock();
    const uint32_t id = objectFor(lock, ObjectKind::Mutex, site);
    if (obtained(rc))
        record(EventType::LockObtain, id, 0, core::TryLock, siteFor(id, site));
    else
        notePythonSite(id); // a blocking wait on it may follow, after the GIL is let go
    return rc;
}

void recordRelease(const void *lock, uint32_t site) noexcept
{
    record(EventType::LockRelease, objectFor(lock, ObjectKind::Mutex, site), 0, 0, site);
}

// Resolved while the program is still starting (single-threaded, nothing held): dlsym may
// allocate and lock, which is safe here and not in the middle of an intercepted call.
__attribute__((constructor(101))) void resolveReal()
{
    Guard guard;
    real_pthread_mutex_lock();
    real_pthread_mutex_trylock();
    real_pthread_mutex_timedlock();
    real_pthread_mutex_clocklock();
    real_pthread_mutex_unlock();
    real_pthread_mutex_init();
    real_pthread_mutex_destroy();
    real_pthread_rwlock_rdlock();
    real_pthread_rwlock_tryrdlock();
    real_pthread_rwlock_timedrdlock();
    real_pthread_rwlock_clockrdlock();
    real_pthread_rwlock_wrlock();
    real_pthread_rwlock_trywrlock();
    real_pthread_rwlock_timedwrlock();
    real_pthread_rwlock_clockwrlock();
    real_pthread_rwlock_unlock();
    real_pthread_rwlock_init();
    real_pthread_rwlock_destroy();
}

} // namespace
} // namespace interleave::preload

using namespace interleave::preload;

INTERLEAVE_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    if (!active() || python::isGilMutex(m))
        return real_pthread_mutex_lock()(m);
    return recordedLock(
        m, INTERLEAVE_SITE(), [m] { return real_pthread_mutex_trylock()(m); },
        [m] { return real_pthread_mutex_lock()(m); });
}

INTERLEAVE_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
    if (!active() || python::isGilMutex(m))
        return real_pthread_mutex_trylock()(m);
    return recordedTry(m, INTERLEAVE_SITE(), [m] { return real_pthread_mutex_trylock()(m); });
}

INTERLEAVE_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const timespec *at)
{
    if (!active() || python::isGilMutex(m))
        return real_pthread_mutex_timedlock()(m, at);
    return recordedTimedLock(
        m, INTERLEAVE_SITE(), [m] { return real_pthread_mutex_trylock()(m); },
        [m, at] { return real_pthread_mutex_timedlock()(m, at); });
}

INTERLEAVE_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock, const timespec *at)
{
    if (!active() || python::isGilMutex(m))
        return real_pthread_mutex_clocklock()(m, clock, at);
    return recordedTimedLock(
        m, INTERLEAVE_SITE(), [m] { return real_pthread_mutex_trylock()(m); },
        [m, clock, at] { return real_pthread_mutex_clocklock()(m, clock, at); });
}

INTERLEAVE_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (!active())
        return real_pthread_mutex_unlock()(m);
    if (python::isGilMutex(m)) {
        python::gilBeforeUnlock(m);
        const int rc = real_pthread_mutex_unlock()(m);
        python::gilAfterUnlock(m);
        return rc;
    }
    recordRelease(m, INTERLEAVE_SITE());
    return real_pthread_mutex_unlock()(m);
}

INTERLEAVE_EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    const int rc = real_pthread_mutex_init()(m, attr);
    if (rc != 0 || !active())
        return rc;
    python::afterMutexInit(m);
    if (python::isGilMutex(m))
        forgetObject(m);
    else
        newObjectAt(m, ObjectKind::Mutex, INTERLEAVE_SITE());
    return rc;
}

INTERLEAVE_EXPORT int pthread_mutex_destroy(pthread_mutex_t *m)
{
    if (active())
        forgetObject(m);
    return real_pthread_mutex_destroy()(m);
}

// Read-write locks are drawn as locks: a reader and a writer both "hold" it.
INTERLEAVE_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
    if (!active())
        return real_pthread_rwlock_rdlock()(l);
    return recordedLock(
        l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_tryrdlock()(l); },
        [l] { return real_pthread_rwlock_rdlock()(l); });
}

INTERLEAVE_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
    if (!active())
        return real_pthread_rwlock_wrlock()(l);
    return recordedLock(
        l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_trywrlock()(l); },
        [l] { return real_pthread_rwlock_wrlock()(l); });
}

INTERLEAVE_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
    if (!active())
        return real_pthread_rwlock_tryrdlock()(l);
    return recordedTry(l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_tryrdlock()(l); });
}

INTERLEAVE_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
    if (!active())
        return real_pthread_rwlock_trywrlock()(l);
    return recordedTry(l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_trywrlock()(l); });
}

INTERLEAVE_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const timespec *at)
{
    if (!active())
        return real_pthread_rwlock_timedrdlock()(l, at);
    return recordedTimedLock(
        l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_tryrdlock()(l); },
        [l, at] { return real_pthread_rwlock_timedrdlock()(l, at); });
}

INTERLEAVE_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const timespec *at)
{
    if (!active())
        return real_pthread_rwlock_timedwrlock()(l, at);
    return recordedTimedLock(
        l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_trywrlock()(l); },
        [l, at] { return real_pthread_rwlock_timedwrlock()(l, at); });
}

INTERLEAVE_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *l, clockid_t clock, const timespec *at)
{
    if (!active())
        return real_pthread_rwlock_clockrdlock()(l, clock, at);
    return recordedTimedLock(
        l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_tryrdlock()(l); },
        [l, clock, at] { return real_pthread_rwlock_clockrdlock()(l, clock, at); });
}

INTERLEAVE_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *l, clockid_t clock, const timespec *at)
{
    if (!active())
        return real_pthread_rwlock_clockwrlock()(l, clock, at);
    return recordedTimedLock(
        l, INTERLEAVE_SITE(), [l] { return real_pthread_rwlock_trywrlock()(l); },
        [l, clock, at] { return real_pthread_rwlock_clockwrlock()(l, clock, at); });
}

INTERLEAVE_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
    if (!active())
        return real_pthread_rwlock_unlock()(l);
    recordRelease(l, INTERLEAVE_SITE());
    return real_pthread_rwlock_unlock()(l);
}

INTERLEAVE_EXPORT int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *attr)
{
    const int rc = real_pthread_rwlock_init()(l, attr);
    if (rc == 0 && active())
        newObjectAt(l, ObjectKind::Mutex, INTERLEAVE_SITE());
    return rc;
}

INTERLEAVE_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
    if (active())
        forgetObject(l);
    return real_pthread_rwlock_destroy()(l);
}
