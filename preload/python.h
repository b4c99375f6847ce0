// SPDX-License-Identifier: MIT
#pragma once
// What the preloaded recorder asks of its Python part (python.cpp). The interceptors
// (interpose*.cpp) call these at the points named; in a program that is not CPython each is a
// cheap no-op after its first call.

#include <cstdint>

#include <pthread.h>
#include <semaphore.h>

namespace interleave::preload::python {

/// Called once from the library's constructor, after the recorder is attached.
void init() noexcept;

/// pthread_mutex_init / pthread_cond_init on `object` (the GIL is found among these).
void afterMutexInit(pthread_mutex_t *mutex) noexcept;
void afterCondInit(pthread_cond_t *cond) noexcept;

/// True when `mutex` / `cond` is CPython's GIL mutex or condition variable: the interceptors
/// then record nothing of their own for it and call the gil* hooks below instead.
namespace detail {
/// Set once CPython's GIL was identified: in any other program the checks below stay one load.
extern bool g_haveGil;
bool isGilMutex(const pthread_mutex_t *mutex) noexcept;
bool isGilCond(const pthread_cond_t *cond) noexcept;
} // namespace detail
inline bool isGilMutex(const pthread_mutex_t *mutex) noexcept
{
    return __atomic_load_n(&detail::g_haveGil, __ATOMIC_RELAXED) && detail::isGilMutex(mutex);
}
inline bool isGilCond(const pthread_cond_t *cond) noexcept
{
    return __atomic_load_n(&detail::g_haveGil, __ATOMIC_RELAXED) && detail::isGilCond(cond);
}
/// Around the real calls on the GIL's mutex and condition variable, on the calling thread.
void gilBeforeUnlock(pthread_mutex_t *mutex) noexcept;
void gilAfterUnlock(pthread_mutex_t *mutex) noexcept;
void gilBeforeCondWait(pthread_cond_t *cond, pthread_mutex_t *mutex) noexcept;
void gilAfterCondWait(pthread_cond_t *cond, pthread_mutex_t *mutex) noexcept;

/// The call site of the calling thread's current Python statement as an interned "file:line"
/// string id, when this thread holds the GIL now (else 0). The interceptors ask it where a
/// blocking wait is about to begin and the thread still holds the GIL (a failed sem_trywait or
/// pthread_mutex_trylock); they keep the answer for the wait that follows on the same object.
uint32_t siteWhileHoldingGil() noexcept;

} // namespace interleave::preload::python
