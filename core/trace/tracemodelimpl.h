// SPDX-License-Identifier: MIT
// Private to the TraceModel sources: the derived indexes a TraceModel keeps beside its TraceData,
// shared by tracemodel.cpp and the tracemodel*.cpp files that build and query them.
#pragma once

#include "trace/tracemodel.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

namespace interleave::core {

namespace detail {

/// The base state an event puts its own thread in; None when the event does not change it.
struct BaseState
{
    ThreadState state = ThreadState::None;
    BlockReason reason = BlockReason::None;
};

inline BaseState baseStateOf(EventType type)
{
    switch (type) {
    case EventType::LockWait:
        return {ThreadState::Blocked, BlockReason::Lock};
    case EventType::JoinWait:
        return {ThreadState::Blocked, BlockReason::Join};
    case EventType::QueueGetWait:
        return {ThreadState::Blocked, BlockReason::Queue};
    case EventType::PipeRecvWait:
        return {ThreadState::Blocked, BlockReason::Pipe};
    case EventType::IoWaitBegin:
        return {ThreadState::Blocked, BlockReason::Io};
    case EventType::CondWait:
        return {ThreadState::Blocked, BlockReason::CondVar};
    case EventType::SemWait:
        return {ThreadState::Blocked, BlockReason::Semaphore};
    case EventType::SleepBegin:
        return {ThreadState::Sleeping, BlockReason::None};
    case EventType::LockObtain:
    case EventType::LockTimeout:
    case EventType::JoinDone:
    case EventType::QueueGet:
    case EventType::PipeRecv:
    case EventType::IoWaitEnd:
    case EventType::CondWake:
    case EventType::SemAcquire:
    case EventType::SleepEnd:
        return {ThreadState::Running, BlockReason::None};
    default:
        return {};
    }
}

struct FlowKey
{
    FlowKind kind;
    uint32_t object;
    int64_t id;
    bool operator==(const FlowKey &) const = default;
};

struct FlowKeyHash
{
    size_t operator()(const FlowKey &k) const noexcept
    {
        uint64_t h = uint64_t(k.id) * 0x9E3779B97F4A7C15ull;
        h ^= (uint64_t(k.object) << 8 | uint64_t(k.kind)) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
        return size_t(h);
    }
};

struct PairHash
{
    size_t operator()(const std::pair<uint32_t, int64_t> &k) const noexcept
    {
        return size_t(uint64_t(k.second) * 0x9E3779B97F4A7C15ull ^ (uint64_t(k.first) << 1));
    }
};

template<typename Map> size_t mapBytes(const Map &map, size_t nodeExtra = 0)
{
    using V = typename Map::value_type;
    // buckets + nodes (value, next pointer, cached hash)
    return map.bucket_count() * sizeof(void *) + map.size() * (sizeof(V) + 2 * sizeof(void *) + nodeExtra);
}

template<typename T> size_t vecBytes(const std::vector<T> &v)
{
    return v.capacity() * sizeof(T);
}

} // namespace detail

struct TraceModel::Impl
{
    struct Slice
    {
        uint32_t begin = kNoEvent;
        uint32_t end = kNoEvent;
        uint32_t depth = 0;
    };

    struct ThreadData
    {
        std::vector<uint32_t> events;       // own events, time order
        std::vector<uint32_t> changes;      // own events that changed the base state
        std::vector<uint32_t> samples;      // Sample events about this thread, time order
        std::vector<uint32_t> readySamples; // those with a run-queue delay
        std::vector<uint32_t> kernelWaits;  // those that saw it sleeping (S) or blocked (D) in the kernel
        std::vector<Slice> slices;
        std::vector<uint32_t> sliceStack; // indexes in slices
        ThreadState current = ThreadState::Running;
        BlockReason currentReason = BlockReason::None;
        uint32_t currentObject = 0;
        uint32_t forkCall = kNoEvent; // its ForkCall not yet followed by a ForkReturn
        std::vector<uint32_t> held;   // locks it holds now, in the order it took them
    };

