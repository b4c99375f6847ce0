// SPDX-License-Identifier: MIT
// Each way of sleeping once.
#define _GNU_SOURCE
#include <time.h>
#include <unistd.h>

int main(void)
{
    usleep(20000);
    struct timespec ten_ms = {0, 10000000};
    nanosleep(&ten_ms, NULL);
    struct timespec five_ms = {0, 5000000};
    clock_nanosleep(CLOCK_MONOTONIC, 0, &five_ms, NULL);
    sleep(0);
    return 0;
}
