// SPDX-License-Identifier: MIT
#pragma once

#include "trace/event.h"

#include <cstdint>
#include <memory>
#include <source_location>
#include <string_view>

namespace interleave::core {

class EventLog;
struct WriterCursor;

/// The process-wide recording front end used by instrumented primitives. It writes into the
/// EventLog attached with attach(); with none attached (or after detach) every call is a
/// no-op that costs one predictable branch. Thread-safe; fork-safe (see afterForkInChild).
namespace recorder {

namespace detail {
extern bool g_on; // set by attach(); read without synchronisation on the hot path
void recordSlow(EventType type, uint32_t object, int64_t arg, uint8_t flags, uint32_t loc) noexcept;
/// Detaches if `log` is the attached log (called by ~EventLog so no thread writes into freed memory).
void forget(const EventLog *log) noexcept;
/// Tests only: writes every field of the calling thread's next slot but not its commit word,
/// as a writer killed in the middle of record() leaves it.
void writeUncommittedForTest(EventType type, uint32_t object, int64_t arg) noexcept;
} // namespace detail

/// Starts recording into `log` (mapped in this process). Also installs the fork handlers.
void attach(EventLog *log);
/// Stops recording; pending chunks of this process are closed so the reader can free them.
void detach();
inline bool enabled() noexcept
{
    return detail::g_on;
}

/// Records one event from the calling thread. A few ns; no syscall, no allocation after the
/// thread's first event; holds the caller while the run is paused (see EventLog::setPaused).
inline void record(EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0, uint32_t loc = 0) noexcept
{
    if (detail::g_on)
        detail::recordSlow(type, object, arg, flags, loc);
}

/// Interns a string in the log's string table and returns its id (0 for none / not recording).
/// The same string in the same process returns the same id without touching the log.
uint32_t intern(std::string_view text);
/// Interns "path:line" of a call site (path as compiled: repo-relative for this project's files);
/// cached per call site, cheap after the first call.
uint32_t location(const std::source_location &where);
/// A new object id with its kind and name announced by an ObjectNew event.
uint32_t newObject(ObjectKind kind, std::string_view name);
/// Names the calling thread (ThreadName event) and remembers the name for this thread.
void nameThread(std::string_view name);

/// Now, in the time base of the attached log's events (CLOCK_MONOTONIC ns, or the calibrated
/// cycle counter); CLOCK_MONOTONIC when not recording.
int64_t now() noexcept;

/// Writes events on behalf of a thread of another process, e.g. a remote worker's events that
/// the master re-records: its own chunks stamped with the given (pid, tid), and times given by
/// the caller (in the base of now()). Separate from the thread-local cursor, so the hot
/// record() path is untouched. One thread at a time may use an object; the chunks name that
/// thread as their owner, so the reader keeps them while it lives: call close() from it before
/// it ends.
class ForeignThread
{
public:
    ForeignThread(int32_t pid, int32_t tid);
    ~ForeignThread();
    ForeignThread(const ForeignThread &) = delete;
    ForeignThread &operator=(const ForeignThread &) = delete;

    int32_t pid() const noexcept;
    int32_t tid() const noexcept;
    /// Records one event stamped `timeNs`; false when not recording or no chunk is free (counted
    /// as dropped). Holds the caller while the run is paused, as record() does.
    bool record(int64_t timeNs, EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0,
                uint32_t loc = 0, uint16_t cpu = 0xffff) noexcept;
    /// Publishes the current chunk's final count so the reader can free it (also on destruction).
    void close() noexcept;

private:
    std::unique_ptr<WriterCursor> m_cursor;
};

/// Records the end of child `pid` as waitpid's `status` gives it (ProcessExit: exit code, or the
/// signal with ExitSignal), from the thread that reaped it.
void recordProcessExit(int32_t pid, int status) noexcept;

/// Must be called in the child right after fork() (the Process wrapper does; a pthread_atfork
/// handler does too): the child gets its own chunks and its own pid/tid. Async-signal-safe.
void afterForkInChild() noexcept;
/// Closes the calling thread's chunk (thread exit, or before _exit in a child process).
void closeThread() noexcept;

} // namespace recorder
} // namespace interleave::core
