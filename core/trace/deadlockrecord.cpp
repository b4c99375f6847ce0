// SPDX-License-Identifier: MIT
#include "trace/deadlockrecord.h"

#include "trace/tracemodel.h"

#include <algorithm>

namespace interleave::core {

std::vector<RecordedDeadlock> recordedDeadlocks(const TraceData &data)
{
    std::vector<RecordedDeadlock> out;
    for (const Event &e : data.events) {
        if (e.type == EventType::DeadlockWait) {
            if (out.empty() || e.time != out.back().seen) {
                out.emplace_back();
                out.back().seen = e.time;
                out.back().time = e.arg;
            }
            DeadlockMember member;
            member.thread = e.thread;
            member.waitsFor = data.string(e.object);
            member.loc = data.string(e.loc);
            member.since = e.arg;
            out.back().members.push_back(std::move(member));
            out.back().time = std::max(out.back().time, e.arg);
        } else if (e.type == EventType::DeadlockHold && !out.empty() && e.time == out.back().seen) {
            // The hold belongs to the member of the same thread (a thread is in a cycle once).
            for (DeadlockMember &member : out.back().members)
                if (member.thread == e.thread)
                    member.holds.push_back(data.string(e.object));
        }
    }
    return out;
}

void recordDeadlock(TraceData &data, const RecordedDeadlock &deadlock, uint8_t flags)
{
    auto add = [&](uint32_t thread, EventType type, const std::string &what) -> Event & {
        Event e{};
        e.time = deadlock.seen;
        e.thread = thread;
        e.type = type;
        e.flags = flags;
        e.object = what.empty() ? 0 : data.addString(what);
        data.events.push_back(e);
        return data.events.back();
    };
    for (const DeadlockMember &member : deadlock.members) {
        Event &wait = add(member.thread, EventType::DeadlockWait, member.waitsFor);
        wait.arg = member.since;
        wait.loc = member.loc.empty() ? 0 : data.addString(member.loc);
        for (const std::string &lock : member.holds)
            add(member.thread, EventType::DeadlockHold, lock);
    }
}

} // namespace interleave::core
