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

/// A queue between processes (multiprocessing.Queue): create it before forking, then put()
/// and get() from any process that inherited it.
///
/// Channel: an AF_UNIX SOCK_SEQPACKET socketpair. Every process holds both ends; a message
/// written to one end is received whole by exactly one reader of the other, so many writers and
/// many readers need no lock and cannot tear a message (a pipe only guarantees that up to
/// PIPE_BUF = 4 KiB, and a stream socket never). Item ids and the depth live in a shared page.
///
/// Recording (object = the queue): QueuePut (arg = item id) just before the item is sent, so it
/// always precedes its QueueGet; QueueDepth (arg = depth) after each change; QueueGetWait only
/// when a get() has to block; QueueGet (arg = item id) once received. A get() that ends without an
/// item (timeout, stop) records QueueGet with arg 0 and the Timed flag: ids start at 1.
class ProcessQueue
{
public:
    /// Items are bounded so that one message always fits the socket buffer.
    static constexpr size_t kMaxItemBytes = 64 * 1024;

    /// Throws std::system_error when the socketpair or the shared page cannot be created.
    explicit ProcessQueue(std::string_view name = "Queue");
    ~ProcessQueue();
    ProcessQueue(const ProcessQueue &) = delete;
    ProcessQueue &operator=(const ProcessQueue &) = delete;

    uint32_t id() const { return m_id; }
    const std::string &name() const { return m_name; }

    /// Sends one item (bytes or text). Blocks only while the socket buffer is full; false when
    /// `timeout` expired or a stop was requested first. Throws std::length_error beyond
    /// kMaxItemBytes and std::system_error when the channel fails.
    bool put(std::string_view item, std::optional<std::chrono::nanoseconds> timeout = std::nullopt,
             std::source_location where = std::source_location::current());
    /// The next item; with `block` waits up to `timeout` (forever if none), escapable by a stop
    /// request. nullopt when nothing arrived in time.
    std::optional<std::string> get(bool block = true, std::optional<std::chrono::nanoseconds> timeout = std::nullopt,
                                   std::source_location where = std::source_location::current());

    /// Items put and not yet got, across all processes (qsize(); approximate while others work).
    int64_t size() const { return m_shared->depth(); }
    bool empty() const { return size() <= 0; }

private:
    std::string m_name;
    uint32_t m_id = 0;
    int m_readFd = -1;  // receiving end, shared by every reader
    int m_writeFd = -1; // sending end, shared by every writer
    std::unique_ptr<procdetail::SharedPage> m_shared;
};

} // namespace interleave::core
