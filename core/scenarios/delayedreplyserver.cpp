// SPDX-License-Identifier: MIT
#include "scenarios/delayedreplyserver.h"

#include "instrument/blocking.h"
#include "trace/clock.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <system_error>
#include <utility>

namespace interleave::core {

namespace {

// The peer's whole life: collect requests, answer each when its delay is over, leave when
// every connection is closed (or the runner is gone).
int serveDelayedReplies(const std::vector<int> &serverFds)
{
    using Due = std::pair<int64_t, int>; // (monotonic ns, fd)
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due;
    std::vector<pollfd> polls;
    for (int fd : serverFds)
        polls.push_back({fd, POLLIN, 0});
    size_t open = polls.size();
    const pid_t parent = getppid();
    while (open > 0) {
        int64_t now = clock::monotonicNs();
        while (!due.empty() && due.top().first <= now) {
            const char reply = '!';
            ::send(due.top().second, &reply, 1, MSG_NOSIGNAL);
            due.pop();
        }
        // Wake for the next reply due, or now and then to notice a runner that vanished.
        int timeoutMs = 1000;
        if (!due.empty())
            timeoutMs = int((due.top().first - now + 999'999) / 1'000'000);
        int ready;
        {
            IoWait wait("requests");
            ready = ::poll(polls.data(), nfds_t(polls.size()), timeoutMs);
        }
        if (getppid() != parent)
            return 1;
        if (ready <= 0)
            continue;
        now = clock::monotonicNs();
        for (pollfd &p : polls) {
            if (p.fd < 0 || p.revents == 0)
                continue;
            uint32_t delayMs = 0;
            const ssize_t n = ::recv(p.fd, &delayMs, sizeof delayMs, MSG_DONTWAIT);
            if (n == ssize_t(sizeof delayMs)) {
                due.emplace(now + int64_t(delayMs) * 1'000'000, p.fd);
            } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                ::close(p.fd);
                p.fd = -1; // poll() skips negative descriptors
                --open;
            }
        }
    }
    return 0;
}

} // namespace

DelayedReplyServer::DelayedReplyServer(int connections, std::string_view name)
{
    std::vector<int> serverFds;
    for (int i = 0; i < connections; ++i) {
        int pair[2];
        // SEQPACKET keeps each request one message; CLOEXEC keeps the ends out of spawned programs.
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
            const int err = errno;
            for (int fd : m_fds)
                ::close(fd);
            for (int fd : serverFds)
                ::close(fd);
            throw std::system_error(err, std::generic_category(),
                                    "cannot create a socket pair for the reply server (too many open files?)");
        }
        m_fds.push_back(pair[0]);
        serverFds.push_back(pair[1]);
    }
    const std::vector<int> clientFds = m_fds;
    m_peer = Process::fork(name, [serverFds, clientFds] {
        // The peer must not hold our ends, or it would never see them close.
        for (int fd : clientFds)
            ::close(fd);
        return serveDelayedReplies(serverFds);
    });
    for (int fd : serverFds)
        ::close(fd);
}

DelayedReplyServer::~DelayedReplyServer()
{
    for (int fd : m_fds)
        ::close(fd);
    // It leaves at once on EOF; the Process destructor kills it if it does not.
    m_peer.join(std::chrono::seconds(2));
}

bool DelayedReplyServer::sendRequest(int fd, std::chrono::milliseconds delay)
{
    const auto delayMs = uint32_t(delay.count());
    return ::send(fd, &delayMs, sizeof delayMs, MSG_NOSIGNAL) == ssize_t(sizeof delayMs);
}

bool DelayedReplyServer::readReply(int fd)
{
    char reply = 0;
    return ::recv(fd, &reply, 1, MSG_DONTWAIT) == 1;
}

bool DelayedReplyServer::waitForReply(int fd)
{
    procdetail::WaitResult result;
    {
        IoWait wait("reply from server");
        result = procdetail::waitFd(fd, POLLIN, -1);
    }
    return result == procdetail::WaitResult::Ready && readReply(fd);
}

} // namespace interleave::core
