// SPDX-License-Identifier: MIT
// Helpers shared by the test programs (plain C, built with -g -O0 -pthread).
#pragma once
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

// Blocks until thread `tid` of this process sleeps in the kernel: then it is really waiting in
// the call it was about to make (the tests need that wait, not a guess about timing).
static inline void wait_until_blocked(pid_t tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = '\0';
            const char *state = strrchr(buf, ')');
            if (state && state[1] == ' ' && (state[2] == 'S' || state[2] == 'D'))
                return;
        }
        sched_yield();
    }
}
