// SPDX-License-Identifier: MIT
#pragma once
// A worker's own events on the wire: a worker that does not record into the master's log (on
// another machine, or `interleave worker` started by hand) records locally and sends its events
// in bounded batches; the master checks every field and records them again as events of a
// process of its own trace.

#include "net/protocol.h"
#include "trace/event.h"

#include <QByteArray>

#include <cstdint>
#include <string>
#include <vector>

namespace interleave::core::net {

/// Most events in one batch (about 30 bytes each on the wire).
inline constexpr int kMaxBatchEvents = 512;
/// Most new strings in one batch, and their longest text in bytes (longer ones are cut by the sender).
inline constexpr int kMaxBatchStrings = 64;
inline constexpr int kMaxStringBytes = 512;
/// Threads one worker may declare over its connection, and strings in total.
inline constexpr int kMaxForeignThreads = 64;
inline constexpr int kMaxForeignStrings = 4096;
/// Largest time a worker may send (ns): far beyond any uptime, far below int64 overflow.
inline constexpr int64_t kMaxWireTime = int64_t(1) << 62;
/// Largest thread id a worker may name (Linux' PID_MAX_LIMIT).
inline constexpr int32_t kMaxWireTid = 1 << 22;
static_assert(kMaxBatchEvents * 40 + kMaxBatchStrings * (kMaxStringBytes + 16) < int(kMaxFrame),
              "a full batch fits in one frame");

/// A thread of the worker, declared once before its first event: `index` is how events name it.
struct WireThread
{
    int64_t index = 0;
    int32_t tid = 0;
};

/// A string the worker's events refer to by `id` (object of a ThreadName, Output, IoWaitBegin,
/// or a call site), declared once before its first use.
struct WireString
{
    uint32_t id = 0;
    std::string text;
};

/// One event as the worker recorded it; `time` is the worker's clock in ns.
struct WireEvent
{
    uint32_t thread = 0;
    int64_t time = 0;
    EventType type = EventType::None;
    uint32_t object = 0;
    int64_t arg = 0;
    uint8_t flags = 0;
    uint32_t loc = 0;
};

/// One Events message: {seq, th: [[index, tid]...], s: [[id, text]...], ev: [[thread, time, type,
/// object, arg, flags, loc]...]}, every number an integer. `seq` counts batches from 1.
struct EventBatch
{
    int64_t seq = 0;
    std::vector<WireThread> threads;
    std::vector<WireString> strings;
    std::vector<WireEvent> events;
};

/// What an event's `object` names, for the event types a worker may send.
enum class WireObject
{
    None,        ///< must be 0
    String,      ///< a declared string
    OptString,   ///< a declared string, or 0
    TaskQueue,   ///< the master's task queue
    ResultQueue, ///< the master's result queue
};

/// True for the event types a worker may send: its thread's name and exit, sleeps and IO
/// waits, its gets and puts on the master's queues, its task starts and ends, its console lines.
bool isWireEventType(EventType type);
/// What `object` means for a wire event type (None for the others).
WireObject wireObject(EventType type);

/// The Events frame of `batch` (sizes within the limits above are the caller's job).
QByteArray encodeEventBatch(const EventBatch &batch);
/// Reads an Events message without trusting it: every field present with the right CBOR type,
/// counts and numbers in range, only known keys, only wire event types, only the Timed flag.
/// What needs the connection's context (declared threads and strings, the items it holds, times
/// on the master's clock) is the master's to check. False with `error` set.
bool decodeEventBatch(const Message &message, EventBatch &batch, std::string &error);

} // namespace interleave::core::net