    struct LockData
    {
        std::vector<Acquisition> closed; // sorted by obtain time
        std::vector<Acquisition> open;
        int64_t maxWait = 0;
        int64_t maxHold = 0;

        /// Moves open[openIndex] to `closed`, keeping it sorted, and counts its wait and hold.
        void closeAcquisition(size_t openIndex, const std::vector<Event> &events);
        /// The last open acquisition of `thread` that is waiting (holding == false) or holding;
        /// SIZE_MAX if none.
        size_t findOpen(uint32_t thread, bool holding, const std::vector<Event> &events) const;
    };

    std::vector<ThreadData> threads;
    std::unordered_map<int32_t, uint32_t> processIndex;
    std::unordered_map<int32_t, uint32_t> tidIndex; // tid -> latest thread index
    std::unordered_map<uint32_t, ObjectInfo> objects;
    std::unordered_map<uint32_t, LockData> locks;
    std::unordered_map<detail::FlowKey, uint32_t, detail::FlowKeyHash> pendingFrom;
    std::unordered_map<detail::FlowKey, uint32_t, detail::FlowKeyHash> pendingTo;
    std::unordered_map<std::pair<uint32_t, int64_t>, uint32_t, detail::PairHash> taskIndex; // (pool, id) -> latest
    std::unordered_map<uint32_t, uint32_t> lastFailedTask;                                  // thread -> task
    std::unordered_map<uint32_t, uint32_t> workerTask; // thread -> its last started task
    std::unordered_map<uint32_t, std::vector<uint32_t>> queueDepths;
    std::unordered_map<uint32_t, std::vector<uint32_t>> counters;
    std::unordered_map<uint32_t, std::vector<uint32_t>> vars;
    std::vector<Slice> asyncSpans;
    std::unordered_map<std::pair<uint32_t, int64_t>, uint32_t, detail::PairHash> openAsync;
    std::vector<uint32_t> pendingSamples; // samples of tids not in the thread table yet
    std::vector<uint32_t> pauses;         // Paused and Resumed events, time order
    int64_t start = kTimeMax;
    int64_t end = kTimeMin;
    uint32_t lastFailedAny = kNoEvent;
    // (held, taken, thread, blocking) seen so far: what the lock-order graph is made of.
    std::set<std::tuple<uint32_t, uint32_t, uint32_t, bool>> lockOrderSeen;
    uint64_t lockOrderVersion = 0;

    /// The event `from` sends along `key`: a flow to its receiver when that came first, else
    /// pending until it comes.
    void flowFrom(const detail::FlowKey &key, uint32_t from, std::vector<std::pair<uint32_t, uint32_t>> &flows);
    /// The event `to` receives along `key`: a flow from its sender when that came first, else pending.
    void flowTo(const detail::FlowKey &key, uint32_t to, std::vector<std::pair<uint32_t, uint32_t>> &flows);

    /// Splits a thread's life into the spans forEachState hands out (tracemodelstates.cpp).
    struct StateTiler;

    /// `th` waits for (or takes) `lock`: one order pair per lock it already holds.
    void noteLockOrder(uint32_t th, uint32_t lock, bool blocking)
    {
        for (const uint32_t h : threads[th].held)
            if (h != lock && lockOrderSeen.emplace(h, lock, th, blocking).second)
                ++lockOrderVersion;
    }
};

namespace detail {

/// Inserts `index` keeping `v` sorted by event time; cheap when events come in order.
inline void insertByTime(std::vector<uint32_t> &v, uint32_t index, const std::vector<Event> &events)
{
    const int64_t t = events[index].time;
    if (v.empty() || events[v.back()].time <= t) {
        v.push_back(index);
        return;
    }
    auto it = std::upper_bound(v.begin(), v.end(), t, [&](int64_t time, uint32_t e) { return time < events[e].time; });
    v.insert(it, index);
}

/// A /proc state letter of a thread waiting in the kernel: S (interruptible sleep: a read, a
/// futex, poll...) or D (uninterruptible: disk IO, page faults).
inline bool isKernelWait(char state)
{
    return state == 'S' || state == 'D';
}

} // namespace detail

} // namespace interleave::core
