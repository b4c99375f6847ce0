// SPDX-License-Identifier: MIT
#pragma once

#include "trace/symbolizer.h"
#include "trace/tracedata.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

namespace interleave::core {

class EventLog;

/// Reads a run's event log on a thread of its own, as the run writes it, so the run's writers
/// never wait for the thread that builds the model (the window's, busy painting) and the
/// shared-memory read costs that thread nothing. What it read waits here until take() hands it
/// over, in the order it was read, a bounded slice at a time if the taker asks. Its thread first
/// makes the log's pages present in this process (EventLog::populate).
class LogDrainer
{
public:
    /// Read this far ahead of the taker at most (128 MiB of events): beyond it the log fills and
    /// the run's writers wait for the reader, as for any slow reader, instead of memory growing.
    static constexpr size_t kMaxWaiting = size_t(1) << 22;

    /// Starts draining `log`, which must outlive the drainer or its finish().
    explicit LogDrainer(EventLog &log, size_t maxWaiting = kMaxWaiting);
    ~LogDrainer();
    LogDrainer(const LogDrainer &) = delete;
    LogDrainer &operator=(const LogDrainer &) = delete;

    /// Moves into `into` every new thread and string, and at most `maxEvents` of the waiting
    /// events (0: all of them). Returns how many events it moved.
    size_t take(TraceData &into, size_t maxEvents = 0);
    /// Events read but not taken yet.
    size_t backlog() const;
    /// Asks the thread to read the log for the last time, once every writer is gone
    /// (EventLog::finish), and to stop; finished() tells when it did. What it finds is taken
    /// like the rest.
    void finishSoon();
    bool finished() const;
    /// finishSoon(), waiting for it.
    void finish();

private:
    void loop();
    void drainOnce(bool final);

    EventLog &m_log;
    const size_t m_maxWaiting;
    TraceData m_read;        ///< the reader's own: EventLog::drain wants the same TraceData each time
    Symbolizer m_symbolizer; ///< the drain thread's own
    size_t m_threadsPublished = 0;

    mutable std::mutex m_mutex; ///< guards what follows
    /// What each drain read, in order; a batch moves in and out whole, so neither side copies
    /// events while it holds the lock (a slice that ends inside a batch copies only the slice).
    std::deque<std::vector<Event>> m_batches;
    size_t m_frontTaken = 0; ///< events of the first batch taken already
    size_t m_waiting = 0;    ///< events in the batches not taken yet
    std::vector<ThreadInfo> m_threads;
    std::vector<std::pair<uint32_t, std::string>> m_strings;
    uint64_t m_dropped = 0;
    uint64_t m_torn = 0;
    std::vector<std::pair<int32_t, int32_t>> m_tornThreads;
    bool m_stop = false;      ///< stop without a last read (the destructor)
    bool m_finishing = false; ///< a last read, then stop
    bool m_finished = false;  ///< the last read is done
    std::condition_variable m_wake;

    std::thread m_thread;
};

} // namespace interleave::core
