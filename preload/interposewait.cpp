// SPDX-License-Identifier: MIT
// Waits that are not synchronisation: sleeps (SleepBegin / SleepEnd, as sleepFor records) and
// waits for descriptors (IoWaitBegin / IoWaitEnd, as IoWait records), only when they can block.
#include "channels.h"
#include "runtime.h"

#include <ctime>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

namespace interleave::preload {
namespace {

INTERLEAVE_REAL(sleep)
INTERLEAVE_REAL(usleep)
INTERLEAVE_REAL(nanosleep)
INTERLEAVE_REAL(clock_nanosleep)
INTERLEAVE_REAL(poll)
INTERLEAVE_REAL(ppoll)
INTERLEAVE_REAL(select)
INTERLEAVE_REAL(pselect)
INTERLEAVE_REAL(epoll_wait)
INTERLEAVE_REAL(epoll_pwait)
INTERLEAVE_REAL(accept)
INTERLEAVE_REAL(accept4)
INTERLEAVE_REAL(connect)

int64_t nsOf(const timespec *t) noexcept
{
    return t ? int64_t(t->tv_sec) * 1'000'000'000 + t->tv_nsec : 0;
}

template<class Sleep> auto recordedSleep(int64_t ns, uint32_t site, Sleep sleep) noexcept
{
    record(EventType::SleepBegin, 0, ns < 0 ? 0 : ns, 0, site);
    const auto rc = sleep();
    record(EventType::SleepEnd, 0, 0, 0, site);
    return rc;
}

template<class Wait> auto recordedIoWait(bool blocks, const char *what, uint32_t site, Wait wait) noexcept
{
    if (!blocks)
        return wait();
    const uint32_t name = waitName(what);
    record(EventType::IoWaitBegin, name, 0, 0, site);
    const auto rc = wait();
    record(EventType::IoWaitEnd, name, 0, 0, site);
    return rc;
}

bool zero(const timespec *t) noexcept
{
    return t && t->tv_sec == 0 && t->tv_nsec == 0;
}

// Resolved while the program is still starting (single-threaded, nothing held): dlsym may
// allocate and lock, which is safe here and not in the middle of an intercepted call.
__attribute__((constructor(101))) void resolveReal()
{
    Guard guard;
    real_sleep();
    real_usleep();
    real_nanosleep();
    real_clock_nanosleep();
    real_poll();
    real_ppoll();
    real_select();
    real_pselect();
    real_epoll_wait();
    real_epoll_pwait();
    real_accept();
    real_accept4();
    real_connect();
}

} // namespace
} // namespace interleave::preload

using namespace interleave::preload;

INTERLEAVE_EXPORT unsigned sleep(unsigned seconds)
{
    if (!active())
        return real_sleep()(seconds);
    return recordedSleep(int64_t(seconds) * 1'000'000'000, INTERLEAVE_SITE(), [&] { return real_sleep()(seconds); });
}

INTERLEAVE_EXPORT int usleep(useconds_t us)
{
    if (!active())
        return real_usleep()(us);
    return recordedSleep(int64_t(us) * 1000, INTERLEAVE_SITE(), [&] { return real_usleep()(us); });
}

INTERLEAVE_EXPORT int nanosleep(const timespec *req, timespec *rem)
{
    if (!active())
        return real_nanosleep()(req, rem);
    return recordedSleep(nsOf(req), INTERLEAVE_SITE(), [&] { return real_nanosleep()(req, rem); });
}

INTERLEAVE_EXPORT int clock_nanosleep(clockid_t clock, int flags, const timespec *req, timespec *rem)
{
    if (!active())
        return real_clock_nanosleep()(clock, flags, req, rem);
    int64_t ns = nsOf(req);
    if (flags & TIMER_ABSTIME) {
        timespec now{};
        clock_gettime(clock, &now);
        ns -= nsOf(&now);
    }
    return recordedSleep(ns, INTERLEAVE_SITE(), [&] { return real_clock_nanosleep()(clock, flags, req, rem); });
}

INTERLEAVE_EXPORT int poll(pollfd *fds, nfds_t n, int timeout)
{
    if (!active())
        return real_poll()(fds, n, timeout);
    return recordedIoWait(timeout != 0, "poll", INTERLEAVE_SITE(), [&] { return real_poll()(fds, n, timeout); });
}

INTERLEAVE_EXPORT int ppoll(pollfd *fds, nfds_t n, const timespec *timeout, const sigset_t *mask)
{
    if (!active())
        return real_ppoll()(fds, n, timeout, mask);
    return recordedIoWait(!zero(timeout), "poll", INTERLEAVE_SITE(),
                          [&] { return real_ppoll()(fds, n, timeout, mask); });
}

INTERLEAVE_EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, timeval *timeout)
{
    if (!active())
        return real_select()(n, r, w, e, timeout);
    const bool blocks = !timeout || timeout->tv_sec != 0 || timeout->tv_usec != 0;
    return recordedIoWait(blocks, "select", INTERLEAVE_SITE(), [&] { return real_select()(n, r, w, e, timeout); });
}

INTERLEAVE_EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const timespec *timeout, const sigset_t *mask)
{
    if (!active())
        return real_pselect()(n, r, w, e, timeout, mask);
    return recordedIoWait(!zero(timeout), "select", INTERLEAVE_SITE(),
                          [&] { return real_pselect()(n, r, w, e, timeout, mask); });
}

INTERLEAVE_EXPORT int epoll_wait(int epfd, epoll_event *events, int max, int timeout)
{
    if (!active())
        return real_epoll_wait()(epfd, events, max, timeout);
    return recordedIoWait(timeout != 0, "epoll", INTERLEAVE_SITE(),
                          [&] { return real_epoll_wait()(epfd, events, max, timeout); });
}

INTERLEAVE_EXPORT int epoll_pwait(int epfd, epoll_event *events, int max, int timeout, const sigset_t *mask)
{
    if (!active())
        return real_epoll_pwait()(epfd, events, max, timeout, mask);
    return recordedIoWait(timeout != 0, "epoll", INTERLEAVE_SITE(),
                          [&] { return real_epoll_pwait()(epfd, events, max, timeout, mask); });
}

INTERLEAVE_EXPORT int accept(int fd, sockaddr *addr, socklen_t *len)
{
    if (!active())
        return real_accept()(fd, addr, len);
    const int client =
        recordedIoWait(!nonBlocking(fd), "accept", INTERLEAVE_SITE(), [&] { return real_accept()(fd, addr, len); });
    forgetFd(client);
    return client;
}

INTERLEAVE_EXPORT int accept4(int fd, sockaddr *addr, socklen_t *len, int flags)
{
    if (!active())
        return real_accept4()(fd, addr, len, flags);
    const int client = recordedIoWait(!nonBlocking(fd), "accept", INTERLEAVE_SITE(),
                                      [&] { return real_accept4()(fd, addr, len, flags); });
    forgetFd(client);
    return client;
}

INTERLEAVE_EXPORT int connect(int fd, const sockaddr *addr, socklen_t len)
{
    if (!active())
        return real_connect()(fd, addr, len);
    return recordedIoWait(!nonBlocking(fd), "connect", INTERLEAVE_SITE(),
                          [&] { return real_connect()(fd, addr, len); });
}
