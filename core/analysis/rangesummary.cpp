// SPDX-License-Identifier: MIT
// summarizeRange: a thread's states, lock intervals and sends between two times, and the marks there.
#include "analysis/rangesummary.h"

#include "analysis/instantmarks.h"

#include <algorithm>

namespace interleave::core {

namespace {

/// ns of [a, b) inside [t0, t1).
int64_t overlap(int64_t a, int64_t b, int64_t t0, int64_t t1)
{
    return std::max<int64_t>(0, std::min(b, t1) - std::max(a, t0));
}

void addStates(const TraceModel &model, ThreadRangeSummary &s, int64_t t0, int64_t t1)
{
    model.forEachState(s.thread, t0, t1, [&](const StateSpan &span) {
        const int64_t ns = overlap(span.start, span.end, t0, t1);
        switch (span.state) {
        case ThreadState::Running:
            s.running += ns;
            break;
        case ThreadState::Ready:
            s.ready += ns;
            break;
        case ThreadState::Blocked:
            (span.reason == BlockReason::Lock || span.reason == BlockReason::Semaphore ? s.blockedOnLock
                                                                                       : s.blockedOther) += ns;
            break;
        case ThreadState::Sleeping:
            s.sleeping += ns;
            break;
        case ThreadState::None:
        case ThreadState::Exited:
            break;
        }
    });
}

void addLocks(const TraceModel &model, ThreadRangeSummary &s, int64_t t0, int64_t t1)
{
    for (const LockInterval &li : model.lockIntervalsOfThread(s.thread, t0, t1)) {
        const int64_t end = li.open ? std::max(model.endTime(), li.start) : li.end;
        if (li.kind == LockInterval::Hold) {
            s.lockAcquisitions += li.start >= t0 && li.start < t1;
        } else if (overlap(li.start, end, t0, t1) > 0 || (li.start >= t0 && li.start < t1)) {
            ++s.lockWaits;
            s.lockWaitTime += overlap(li.start, end, t0, t1);
        }
    }
}

void addSends(const TraceModel &model, ThreadRangeSummary &s, int64_t t0, int64_t t1)
{
    const auto &events = model.data().events;
    const std::vector<uint32_t> &mine = model.threadEvents(s.thread);
    auto it = std::lower_bound(mine.begin(), mine.end(), t0, [&](uint32_t e, int64_t t) { return events[e].time < t; });
    for (; it != mine.end() && events[*it].time < t1; ++it) {
        const EventType type = events[*it].type;
        s.messagesSent += type == EventType::QueuePut || type == EventType::PipeSend;
    }
}

} // namespace

RangeSummary summarizeRange(const TraceModel &model, int64_t t0, int64_t t1)
{
    RangeSummary out;
    out.start = t0;
    out.end = std::max(t0, t1);
    if (t1 <= t0)
        return out;
    for (const ThreadRecord &t : model.threads()) {
        if (t.recorder || t.start >= t1 || (t.exited && t.end < t0))
            continue;
        ThreadRangeSummary s;
        s.thread = t.index;
        addStates(model, s, t0, t1);
        addLocks(model, s, t0, t1);
        addSends(model, s, t0, t1);
        s.exited = t.exited && t.end >= t0 && t.end < t1;
        out.lockAcquisitions += s.lockAcquisitions;
        out.lockWaits += s.lockWaits;
        out.lockWaitTime += s.lockWaitTime;
        out.messagesSent += s.messagesSent;
        out.threadExits += s.exited;
        out.threads.push_back(s);
    }
    for (const InstantMark &m : instantMarks(model, t0, t1 - 1)) {
        out.forks += m.kind == InstantKind::Fork && m.number > 0;
        out.processExits += m.kind == InstantKind::Exit || m.kind == InstantKind::Killed;
    }
    return out;
}

} // namespace interleave::core
