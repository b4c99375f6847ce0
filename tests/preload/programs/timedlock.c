// SPDX-License-Identifier: MIT
// try-locks and a timed lock on a mutex main holds: the try fails, the timed wait times out; then a
// successful try-lock; the thread ends with pthread_exit. Then an error-checking mutex refuses a
// second lock by its owner.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER;

static void *contender(void *arg)
{
    (void)arg;
    const int busy = pthread_mutex_trylock(&guard);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000;
    }
    const int timed = pthread_mutex_timedlock(&guard, &deadline);
    printf("trylock %s, timedlock %s\n", busy == EBUSY ? "busy" : "?", timed == ETIMEDOUT ? "timed out" : "?");
    pthread_exit(NULL);
}

int main(void)
{
    pthread_mutex_lock(&guard);
    pthread_t t;
    pthread_create(&t, NULL, contender, NULL);
    pthread_join(t, NULL);
    pthread_mutex_unlock(&guard);
    if (pthread_mutex_trylock(&guard) == 0)
        pthread_mutex_unlock(&guard);

    // An error-checking mutex locked twice by its owner: the second lock fails at once.
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t checked;
    pthread_mutex_init(&checked, &attr);
    pthread_mutex_lock(&checked);
    const int again = pthread_mutex_lock(&checked);
    pthread_mutex_unlock(&checked);
    printf("relock %s\n", again == EDEADLK ? "refused" : "?");
    return 0;
}
