// SPDX-License-Identifier: MIT
#include "net/redis.h"

#include "instrument/blocking.h"
#include "trace/clock.h"

#include <hiredis.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace interleave::core::net {

namespace {

timeval toTimeval(std::chrono::milliseconds d)
{
    return {static_cast<time_t>(d.count() / 1000), static_cast<suseconds_t>((d.count() % 1000) * 1000)};
}

/// A Redis timeout in seconds ("0.25"): Redis 6 and later take fractions.
std::string seconds(std::chrono::milliseconds d)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", double(d.count()) / 1000.0);
    return text;
}

} // namespace

RedisConnection::~RedisConnection()
{
    if (m_context)
        redisFree(m_context);
}

bool RedisConnection::connectUnix(const std::string &path, std::string &error)
{
    m_context = redisConnectUnixWithTimeout(path.c_str(), toTimeval(std::chrono::seconds(2)));
    if (m_context && !m_context->err)
        return true;
    error = "cannot connect to redis-server at " + path + ": " + (m_context ? m_context->errstr : "out of memory");
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
    return false;
}

bool RedisConnection::connectTcp(const std::string &host, uint16_t port, std::string &error)
{
    m_context = redisConnectWithTimeout(host.c_str(), port, toTimeval(std::chrono::seconds(2)));
    if (m_context && !m_context->err)
        return true;
    error = "cannot connect to Redis at " + host + ":" + std::to_string(port) + ": " +
            (m_context ? m_context->errstr : "out of memory");
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
    return false;
}

void *RedisConnection::command(const std::vector<std::string> &args, std::chrono::milliseconds timeout)
{
    if (!m_context) {
        m_error = "not connected";
        return nullptr;
    }
    // A blocking command waits up to its own timeout on the server: the socket waits a little longer.
    redisSetTimeout(m_context, toTimeval(timeout + std::chrono::seconds(5)));
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const std::string &a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    auto *reply = static_cast<redisReply *>(redisCommandArgv(m_context, int(argv.size()), argv.data(), lengths.data()));
    if (!reply) {
        m_error = m_context->errstr;
        return nullptr;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        m_error = std::string(reply->str, reply->len);
        freeReplyObject(reply);
        return nullptr;
    }
    m_error.clear();
    return reply;
}

int64_t RedisConnection::integerCommand(const std::vector<std::string> &args)
{
    auto *reply = static_cast<redisReply *>(command(args));
    if (!reply)
        return -1;
    const int64_t value = reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
    if (reply->type != REDIS_REPLY_INTEGER)
        m_error = "unexpected reply to " + args.front();
    freeReplyObject(reply);
    return value;
}

std::optional<std::string> RedisConnection::stringCommand(const std::vector<std::string> &args,
                                                          std::chrono::milliseconds timeout, bool arrayOfTwo)
{
    auto *reply = static_cast<redisReply *>(command(args, timeout));
    if (!reply)
        return std::nullopt;
    std::optional<std::string> value;
    // BLPOP answers [key, element]; the others the element itself.
    const redisReply *element = reply;
    if (arrayOfTwo && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2)
        element = reply->element[1];
    if (element->type == REDIS_REPLY_STRING)
        value = std::string(element->str, element->len);
    freeReplyObject(reply);
    return value;
}

int64_t RedisConnection::rpush(const std::string &key, const std::string &value)
{
    return integerCommand({"RPUSH", key, value});
}

int64_t RedisConnection::lpush(const std::string &key, const std::string &value)
{
    return integerCommand({"LPUSH", key, value});
}

std::optional<std::string> RedisConnection::blmove(const std::string &from, const std::string &to,
                                                   std::chrono::milliseconds timeout)
{
    return stringCommand({"BLMOVE", from, to, "LEFT", "RIGHT", seconds(timeout)}, timeout);
}

std::optional<std::string> RedisConnection::lmoveToFront(const std::string &from, const std::string &to)
{
    return stringCommand({"LMOVE", from, to, "RIGHT", "LEFT"}, std::chrono::seconds(0));
}

std::optional<std::string> RedisConnection::blpop(const std::string &key, std::chrono::milliseconds timeout)
{
    return stringCommand({"BLPOP", key, seconds(timeout)}, timeout, true);
}

int64_t RedisConnection::lrem(const std::string &key, int64_t count, const std::string &value)
{
    return integerCommand({"LREM", key, std::to_string(count), value});
}

int64_t RedisConnection::llen(const std::string &key)
{
    return integerCommand({"LLEN", key});
}

int64_t RedisConnection::incr(const std::string &key)
{
    return integerCommand({"INCR", key});
}

int64_t RedisConnection::getNumber(const std::string &key)
{
    const auto text = stringCommand({"GET", key}, std::chrono::seconds(0));
    return text ? std::atoll(text->c_str()) : 0;
}

bool RedisConnection::del(const std::vector<std::string> &keys)
{
    std::vector<std::string> args{"DEL"};
    args.insert(args.end(), keys.begin(), keys.end());
    return integerCommand(args) >= 0;
}

void RedisConnection::shutdownServer()
{
    // No reply comes: the server closes the connection as it ends.
    if (auto *reply = static_cast<redisReply *>(command({"SHUTDOWN", "NOSAVE"}, std::chrono::seconds(0))))
        freeReplyObject(reply);
}

RedisServer::~RedisServer()
{
    stop();
}

bool RedisServer::start(std::chrono::milliseconds timeout, std::string &error)
{
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    std::string dir = (ec ? std::filesystem::path("/tmp") : base) / "interleave-redis-XXXXXX";
    if (!::mkdtemp(dir.data())) {
        error = "cannot make a folder for redis-server: " + std::string(std::strerror(errno));
        return false;
    }
    m_dir = dir;
    m_socket = m_dir + "/redis.sock";
    // No TCP port, nothing saved: the server lives and dies with the run.
    SpawnOptions options;
    options.captureStdout = true;
    options.captureStderr = true;
    m_process = Process::spawn({"redis-server", "--port", "0", "--unixsocket", m_socket, "--unixsocketperm", "700",
                                "--save", "", "--appendonly", "no", "--dir", m_dir, "--loglevel", "warning"},
                               options);
    const int64_t deadline = clock::monotonicNs() + int64_t(timeout.count()) * 1000000;
    for (;;) {
        if (m_process.poll()) {
            error = m_process.error().empty()
                        ? "redis-server ended at once: " + m_process.stderrText() + m_process.stdoutText()
                        : m_process.error();
            stop();
            return false;
        }
        RedisConnection probe;
        std::string why;
        if (std::filesystem::exists(m_socket, ec) && probe.connectUnix(m_socket, why))
            return true;
        if (clock::monotonicNs() >= deadline || instrument::stopRequested()) {
            error = "redis-server did not answer within " + std::to_string(timeout.count()) + " ms";
            stop();
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void RedisServer::stop()
{
    if (m_process.pid() > 0 && !m_process.finished()) {
        {
            RedisConnection c;
            std::string why;
            if (c.connectUnix(m_socket, why))
                c.shutdownServer();
        }
        if (!m_process.join(std::chrono::seconds(2))) {
            m_process.kill();
            m_process.join();
        }
    }
    if (!m_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
        m_dir.clear();
    }
}

} // namespace interleave::core::net
