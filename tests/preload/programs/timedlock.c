// SPDX-License-Identifier: MIT
// try-locks and a timed lock on a mutex main holds: the try fails, the timed wait times out; then a
// successful try-lock; the thread ends with pthread_exit.
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
    return 0;
}
