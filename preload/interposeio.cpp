// SPDX-License-Identifier: MIT
// Pipe and socket traffic as byte counts (PipeSend / PipeRecvWait / PipeRecv flagged ByteStream:
// the reader's byte-flow pass matches them into items), and the descriptor calls that change
// what a descriptor number means.
#include "channels.h"
#include "runtime.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace interleave::preload {
namespace {

INTERLEAVE_REAL(read)
INTERLEAVE_REAL(write)
INTERLEAVE_REAL(readv)
INTERLEAVE_REAL(writev)
INTERLEAVE_REAL(recv)
INTERLEAVE_REAL(recvfrom)
INTERLEAVE_REAL(recvmsg)
INTERLEAVE_REAL(send)
INTERLEAVE_REAL(sendto)
INTERLEAVE_REAL(sendmsg)
INTERLEAVE_REAL(poll)
INTERLEAVE_REAL(close)
INTERLEAVE_REAL(close_range)
INTERLEAVE_REAL(closefrom)
INTERLEAVE_REAL(dup)
INTERLEAVE_REAL(dup2)
INTERLEAVE_REAL(dup3)
INTERLEAVE_REAL(pipe)
INTERLEAVE_REAL(pipe2)
INTERLEAVE_REAL(socket)
INTERLEAVE_REAL(socketpair)

size_t totalOf(const iovec *iov, int count) noexcept
{
    size_t total = 0;
    for (int i = 0; i < count; ++i)
        total += iov[i].iov_len;
    return total;
}

/// A send of `bytes`: before the real call on a blocking descriptor (which sends them all), so
/// the receiver's PipeRecv is never earlier; after it, with the count sent, on a non-blocking one.
template<class Send> ssize_t recordedSend(int fd, size_t bytes, bool dontWait, uint32_t site, Send send) noexcept
{
    const Channel ch = channelOf(fd);
    if (ch.object == 0 || bytes == 0)
        return send();
    if (!dontWait && !nonBlocking(fd)) {
        record(EventType::PipeSend, ch.object, int64_t(bytes), core::ByteStream, site);
        return send();
    }
    const ssize_t n = send();
    if (n > 0)
        record(EventType::PipeSend, ch.object, n, core::ByteStream, site);
    return n;
}

/// A receive: PipeRecvWait first when it will block (nothing to read yet on a blocking
/// descriptor), PipeRecv with the bytes read; a wait that ends with none records PipeRecv 0
/// flagged Timed, as the built-in pipe does.
template<class Recv> ssize_t recordedRecv(int fd, bool dontWait, uint32_t site, Recv recv) noexcept
{
    const Channel ch = channelOf(fd);
    if (ch.object == 0)
        return recv();
    pollfd p{fd, POLLIN, 0};
    const bool waits = !dontWait && !nonBlocking(fd) && real_poll()(&p, 1, 0) == 0;
    if (waits)
        record(EventType::PipeRecvWait, ch.object, 0, 0, site);
    const ssize_t n = recv();
    if (n > 0)
        record(EventType::PipeRecv, ch.object, n, core::ByteStream, site);
    else if (waits)
        record(EventType::PipeRecv, ch.object, 0, core::Timed, site);
    return n;
}

// Resolved while the program is still starting (single-threaded, nothing held): dlsym may
// allocate and lock, which is safe here and not in the middle of an intercepted call.
__attribute__((constructor(101))) void resolveReal()
{
    Guard guard;
    real_read();
    real_write();
    real_readv();
    real_writev();
    real_recv();
    real_recvfrom();
    real_recvmsg();
    real_send();
    real_sendto();
    real_sendmsg();
    real_poll();
    real_close();
    real_close_range();
    real_closefrom();
    real_dup();
    real_dup2();
    real_dup3();
    real_pipe();
    real_pipe2();
    real_socket();
    real_socketpair();
}

} // namespace
} // namespace interleave::preload

using namespace interleave::preload;

INTERLEAVE_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
    if (!active())
        return real_write()(fd, buf, n);
    return recordedSend(fd, n, false, INTERLEAVE_SITE(), [&] { return real_write()(fd, buf, n); });
}

INTERLEAVE_EXPORT ssize_t writev(int fd, const iovec *iov, int count)
{
    if (!active())
        return real_writev()(fd, iov, count);
    return recordedSend(fd, totalOf(iov, count), false, INTERLEAVE_SITE(),
                        [&] { return real_writev()(fd, iov, count); });
}

INTERLEAVE_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    if (!active())
        return real_send()(fd, buf, n, flags);
    return recordedSend(fd, n, flags & MSG_DONTWAIT, INTERLEAVE_SITE(), [&] { return real_send()(fd, buf, n, flags); });
}

INTERLEAVE_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const sockaddr *to, socklen_t len)
{
    if (!active())
        return real_sendto()(fd, buf, n, flags, to, len);
    return recordedSend(fd, n, flags & MSG_DONTWAIT, INTERLEAVE_SITE(),
                        [&] { return real_sendto()(fd, buf, n, flags, to, len); });
}

