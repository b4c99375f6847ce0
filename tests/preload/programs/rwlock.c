// SPDX-License-Identifier: MIT
// A reader blocks on a read-write lock that main holds for writing.
#define _GNU_SOURCE
#include "common.h"

#include <pthread.h>

pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pid_t reader_tid;

static void *reader(void *arg)
{
    (void)arg;
    __atomic_store_n(&reader_tid, gettid(), __ATOMIC_RELEASE);
    pthread_rwlock_rdlock(&table_lock);
    pthread_rwlock_unlock(&table_lock);
    return NULL;
}

int main(void)
{
    pthread_rwlock_wrlock(&table_lock);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (__atomic_load_n(&reader_tid, __ATOMIC_ACQUIRE) == 0)
        sched_yield();
    wait_until_blocked(reader_tid);
    pthread_rwlock_unlock(&table_lock);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
