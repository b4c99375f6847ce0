// SPDX-License-Identifier: MIT
// Placeholder until CPython's part lands: nothing is CPython, nothing is the GIL.
#include "python.h"

namespace interleave::preload::python {

void init() noexcept {}
void afterMutexInit(pthread_mutex_t *) noexcept {}
void afterCondInit(pthread_cond_t *) noexcept {}
bool isGilMutex(const pthread_mutex_t *) noexcept
{
    return false;
}
bool isGilCond(const pthread_cond_t *) noexcept
{
    return false;
}
void gilBeforeUnlock(pthread_mutex_t *) noexcept {}
void gilAfterUnlock(pthread_mutex_t *) noexcept {}
void gilBeforeCondWait(pthread_cond_t *, pthread_mutex_t *) noexcept {}
void gilAfterCondWait(pthread_cond_t *, pthread_mutex_t *) noexcept {}
uint32_t siteWhileHoldingGil() noexcept
{
    return 0;
}

} // namespace interleave::preload::python
