// SPDX-License-Identifier: MIT
// Typed answers about single events of a TraceModel, read through its public API.
#include "trace/modelqueries.h"

#include <algorithm>
#include <iterator>

namespace interleave::core {

OutputLine outputLine(const TraceModel &model, uint32_t output)
{
    const TraceData &data = model.data();
    const Event &e = data.events[output];
    OutputLine line;
    line.time = e.time;
    line.thread = e.thread;
    line.pid = e.thread < model.threadCount() ? model.thread(e.thread).pid : 0;
    line.text = data.string(e.object);
    line.stderrStream = e.arg == 2;
    return line;
}

int64_t outputTime(const TraceModel &model, uint32_t output)
{
    return model.data().events[output].time;
}

int64_t nextEventTime(const TraceModel &model, int64_t t)
{
    // Each thread's events are in time order: one binary search per thread.
    const std::vector<Event> &events = model.data().events;
    int64_t best = kTimeMax;
    for (uint32_t thread = 0; thread < model.threadCount(); ++thread) {
        const std::vector<uint32_t> &mine = model.threadEvents(thread);
        const auto it = std::upper_bound(mine.begin(), mine.end(), t,
                                         [&](int64_t time, uint32_t index) { return time < events[index].time; });
        if (it != mine.end())
            best = std::min(best, events[*it].time);
    }
    return best == kTimeMax ? t : best;
}

int64_t previousEventTime(const TraceModel &model, int64_t t)
{
    const std::vector<Event> &events = model.data().events;
    int64_t best = kTimeMin;
    for (uint32_t thread = 0; thread < model.threadCount(); ++thread) {
        const std::vector<uint32_t> &mine = model.threadEvents(thread);
        const auto it = std::lower_bound(mine.begin(), mine.end(), t,
                                         [&](uint32_t index, int64_t time) { return events[index].time < time; });
        if (it != mine.begin())
            best = std::max(best, events[*std::prev(it)].time);
    }
    return best == kTimeMin ? t : best;
}

} // namespace interleave::core
