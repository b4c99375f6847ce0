// SPDX-License-Identifier: MIT
// GraphFacts: read incrementally from the events a TraceModel ingested.
#include "analysis/graphfacts.h"

#include <algorithm>

namespace interleave::core {

namespace {

template<typename Map, typename Key> void noteFirst(Map &map, const Key &key, int64_t time)
{
    auto [it, fresh] = map.try_emplace(key, time);
    if (!fresh)
        it->second = std::min(it->second, time);
}

} // namespace

void GraphFacts::noteUse(const Event &e, bool wait)
{
    auto [it, fresh] = m_objectUse.try_emplace(e.object, ObjectUse{e.thread, wait});
    if (!fresh && (wait || it->second.firstThread != e.thread))
        it->second.shared = true;
}

void GraphFacts::reset()
{
    *this = GraphFacts();
}

void GraphFacts::sync(const TraceModel &model)
{
    const size_t ingested = model.ingestedEvents();
    if (ingested < m_scanned)
        reset(); // the model was cleared for a new run
    const std::vector<Event> &events = model.data().events;
    const size_t end = std::min(ingested, events.size());
    for (size_t i = m_scanned; i < end; ++i)
        note(model, events[i]);
    m_scanned = std::max(m_scanned, end);
}

void GraphFacts::note(const TraceModel &model, const Event &e)
{
    const bool known = e.thread < model.threadCount();
    const int32_t pid = known ? model.thread(e.thread).pid : 0;
    switch (e.type) {
    case EventType::LockWait:
    case EventType::LockObtain:
    case EventType::LockTimeout:
    case EventType::SemWait:
    case EventType::SemAcquire:
        m_hasLocks = true;
        noteFirst(m_threadFirst, e.thread, e.time);
        noteFirst(m_objectFirst, e.object, e.time);
        noteUse(e, e.type != EventType::LockObtain && e.type != EventType::SemAcquire);
        break;
    case EventType::CondWait:
    case EventType::PipeRecvWait:
        noteFirst(m_threadFirst, e.thread, e.time);
        noteFirst(m_objectFirst, e.object, e.time);
        noteUse(e, true);
        break;
    case EventType::QueueGetWait:
        noteFirst(m_threadFirst, e.thread, e.time);
        noteFirst(m_objectFirst, e.object, e.time);
        noteUse(e, true);
        m_queueUsers.insert({e.object, pid});
        break;
    case EventType::QueuePut:
    case EventType::QueueGet:
    case EventType::TaskSubmit:
    case EventType::TaskStart:
    case EventType::TaskEnd:
        m_queueUsers.insert({e.object, pid});
        break;
    case EventType::JoinWait:
        noteJoin(model, e, pid);
        break;
    case EventType::ForkReturn:
        if (e.arg > 0)
            noteFirst(m_forked, int32_t(e.arg), e.time);
        break;
    case EventType::ObjectNew:
        if (e.flags == uint8_t(ObjectKind::NetQueue))
            m_netQueues.try_emplace(e.object, NetQueueOrigin{e.thread, e.time});
        break;
    case EventType::Deadlock:
        // Marks arrive in any order across threads: keep them sorted for lastDeadlockAt.
        m_deadlocks.insert(std::upper_bound(m_deadlocks.begin(), m_deadlocks.end(), e.time), e.time);
        break;
    default:
        break;
    }
}

void GraphFacts::noteJoin(const TraceModel &model, const Event &e, int32_t pid)
{
    noteFirst(m_threadFirst, e.thread, e.time);
    if (e.flags & OnProcess) {
        noteFirst(m_processJoined, int32_t(e.object), e.time);
    } else {
        const uint32_t target = model.threadByTid(int32_t(e.object), pid);
        if (target != kNoEvent)
            noteFirst(m_threadFirst, target, e.time);
    }
}

int64_t GraphFacts::lastDeadlockAt(int64_t t) const
{
    const auto it = std::upper_bound(m_deadlocks.begin(), m_deadlocks.end(), t);
    return it == m_deadlocks.begin() ? kTimeMin : *std::prev(it);
}

} // namespace interleave::core
