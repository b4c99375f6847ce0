// SPDX-License-Identifier: MIT
#include "analysis/lockstats.h"

#include <QJsonObject>
#include <QString>

#include <algorithm>

namespace interleave::core {

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
                const Event &w = events[a.wait];
                const double ms = double(std::max<int64_t>(0, (obtain ? obtain->time : end) - w.time)) / 1e6;
                st.waitMsTotal += ms;
                st.waitMsMax = std::max(st.waitMsMax, ms);
                if (w.thread < perThread.size()) {
                    ThreadWaitStat &t = perThread[w.thread];
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
                               {QStringLiteral("acquisitions"), double(l.acquisitions)},
                               {QStringLiteral("contended"), double(l.contended)},
                               {QStringLiteral("timeouts"), double(l.timeouts)},
                               {QStringLiteral("wait_ms_total"), l.waitMsTotal},
                               {QStringLiteral("wait_ms_max"), l.waitMsMax}});
    }
    return out;
}

} // namespace interleave::core
