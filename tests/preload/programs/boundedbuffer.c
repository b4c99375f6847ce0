// SPDX-License-Identifier: MIT
// Producer / consumer over a bounded buffer of 2 with two condition variables. The consumer takes
// its first item only once the buffer is full, so the producer surely waits for room.
#include <pthread.h>
#include <stdio.h>

#define CAPACITY 2
#define ITEMS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int buffer[CAPACITY];
static int count, head;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; ++i) {
        pthread_mutex_lock(&lock);
        while (count == CAPACITY)
            pthread_cond_wait(&not_full, &lock);
        buffer[(head + count) % CAPACITY] = i;
        ++count;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    long sum = 0;
    pthread_mutex_lock(&lock);
    while (count < CAPACITY)
        pthread_cond_wait(&not_empty, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < ITEMS; ++i) {
        pthread_mutex_lock(&lock);
        while (count == 0)
            pthread_cond_wait(&not_empty, &lock);
        const int item = buffer[head];
        head = (head + 1) % CAPACITY;
        --count;
        pthread_cond_broadcast(&not_full);
        pthread_mutex_unlock(&lock);
        printf("got %d\n", item);
        sum += item;
    }
    printf("sum %ld\n", sum);
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    return 0;
}
