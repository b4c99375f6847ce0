// SPDX-License-Identifier: MIT
// instantMarks: the model's fork, exec, exit and signal events, and an imported trace's instants,
// read as typed marks.
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
    case EventType::Instant:
        m.kind = InstantKind::Imported;
        m.pid = e.thread < model.threadCount() ? model.thread(e.thread).pid : 0;
        m.number = 0;
        m.program = TraceModel::labelOf(model.data().string(e.object));
        return m;
    default:
        return std::nullopt; // a Deadlock
    }
}

} // namespace

std::vector<InstantMark> instantMarks(const TraceModel &model, int64_t t0, int64_t t1, size_t limit)
{
    std::vector<InstantMark> found;
    const auto &events = model.data().events;
    auto from = [&](const std::vector<uint32_t> &list) {
        return std::lower_bound(list.begin(), list.end(), t0,
                                [&](uint32_t e, int64_t t) { return events[e].time < t; });
    };
    // The run's marks and an imported trace's instants, both in time order, merged.
    const std::vector<uint32_t> &marks = model.marks();
    const std::vector<uint32_t> &instants = model.instants();
    auto a = from(marks);
    auto b = from(instants);
    while (found.size() < limit) {
        const bool takeA = a != marks.end() && events[*a].time <= t1;
        const bool takeB = b != instants.end() && events[*b].time <= t1;
        if (!takeA && !takeB)
            break;
        auto &it = takeA && (!takeB || events[*a].time <= events[*b].time) ? a : b;
        if (std::optional<InstantMark> m = markOf(model, events[*it]))
            found.push_back(std::move(*m));
        ++it;
    }
    return found;
}

} // namespace interleave::core
