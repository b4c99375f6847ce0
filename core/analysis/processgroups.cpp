// SPDX-License-Identifier: MIT
#include "analysis/processgroups.h"

#include <algorithm>
#include <numeric>

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

std::vector<uint32_t> shownThreads(const TraceModel &model, const ProcessInfo &p)
{
    std::vector<uint32_t> threads;
    for (uint32_t t : p.threads)
        if (t < model.threadCount() && model.thread(t).start != kTimeMax && !model.thread(t).recorder)
            threads.push_back(t);
    std::stable_sort(threads.begin(), threads.end(), [&](uint32_t a, uint32_t b) {
        return model.thread(a).start != model.thread(b).start ? model.thread(a).start < model.thread(b).start : a < b;
    });
    return threads;
}

} // namespace

std::vector<ProcessGroup> processGroups(const TraceModel &model)
{
    const auto &processes = model.processes();
    std::vector<uint32_t> order(processes.size());
    std::iota(order.begin(), order.end(), 0u);
    // Parents start before their children, so start order reads top-down like the process tree.
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const auto &pa = processes[a];
        const auto &pb = processes[b];
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
        g.threads.push_back(shownThreads(model, p));
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
