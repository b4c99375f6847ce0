// SPDX-License-Identifier: MIT
// A Unix socket server (abstract name: nothing on disk) accepts one client, its forked child.
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    const int len = snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "interleave-test-%d", (int)getpid());
    const socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
    const int server = socket(AF_UNIX, SOCK_STREAM, 0);
    if (server < 0 || bind(server, (struct sockaddr *)&addr, size) != 0 || listen(server, 1) != 0)
        return 1;
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        const int client = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(client, (struct sockaddr *)&addr, size) != 0)
            _exit(1);
        send(client, "hi", 2, 0);
        close(client);
        _exit(0);
    }
    const int conn = accept(server, NULL, NULL);
    char buf[8];
    const ssize_t n = recv(conn, buf, sizeof buf, MSG_WAITALL);
    close(conn);
    close(server);
    int status = 0;
    waitpid(child, &status, 0);
    printf("received %zd\n", n);
    return WEXITSTATUS(status);
}
