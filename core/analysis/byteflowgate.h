// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace interleave::core {

/// matchByteFlows for a trace that is still being recorded: sits between the log drain and the
/// model, so the live view draws a traced program's pipe arrows as they happen. The model ingests
/// an event once, so a read must carry its item ids when it reaches the model: a ByteStream read
/// whose bytes have not all been seen written yet is held back, and every later event of its
/// thread with it, until the writes arrive (usually the next drain), the trace has gone on for
/// kHoldLimitNs without them (a writer that is not traced), or the run ends (flush).
///
/// Same rules as matchByteFlows, with these differences, which only concurrent writers or readers
/// of one channel can tell apart: writes and reads are ordered as they arrive (each thread's in
/// its own order), and a channel's id is the first one seen for its name.
class ByteFlowGate
{
public:
    static constexpr int64_t kHoldLimitNs = 250'000'000;

    /// Moves what `staging` holds (threads, strings, counters, events) into `into`, events
    /// rewritten or held back as above. `staging` is left empty for the next take. `now`, in the
    /// events' time base (clock::monotonicNs() during a run), lets a quiet trace's held reads go
    /// too; without it the hold limit counts from the newest event seen.
    void pass(TraceData &staging, TraceData &into, int64_t now = INT64_MIN);
    /// Releases every event held back: the run is over.
    void flush(TraceData &into);
    /// Events held back now.
    size_t held() const;

private:
    struct Direction
    {
        uint64_t sent = 0;
        uint64_t received = 0;
        std::deque<std::pair<uint64_t, int64_t>> ends; ///< (stream position of a write's last byte, its item), unread
    };

    bool step(Event e, TraceData &into, bool force);
    void announce(Event &e, const TraceData &into);
    bool receive(Event e, TraceData &into, bool force);
    void send(Event e, TraceData &into);
    uint32_t channelOf(const std::string &name);
    void release(TraceData &into, bool all);

    std::unordered_map<uint32_t, std::deque<Event>> m_held; ///< by thread, in its order
    std::unordered_map<std::string, uint32_t> m_byName;     ///< channel name -> its id
    std::unordered_map<uint32_t, uint32_t> m_canonical;     ///< announced id -> its name's id
    std::unordered_map<uint32_t, std::string> m_names;      ///< channel id -> name
    std::unordered_map<std::string, std::string> m_peer;    ///< socket name -> its socketpair peer's
    std::unordered_map<uint64_t, Direction> m_directions;
    std::unordered_map<uint32_t, int64_t> m_lastItem; ///< per object: highest item id given
    /// Ids for a socketpair peer that no process announced yet, from the top of the id space
    /// (the recorder's counter starts at the bottom); its announcement later maps to it.
    uint32_t m_nextPeerId = 0xffffff00u;
    int64_t m_newest = -kTimeLimit; ///< the newest event time seen, or the `now` given
};

} // namespace interleave::core
