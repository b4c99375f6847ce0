// SPDX-License-Identifier: MIT
// GraphFacts: who took part in synchronisation, joins, forks and network queues, and when.
#pragma once

#include "trace/tracemodel.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interleave::core {

/// Where a network queue (ObjectKind::NetQueue) was announced.
struct NetQueueOrigin
{
    uint32_t creator = kNoEvent; ///< thread index that announced it
    int64_t created = 0;         ///< when
};

/// A queue or pool and a process that used it (put, got, waited, submitted, ran a task).
struct QueueUser
{
    uint32_t object = 0; ///< queue / pool id
    int32_t pid = 0;     ///< 0: a thread the model does not know
    auto operator<=>(const QueueUser &) const = default;
};

/// The facts the graph view lays out its slots with: first times a thread or object took part in
/// synchronisation, joined processes, forked children, network queues and their users, and the
/// recorded deadlocks. Kept up to date cheaply with sync() as a live model grows: each call reads
/// only the events ingested since the last one.
class GraphFacts
{
public:
    /// Catches up with the events the model ingested since the last call (all of them after a
    /// reset, or when the model was cleared).
    void sync(const TraceModel &model);
    /// Forgets everything (a different model).
    void reset();
    /// Events read so far (a model with fewer ingested events was cleared).
    size_t scanned() const { return m_scanned; }

    /// A thread waited for or took a lock or semaphore.
    bool hasLocks() const { return m_hasLocks; }
    /// Thread index -> first lock, condvar, queue, pipe or join wait by it, or first join on it.
    const std::map<uint32_t, int64_t> &threadFirst() const { return m_threadFirst; }
    /// Object id -> first wait for it or hold of it.
    const std::map<uint32_t, int64_t> &objectFirst() const { return m_objectFirst; }
    /// Whether two or more threads used `object`, or one waited for it (a semaphore only one thread
    /// ever takes, uncontended, has little to show in a who-waits-for-whom graph).
    bool sharedObject(uint32_t object) const
    {
        const auto it = m_objectUse.find(object);
        return it != m_objectUse.end() && it->second.shared;
    }
    /// Pid -> first time a thread joined that process.
    const std::map<int32_t, int64_t> &processJoined() const { return m_processJoined; }
    /// Child pid -> when fork() returned it to its parent.
    const std::map<int32_t, int64_t> &forked() const { return m_forked; }
    /// Network queue id -> where it was announced.
    const std::map<uint32_t, NetQueueOrigin> &netQueues() const { return m_netQueues; }
    /// Every (queue or pool, process) that used it, ordered by object then pid.
    const std::set<QueueUser> &queueUsers() const { return m_queueUsers; }
    /// Times of the session's Deadlock marks, ascending.
    const std::vector<int64_t> &deadlocks() const { return m_deadlocks; }
    /// The latest Deadlock mark at or before t, or kTimeMin if none.
    int64_t lastDeadlockAt(int64_t t) const;

private:
    void note(const TraceModel &model, const Event &e);
    void noteJoin(const TraceModel &model, const Event &e, int32_t pid);
    void noteUse(const Event &e, bool wait);

    struct ObjectUse
    {
        uint32_t firstThread = 0;
        bool shared = false;
    };

    size_t m_scanned = 0;
    bool m_hasLocks = false;
    std::map<uint32_t, int64_t> m_threadFirst;
    std::map<uint32_t, int64_t> m_objectFirst;
    std::unordered_map<uint32_t, ObjectUse> m_objectUse;
    std::map<int32_t, int64_t> m_processJoined;
    std::map<int32_t, int64_t> m_forked;
    std::map<uint32_t, NetQueueOrigin> m_netQueues;
    std::set<QueueUser> m_queueUsers;
    std::vector<int64_t> m_deadlocks;
};

} // namespace interleave::core
