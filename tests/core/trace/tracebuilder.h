// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <cstdint>
#include <string>

namespace interleave::core::testing {

/// Builds TraceData event by event for model and analysis tests. Times are given in ms.
struct TraceBuilder
{
    TraceData data;

    static constexpr int64_t ms(int64_t v) { return v * 1'000'000; }

    uint32_t thread(int32_t pid, int32_t tid) { return data.threadIndex(pid, tid); }
    uint32_t str(const std::string &text) { return data.addString(text); }

    Event &ev(uint32_t th, int64_t timeMs, EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0,
              uint16_t cpu = 0)
    {
        Event e{};
        e.time = ms(timeMs);
        e.thread = th;
        e.type = type;
        e.object = object;
        e.arg = arg;
        e.flags = flags;
        e.cpu = cpu;
        data.events.push_back(e);
        return data.events.back();
    }
    /// Announces an object.
    void object(uint32_t th, int64_t timeMs, uint32_t id, ObjectKind kind, const std::string &name)
    {
        ev(th, timeMs, EventType::ObjectNew, id, str(name), uint8_t(kind));
    }
};

} // namespace interleave::core::testing
