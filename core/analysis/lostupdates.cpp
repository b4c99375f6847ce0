// SPDX-License-Identifier: MIT
#include "analysis/lostupdates.h"

#include <algorithm>
#include <unordered_map>

namespace interleave::core {
namespace {

/// A thread's last access to the variable: what it has seen.
struct Seen
{
    int64_t event = -1; ///< event index, -1: none yet
    uint32_t version = 0;
    int64_t value = 0;
    bool loaded = false;
};

/// Exact: each store names the version it overwrote, each load the version it read.
void findVersioned(const TraceModel &model, uint32_t var, std::vector<LostUpdate> &out,
                   std::vector<std::pair<uint32_t, int64_t>> &finals)
{
    const auto &events = model.data().events;
    const auto &accesses = model.varAccesses(var);
    // Pass 1: which store made each version, and what its thread had seen before it.
    struct Made
    {
        int64_t store = -1;
        int64_t before = -1;
    };
    std::vector<Made> made;
    std::unordered_map<uint32_t, int64_t> last; // per thread: last access event
    for (uint32_t idx : accesses) {
        const Event &e = events[idx];
        if (!(e.flags & Versioned))
            continue;
        if (e.type == EventType::VarStore) {
            const size_t version = size_t(VersionedVarArg::version(e.arg)) + 1;
            if (made.size() <= version)
                made.resize(version + 1);
            const auto it = last.find(e.thread);
            made[version] = {idx, it == last.end() ? -1 : it->second};
        }
        last[e.thread] = idx;
    }
    // Pass 2: a store is lost-update iff the version it overwrote is not the one its thread saw.
    std::unordered_map<uint32_t, Seen> seen;
    for (uint32_t idx : accesses) {
        const Event &e = events[idx];
        if (!(e.flags & Versioned))
            continue;
        Seen &me = seen[e.thread];
        const uint32_t version = VersionedVarArg::version(e.arg);
        const int64_t value = VersionedVarArg::value(e.arg);
        if (e.type == EventType::VarLoad) {
            me = {idx, version, value, true};
            continue;
        }
        if (me.loaded && version != me.version) {
            LostUpdate u;
            u.var = var;
            u.thread = e.thread;
            u.seenEvent = uint32_t(me.event);
            u.seenTime = events[size_t(me.event)].time;
            u.seenValue = me.value;
            u.storeEvent = idx;
            u.storeTime = e.time;
            u.storeValue = value;
            u.overwritten = version > me.version ? version - me.version : 0;
            if (version < made.size() && made[version].store >= 0) {
                const Event &other = events[size_t(made[version].store)];
                u.otherEvent = uint32_t(made[version].store);
                u.otherThread = other.thread;
                u.otherTime = other.time;
                u.otherValue = VersionedVarArg::value(other.arg);
                u.lostDelta = u.otherValue - u.seenValue;
                if (made[version].before >= 0) {
                    const Event &before = events[size_t(made[version].before)];
                    u.otherSeenEvent = made[version].before;
                    u.otherSeenTime = before.time;
                    u.otherSeenValue = varValue(before);
                }
            } else {
                // The overwritten store was not recorded (dropped events): still a lost update, of unknown size.
                u.otherEvent = idx;
                u.otherThread = e.thread;
                u.otherTime = e.time;
            }
            out.push_back(u);
        }
        me = {idx, version + 1, value, me.loaded};
    }
    for (size_t v = made.size(); v-- > 1;) {
        if (made[v].store >= 0) {
            finals.emplace_back(var, VersionedVarArg::value(events[size_t(made[v].store)].arg));
            break;
        }
    }
}

/// Older traces (plain values): the timestamps' order stands in for the memory order.
void findByTime(const TraceModel &model, uint32_t var, std::vector<LostUpdate> &out,
                std::vector<std::pair<uint32_t, int64_t>> &finals)
{
    const auto &events = model.data().events;
    struct TimedSeen
    {
        uint64_t seq = 0;
        int64_t event = -1;
        int64_t value = 0;
        bool loaded = false;
    };
    std::unordered_map<uint32_t, TimedSeen> seen; // per thread: last access
    std::unordered_map<uint32_t, int64_t> last;   // per thread: last access event, for otherSeen
    struct Store
    {
        uint64_t seq;
        uint32_t event;
        int64_t before;
    };
    std::vector<Store> stores;
    uint64_t seq = 0;
    for (uint32_t idx : model.varAccesses(var)) {
        const Event &e = events[idx];
        ++seq;
        TimedSeen &me = seen[e.thread];
        if (e.type == EventType::VarLoad) {
            me = {seq, idx, e.arg, true};
            last[e.thread] = idx;
            continue;
        }
        if (me.loaded && !stores.empty() && stores.back().seq > me.seq) {
            // Stores after T's last access: every one of them is by another thread.
            auto first = std::upper_bound(stores.begin(), stores.end(), me.seq,
                                          [](uint64_t s, const Store &x) { return s < x.seq; });
            const Store &other = stores.back();
            const Event &o = events[other.event];
            LostUpdate u;
            u.var = var;
            u.thread = e.thread;
            u.seenEvent = uint32_t(me.event);
            u.seenTime = events[size_t(me.event)].time;
            u.seenValue = me.value;
            u.storeEvent = idx;
            u.storeTime = e.time;
            u.storeValue = e.arg;
            u.otherEvent = other.event;
            u.otherThread = o.thread;
            u.otherTime = o.time;
            u.otherValue = o.arg;
            u.overwritten = uint32_t(stores.end() - first);
            u.lostDelta = u.otherValue - u.seenValue;
            if (other.before >= 0) {
                u.otherSeenEvent = other.before;
                u.otherSeenTime = events[size_t(other.before)].time;
                u.otherSeenValue = events[size_t(other.before)].arg;
            }
            out.push_back(u);
        }
        const auto it = last.find(e.thread);
        stores.push_back({seq, idx, it == last.end() ? -1 : it->second});
        last[e.thread] = idx;
        me = {seq, idx, e.arg, me.loaded};
    }
    if (!stores.empty())
        finals.emplace_back(var, events[stores.back().event].arg);
}

} // namespace

LostUpdates LostUpdates::find(const TraceModel &model, size_t maxExamples)
{
    const auto &events = model.data().events;
    LostUpdates r;
    r.m_maxExamples = maxExamples;
    for (uint32_t var : model.varIds()) {
        const auto &accesses = model.varAccesses(var);
        if (!accesses.empty() && (events[accesses.front()].flags & Versioned))
            findVersioned(model, var, r.m_all, r.m_final);
        else
            findByTime(model, var, r.m_all, r.m_final);
    }
    std::stable_sort(r.m_all.begin(), r.m_all.end(),
                     [](const LostUpdate &a, const LostUpdate &b) { return a.storeTime < b.storeTime; });
    for (const LostUpdate &u : r.m_all)
        r.m_lostDelta += u.lostDelta;
    return r;
}

std::span<const LostUpdate> LostUpdates::examples() const
{
    return {m_all.data(), std::min(m_maxExamples, m_all.size())};
}

QJsonObject lostUpdateToJson(const TraceModel &model, const LostUpdate &u)
{
    QJsonObject o{{QStringLiteral("thread"), QString::fromStdString(model.threadName(u.thread))},
                  {QStringLiteral("saw"), double(u.seenValue)},
                  {QStringLiteral("stored"), double(u.storeValue)},
                  {QStringLiteral("overwrote_thread"), QString::fromStdString(model.threadName(u.otherThread))},
                  {QStringLiteral("overwrote_value"), double(u.otherValue)},
                  {QStringLiteral("lost_delta"), double(u.lostDelta)},
                  {QStringLiteral("seen_ns"), double(u.seenTime - model.startTime())},
                  {QStringLiteral("other_store_ns"), double(u.otherTime - model.startTime())},
                  {QStringLiteral("store_ns"), double(u.storeTime - model.startTime())}};
    if (u.otherSeenEvent >= 0)
        o.insert(QStringLiteral("other_saw"), double(u.otherSeenValue));
    return o;
}

} // namespace interleave::core
