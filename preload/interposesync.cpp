// SPDX-License-Identifier: MIT
// Condition variables and semaphores, recorded as core/instrument/condvar.cpp and semaphore.cpp
// record theirs; CPython's GIL condition goes to the Python part instead.
#include "python.h"
#include "runtime.h"

#include <cerrno>
#include <cstdarg>
#include <ctime>

#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>

namespace interleave::preload {
namespace {

// The condition variable functions exist in two ABIs; GLIBC_2.3.2 is the one programs use.
INTERLEAVE_REAL_VERSIONED(pthread_cond_wait, "GLIBC_2.3.2")
INTERLEAVE_REAL_VERSIONED(pthread_cond_timedwait, "GLIBC_2.3.2")
INTERLEAVE_REAL_VERSIONED(pthread_cond_signal, "GLIBC_2.3.2")
INTERLEAVE_REAL_VERSIONED(pthread_cond_broadcast, "GLIBC_2.3.2")
INTERLEAVE_REAL_VERSIONED(pthread_cond_init, "GLIBC_2.3.2")
INTERLEAVE_REAL_VERSIONED(pthread_cond_destroy, "GLIBC_2.3.2")
INTERLEAVE_REAL(pthread_cond_clockwait)
INTERLEAVE_REAL(sem_wait)
INTERLEAVE_REAL(sem_trywait)
INTERLEAVE_REAL(sem_timedwait)
INTERLEAVE_REAL(sem_clockwait)
INTERLEAVE_REAL(sem_post)
INTERLEAVE_REAL(sem_init)
INTERLEAVE_REAL(sem_destroy)
INTERLEAVE_REAL(sem_open)
INTERLEAVE_REAL(sem_close)

constinit thread_local sem_t *t_lastSemaphore = nullptr;

/// The condvar wait protocol of CondVar::waitOn: the mutex is released, the thread waits on the
/// condvar, wakes, and holds the mutex again.
template<class Wait>
int recordedCondWait(pthread_cond_t *c, pthread_mutex_t *m, bool timed, uint32_t site, Wait wait) noexcept
{
    if (python::isGilCond(c)) {
        python::gilBeforeCondWait(c, m);
        const int rc = wait();
        python::gilAfterCondWait(c, m);
        return rc;
    }
    const uint32_t cv = objectFor(c, ObjectKind::CondVar, site);
    const uint32_t mutex = objectFor(m, ObjectKind::Mutex, site);
    record(EventType::LockRelease, mutex, 0, 0, site);
    record(EventType::CondWait, cv, mutex, timed ? core::Timed : 0, site);
    const int rc = wait();
    record(EventType::CondWake, cv, mutex, 0, site);
    record(EventType::LockObtain, mutex, 0, 0, site);
    return rc;
}

/// A semaphore the program said is a lock (interleave_lock_at): recorded as a mutex.
bool usedAsLock(const sem_t *s) noexcept
{
    ObjectKind kind = ObjectKind::Semaphore;
    return existingObject(s, &kind) != 0 && kind == ObjectKind::Mutex;
}

int64_t semValue(sem_t *s) noexcept
{
    int value = 0;
    sem_getvalue(s, &value);
    return value;
}

/// sem_wait and the timed waits: an available unit is taken with no wait recorded (as
/// Semaphore::try_acquire); else SemWait, the real wait, then SemAcquire or, when it gave up, a
/// LockTimeout that ends the recorded wait.
template<class Wait> int recordedSemWait(sem_t *s, bool timed, uint32_t site, Wait wait) noexcept
{
    const uint32_t id = objectFor(s, ObjectKind::Semaphore, site);
    const bool lock = usedAsLock(s);
    const uint32_t loc = siteFor(id, site);
    int rc = real_sem_trywait()(s);
    if (rc != 0) {
        if (lock)
            record(EventType::LockWait, id, 0, timed ? core::Timed : 0, loc);
        else
            record(EventType::SemWait, id, semValue(s), timed ? core::Timed : 0, loc);
        rc = wait();
        if (rc != 0) {
            record(EventType::LockTimeout, id, lock ? 0 : semValue(s), 0, loc);
            clearPythonSite(id);
            return rc;
        }
    }
    if (lock)
        record(EventType::LockObtain, id, 0, 0, loc);
    else
        record(EventType::SemAcquire, id, semValue(s), 0, loc);
    clearPythonSite(id);
    return rc;
}

// Resolved while the program is still starting (single-threaded, nothing held): dlsym may
// allocate and lock, which is safe here and not in the middle of an intercepted call.
__attribute__((constructor(101))) void resolveReal()
{
    Guard guard;
    real_pthread_cond_wait();
    real_pthread_cond_timedwait();
    real_pthread_cond_signal();
    real_pthread_cond_broadcast();
    real_pthread_cond_init();
    real_pthread_cond_destroy();
    real_pthread_cond_clockwait();
    real_sem_wait();
    real_sem_trywait();
    real_sem_timedwait();
    real_sem_clockwait();
    real_sem_post();
    real_sem_init();
    real_sem_destroy();
    real_sem_open();
    real_sem_close();
}

} // namespace

sem_t *lastSemaphore() noexcept
{
    return t_lastSemaphore;
}

} // namespace interleave::preload

using namespace interleave::preload;

