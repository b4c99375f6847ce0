// SPDX-License-Identifier: MIT
// StopSignals: the first SIGTERM/SIGINT/SIGHUP is a request to stop, the second ends the process,
// an ignored one stays ignored, and the default comes back afterwards. Each case runs in a forked
// child, whose signals this test process does not share.
#include "run/stopsignals.h"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>

using namespace interleave::core;

namespace {

/// Runs `body` in a child and returns its wait status; the child exits with body's value.
int inChild(const std::function<int()> &body)
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(body());
    int status = 0;
    ::waitpid(child, &status, 0);
    return status;
}

bool readable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

} // namespace

TEST(StopSignals, TheFirstSignalAsksToStopAndTheSecondEndsTheProcess)
{
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
        const int status = inChild([sig] {
            StopSignals signals;
            if (signals.fd() < 0 || StopSignals::requested() != 0 || readable(signals.fd()))
                return 10;
            ::raise(sig);
            if (StopSignals::requested() != sig)
                return 11;
            if (!readable(signals.fd()))
                return 12;
            ::raise(sig); // does not return
            return 13;
        });
        ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig << ": the child exited with " << WEXITSTATUS(status);
        EXPECT_EQ(WTERMSIG(status), sig);
    }
}

TEST(StopSignals, AnIgnoredSignalStaysIgnored)
{
    const int status = inChild([] {
        ::signal(SIGHUP, SIG_IGN); // as under nohup
        StopSignals signals;
        ::raise(SIGHUP);
        if (StopSignals::requested() != 0 || readable(signals.fd()))
            return 10;
        ::raise(SIGTERM);
        return StopSignals::requested() == SIGTERM ? 0 : 11;
    });
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(StopSignals, TheDefaultComesBackAndOnlyTheFirstObjectOwnsTheHandlers)
{
    const int status = inChild([] {
        {
            StopSignals first;
            {
                StopSignals second; // while the first lives: owns nothing, changes nothing
                if (second.fd() != -1)
                    return 10;
            }
            ::raise(SIGINT);
            if (StopSignals::requested() != SIGINT)
                return 11;
        }
        ::raise(SIGTERM); // the default again: ends the child
        return 12;
    });
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
}
