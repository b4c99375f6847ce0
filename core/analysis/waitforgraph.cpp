// SPDX-License-Identifier: MIT
#include "analysis/waitforgraph.h"

#include "analysis/callsites.h"

#include <QJsonArray>
#include <QString>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <string>

namespace interleave::core {

namespace {

bool deadlockCandidate(const StateSpan &s)
{
    return s.state == ThreadState::Blocked && !(s.flags & Timed) &&
           (s.reason == BlockReason::Lock || s.reason == BlockReason::Join);
}

bool aliveAt(const ThreadRecord &t, int64_t time)
{
    return t.start <= time && !(t.exited && t.end <= time);
}

} // namespace

std::vector<uint32_t> holdersOf(const TraceModel &model, uint32_t waiter, const StateSpan &state, int64_t t)
{
    std::vector<uint32_t> out;
    switch (state.reason) {
    case BlockReason::Lock:
        return model.holdersAt(state.object, t);
    case BlockReason::Join:
        if (state.flags & OnProcess) {
            if (const ProcessInfo *p = model.process(int32_t(state.object)))
                for (uint32_t th : p->threads)
                    if (th != waiter && aliveAt(model.thread(th), t))
                        out.push_back(th);
        } else {
            const uint32_t th = model.threadByTid(int32_t(state.object), model.thread(waiter).pid);
            if (th != kNoEvent && th != waiter && aliveAt(model.thread(th), t))
                out.push_back(th);
        }
        return out;
    default:
        return out;
    }
}

WaitForGraph WaitForGraph::at(const TraceModel &model, int64_t t)
{
    WaitForGraph g;
    g.m_time = t;
    for (uint32_t i = 0; i < model.threadCount(); ++i) {
        const StateSpan s = model.stateAt(i, t);
        if (s.state != ThreadState::Blocked)
            continue;
        WaitForEdge e;
        e.thread = i;
        e.reason = s.reason;
        e.resource = s.object;
        e.timed = (s.flags & Timed) != 0;
        e.onProcess = (s.flags & OnProcess) != 0;
        e.since = s.start;
        e.heldBy = holdersOf(model, i, s, t);
        g.m_waits.push_back(std::move(e));
    }
    return g;
}

std::vector<DeadlockStep> WaitForGraph::deadlockCycle() const
{
    // Each thread has at most one wait edge; walk thread -> holder -> ... with a DFS over holders.
    std::vector<const WaitForEdge *> byThread;
    for (const WaitForEdge &e : m_waits) {
        if (e.timed || (e.reason != BlockReason::Lock && e.reason != BlockReason::Join))
            continue;
        if (byThread.size() <= e.thread)
            byThread.resize(size_t(e.thread) + 1, nullptr);
        byThread[e.thread] = &e;
    }
    enum : uint8_t
    {
        White,
        Grey,
        Black
    };
    std::vector<uint8_t> colour(byThread.size(), White);
    std::vector<DeadlockStep> path;
    std::vector<DeadlockStep> found;
    std::function<bool(uint32_t)> dfs = [&](uint32_t th) -> bool {
        colour[th] = Grey;
        const WaitForEdge *e = byThread[th];
        for (uint32_t h : e->heldBy) {
            if (h >= byThread.size() || !byThread[h])
                continue;
            path.push_back({th, e->resource, e->reason, h});
            if (colour[h] == Grey) {
                auto start =
                    std::find_if(path.begin(), path.end(), [&](const DeadlockStep &s) { return s.thread == h; });
                found.assign(start, path.end());
                return true;
            }
            if (colour[h] == White && dfs(h))
                return true;
            path.pop_back();
        }
        colour[th] = Black;
        return false;
    };
    for (uint32_t th = 0; th < byThread.size(); ++th) {
        if (byThread[th] && colour[th] == White && dfs(th))
            break;
    }
    if (!found.empty()) {
        auto lowest = std::min_element(found.begin(), found.end(), [](const DeadlockStep &a, const DeadlockStep &b) {
            return a.thread < b.thread;
        });
        std::rotate(found.begin(), lowest, found.end());
    }
    return found;
}

std::optional<int64_t> recordedDeadlockTime(const TraceModel &model)
{
    for (uint32_t index : model.marks()) {
        if (model.data().events[index].type == EventType::Deadlock)
            return model.data().events[index].time;
    }
    return std::nullopt;
}

std::optional<Deadlock> findFirstDeadlock(const TraceModel &model)
{
    // A cycle can only appear when its last thread starts waiting (holders run while they obtain),
    // so it is enough to follow the chain from every thread at the start of a non-timed lock /
    // join wait, in time order, and stop at the first that closes on itself. And a thread in a
    // real deadlock never leaves its wait: only a wait that is the thread's last state (before it
    // was killed, or to the end of the trace) can be one. So the candidates are at most one per
    // thread, not one per contended wait (millions in a long lock run).
    struct Candidate
    {
        int64_t time;
        uint32_t thread;
    };
    std::vector<Candidate> candidates;
    for (uint32_t i = 0; i < model.threadCount(); ++i) {
        StateSpan last;
        model.forEachState(i, kTimeMin, kTimeMax, [&](const StateSpan &s) {
            if (s.state != ThreadState::Exited)
                last = s;
        });
        if (deadlockCandidate(last))
            candidates.push_back({last.start, i});
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
        return a.time != b.time ? a.time < b.time : a.thread < b.thread;
    });

