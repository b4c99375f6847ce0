// SPDX-License-Identifier: MIT
#include "run/stopsignals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <iterator>
#include <utility>

namespace interleave::core {

namespace {

constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP};
int g_pipe[2] = {-1, -1};
volatile sig_atomic_t g_requested = 0;
bool g_installed[std::size(kSignals)] = {};

void onSignal(int sig)
{
    if (g_requested) { // asked once already: what the default would have done
        ::signal(sig, SIG_DFL);
        ::raise(sig);
        return;
    }
    g_requested = sig;
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
    errno = saved;
}

} // namespace

StopSignals::StopSignals()
{
    if (g_pipe[0] >= 0 || ::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return;
    m_owner = true;
    g_requested = 0;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (size_t i = 0; i < std::size(kSignals); ++i) {
        struct sigaction old = {};
        ::sigaction(kSignals[i], nullptr, &old);
        g_installed[i] = old.sa_handler != SIG_IGN && ::sigaction(kSignals[i], &action, nullptr) == 0;
    }
}

StopSignals::~StopSignals()
{
    if (!m_owner)
        return;
    for (size_t i = 0; i < std::size(kSignals); ++i)
        if (std::exchange(g_installed[i], false))
            ::signal(kSignals[i], SIG_DFL);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

int StopSignals::requested()
{
    return g_requested;
}

int StopSignals::fd() const
{
    return m_owner ? g_pipe[0] : -1;
}

} // namespace interleave::core
