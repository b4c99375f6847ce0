// SPDX-License-Identifier: MIT
// A parent and its forked child talk through a pipe; the parent reaps the child itself.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        write(fds[1], "hello", 5);
        write(fds[1], "world!", 6);
        close(fds[1]);
        _exit(3);
    }
    close(fds[1]);
    char buf[64];
    ssize_t total = 0, n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        total += n;
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    printf("read %zd bytes, child exit %d\n", total, WEXITSTATUS(status));
    return 0;
}
