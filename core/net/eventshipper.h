// SPDX-License-Identifier: MIT
#pragma once

#include "net/eventbatch.h"
#include "trace/tracedata.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace interleave::core {
class EventLog;
}

namespace interleave::core::net {

/// The worker's half of observability, for a worker that does not record into the master's log:
/// this process' events go into a private event log (the same recorder every instrumented
/// primitive uses), and what is new since the last call becomes bounded batches for the master.
class EventShipper
{
public:
    /// A private log stamped with CLOCK_MONOTONIC (the clock the probes read, so the offset the
    /// master estimates applies to the events too), the recorder attached to it and the calling
    /// thread named. Null with `error` when the recorder already records into another log (this
    /// process then shares the master's log) or the log cannot be made. `skewNs` is added to
    /// every time this worker reports (tests: a worker whose clock is off).
    static std::unique_ptr<EventShipper> start(std::string_view threadName, int64_t skewNs, std::string &error);
    ~EventShipper();
    EventShipper(const EventShipper &) = delete;
    EventShipper &operator=(const EventShipper &) = delete;

    /// The worker's clock as it reports it: CLOCK_MONOTONIC plus the skew.
    int64_t clockNow() const;
    /// Drains the log: the events not sent yet, as batches within the wire limits (none when
    /// nothing is new). Batches are numbered from 1 over the shipper's life.
    std::vector<EventBatch> take();
    /// Events put into batches so far.
    int64_t taken() const { return m_taken; }

private:
    EventShipper() = default;
    uint32_t wireString(uint32_t id, EventBatch &batch, int &newStrings);

    std::unique_ptr<EventLog> m_log;
    TraceData m_data;
    size_t m_next = 0;
    int32_t m_pid = 0;
    int64_t m_skewNs = 0;
    int64_t m_seq = 0;
    int64_t m_taken = 0;
    std::unordered_set<uint32_t> m_sentStrings;
    std::unordered_set<uint32_t> m_sentThreads;
};

} // namespace interleave::core::net
