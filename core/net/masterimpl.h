// SPDX-License-Identifier: MIT
// Private to the Master sources (master.cpp, masterevents.cpp): what the master keeps per
// connection, and its clock.
#pragma once

#include "net/master.h"
#include "trace/recorder.h"

#include <QByteArray>

#include <climits>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

namespace interleave::core::net {

// The master's clock: the trace's time base while it records, so that shifted worker events and
// its own events compare directly.
inline int64_t clockNow()
{
    return recorder::now();
}

/// What the master knows of a worker's own recording: its process in the trace, its threads
/// (each written through its own ForeignThread), the strings and batches it declared.
struct Master::Foreign
{
    struct Thread
    {
        std::unique_ptr<recorder::ForeignThread> writer;
        int64_t last = INT64_MIN; ///< time of its last event in the trace (times never go back)
    };
    int32_t pid = 0;
    int32_t nextTid = 1;
    /// On this machine: pid and tids are the worker's real ones (else a synthetic block).
    bool local = false;
    bool child = false;   ///< a child of this process: its reaper records its exit
    int32_t ppid = 0;     ///< its real parent, when local
    bool started = false; ///< ProcessStart written
    int64_t seq = 0;      ///< last batch taken
    std::map<int64_t, Thread> threads;
    std::unordered_map<uint32_t, uint32_t> strings; ///< worker's id -> trace string id
};

struct Master::Connection
{
    int fd = -1;
    std::string peer;
    bool loopback = false; ///< the peer is this machine
    bool loggedIn = false;
    int64_t loginDeadline = 0;
    QByteArray challenge;
    std::string name;
    int32_t pid = 0;
    QByteArray in;
    QByteArray out;
    int64_t getDeadline = -1;                              ///< a "get" waiting for a task until then; -1: none
    int64_t getSince = 0;                                  ///< for fairness: the longest waiting get is served first
    std::map<int64_t, std::pair<int64_t, int64_t>> leases; ///< task id -> (item id, since)
    /// Tasks whose lease ran out while this worker held them (re-queued): a result for one of
    /// them that comes later is ignored and counted, not taken as a protocol violation.
    std::set<int64_t> lapsed;
    int64_t lastHeard = 0; ///< monotonic ns of its last frame, or of the last hand-out to it
    bool closing = false;
    int64_t acceptedAt = 0; ///< on the master's clock (clockNow)
    // The clock probes: NTP's four times, the master's two kept here, the worker's two in its pong.
    int probes = 0; ///< answered so far
    int64_t probeSentAt = 0;
    bool synced = false;
    int64_t offsetNs = 0; ///< master clock - worker clock, from the probe with the shortest round trip
    int64_t rttNs = -1;
    /// Everything handed to this worker, for checking its events and placing them after the hand-out:
    /// item -> (task id, hand-out time), and task id -> its last hand-out time.
    std::map<int64_t, std::pair<int64_t, int64_t>> handed;
    std::map<int64_t, int64_t> handedTasks;
    std::unique_ptr<Foreign> foreign;
    int byeStatus = -1;      ///< the status its goodbye announced; -1: it left without one
    size_t trace = SIZE_MAX; ///< index in m_workerTraces
};

} // namespace interleave::core::net
