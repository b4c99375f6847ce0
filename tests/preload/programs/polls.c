// SPDX-License-Identifier: MIT
// Waits for descriptors that never become ready: poll and select with a timeout (recorded), and
// a poll with none (it cannot block: not recorded).
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    struct pollfd p = {fds[0], POLLIN, 0};
    poll(&p, 1, 0);
    poll(&p, 1, 30);
    fd_set read_set;
    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    struct timeval timeout = {0, 20000};
    select(fds[0] + 1, &read_set, NULL, NULL, &timeout);
    close(fds[0]);
    close(fds[1]);
    return 0;
}
