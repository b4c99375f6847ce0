// SPDX-License-Identifier: MIT
// Two threads, two locks, opposite order: a real deadlock (the test kills it).
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *first(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "Thread-A");
    pthread_mutex_lock(&lock_a);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&lock_b);
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *second(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "Thread-B");
    pthread_mutex_lock(&lock_b);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&lock_a);
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

int main(void)
{
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_t a, b;
    pthread_create(&a, NULL, first, NULL);
    pthread_create(&b, NULL, second, NULL);
    printf("started\n");
    fflush(stdout);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("never printed\n");
    return 0;
}
