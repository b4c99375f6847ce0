// SPDX-License-Identifier: MIT
#include "analysis/lockstats.h"

#include <QJsonObject>
#include <QString>

#include <algorithm>

namespace interleave::core {

namespace {

// The one definition of a wait's span, shared by the statistics and the wait list.
LockWaitSpan waitSpan(const std::vector<Event> &events, uint32_t lock, const Acquisition &a, int64_t traceEnd)
{
    const Event &w = events[a.wait];
    const int64_t end = a.obtain != kNoEvent ? events[a.obtain].time : traceEnd;
    return {lock, w.thread, w.time, std::max(end, w.time)};
}

} // namespace

std::vector<LockWaitSpan> LockStats::waits(const TraceModel &model)
{
    const auto &events = model.data().events;
    std::vector<LockWaitSpan> out;
    for (uint32_t lock : model.lockIds()) {
        for (const auto *list : {&model.acquisitions(lock), &model.openAcquisitions(lock)}) {
            for (const Acquisition &a : *list) {
                if (a.wait != kNoEvent)
                    out.push_back(waitSpan(events, lock, a, model.endTime()));
            }
        }
    }
    return out;
}

LockStats LockStats::compute(const TraceModel &model)
{
    const auto &events = model.data().events;
    const int64_t end = model.endTime();
    std::vector<ThreadWaitStat> perThread(model.threadCount());
    LockStats s;
    for (uint32_t lock : model.lockIds()) {
        LockStat st;
        st.lock = lock;
        st.name = model.objectName(lock);
        if (const ObjectInfo *o = model.object(lock))
            st.kind = o->kind;
        auto add = [&](const Acquisition &a) {
            const Event *obtain = a.obtain != kNoEvent ? &events[a.obtain] : nullptr;
            const bool timedOut = obtain && obtain->type == EventType::LockTimeout;
            if (obtain && !timedOut) {
                ++st.acquisitions;
                if (a.wait != kNoEvent)
                    ++st.contended;
                if (a.release != kNoEvent)
                    st.holdMsTotal += double(events[a.release].time - obtain->time) / 1e6;
                else if (obtain->type == EventType::LockObtain)
                    st.holdMsTotal += double(std::max<int64_t>(0, end - obtain->time)) / 1e6;
            }
            if (timedOut)
                ++st.timeouts;
            else if (!obtain && a.wait != kNoEvent)
                ++st.contended; // still waiting when the trace ends (a deadlocked wait): contended all the same
            if (a.wait != kNoEvent) {
                const double ms = waitSpan(events, lock, a, end).ms();
                st.waitMsTotal += ms;
                st.waitMsMax = std::max(st.waitMsMax, ms);
                const uint32_t thread = events[a.wait].thread;
                if (thread < perThread.size()) {
                    ThreadWaitStat &t = perThread[thread];
                    ++t.waits;
                    t.waitMsTotal += ms;
                    t.waitMsMax = std::max(t.waitMsMax, ms);
                }
            }
        };
        for (const Acquisition &a : model.acquisitions(lock))
            add(a);
        for (const Acquisition &a : model.openAcquisitions(lock))
            add(a);
        s.m_locks.push_back(std::move(st));
    }
    for (uint32_t i = 0; i < perThread.size(); ++i) {
        if (perThread[i].waits == 0)
            continue;
        perThread[i].thread = i;
        s.m_threads.push_back(perThread[i]);
    }
    return s;
}

QJsonArray LockStats::toJson() const
{
    QJsonArray out;
    for (const LockStat &l : m_locks) {
        if (l.kind == ObjectKind::Semaphore)
            continue;
        out.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(l.name)},
                               {QStringLiteral("kind"), QLatin1String(l.kind == ObjectKind::Gil ? "gil" : "mutex")},
                               {QStringLiteral("acquisitions"), double(l.acquisitions)},
                               {QStringLiteral("contended"), double(l.contended)},
                               {QStringLiteral("timeouts"), double(l.timeouts)},
                               {QStringLiteral("wait_ms_total"), l.waitMsTotal},
                               {QStringLiteral("wait_ms_max"), l.waitMsMax}});
    }
    return out;
}

} // namespace interleave::core
