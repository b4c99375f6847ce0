// SPDX-License-Identifier: MIT
// A forked child that execs this program again ("image"), and a child made by posix_spawn
// ("spawned"); the parent waits for both (waitpid, waitid). The child first tries a program that
// is not there, as a PATH search tries each folder.
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "image") == 0)
        return 4;
    if (argc > 1 && strcmp(argv[1], "spawned") == 0)
        return 5;
    const pid_t child = fork();
    if (child == 0) {
        char *missing_argv[] = {"/nonexistent/execs", "image", NULL};
        execv(missing_argv[0], missing_argv); // fails: ENOENT, the child goes on
        execl(argv[0], argv[0], "image", (char *)NULL);
        _exit(127);
    }
    char *spawn_argv[] = {argv[0], "spawned", NULL};
    pid_t spawned = 0;
    if (posix_spawn(&spawned, argv[0], NULL, NULL, spawn_argv, environ) != 0)
        return 1;
    int status_child = 0;
    waitpid(child, &status_child, 0);
    siginfo_t info;
    waitid(P_PID, (id_t)spawned, &info, WEXITED);
    printf("exec'd %d, spawned %d\n", WEXITSTATUS(status_child), info.si_status);
    return 0;
}
