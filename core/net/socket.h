// SPDX-License-Identifier: MIT
#pragma once
// Plain POSIX TCP sockets for the master (a poll() loop in one thread) and the worker (blocking
// calls with deadlines): no event loop, so they also work in a process forked from the runner.

#include "net/protocol.h"

#include <cstdint>
#include <string>

namespace interleave::core::net {

/// A listening TCP socket (close-on-exec, non-blocking, SO_REUSEADDR) on host:port; -1 and `error`.
int listenTcp(const std::string &host, uint16_t port, std::string &error);
/// The local port of a bound socket (for port 0).
uint16_t localPort(int fd);
/// "address:port" of the peer, for log lines.
std::string peerName(int fd);
/// The peer is this machine (127.0.0.0/8, ::1 or a v4-mapped loopback address), so its pids are ours.
bool peerIsLoopback(int fd);
/// A connected TCP socket (close-on-exec, blocking); gives up at `deadlineNs` (monotonic); -1 and `error`.
int connectTcp(const std::string &host, uint16_t port, int64_t deadlineNs, std::string &error);

/// Writes all of `bytes` (MSG_NOSIGNAL: a gone peer is an error, not a SIGPIPE) before `deadlineNs`.
bool sendAll(int fd, const QByteArray &bytes, int64_t deadlineNs);

/// Reads one message from a blocking socket, keeping extra bytes in `buffer` for the next call.
struct ReceiveResult
{
    enum Status
    {
        Ok,
        Timeout,
        Closed,
        Error,
        Stopped
    };
    Status status = Error;
    Message message;
    std::string error;
};
ReceiveResult receiveMessage(int fd, QByteArray &buffer, int64_t deadlineNs, size_t maxFrame = kMaxFrame);

} // namespace interleave::core::net
