// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"

#include <QJsonObject>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace interleave::core {

/// One lost update: `thread` loaded `seenValue` at `seenTime` and stored `storeValue` at `storeTime`
/// over `otherThread`'s store at `otherTime` (which `otherThread` computed from the value it loaded
/// at `otherSeenTime`), never having seen it. The updates in between are gone: `lostDelta` is what
/// they had added to the variable.
struct LostUpdate
{
    uint32_t var = 0;
    uint32_t thread = 0;
    int64_t seenTime = 0; ///< T's last access (its load, or its own previous store) before the store
    int64_t seenValue = 0;
    int64_t storeTime = 0;
    int64_t storeValue = 0;
    uint32_t otherThread = 0; ///< the thread whose store T overwrote
    int64_t otherTime = 0;
    int64_t otherValue = 0;
    int64_t otherSeenTime = -1; ///< the overwritten store's thread's access before it (-1: none recorded)
    int64_t otherSeenValue = 0;
    uint32_t overwritten = 0; ///< stores between T's last access and its store, none of which T saw
    int64_t lostDelta = 0;    ///< otherValue - seenValue: how much the overwritten stores had changed
    uint32_t seenEvent = 0;   ///< event indexes (model.data().events) of T's access and store,
    uint32_t storeEvent = 0;  ///< and of the overwritten store and its thread's access before it
    uint32_t otherEvent = 0;
    int64_t otherSeenEvent = -1;
};

/// Lost updates on traced shared variables (VarLoad / VarStore events).
///
/// Rule: a store by T is a lost update when T has loaded the variable before and another thread's
/// store came between T's last access (its load, or its own store) and this store, unseen by T.
/// A read-modify-write `v = v + n` is a load then a store, so each stale RMW counts once, however
/// many stores it overwrote. With versioned events (SharedVar) "came between" is exact: a store
/// says which version it overwrote, a load which version it read. Older traces fall back to the
/// order of the events' timestamps. Then for each variable
///     final = expected - sum of lostDelta,
/// where expected is the start value plus every store's intended change (stored - seen).
class LostUpdates
{
public:
    static LostUpdates find(const TraceModel &model, size_t maxExamples = 8);

    uint64_t count() const { return m_all.size(); }
    /// The first few, in time order.
    std::span<const LostUpdate> examples() const;
    /// Every lost update, in the time order of its (overwriting) store.
    const std::vector<LostUpdate> &all() const { return m_all; }
    /// Sum of lostDelta: expected - final for a variable written only by read-modify-writes.
    int64_t lostDelta() const { return m_lostDelta; }
    /// True when updates were lost but their deltas add up to zero, so the final value looks right.
    bool cancelledOut() const { return !m_all.empty() && m_lostDelta == 0; }
    /// Final stored value per variable (var, value) for variables with stores: the last store in
    /// memory order (highest version) when the events are versioned.
    const std::vector<std::pair<uint32_t, int64_t>> &finalValues() const { return m_final; }

private:
    size_t m_maxExamples = 8;
    int64_t m_lostDelta = 0;
    std::vector<LostUpdate> m_all;
    std::vector<std::pair<uint32_t, int64_t>> m_final;
};

/// LostUpdates::find kept up to date while a live run's model grows: each update() reads only the
/// accesses after the last settled one, so keeping up costs what arrived since, not the whole run.
/// An access is settled once it is kSettleNs older than the variable's newest one; one that
/// arrives before a settled access anyway (a thread's events drained late) starts that variable
/// over, so the list always equals what find() gives for the same model.
class LostUpdateTracker
{
public:
    static constexpr int64_t kSettleNs = 5'000'000;

    LostUpdateTracker();
    ~LostUpdateTracker();
    LostUpdateTracker(LostUpdateTracker &&) noexcept;
    LostUpdateTracker &operator=(LostUpdateTracker &&) noexcept;

    /// Catches up with `model` (the same one each time; clear() before another). True if the list changed.
    bool update(const TraceModel &model);
    void clear();
    /// Every lost update, in the time order of its store (as LostUpdates::all()).
    const std::vector<LostUpdate> &all() const { return m_all; }
    /// The first settledCount() of all() only ever grow, unless settledReset() says otherwise.
    size_t settledCount() const { return m_settled; }
    /// Counts the times the settled part was rebuilt rather than appended to.
    uint64_t settledResets() const { return m_resets; }
    int64_t lostDelta() const { return m_lostDelta; }

private:
    struct Var;
    bool updateVar(const TraceModel &model, uint32_t var, Var &state);

    std::vector<std::pair<uint32_t, std::unique_ptr<Var>>> m_vars; ///< sorted by variable id
    std::vector<LostUpdate> m_all;
    size_t m_settled = 0;
    uint64_t m_resets = 0;
    int64_t m_lostDelta = 0;
};

/// One lost update as JSON, as the --json findings' examples and the Chrome export's instants give
/// it: {thread, saw, stored, overwrote_thread, overwrote_value, other_saw, lost_delta, seen_ns,
/// other_store_ns, store_ns} (times from the trace's start).
QJsonObject lostUpdateToJson(const TraceModel &model, const LostUpdate &update);

} // namespace interleave::core
