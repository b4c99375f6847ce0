// SPDX-License-Identifier: MIT
// Calls the recorder's C API as the Python hook does (found with dlsym: the program itself does not
// link against the recorder), and uses a named semaphore.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    void (*name_thread)(const char *) = (void (*)(const char *))dlsym(RTLD_DEFAULT, "interleave_name_thread");
    void (*name_process)(const char *) = (void (*)(const char *))dlsym(RTLD_DEFAULT, "interleave_name_process");
    void (*name_object_at)(const void *, const char *) =
        (void (*)(const void *, const char *))dlsym(RTLD_DEFAULT, "interleave_name_object_at");
    void *(*last_semaphore)(void) = (void *(*)(void))dlsym(RTLD_DEFAULT, "interleave_last_semaphore");
    if (!name_thread || !name_process || !name_object_at || !last_semaphore) {
        printf("no recorder\n");
        return 0;
    }
    sem_t lock;
    sem_init(&lock, 0, 1);
    printf("last semaphore is mine: %d\n", last_semaphore() == (void *)&lock);
    name_object_at(last_semaphore(), "accounts");
    name_thread("Teller");
    name_process("bank");
    sem_wait(&lock);
    sem_post(&lock);

    char name[64];
    snprintf(name, sizeof name, "/interleave-test-%d", (int)getpid());
    sem_t *named = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (named == SEM_FAILED)
        return 1;
    sem_post(named);
    sem_wait(named);
    sem_close(named);
    sem_unlink(name);
    return 0;
}
