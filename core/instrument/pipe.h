// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/process.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>

namespace interleave::core {

/// One end of a Pipe (multiprocessing.connection.Connection): length-prefixed messages over
/// one end of an AF_UNIX stream socketpair. One thread of one process uses an end at a time, as
/// in Python; after a fork each process closes the end it does not use, so that closing the
/// last copy of an end gives the other end EOF.
///
/// Recording (object = the pipe): PipeSend (arg = message id) before the bytes leave;
/// PipeRecvWait when recv() has to block; PipeRecv (arg = message id) once a whole message is in.
/// Each message carries its id (unique per pipe, from a shared page) so the model pairs them.
class Connection
{
public:
    /// Bounds what recv() accepts, so a corrupt length cannot make it allocate gigabytes.
    static constexpr size_t kMaxMessageBytes = 16u << 20;

    Connection() = default;
    Connection(Connection &&other) noexcept;
    Connection &operator=(Connection &&other) noexcept;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection();

    /// Sends one message; blocks while the socket is full (escapable by a stop request: then
    /// false). Throws std::length_error beyond kMaxMessageBytes, std::logic_error on a closed or
    /// receive-only end and std::system_error when the other end is gone (EPIPE, no SIGPIPE).
    bool send(std::string_view message, std::source_location where = std::source_location::current());
    /// The next message; nullopt at EOF (every copy of the other end closed), on timeout or on
    /// stop. eof() tells EOF apart.
    std::optional<std::string> recv(std::optional<std::chrono::nanoseconds> timeout = std::nullopt,
                                    std::source_location where = std::source_location::current());
    /// True when recv() would not block (a message, or EOF, is waiting).
    bool poll(std::chrono::nanoseconds timeout = std::chrono::nanoseconds(0)) const;
    void close() noexcept;

    bool closed() const { return m_fd < 0; }
    bool eof() const { return m_eof; }
    int fd() const { return m_fd; }

private:
    friend class Pipe;
    Connection(int fd, bool readable, bool writable, uint32_t pipeId, std::string name,
               std::shared_ptr<procdetail::SharedPage> ids);
    enum class Io
    {
        Done,
        Eof,
        Stopped
    };
    Io readExactly(char *data, size_t size, int64_t deadline);

    int m_fd = -1;
    bool m_readable = false;
    bool m_writable = false;
    bool m_eof = false;
    uint32_t m_pipe = 0;
    std::string m_name;
    std::shared_ptr<procdetail::SharedPage> m_ids;
};

/// A pipe between processes (multiprocessing.Pipe): two Connection ends. Create it before
/// forking. duplex (the default): both ends send and receive; otherwise end1 only receives and
/// end2 only sends, as in Python.
class Pipe
{
public:
    /// Throws std::system_error when the socketpair cannot be created.
    explicit Pipe(std::string_view name = "Pipe", bool duplex = true);

    uint32_t id() const { return m_id; }
    Connection &end1() { return m_end1; }
    Connection &end2() { return m_end2; }

private:
    uint32_t m_id = 0;
    Connection m_end1;
    Connection m_end2;
};

} // namespace interleave::core
