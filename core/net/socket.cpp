// SPDX-License-Identifier: MIT
#include "net/socket.h"

#include "instrument/blocking.h"
#include "trace/clock.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace interleave::core::net {

namespace {

addrinfo *resolve(const std::string &host, uint16_t port, bool passive, std::string &error)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    addrinfo *list = nullptr;
    const std::string service = std::to_string(port);
    const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (rc != 0) {
        error = "cannot resolve '" + host + "': " + gai_strerror(rc);
        return nullptr;
    }
    return list;
}

// Waits for `events` on fd until the deadline, looking at the stop flag every 50 ms.
int waitFor(int fd, short events, int64_t deadlineNs)
{
    for (;;) {
        if (instrument::stopRequested())
            return -2;
        int64_t left = deadlineNs < 0 ? 50 : (deadlineNs - clock::monotonicNs()) / 1000000;
        if (deadlineNs >= 0 && deadlineNs - clock::monotonicNs() <= 0)
            return 0;
        if (left > 50)
            left = 50;
        if (left < 1)
            left = 1;
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, int(left));
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

} // namespace

int listenTcp(const std::string &host, uint16_t port, std::string &error)
{
    addrinfo *list = resolve(host, port, true, error);
    if (!list)
        return -1;
    int fd = -1;
    for (addrinfo *a = list; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            error = std::string("cannot create a socket: ") + std::strerror(errno);
            continue;
        }
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0)
            break;
        error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    return fd;
}

uint16_t localPort(int fd)
{
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return 0;
    if (addr.ss_family == AF_INET)
        return ntohs(reinterpret_cast<sockaddr_in *>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_port);
    return 0;
}

std::string peerName(int fd)
{
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return "?";
    char host[INET6_ADDRSTRLEN] = "?";
    uint16_t port = 0;
    if (addr.ss_family == AF_INET) {
        const auto *in = reinterpret_cast<sockaddr_in *>(&addr);
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        std::string name(host);
        name.append(":").append(std::to_string(port));
        return name;
    }
    if (addr.ss_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<sockaddr_in6 *>(&addr);
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        std::string name("[");
        name.append(host).append("]:").append(std::to_string(port));
        return name;
    }
    return "?";
}

bool peerIsLoopback(int fd)
{
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return false;
    if (addr.ss_family == AF_INET)
        return (ntohl(reinterpret_cast<sockaddr_in *>(&addr)->sin_addr.s_addr) >> 24) == 127;
    if (addr.ss_family == AF_INET6) {
        const in6_addr &a = reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
    }
    return false;
}

int connectTcp(const std::string &host, uint16_t port, int64_t deadlineNs, std::string &error)
{
    addrinfo *list = resolve(host, port, false, error);
    if (!list)
        return -1;
    int fd = -1;
    for (addrinfo *a = list; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            error = std::string("cannot create a socket: ") + std::strerror(errno);
            continue;
        }
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            const int w = waitFor(fd, POLLOUT, deadlineNs);
            int soError = w > 0 ? 0 : ETIMEDOUT;
            socklen_t len = sizeof soError;
            if (w > 0)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len);
            errno = soError;
            rc = soError == 0 ? 0 : -1;
        }
        if (rc == 0) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            break;
        }
        error = "cannot connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    return fd;
}

bool sendAll(int fd, const QByteArray &bytes, int64_t deadlineNs)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n =
            ::send(fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (waitFor(fd, POLLOUT, deadlineNs) <= 0)
                return false;
            continue;
        }
        return false;
    }
    return true;
}

ReceiveResult receiveMessage(int fd, QByteArray &buffer, int64_t deadlineNs, size_t maxFrame)
{
    ReceiveResult out;
    for (;;) {
        const auto *data = reinterpret_cast<const uint8_t *>(buffer.constData());
        // The master's opening for Python clients (protocol.h): not meant for a worker.
        if (const size_t skip = multiprocessingChallengeFrame(data, size_t(buffer.size())); skip > 0) {
            buffer.remove(0, qsizetype(skip));
            continue;
        }
        const FrameResult frame = decodeFrame(data, size_t(buffer.size()), maxFrame);
        if (frame.status == FrameResult::Frame) {
            buffer.remove(0, qsizetype(frame.consumed));
            out.status = ReceiveResult::Ok;
            out.message = frame.message;
            return out;
        }
        if (frame.status == FrameResult::Error) {
            out.status = ReceiveResult::Error;
            out.error = frame.error;
            return out;
        }
        const int w = waitFor(fd, POLLIN, deadlineNs);
        if (w == 0) {
            out.status = ReceiveResult::Timeout;
            return out;
        }
        if (w == -2) {
            out.status = ReceiveResult::Stopped;
            return out;
        }
        char chunk[16384];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            buffer.append(chunk, n);
        } else if (n == 0) {
            out.status = ReceiveResult::Closed;
            return out;
        } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            out.status = ReceiveResult::Closed;
            out.error = std::strerror(errno);
            return out;
        }
    }
}

} // namespace interleave::core::net