INTERLEAVE_EXPORT ssize_t sendmsg(int fd, const msghdr *msg, int flags)
{
    if (!active() || !msg)
        return real_sendmsg()(fd, msg, flags);
    return recordedSend(fd, totalOf(msg->msg_iov, int(msg->msg_iovlen)), flags & MSG_DONTWAIT, INTERLEAVE_SITE(),
                        [&] { return real_sendmsg()(fd, msg, flags); });
}

INTERLEAVE_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
    if (!active() || n == 0)
        return real_read()(fd, buf, n);
    return recordedRecv(fd, false, INTERLEAVE_SITE(), [&] { return real_read()(fd, buf, n); });
}

INTERLEAVE_EXPORT ssize_t readv(int fd, const iovec *iov, int count)
{
    if (!active())
        return real_readv()(fd, iov, count);
    return recordedRecv(fd, false, INTERLEAVE_SITE(), [&] { return real_readv()(fd, iov, count); });
}

INTERLEAVE_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    // A peek takes nothing out of the stream.
    if (!active() || (flags & MSG_PEEK) || n == 0)
        return real_recv()(fd, buf, n, flags);
    return recordedRecv(fd, flags & MSG_DONTWAIT, INTERLEAVE_SITE(), [&] { return real_recv()(fd, buf, n, flags); });
}

INTERLEAVE_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, sockaddr *from, socklen_t *len)
{
    if (!active() || (flags & MSG_PEEK) || n == 0)
        return real_recvfrom()(fd, buf, n, flags, from, len);
    return recordedRecv(fd, flags & MSG_DONTWAIT, INTERLEAVE_SITE(),
                        [&] { return real_recvfrom()(fd, buf, n, flags, from, len); });
}

INTERLEAVE_EXPORT ssize_t recvmsg(int fd, msghdr *msg, int flags)
{
    if (!active() || (flags & MSG_PEEK))
        return real_recvmsg()(fd, msg, flags);
    return recordedRecv(fd, flags & MSG_DONTWAIT, INTERLEAVE_SITE(), [&] { return real_recvmsg()(fd, msg, flags); });
}

// The inherited log descriptor stays open whatever the program closes, so that a program it
// execs (after closing "every" descriptor, as Python's subprocess does) is recorded too.
INTERLEAVE_EXPORT int close(int fd)
{
    forgetFd(fd);
    if (fd >= 0 && fd == logFd())
        return 0;
    return real_close()(fd);
}

INTERLEAVE_EXPORT int close_range(unsigned first, unsigned last, int flags)
{
    for (unsigned fd = first; fd <= last && fd < 4096; ++fd)
        forgetFd(int(fd));
    const int keep = logFd();
    if (keep < 0 || unsigned(keep) < first || unsigned(keep) > last)
        return real_close_range()(first, last, flags);
    int rc = 0;
    if (unsigned(keep) > first)
        rc = real_close_range()(first, unsigned(keep) - 1, flags);
    if (rc == 0 && unsigned(keep) < last)
        rc = real_close_range()(unsigned(keep) + 1, last, flags);
    return rc;
}

INTERLEAVE_EXPORT void closefrom(int lowest)
{
    close_range(unsigned(lowest < 0 ? 0 : lowest), ~0u, 0);
}

INTERLEAVE_EXPORT int dup(int fd)
{
    const int copy = real_dup()(fd);
    forgetFd(copy);
    return copy;
}

INTERLEAVE_EXPORT int dup2(int fd, int target)
{
    forgetFd(target);
    return real_dup2()(fd, target);
}

INTERLEAVE_EXPORT int dup3(int fd, int target, int flags)
{
    forgetFd(target);
    return real_dup3()(fd, target, flags);
}

INTERLEAVE_EXPORT int pipe(int fds[2])
{
    const int rc = real_pipe()(fds);
    if (rc == 0) {
        forgetFd(fds[0]);
        forgetFd(fds[1]);
    }
    return rc;
}

INTERLEAVE_EXPORT int pipe2(int fds[2], int flags)
{
    const int rc = real_pipe2()(fds, flags);
    if (rc == 0) {
        forgetFd(fds[0]);
        forgetFd(fds[1]);
    }
    return rc;
}

INTERLEAVE_EXPORT int socket(int domain, int type, int protocol)
{
    const int fd = real_socket()(domain, type, protocol);
    forgetFd(fd);
    return fd;
}

INTERLEAVE_EXPORT int socketpair(int domain, int type, int protocol, int fds[2])
{
    const int rc = real_socketpair()(domain, type, protocol, fds);
    if (rc == 0) {
        forgetFd(fds[0]);
        forgetFd(fds[1]);
        if (active())
            announceSocketPair(fds[0], fds[1]);
    }
    return rc;
}