    for (const Candidate &c : candidates) {
        std::vector<DeadlockStep> path;
        std::vector<uint32_t> onPath;
        std::function<bool(uint32_t)> follow = [&](uint32_t th) -> bool {
            const StateSpan s = model.stateAt(th, c.time);
            if (!deadlockCandidate(s) || onPath.size() > model.threadCount())
                return false;
            onPath.push_back(th);
            for (uint32_t h : holdersOf(model, th, s, c.time)) {
                path.push_back({th, s.object, s.reason, h});
                if (h == c.thread)
                    return true;
                if (std::find(onPath.begin(), onPath.end(), h) == onPath.end() && follow(h))
                    return true;
                path.pop_back();
            }
            onPath.pop_back();
            return false;
        };
        if (follow(c.thread)) {
            auto lowest = std::min_element(path.begin(), path.end(), [](const DeadlockStep &a, const DeadlockStep &b) {
                return a.thread < b.thread;
            });
            std::rotate(path.begin(), lowest, path.end());
            return Deadlock{c.time, std::move(path)};
        }
    }
    return std::nullopt;
}

RecordedDeadlock describeDeadlock(const TraceModel &model, const Deadlock &deadlock)
{
    const std::vector<uint32_t> locks = model.lockIds();
    RecordedDeadlock out;
    out.time = deadlock.time;
    out.seen = deadlock.time;
    for (const DeadlockStep &s : deadlock.cycle) {
        DeadlockMember member;
        member.thread = s.thread;
        member.waitsFor =
            s.reason == BlockReason::Lock ? model.objectName(s.waitsFor) : "join " + std::to_string(s.waitsFor);
        for (uint32_t lock : locks) {
            const std::vector<uint32_t> holders = model.holdersAt(lock, deadlock.time);
            if (std::find(holders.begin(), holders.end(), s.thread) != holders.end())
                member.holds.push_back(model.objectName(lock));
        }
        // The call site of the wait the thread is stuck in: the event that began its blocked state.
        const StateSpan state = model.stateAt(s.thread, deadlock.time);
        member.since = state.start;
        if (state.event != kNoEvent)
            member.loc = model.data().string(model.data().events[state.event].loc);
        out.members.push_back(std::move(member));
    }
    return out;
}

std::optional<RecordedDeadlock> theDeadlock(const TraceModel &model)
{
    std::vector<RecordedDeadlock> recorded = recordedDeadlocks(model.data());
    if (!recorded.empty())
        return std::move(recorded.front());
    if (const auto found = findFirstDeadlock(model))
        return describeDeadlock(model, *found);
    return std::nullopt;
}

QJsonObject deadlockToJson(const TraceModel &model, const RecordedDeadlock &deadlock, const PythonLineOf &pythonLine)
{
    QJsonArray cycle;
    const size_t n = deadlock.members.size();
    for (size_t i = 0; i < n; ++i) {
        const DeadlockMember &m = deadlock.members[i];
        QJsonArray holds;
        for (const std::string &lock : m.holds)
            holds.append(QString::fromStdString(lock));
        std::string file;
        int line = 0;
        if (auto where = SourceLocation::parse(m.loc)) {
            file = std::move(where->file);
            line = where->line;
        }
        const int python = line > 0 && pythonLine ? pythonLine(file, line) : 0;
        const uint32_t heldBy = deadlock.members[(i + 1) % n].thread;
        cycle.append(QJsonObject{{QStringLiteral("thread"), QString::fromStdString(model.threadName(m.thread))},
                                 {QStringLiteral("tid"), model.thread(m.thread).tid},
                                 {QStringLiteral("holds"), holds},
                                 {QStringLiteral("waits_for"), QString::fromStdString(m.waitsFor)},
                                 {QStringLiteral("held_by"), QString::fromStdString(model.threadName(heldBy))},
                                 {QStringLiteral("file"), QString::fromStdString(file)},
                                 {QStringLiteral("line"), line},
                                 {QStringLiteral("python_line"), python}});
    }
    return QJsonObject{{QStringLiteral("time_ns"), double(deadlock.time)}, {QStringLiteral("cycle"), cycle}};
}

QJsonObject deadlockToJson(const TraceModel &model, const Deadlock &deadlock, const PythonLineOf &pythonLine)
{
    return deadlockToJson(model, describeDeadlock(model, deadlock), pythonLine);
}

} // namespace interleave::core
