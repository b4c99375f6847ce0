// SPDX-License-Identifier: MIT
// Finding things in a trace by name or text, through the model's public API.
#include "analysis/tracesearch.h"

#include "trace/modelchanges.h"
#include "trace/modelqueries.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace interleave::core {

namespace {

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

/// Whether `text` contains `needle` (already lower case), ignoring ASCII case.
bool contains(std::string_view text, std::string_view needle)
{
    return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                       [](char a, char b) { return lower(a) == b; }) != text.end();
}

/// First and last use of an object: its lock intervals, queue depth points or flows.
std::pair<int64_t, int64_t> objectUse(const TraceModel &model, uint32_t id)
{
    int64_t first = kTimeMax;
    int64_t last = kTimeMin;
    for (const LockInterval &interval : model.lockIntervals(id)) {
        first = std::min(first, interval.start);
        last = std::max(last, std::min(interval.end, model.endTime()));
    }
    for (const CounterPoint &point : model.queueDepth(id)) {
        first = std::min(first, point.time);
        last = std::max(last, point.time);
    }
    if (first == kTimeMax) {
        for (const Flow &flow : model.flows()) {
            if (flow.kind == FlowKind::Fork || flow.kind == FlowKind::Generic || flow.object != id)
                continue;
            first = std::min(first, flow.fromTime);
            last = std::max(last, flow.toTime);
        }
    }
    if (first == kTimeMax)
        return {model.startTime(), model.endTime()};
    return {first, std::max(first, last)};
}

struct Search
{
    const TraceModel &model;
    std::string needle;
    size_t limit;
    std::vector<SearchHit> hits;

    bool full() const { return hits.size() >= limit; }

    void threads()
    {
        for (uint32_t i = 0; i < model.threadCount() && !full(); ++i) {
            const ThreadRecord &record = model.thread(i);
            const std::string name = model.threadName(i);
            if (record.recorder || record.start == kTimeMax ||
                !(contains(name, needle) || contains(std::to_string(record.tid), needle)))
                continue;
            SearchHit hit;
            hit.kind = SearchHit::Kind::Thread;
            hit.text = name;
            hit.start = record.start;
            hit.end = std::max(record.start, std::min(record.end, model.endTime()));
            hit.thread = i;
            hit.pid = record.pid;
            hits.push_back(std::move(hit));
        }
    }

    void processes()
    {
        for (const ProcessInfo &process : model.processes()) {
            if (full())
                return;
            if (process.start == kTimeMax || !(contains(process.name, needle) || contains(process.command, needle) ||
                                               contains(std::to_string(process.pid), needle)))
                continue;
            SearchHit hit;
            hit.kind = SearchHit::Kind::Process;
            hit.text = TraceModel::labelOf(process.name.empty() ? process.command : process.name);
            hit.start = process.start;
            hit.end = std::max(process.start, std::min(process.end, model.endTime()));
            hit.pid = process.pid;
            hits.push_back(std::move(hit));
        }
    }

    void objects()
    {
        for (uint32_t id : model.objectIds()) {
            if (full())
                return;
            const std::string name = model.objectName(id);
            if (!contains(name, needle))
                continue;
            SearchHit hit;
            hit.kind = SearchHit::Kind::Object;
            hit.text = name;
            std::tie(hit.start, hit.end) = objectUse(model, id);
            hit.object = id;
            hit.objectKind = model.object(id)->kind;
            hits.push_back(std::move(hit));
        }
    }

    void lines()
    {
        // Printed lines and phases, merged in time order.
        std::vector<SearchHit> found;
        for (uint32_t output : model.outputs()) {
            if (found.size() + hits.size() >= limit)
                break;
            const OutputLine line = outputLine(model, output);
            if (!contains(line.text, needle))
                continue;
            SearchHit hit;
            hit.kind = SearchHit::Kind::Output;
            hit.text = TraceModel::labelOf(std::string(line.text));
            hit.start = hit.end = line.time;
            hit.thread = line.thread;
            hit.pid = line.pid;
            found.push_back(std::move(hit));
        }
        for (const PhaseMark &phase : phaseMarks(model)) {
            if (!contains(phase.name, needle))
                continue;
            SearchHit hit;
            hit.kind = SearchHit::Kind::Phase;
            hit.text = phase.name;
            hit.start = hit.end = phase.time;
            hit.pid = phase.pid;
            found.push_back(std::move(hit));
        }
        std::stable_sort(found.begin(), found.end(),
                         [](const SearchHit &a, const SearchHit &b) { return a.start < b.start; });
        for (SearchHit &hit : found) {
            if (full())
                return;
            hits.push_back(std::move(hit));
        }
    }
};

} // namespace

std::vector<SearchHit> searchTrace(const TraceModel &model, std::string_view query, size_t limit)
{
    Search search{model, {}, limit, {}};
    for (char c : query)
        search.needle.push_back(lower(c));
    if (search.needle.empty() || limit == 0)
        return {};
    search.threads();
    search.processes();
    search.objects();
    search.lines();
    return std::move(search.hits);
}

} // namespace interleave::core
