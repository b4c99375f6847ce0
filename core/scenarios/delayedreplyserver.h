// SPDX-License-Identifier: MIT
#pragma once
// The far end of real IO for the "cpu-vs-io" and "async" scenarios: a separate process that
// answers each request after the delay the request asks for, like a slow web service.

#include "instrument/process.h"

#include <chrono>
#include <string_view>
#include <vector>

namespace interleave::core {

/// A forked peer process holding `connections` Unix sockets (SOCK_SEQPACKET pairs). A request is
/// a delay in ms; the peer sends a one-byte reply once that delay has passed, serving every
/// connection at once with poll(). It exits when every connection is closed (the destructor).
class DelayedReplyServer
{
public:
    explicit DelayedReplyServer(int connections, std::string_view name = "server");
    /// Closes our ends (the peer sees EOF and exits) and joins the peer.
    ~DelayedReplyServer();
    DelayedReplyServer(const DelayedReplyServer &) = delete;
    DelayedReplyServer &operator=(const DelayedReplyServer &) = delete;

    int connections() const { return int(m_fds.size()); }
    /// Our end of connection `i`: send a request on it, then wait until it is readable.
    int socket(int i) const { return m_fds[size_t(i)]; }
    pid_t pid() const { return m_peer.pid(); }

    /// Asks for a reply on `fd` after `delay`. False if the peer is gone.
    static bool sendRequest(int fd, std::chrono::milliseconds delay);
    /// Reads the reply once `fd` is readable (does not block longer than that). False if the peer is gone.
    static bool readReply(int fd);
    /// Blocks until the reply on `fd` arrives, recorded as an IoWait; false on stop or a gone peer.
    static bool waitForReply(int fd);

private:
    std::vector<int> m_fds;
    Process m_peer;
};

} // namespace interleave::core