INTERLEAVE_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    if (!active())
        return real_pthread_cond_wait()(c, m);
    return recordedCondWait(c, m, false, INTERLEAVE_SITE(), [c, m] { return real_pthread_cond_wait()(c, m); });
}

INTERLEAVE_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const timespec *at)
{
    if (!active())
        return real_pthread_cond_timedwait()(c, m, at);
    return recordedCondWait(c, m, true, INTERLEAVE_SITE(),
                            [c, m, at] { return real_pthread_cond_timedwait()(c, m, at); });
}

INTERLEAVE_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock, const timespec *at)
{
    if (!active())
        return real_pthread_cond_clockwait()(c, m, clock, at);
    return recordedCondWait(c, m, true, INTERLEAVE_SITE(),
                            [c, m, clock, at] { return real_pthread_cond_clockwait()(c, m, clock, at); });
}

INTERLEAVE_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    if (active() && !python::isGilCond(c)) {
        const uint32_t site = INTERLEAVE_SITE();
        record(EventType::CondNotify, objectFor(c, ObjectKind::CondVar, site), 1, 0, site);
    }
    return real_pthread_cond_signal()(c);
}

INTERLEAVE_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
    if (active() && !python::isGilCond(c)) {
        const uint32_t site = INTERLEAVE_SITE();
        record(EventType::CondNotify, objectFor(c, ObjectKind::CondVar, site), 2, 0, site);
    }
    return real_pthread_cond_broadcast()(c);
}

INTERLEAVE_EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
    const int rc = real_pthread_cond_init()(c, attr);
    if (rc != 0 || !active())
        return rc;
    python::afterCondInit(c);
    if (python::isGilCond(c))
        forgetObject(c);
    else
        newObjectAt(c, ObjectKind::CondVar, INTERLEAVE_SITE());
    return rc;
}

INTERLEAVE_EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
    if (active())
        forgetObject(c);
    return real_pthread_cond_destroy()(c);
}

INTERLEAVE_EXPORT int sem_wait(sem_t *s)
{
    if (!active())
        return real_sem_wait()(s);
    return recordedSemWait(s, false, INTERLEAVE_SITE(), [s] { return real_sem_wait()(s); });
}

INTERLEAVE_EXPORT int sem_timedwait(sem_t *s, const timespec *at)
{
    if (!active())
        return real_sem_timedwait()(s, at);
    return recordedSemWait(s, true, INTERLEAVE_SITE(), [s, at] { return real_sem_timedwait()(s, at); });
}

INTERLEAVE_EXPORT int sem_clockwait(sem_t *s, clockid_t clock, const timespec *at)
{
    if (!active())
        return real_sem_clockwait()(s, clock, at);
    return recordedSemWait(s, true, INTERLEAVE_SITE(), [s, clock, at] { return real_sem_clockwait()(s, clock, at); });
}

INTERLEAVE_EXPORT int sem_trywait(sem_t *s)
{
    if (!active())
        return real_sem_trywait()(s);
    const uint32_t site = INTERLEAVE_SITE();
    const uint32_t id = objectFor(s, ObjectKind::Semaphore, site);
    const int rc = real_sem_trywait()(s);
    if (rc == 0 && usedAsLock(s))
        record(EventType::LockObtain, id, 0, core::TryLock, siteFor(id, site));
    else if (rc == 0)
        record(EventType::SemAcquire, id, semValue(s), 0, siteFor(id, site));
    else
        notePythonSite(id); // a blocking sem_wait may follow once the GIL is let go
    return rc;
}

INTERLEAVE_EXPORT int sem_post(sem_t *s)
{
    if (!active())
        return real_sem_post()(s);
    const uint32_t site = INTERLEAVE_SITE();
    // Before the real post (as Semaphore::release records under its lock): a woken waiter's
    // SemAcquire never comes before the release it took.
    const uint32_t id = objectFor(s, ObjectKind::Semaphore, site);
    if (usedAsLock(s))
        record(EventType::LockRelease, id, 0, 0, site);
    else
        record(EventType::SemRelease, id, semValue(s) + 1, 0, site);
    return real_sem_post()(s);
}

INTERLEAVE_EXPORT int sem_init(sem_t *s, int pshared, unsigned value)
{
    const int rc = real_sem_init()(s, pshared, value);
    if (rc == 0 && active()) {
        newObjectAt(s, ObjectKind::Semaphore, INTERLEAVE_SITE());
        t_lastSemaphore = s;
    }
    return rc;
}

INTERLEAVE_EXPORT int sem_destroy(sem_t *s)
{
    if (active())
        forgetObject(s);
    return real_sem_destroy()(s);
}

INTERLEAVE_EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
    mode_t mode = 0;
    unsigned value = 0;
    if (oflag & O_CREAT) {
        va_list args;
        va_start(args, oflag);
        mode = mode_t(va_arg(args, unsigned));
        value = va_arg(args, unsigned);
        va_end(args);
    }
    sem_t *s = real_sem_open()(name, oflag, mode, value);
    if (s != SEM_FAILED && active()) {
        uint32_t nameId = 0;
        {
            Guard guard;
            nameId = core::recorder::intern(name);
        }
        newObjectAt(s, ObjectKind::Semaphore, INTERLEAVE_SITE(), nameId);
    }
    return s;
}

INTERLEAVE_EXPORT int sem_close(sem_t *s)
{
    if (active())
        forgetObject(s);
    return real_sem_close()(s);
}
