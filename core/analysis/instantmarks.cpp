// SPDX-License-Identifier: MIT
// instantMarks: the model's fork, exec, exit and signal events read as typed marks.
#include "analysis/instantmarks.h"

#include <algorithm>
#include <optional>

namespace interleave::core {

namespace {

std::optional<InstantMark> markOf(const TraceModel &model, const Event &e)
{
    InstantMark m;
    m.time = e.time;
    m.thread = e.thread;
    m.number = e.arg;
    switch (e.type) {
    case EventType::ForkReturn:
        m.kind = InstantKind::Fork;
        m.pid = e.thread < model.threadCount() ? model.thread(e.thread).pid : 0;
        return m;
    case EventType::Exec:
        m.kind = InstantKind::Exec;
        m.pid = int32_t(e.arg);
        m.program = TraceModel::labelOf(model.data().string(e.object));
        return m;
    case EventType::ProcessExit:
        m.kind = (e.flags & ExitSignal) ? InstantKind::Killed : InstantKind::Exit;
        m.pid = int32_t(e.object);
        return m;
    case EventType::Signal:
        m.kind = InstantKind::Signal;
        m.pid = int32_t(e.object);
        return m;
    default:
        return std::nullopt; // a Deadlock
    }
}

} // namespace

std::vector<InstantMark> instantMarks(const TraceModel &model, int64_t t0, int64_t t1, size_t limit)
{
    std::vector<InstantMark> found;
    const std::vector<uint32_t> &marks = model.marks();
    const auto &events = model.data().events;
    auto it =
        std::lower_bound(marks.begin(), marks.end(), t0, [&](uint32_t e, int64_t t) { return events[e].time < t; });
    for (; it != marks.end() && events[*it].time <= t1 && found.size() < limit; ++it) {
        if (std::optional<InstantMark> m = markOf(model, events[*it]))
            found.push_back(std::move(*m));
    }
    return found;
}

} // namespace interleave::core
