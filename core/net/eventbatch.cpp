// SPDX-License-Identifier: MIT
#include "net/eventbatch.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

#include <limits>

namespace interleave::core::net {

bool isWireEventType(EventType type)
{
    switch (type) {
    case EventType::ThreadName:
    case EventType::ThreadExit:
    case EventType::SleepBegin:
    case EventType::SleepEnd:
    case EventType::IoWaitBegin:
    case EventType::IoWaitEnd:
    case EventType::QueueGetWait:
    case EventType::QueueGet:
    case EventType::QueuePut:
    case EventType::TaskStart:
    case EventType::TaskEnd:
    case EventType::Output:
        return true;
    default:
        return false;
    }
}

WireObject wireObject(EventType type)
{
    switch (type) {
    case EventType::ThreadName:
    case EventType::Output:
    case EventType::IoWaitBegin:
        return WireObject::String;
    case EventType::IoWaitEnd:
        return WireObject::OptString;
    case EventType::QueueGetWait:
    case EventType::QueueGet:
    case EventType::TaskStart:
    case EventType::TaskEnd:
        return WireObject::TaskQueue;
    case EventType::QueuePut:
        return WireObject::ResultQueue;
    default:
        return WireObject::None;
    }
}

QByteArray encodeEventBatch(const EventBatch &batch)
{
    QCborArray threads;
    for (const WireThread &t : batch.threads)
        threads.append(QCborArray{qint64(t.index), qint64(t.tid)});
    QCborArray strings;
    for (const WireString &s : batch.strings)
        strings.append(QCborArray{qint64(s.id), QString::fromStdString(s.text)});
    QCborArray events;
    for (const WireEvent &e : batch.events) {
        events.append(QCborArray{qint64(e.thread), qint64(e.time), qint64(e.type), qint64(e.object), qint64(e.arg),
                                 qint64(e.flags), qint64(e.loc)});
    }
    QCborMap fields;
    fields.insert(QLatin1String("seq"), qint64(batch.seq));
    fields.insert(QLatin1String("th"), threads);
    fields.insert(QLatin1String("s"), strings);
    fields.insert(QLatin1String("ev"), events);
    return encodeFrame(MessageType::Events, fields);
}

namespace {

/// An integer in [lo, hi], or false.
bool integerIn(const QCborValue &v, int64_t lo, int64_t hi, int64_t &out)
{
    if (!v.isInteger())
        return false;
    out = v.toInteger();
    return out >= lo && out <= hi;
}

bool fail(std::string &error, std::string why)
{
    error = "malformed event batch: " + std::move(why);
    return false;
}

} // namespace

bool decodeEventBatch(const Message &message, EventBatch &batch, std::string &error)
{
    batch = EventBatch{};
    if (message.type != MessageType::Events)
        return fail(error, "not an events message");
    for (const auto &entry : message.fields) {
        const QString key = entry.first.toString();
        if (key != QLatin1String("t") && key != QLatin1String("seq") && key != QLatin1String("th") &&
            key != QLatin1String("s") && key != QLatin1String("ev"))
            return fail(error, "unknown field '" + key.left(20).toStdString() + "'");
    }
    if (!integerIn(message.fields.value(QLatin1String("seq")), 1, std::numeric_limits<int32_t>::max(), batch.seq))
        return fail(error, "seq is not a batch number");
    const QCborValue th = message.fields.value(QLatin1String("th"));
    const QCborValue s = message.fields.value(QLatin1String("s"));
    const QCborValue ev = message.fields.value(QLatin1String("ev"));
    if (!th.isArray() || !s.isArray() || !ev.isArray())
        return fail(error, "th, s and ev must be arrays");
    const QCborArray threads = th.toArray();
    const QCborArray strings = s.toArray();
    const QCborArray events = ev.toArray();
    if (threads.size() > kMaxForeignThreads)
        return fail(error,
                    std::to_string(threads.size()) + " threads (at most " + std::to_string(kMaxForeignThreads) + ")");
    if (strings.size() > kMaxBatchStrings)
        return fail(error,
                    std::to_string(strings.size()) + " strings (at most " + std::to_string(kMaxBatchStrings) + ")");
    if (events.size() > kMaxBatchEvents)
        return fail(error, std::to_string(events.size()) + " events (at most " + std::to_string(kMaxBatchEvents) + ")");
    for (const QCborValue &v : threads) {
        const QCborArray a = v.toArray();
        WireThread t;
        int64_t tid = 0;
        if (!v.isArray() || a.size() != 2 || !integerIn(a[0], 0, kMaxForeignThreads - 1, t.index) ||
            !integerIn(a[1], 1, kMaxWireTid, tid))
            return fail(error, "a thread is not [index 0.." + std::to_string(kMaxForeignThreads - 1) + ", tid]");
        t.tid = int32_t(tid);
        batch.threads.push_back(t);
    }
    for (const QCborValue &v : strings) {
        const QCborArray a = v.toArray();
        int64_t id = 0;
        if (!v.isArray() || a.size() != 2 || !integerIn(a[0], 1, std::numeric_limits<uint32_t>::max(), id) ||
            !a[1].isString())
            return fail(error, "a string is not [id, text]");
        QByteArray text = a[1].toString().toUtf8();
        if (text.size() > kMaxStringBytes)
            return fail(error, "a string of " + std::to_string(text.size()) + " bytes (at most " +
                                   std::to_string(kMaxStringBytes) + ")");
        batch.strings.push_back({uint32_t(id), text.toStdString()});
    }
    batch.events.reserve(size_t(events.size()));
    for (const QCborValue &v : events) {
        const QCborArray a = v.toArray();
        if (!v.isArray() || a.size() != 7)
            return fail(error, "an event is not [thread, time, type, object, arg, flags, loc]");
        int64_t thread = 0, time = 0, type = 0, object = 0, arg = 0, flags = 0, loc = 0;
        if (!integerIn(a[0], 0, kMaxForeignThreads - 1, thread))
            return fail(error, "an event's thread index is out of range");
        if (!integerIn(a[1], 0, kMaxWireTime, time))
            return fail(error, "an event's time is negative, too large or not an integer");
        if (!integerIn(a[2], 0, 255, type) || !isWireEventType(EventType(type)))
            return fail(error, "event type " + (a[2].isInteger() ? std::to_string(a[2].toInteger()) : "?") +
                                   " is not accepted from a worker");
        if (!integerIn(a[3], 0, std::numeric_limits<uint32_t>::max(), object))
            return fail(error, "an event's object is out of range");
        if (!integerIn(a[4], std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), arg))
            return fail(error, "an event's argument is not an integer");
        if (!integerIn(a[5], 0, Timed, flags))
            return fail(error, "an event's flags are not 0 or Timed");
        if (!integerIn(a[6], 0, std::numeric_limits<uint32_t>::max(), loc))
            return fail(error, "an event's call site is out of range");
        batch.events.push_back(
            {uint32_t(thread), time, EventType(type), uint32_t(object), arg, uint8_t(flags), uint32_t(loc)});
    }
    return true;
}

} // namespace interleave::core::net
