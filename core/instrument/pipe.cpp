// SPDX-License-Identifier: MIT
#include "instrument/pipe.h"

#include "trace/recorder.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <system_error>

namespace interleave::core {

namespace {

struct FrameHeader
{
    uint32_t length; // payload bytes after this header
    uint32_t reserved;
    int64_t id;
};
static_assert(sizeof(FrameHeader) == 16);

} // namespace

Pipe::Pipe(std::string_view name, bool duplex)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw std::system_error(errno, std::generic_category(),
                                "cannot create pipe '" + std::string(name) +
                                    "': socketpair failed (too many open files?)");
    // A socketpair rather than pipe2 even one-way: send(MSG_NOSIGNAL) reports a closed peer as
    // EPIPE instead of killing the process with SIGPIPE.
    if (!duplex) {
        shutdown(fds[0], SHUT_WR);
        shutdown(fds[1], SHUT_RD);
    }
    std::shared_ptr<procdetail::SharedPage> ids;
    try {
        ids = std::make_shared<procdetail::SharedPage>();
    } catch (...) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw;
    }
    m_id = recorder::enabled() ? recorder::newObject(ObjectKind::Pipe, name) : 0;
    m_end1 = Connection(fds[0], true, duplex, m_id, std::string(name), ids);
    m_end2 = Connection(fds[1], duplex, true, m_id, std::string(name), ids);
}

Connection::Connection(int fd, bool readable, bool writable, uint32_t pipeId, std::string name,
                       std::shared_ptr<procdetail::SharedPage> ids)
    : m_fd(fd)
    , m_readable(readable)
    , m_writable(writable)
    , m_pipe(pipeId)
    , m_name(std::move(name))
    , m_ids(std::move(ids))
{}

Connection::Connection(Connection &&other) noexcept
{
    *this = std::move(other);
}

Connection &Connection::operator=(Connection &&other) noexcept
{
    if (this == &other)
        return *this;
    close();
    m_fd = other.m_fd;
    m_readable = other.m_readable;
    m_writable = other.m_writable;
    m_eof = other.m_eof;
    m_pipe = other.m_pipe;
    m_name = std::move(other.m_name);
    m_ids = std::move(other.m_ids);
    other.m_fd = -1;
    return *this;
}

Connection::~Connection()
{
    close();
}

void Connection::close() noexcept
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool Connection::poll(std::chrono::nanoseconds timeout) const
{
    if (m_fd < 0)
        return false;
    pollfd p{m_fd, POLLIN, 0};
    int r;
    do
        r = ::poll(&p, 1, int(std::chrono::ceil<std::chrono::milliseconds>(timeout).count()));
    while (r < 0 && errno == EINTR);
    return r > 0;
}

bool Connection::send(std::string_view message, std::source_location where)
{
    if (m_fd < 0)
        throw std::logic_error("cannot send on pipe '" + m_name + "': this end is closed");
    if (!m_writable)
        throw std::logic_error("cannot send on pipe '" + m_name +
                               "': this end only receives (with duplex=false, send on end2)");
    if (message.size() > kMaxMessageBytes)
        throw std::length_error("cannot send " + std::to_string(message.size()) + " bytes on pipe '" + m_name +
                                "': messages are limited to " + std::to_string(kMaxMessageBytes) + " bytes");
    const FrameHeader header{uint32_t(message.size()), 0, m_ids->nextId()};
    std::string frame(sizeof header + message.size(), '\0');
    std::memcpy(frame.data(), &header, sizeof header);
    std::memcpy(frame.data() + sizeof header, message.data(), message.size());

    recorder::record(EventType::PipeSend, m_pipe, header.id, 0, recorder::enabled() ? recorder::location(where) : 0);
    size_t sent = 0;
    while (sent < frame.size()) {
        const ssize_t n = ::send(m_fd, frame.data() + sent, frame.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            sent += size_t(n);
            continue;
        }
        const int err = errno;
        if (err == EINTR)
            continue;
        if (err == EAGAIN) {
            if (procdetail::waitFd(m_fd, POLLOUT, -1) != procdetail::WaitResult::Ready)
                return false;
            continue;
        }
        throw std::system_error(err, std::generic_category(),
                                "cannot send on pipe '" + m_name + "': the other end is closed or failed");
    }
    return true;
}

Connection::Io Connection::readExactly(char *data, size_t size, int64_t deadline)
{
    size_t got = 0;
    while (got < size) {
        const ssize_t n = ::recv(m_fd, data + got, size - got, MSG_DONTWAIT);
        if (n > 0) {
            got += size_t(n);
            continue;
        }
        if (n == 0)
            return Io::Eof;
        const int err = errno;
        if (err == EINTR)
            continue;
        if (err != EAGAIN)
            return Io::Eof; // ECONNRESET: the peer is gone
        // Once a message has begun the rest is in flight: only a stop abandons it.
        if (procdetail::waitFd(m_fd, POLLIN, got == 0 ? deadline : -1) != procdetail::WaitResult::Ready)
            return Io::Stopped;
    }
    return Io::Done;
}

std::optional<std::string> Connection::recv(std::optional<std::chrono::nanoseconds> timeout, std::source_location where)
{
    if (m_fd < 0)
        throw std::logic_error("cannot receive on pipe '" + m_name + "': this end is closed");
    if (!m_readable)
        throw std::logic_error("cannot receive on pipe '" + m_name +
                               "': this end only sends (with duplex=false, receive on end1)");
    const int64_t deadline = procdetail::deadlineFor(timeout);
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    const bool waited = !poll();
    if (waited)
        recorder::record(EventType::PipeRecvWait, m_pipe, 0, timeout ? Timed : 0, loc);
    // A wait that ends without a message records PipeRecv with id 0 (ids start at 1).
    auto nothing = [&] {
        if (waited)
            recorder::record(EventType::PipeRecv, m_pipe, 0, Timed, loc);
        return std::nullopt;
    };
    FrameHeader header{};
    Io io = readExactly(reinterpret_cast<char *>(&header), sizeof header, deadline);
    if (io == Io::Eof)
        m_eof = true;
    if (io != Io::Done)
        return nothing();
    if (header.length > kMaxMessageBytes)
        throw std::runtime_error("pipe '" + m_name + "' received a length of " + std::to_string(header.length) +
                                 " bytes, more than the limit: the stream is corrupt (two writers on one end?)");
    std::string message(header.length, '\0');
    io = readExactly(message.data(), message.size(), -1);
    if (io == Io::Eof)
        m_eof = true;
    if (io != Io::Done)
        return nothing();
    recorder::record(EventType::PipeRecv, m_pipe, header.id, 0, loc);
    return message;
}

} // namespace interleave::core
