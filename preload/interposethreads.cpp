// SPDX-License-Identifier: MIT
// Threads, recorded as core/instrument/thread.cpp records its Thread: ThreadStart (creator tid)
// and ThreadExit written by the thread itself, JoinWait/JoinDone around a join; and the C API the
// Python part's hook calls to name threads, processes and objects.
#include "runtime.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include <pthread.h>
#include <semaphore.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace interleave::preload {

sem_t *lastSemaphore() noexcept; // interposesync.cpp

namespace {

INTERLEAVE_REAL(pthread_create)
INTERLEAVE_REAL(pthread_join)
INTERLEAVE_REAL(pthread_tryjoin_np)
INTERLEAVE_REAL(pthread_timedjoin_np)
INTERLEAVE_REAL(pthread_clockjoin_np)
INTERLEAVE_REAL(pthread_exit)
INTERLEAVE_REAL(pthread_setname_np)
INTERLEAVE_REAL(prctl)

struct Start
{
    void *(*routine)(void *);
    void *arg;
    int32_t creator;
};

std::atomic<int> g_threadCount{0};

/// Runs on every thread the program creates, around its start routine.
void *trampoline(void *raw)
{
    const Start start = *static_cast<Start *>(raw);
    {
        Guard guard;
        free(raw);
    }
    record(EventType::ThreadStart, 0, start.creator);
    // Named as Python and the built-in Thread name theirs until the program names it itself.
    char name[32];
    std::snprintf(name, sizeof name, "Thread-%d", g_threadCount.fetch_add(1, std::memory_order_relaxed) + 1);
    nameThread(name);
    void *result = start.routine(start.arg);
    record(EventType::ThreadExit);
    core::recorder::closeThread();
    return result;
}

int32_t tidInDescriptor(pthread_t thread) noexcept
{
    if (g_tidOffset == 0)
        return 0;
    return *reinterpret_cast<const int32_t *>(reinterpret_cast<const char *>(thread) + g_tidOffset);
}

/// A join with JoinWait / JoinDone on the target's tid; a join that cannot block records none.
template<class Join> int recordedJoin(pthread_t thread, uint8_t flags, uint32_t site, Join join) noexcept
{
    const int32_t tid = tidOf(thread);
    record(EventType::JoinWait, uint32_t(tid), 0, flags, site);
    const int rc = join();
    record(EventType::JoinDone, uint32_t(tid), 0, flags, site);
    return rc;
}

// Resolved while the program is still starting (single-threaded, nothing held): dlsym may
// allocate and lock, which is safe here and not in the middle of an intercepted call.
__attribute__((constructor(101))) void resolveReal()
{
    Guard guard;
    real_pthread_create();
    real_pthread_join();
    real_pthread_tryjoin_np();
    real_pthread_timedjoin_np();
    real_pthread_clockjoin_np();
    real_pthread_exit();
    real_pthread_setname_np();
    real_prctl();
}

} // namespace
} // namespace interleave::preload

using namespace interleave::preload;

INTERLEAVE_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*routine)(void *), void *arg)
{
    if (!active())
        return real_pthread_create()(thread, attr, routine, arg);
    Start *start = nullptr;
    {
        Guard guard;
        start = static_cast<Start *>(malloc(sizeof(Start)));
    }
    if (!start)
        return real_pthread_create()(thread, attr, routine, arg);
    *start = Start{routine, arg, int32_t(gettid())};
    const int rc = real_pthread_create()(thread, attr, trampoline, start);
    if (rc != 0) {
        Guard guard;
        free(start);
        return rc;
    }
    // glibc set the tid in the descriptor before returning (CLONE_PARENT_SETTID).
    rememberThread(*thread, tidInDescriptor(*thread));
    return rc;
}

INTERLEAVE_EXPORT int pthread_join(pthread_t thread, void **result)
{
    if (!active())
        return real_pthread_join()(thread, result);
    return recordedJoin(thread, 0, INTERLEAVE_SITE(), [&] { return real_pthread_join()(thread, result); });
}

INTERLEAVE_EXPORT int pthread_tryjoin_np(pthread_t thread, void **result)
{
    // Never blocks: nothing to show but the join itself when it succeeds.
    const int rc = real_pthread_tryjoin_np()(thread, result);
    if (rc == 0 && active()) {
        const uint32_t site = INTERLEAVE_SITE();
        record(EventType::JoinWait, uint32_t(tidOf(thread)), 0, 0, site);
        record(EventType::JoinDone, uint32_t(tidOf(thread)), 0, 0, site);
    }
    return rc;
}

INTERLEAVE_EXPORT int pthread_timedjoin_np(pthread_t thread, void **result, const timespec *at)
{
    if (!active())
        return real_pthread_timedjoin_np()(thread, result, at);
    return recordedJoin(thread, core::Timed, INTERLEAVE_SITE(),
                        [&] { return real_pthread_timedjoin_np()(thread, result, at); });
}

INTERLEAVE_EXPORT int pthread_clockjoin_np(pthread_t thread, void **result, clockid_t clock, const timespec *at)
{
    if (!active())
        return real_pthread_clockjoin_np()(thread, result, clock, at);
    return recordedJoin(thread, core::Timed, INTERLEAVE_SITE(),
                        [&] { return real_pthread_clockjoin_np()(thread, result, clock, at); });
}

INTERLEAVE_EXPORT void pthread_exit(void *result)
{
    if (active()) {
        record(EventType::ThreadExit);
        core::recorder::closeThread();
    }
    real_pthread_exit()(result);
    __builtin_unreachable();
}

INTERLEAVE_EXPORT int pthread_setname_np(pthread_t thread, const char *name)
{
    const int rc = real_pthread_setname_np()(thread, name);
    if (rc == 0 && active() && pthread_equal(thread, pthread_self()))
        nameThread(name);
    return rc;
}

INTERLEAVE_EXPORT int prctl(int option, ...)
{
    va_list args;
    va_start(args, option);
    const unsigned long a2 = va_arg(args, unsigned long);
    const unsigned long a3 = va_arg(args, unsigned long);
    const unsigned long a4 = va_arg(args, unsigned long);
    const unsigned long a5 = va_arg(args, unsigned long);
    va_end(args);
    const int rc = real_prctl()(option, a2, a3, a4, a5);
    if (rc == 0 && option == PR_SET_NAME && active())
        nameThread(reinterpret_cast<const char *>(a2));
    return rc;
}

// The C API of the Python part's hook (sitecustomize): names as the program's own code says them.
INTERLEAVE_EXPORT void interleave_name_thread(const char *name)
{
    if (active() && name)
        nameThread(name);
}

INTERLEAVE_EXPORT void interleave_name_process(const char *name)
{
    if (!active() || !name)
        return;
    uint32_t id = 0;
    {
        Guard guard;
        id = core::recorder::intern(name);
    }
    recordProcessStart(id);
}

INTERLEAVE_EXPORT void interleave_name_object_at(const void *address, const char *name)
{
    if (!active() || !address || !name)
        return;
    uint32_t nameId = 0;
    {
        Guard guard;
        nameId = core::recorder::intern(name);
    }
    renameObject(address, nameId);
}

INTERLEAVE_EXPORT void interleave_lock_at(const void *address)
{
    // A semaphore the program uses as a lock (Python's threading.Lock is a sem_t): from now on
    // its waits, takes and posts are recorded as a mutex's, so deadlocks through it are found.
    if (!active() || !address)
        return;
    const ObjectKind mutex = ObjectKind::Mutex;
    renameObject(address, 0, &mutex);
}

INTERLEAVE_EXPORT void *interleave_last_semaphore(void)
{
    return lastSemaphore();
}
