// SPDX-License-Identifier: MIT
#pragma once
// A real broker for the distributed lesson: a redis-server of the run's own (or one that already
// runs), and a connection to it through hiredis with the few list commands the lesson uses.

#include "instrument/process.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct redisContext;

namespace interleave::core::net {

/// One connection to a Redis server (hiredis, blocking, with a timeout on every command).
class RedisConnection
{
public:
    RedisConnection() = default;
    ~RedisConnection();
    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    /// Connects to a unix socket, or to HOST:PORT over TCP; false and `error`.
    bool connectUnix(const std::string &path, std::string &error);
    bool connectTcp(const std::string &host, uint16_t port, std::string &error);
    bool connected() const { return m_context != nullptr; }

    /// RPUSH / LPUSH key value: the list's length after it, -1 on error.
    int64_t rpush(const std::string &key, const std::string &value);
    int64_t lpush(const std::string &key, const std::string &value);
    /// BLMOVE from to LEFT RIGHT timeout: the element moved, nullopt when `from` stayed empty
    /// for `timeout` (or on error: see failed()).
    std::optional<std::string> blmove(const std::string &from, const std::string &to,
                                      std::chrono::milliseconds timeout);
    /// LMOVE from to RIGHT LEFT (the newest of `from` to the head of `to`), nullopt when `from` is empty.
    std::optional<std::string> lmoveToFront(const std::string &from, const std::string &to);
    /// BLPOP key timeout: the element, nullopt on timeout.
    std::optional<std::string> blpop(const std::string &key, std::chrono::milliseconds timeout);
    /// LREM key count value: how many were removed, -1 on error.
    int64_t lrem(const std::string &key, int64_t count, const std::string &value);
    /// LLEN key, -1 on error.
    int64_t llen(const std::string &key);
    /// INCR key, -1 on error.
    int64_t incr(const std::string &key);
    /// GET key as a number (0 when missing).
    int64_t getNumber(const std::string &key);
    /// DEL keys...; false on error.
    bool del(const std::vector<std::string> &keys);
    /// SHUTDOWN NOSAVE: the server ends (the connection breaks).
    void shutdownServer();

    /// The last command failed (connection broken, error reply): why.
    bool failed() const { return !m_error.empty(); }
    const std::string &error() const { return m_error; }

private:
    /// Runs a command given as its arguments; the reply (freed by the caller) or null with m_error set.
    void *command(const std::vector<std::string> &args, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    int64_t integerCommand(const std::vector<std::string> &args);
    std::optional<std::string> stringCommand(const std::vector<std::string> &args, std::chrono::milliseconds timeout,
                                             bool arrayOfTwo = false);

    redisContext *m_context = nullptr;
    std::string m_error;
};

/// A redis-server of the run's own: a child process (a lane in the trace) listening only on a
/// unix socket in a private temporary folder (no TCP port), keeping nothing on disk. stop() ends
/// it and removes the folder; the destructor does too.
class RedisServer
{
public:
    RedisServer() = default;
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    /// Starts redis-server and waits until it answers (at most `timeout`); false and `error`.
    bool start(std::chrono::milliseconds timeout, std::string &error);
    const std::string &socketPath() const { return m_socket; }
    pid_t pid() const { return m_process.pid(); }
    /// Asks the server to end, waits for it (SIGKILL after 2 s) and removes its folder.
    void stop();

private:
    Process m_process;
    std::string m_dir;
    std::string m_socket;
};

} // namespace interleave::core::net
