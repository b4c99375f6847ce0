// SPDX-License-Identifier: MIT
// A thread (named with prctl) waits on an unnamed semaphore until main posts it (after seeing it blocked), three times.
#define _GNU_SOURCE
#include "common.h"

#include <pthread.h>
#include <semaphore.h>
#include <sys/prctl.h>

static sem_t items;
static pid_t waiter_tid;

static void *waiter(void *arg)
{
    (void)arg;
    prctl(PR_SET_NAME, "waiter");
    __atomic_store_n(&waiter_tid, gettid(), __ATOMIC_RELEASE);
    for (int i = 0; i < 3; ++i)
        sem_wait(&items);
    return NULL;
}

int main(void)
{
    sem_init(&items, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    while (__atomic_load_n(&waiter_tid, __ATOMIC_ACQUIRE) == 0)
        sched_yield();
    wait_until_blocked(waiter_tid);
    for (int i = 0; i < 3; ++i)
        sem_post(&items);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
