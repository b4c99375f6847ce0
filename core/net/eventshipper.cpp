// SPDX-License-Identifier: MIT
#include "net/eventshipper.h"

#include "net/socket.h"
#include "trace/clock.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"

#include <unistd.h>

namespace interleave::core::net {

namespace {
// A worker records a few events per task: a small log is plenty, and its string area (an eighth)
// holds some 25,000 console lines before strings are dropped (they then travel as "?").
constexpr size_t kLogBytes = 8u << 20;
// Stands for a string the local log had to drop; local ids are offsets >= 8, so 1 is free.
constexpr uint32_t kMissingString = 1;
} // namespace

std::unique_ptr<EventShipper> EventShipper::start(std::string_view threadName, int64_t skewNs, std::string &error)
{
    if (recorder::enabled()) {
        error = "this process records into another log already";
        return nullptr;
    }
    EventLogOptions options;
    options.slotsPerChunk = 256;
    options.forceMonotonicClock = true;
    std::unique_ptr<EventShipper> shipper(new EventShipper);
    shipper->m_log = EventLog::create(kLogBytes, &error, options);
    if (!shipper->m_log)
        return nullptr;
    shipper->m_pid = int32_t(getpid());
    shipper->m_skewNs = skewNs;
    recorder::attach(shipper->m_log.get());
    recorder::nameThread(threadName);
    return shipper;
}

EventShipper::~EventShipper()
{
    recorder::detach();
}

int64_t EventShipper::clockNow() const
{
    return clock::monotonicNs() + m_skewNs;
}

uint32_t EventShipper::wireString(uint32_t id, EventBatch &batch, int &newStrings)
{
    const std::string &text = id == 0 ? std::string() : m_data.string(id);
    const uint32_t wire = text.empty() ? kMissingString : id;
    if (m_sentStrings.insert(wire).second) {
        std::string cut = wire == kMissingString ? std::string("?") : text.substr(0, kMaxStringBytes);
        // Cut on a UTF-8 character boundary: never in the middle of a multi-byte sequence.
        while (cut.size() < text.size() && !cut.empty() && (uint8_t(text[cut.size()]) & 0xc0) == 0x80)
            cut.pop_back();
        batch.strings.push_back({wire, std::move(cut)});
        ++newStrings;
    }
    return wire;
}

std::vector<EventBatch> EventShipper::take()
{
    m_log->drain(m_data);
    std::vector<EventBatch> out;
    EventBatch batch;
    int newStrings = 0;
    auto seal = [&] {
        if (!batch.events.empty()) {
            batch.seq = ++m_seq;
            m_taken += int64_t(batch.events.size());
            out.push_back(std::move(batch));
        }
        batch = EventBatch{};
        newStrings = 0;
    };
    for (const Event &e : m_data.events) {
        if (!isWireEventType(e.type) || e.thread >= m_data.threads.size() || e.thread >= kMaxForeignThreads)
            continue;
        const ThreadInfo &thread = m_data.threads[e.thread];
        if (thread.pid != m_pid || thread.tid <= 0 || thread.tid > kMaxWireTid)
            continue;
        // Room for the event and what it declares (at most two strings), else a new batch.
        if (int(batch.events.size()) + 1 > kMaxBatchEvents || newStrings + 2 > kMaxBatchStrings)
            seal();
        if (m_sentThreads.insert(e.thread).second)
            batch.threads.push_back({int64_t(e.thread), thread.tid});
        WireEvent w;
        w.thread = e.thread;
        w.time = e.time + m_skewNs;
        w.type = e.type;
        w.arg = e.arg;
        w.flags = uint8_t(e.flags & Timed);
        switch (wireObject(e.type)) {
        case WireObject::String:
            w.object = wireString(e.object, batch, newStrings);
            break;
        case WireObject::OptString:
            w.object = e.object == 0 ? 0 : wireString(e.object, batch, newStrings);
            break;
        case WireObject::None:
            w.object = 0;
            break;
        default:
            w.object = e.object;
            break;
        }
        w.loc = e.loc == 0 || m_data.string(e.loc).empty() ? 0 : wireString(e.loc, batch, newStrings);
        batch.events.push_back(w);
    }
    seal();
    // Sent events are not needed again: a long-running worker keeps no history.
    m_data.events.clear();
    return out;
}

} // namespace interleave::core::net
