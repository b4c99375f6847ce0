// SPDX-License-Identifier: MIT
// A socketpair between a parent and its child: ping one way, pong the other; a non-blocking receive
// that finds nothing first.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    char buf[16];
    // Nothing sent yet: a non-blocking receive returns at once and is no wait.
    if (recv(sv[0], buf, sizeof buf, MSG_DONTWAIT) != -1 || errno != EAGAIN)
        return 2;
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        send(sv[1], "ping", 4, 0);
        ssize_t n = recv(sv[1], buf, sizeof buf, 0);
        _exit(n == 5 ? 0 : 1);
    }
    close(sv[1]);
    ssize_t n = recv(sv[0], buf, sizeof buf, 0);
    send(sv[0], "pong!", 5, 0);
    int status = 0;
    waitpid(child, &status, 0);
    printf("got %zd, child %d\n", n, WEXITSTATUS(status));
    return 0;
}
