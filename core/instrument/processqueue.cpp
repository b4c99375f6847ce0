// SPDX-License-Identifier: MIT
#include "instrument/processqueue.h"

#include "trace/clock.h"
#include "trace/recorder.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <system_error>

namespace interleave::core {

namespace {
constexpr size_t kHeaderBytes = sizeof(int64_t); // the item id travels in front of the item
}

ProcessQueue::ProcessQueue(std::string_view name)
    : m_name(name)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        throw std::system_error(errno, std::generic_category(),
                                "cannot create process queue '" + m_name +
                                    "': socketpair failed (too many open files?)");
    m_readFd = fds[0];
    m_writeFd = fds[1];
    // As many unread items as the kernel allows (capped at net.core.wmem_max) before put() blocks.
    const int want = 4 << 20;
    setsockopt(m_writeFd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
    try {
        m_shared = std::make_unique<procdetail::SharedPage>();
    } catch (...) {
        ::close(m_readFd);
        ::close(m_writeFd);
        throw;
    }
    m_id = recorder::enabled() ? recorder::newObject(ObjectKind::ProcessQueue, m_name) : 0;
}

ProcessQueue::~ProcessQueue()
{
    ::close(m_readFd);
    ::close(m_writeFd);
}

bool ProcessQueue::put(std::string_view item, std::optional<std::chrono::nanoseconds> timeout,
                       std::source_location where)
{
    if (item.size() > kMaxItemBytes)
        throw std::length_error("cannot put " + std::to_string(item.size()) + " bytes on queue '" + m_name +
                                "': items are limited to " + std::to_string(kMaxItemBytes) +
                                " bytes (send a file name or split the data)");
    const int64_t deadline = procdetail::deadlineFor(timeout);
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    const int64_t itemId = m_shared->nextId();
    std::string message(kHeaderBytes + item.size(), '\0');
    std::memcpy(message.data(), &itemId, kHeaderBytes);
    std::memcpy(message.data() + kHeaderBytes, item.data(), item.size());

    // Recorded before sending: a getter in another process may receive it at once.
    recorder::record(EventType::QueuePut, m_id, itemId, 0, loc);
    recorder::record(EventType::QueueDepth, m_id, m_shared->addDepth(1));
    for (;;) {
        if (::send(m_writeFd, message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
            return true;
        const int err = errno;
        if (err == EINTR)
            continue;
        if (err == EAGAIN && procdetail::waitFd(m_writeFd, POLLOUT, deadline) == procdetail::WaitResult::Ready)
            continue;
        recorder::record(EventType::QueueDepth, m_id, m_shared->addDepth(-1));
        if (err == EAGAIN)
            return false; // timeout or stop while the queue was full
        throw std::system_error(err, std::generic_category(), "cannot put on queue '" + m_name + "'");
    }
}

std::optional<std::string> ProcessQueue::get(bool block, std::optional<std::chrono::nanoseconds> timeout,
                                             std::source_location where)
{
    const int64_t deadline = block ? procdetail::deadlineFor(timeout) : clock::monotonicNs();
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    std::string message(kHeaderBytes + kMaxItemBytes, '\0');
    bool waited = false;
    for (;;) {
        const ssize_t got = ::recv(m_readFd, message.data(), message.size(), MSG_DONTWAIT);
        if (got >= ssize_t(kHeaderBytes)) {
            int64_t itemId = 0;
            std::memcpy(&itemId, message.data(), kHeaderBytes);
            recorder::record(EventType::QueueGet, m_id, itemId, 0, loc);
            recorder::record(EventType::QueueDepth, m_id, m_shared->addDepth(-1));
            message.erase(0, kHeaderBytes);
            message.resize(size_t(got) - kHeaderBytes);
            return message;
        }
        const int err = got < 0 ? errno : EAGAIN;
        if (got < 0 && err == EINTR)
            continue;
        if (got < 0 && err != EAGAIN)
            throw std::system_error(err, std::generic_category(), "cannot get from queue '" + m_name + "'");
        if (!waited && block && !(deadline >= 0 && timeout && timeout->count() <= 0)) {
            waited = true;
            recorder::record(EventType::QueueGetWait, m_id, 0, timeout ? Timed : 0, loc);
        }
        if (procdetail::waitFd(m_readFd, POLLIN, deadline) != procdetail::WaitResult::Ready) {
            // One last look: an item may have arrived just as the wait ended.
            if (::recv(m_readFd, nullptr, 0, MSG_DONTWAIT | MSG_PEEK) >= 0)
                continue;
            if (waited)
                recorder::record(EventType::QueueGet, m_id, 0, Timed, loc);
            return std::nullopt;
        }
    }
}

} // namespace interleave::core
