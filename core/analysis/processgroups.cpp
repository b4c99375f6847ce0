// SPDX-License-Identifier: MIT
#include "analysis/processgroups.h"

#include <QJsonObject>

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace interleave::core {

size_t ProcessGroup::threadCount() const
{
    size_t n = 0;
    for (const auto &t : threads)
        n += t.size();
    return n;
}

namespace {

bool shortLived(int64_t start, int64_t end, bool exited, int64_t span)
{
    return exited && start != kTimeMax && end != kTimeMax && (end - start) * kShortLivedShare <= span;
}

/// The order an imported trace asks for its tracks (process_sort_index, thread_sort_index): lower
/// first, 0 for those it does not place, as chrome://tracing and Perfetto do.
struct TrackOrder
{
    std::unordered_map<int32_t, int64_t> processes;
    std::unordered_map<uint64_t, int64_t> threads; ///< (pid << 32 | tid)

    static uint64_t key(int32_t pid, int32_t tid) { return uint64_t(uint32_t(pid)) << 32 | uint32_t(tid); }
    int64_t process(int32_t pid) const
    {
        const auto it = processes.find(pid);
        return it == processes.end() ? 0 : it->second;
    }
    int64_t thread(const ThreadRecord &t) const
    {
        const auto it = threads.find(key(t.pid, t.tid));
        return it == threads.end() ? 0 : it->second;
    }
};

TrackOrder trackOrder(const TraceModel &model)
{
    TrackOrder order;
    const QJsonObject import = model.data().meta.value(QLatin1String("import")).toObject();
    const QJsonObject processes = import.value(QLatin1String("process_sort_index")).toObject();
    for (auto it = processes.begin(); it != processes.end(); ++it)
        order.processes[it.key().toInt()] = int64_t(it.value().toDouble());
    const QJsonObject threads = import.value(QLatin1String("thread_sort_index")).toObject();
    for (auto it = threads.begin(); it != threads.end(); ++it)
        order.threads[TrackOrder::key(it.key().section(QLatin1Char(':'), 0, 0).toInt(),
                                      it.key().section(QLatin1Char(':'), 1, 1).toInt())] =
            int64_t(it.value().toDouble());
    return order;
}

std::vector<uint32_t> shownThreads(const TraceModel &model, const ProcessInfo &p, const TrackOrder &order)
{
    std::vector<uint32_t> threads;
    for (uint32_t t : p.threads)
        if (t < model.threadCount() && model.thread(t).start != kTimeMax && !model.thread(t).recorder)
            threads.push_back(t);
    std::stable_sort(threads.begin(), threads.end(), [&](uint32_t a, uint32_t b) {
        const ThreadRecord &ta = model.thread(a);
        const ThreadRecord &tb = model.thread(b);
        if (const int64_t ia = order.thread(ta), ib = order.thread(tb); ia != ib)
            return ia < ib;
        return ta.start != tb.start ? ta.start < tb.start : a < b;
    });
    return threads;
}

} // namespace

std::vector<ProcessGroup> processGroups(const TraceModel &model)
{
    const auto &processes = model.processes();
    std::vector<uint32_t> order(processes.size());
    std::iota(order.begin(), order.end(), 0u);
    const TrackOrder tracks = trackOrder(model);
    // Parents start before their children, so start order reads top-down like the process tree.
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const auto &pa = processes[a];
        const auto &pb = processes[b];
        if (const int64_t ia = tracks.process(pa.pid), ib = tracks.process(pb.pid); ia != ib)
            return ia < ib;
        return pa.start != pb.start ? pa.start < pb.start : pa.pid < pb.pid;
    });
    const int64_t span = std::max<int64_t>(1, model.endTime() - model.startTime());
    std::vector<ProcessGroup> groups;
    size_t runStart = 0; // first group of the current run of short-lived siblings
    auto closeRun = [&] {
        const size_t n = groups.size() - runStart;
        if (n >= kBatchSize) {
            ProcessGroup batch;
            batch.batch = batch.foldByDefault = true;
            for (size_t g = runStart; g < groups.size(); ++g) {
                batch.processes.push_back(groups[g].processes.front());
                batch.threads.push_back(std::move(groups[g].threads.front()));
            }
            groups.resize(runStart);
            groups.push_back(std::move(batch));
        }
        runStart = groups.size();
    };
    int32_t runParent = -1;
    for (uint32_t pi : order) {
        const ProcessInfo &p = processes[pi];
        if (!p.traced())
            continue;
        ProcessGroup g;
        g.processes.push_back(pi);
        g.threads.push_back(shownThreads(model, p, tracks));
        size_t shortThreads = 0;
        for (uint32_t t : g.threads.front()) {
            const ThreadRecord &r = model.thread(t);
            shortThreads += shortLived(r.start, r.end, r.exited, span);
        }
        g.foldByDefault = shortThreads >= kManyThreads;
        const bool brief = shortLived(p.start, p.end, p.exited, span) && g.threads.front().size() <= 1;
        if (!brief || p.ppid != runParent)
            closeRun();
        groups.push_back(std::move(g));
        if (!brief)
            runStart = groups.size();
        runParent = brief ? p.ppid : -1;
    }
    closeRun();
    return groups;
}

} // namespace interleave::core
