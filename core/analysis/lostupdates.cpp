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

/// Which store made a version, and what its thread had accessed before it.
struct Made
{
    int64_t store = -1;
    int64_t before = -1;
    int64_t at = -1; ///< the store's position in the variable's accesses
};

/// Per thread index (few, and dense): its last access event, -1 for none.
struct LastAccess
{
    std::vector<int64_t> event;
    int64_t of(uint32_t thread) const { return thread < event.size() ? event[thread] : -1; }
    void set(uint32_t thread, int64_t idx)
    {
        if (thread >= event.size())
            event.resize(size_t(thread) + 1, -1);
        event[thread] = idx;
    }
};

/// Per thread index: what it has seen.
struct SeenBy
{
    std::vector<Seen> seen;
    Seen &operator[](uint32_t thread)
    {
        if (thread >= seen.size())
            seen.resize(size_t(thread) + 1);
        return seen[thread];
    }
};

/// Pass 1, one access: a store notes the version it made. Returns the version, or -1 for a load.
int64_t noteMade(const Event &e, uint32_t idx, size_t at, LastAccess &last, std::vector<Made> &made)
{
    int64_t made1 = -1;
    if (e.type == EventType::VarStore) {
        const size_t version = size_t(VersionedVarArg::version(e.arg)) + 1;
        if (made.size() <= version)
            made.resize(version + 1);
        made[version] = {idx, last.of(e.thread), int64_t(at)};
        made1 = int64_t(version);
    }
    last.set(e.thread, idx);
    return made1;
}

/// Pass 2, one access: a store is a lost update iff the version it overwrote is not the one its
/// thread saw. Returns the version it overwrote when it is one (-1 otherwise).
int64_t checkStore(const std::vector<Event> &events, uint32_t var, uint32_t idx, SeenBy &seen,
                   const std::vector<Made> &made, std::vector<LostUpdate> &out)
{
    const Event &e = events[idx];
    Seen &me = seen[e.thread];
    const uint32_t version = VersionedVarArg::version(e.arg);
    const int64_t value = VersionedVarArg::value(e.arg);
    if (e.type == EventType::VarLoad) {
        me = {idx, version, value, true};
        return -1;
    }
    int64_t lost = -1;
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
        lost = version;
    }
    me = {idx, version + 1, value, me.loaded};
    return lost;
}

/// Exact: each store names the version it overwrote, each load the version it read.
void findVersioned(const TraceModel &model, uint32_t var, std::vector<LostUpdate> &out,
                   std::vector<std::pair<uint32_t, int64_t>> &finals)
{
    const auto &events = model.data().events;
    const auto &accesses = model.varAccesses(var);
    // Pass 1: which store made each version, and what its thread had seen before it.
    std::vector<Made> made;
    LastAccess last;
    for (size_t i = 0; i < accesses.size(); ++i) {
        if (events[accesses[i]].flags & Versioned)
            noteMade(events[accesses[i]], accesses[i], i, last, made);
    }
    // Pass 2: a store is lost-update iff the version it overwrote is not the one its thread saw.
    SeenBy seen;
    for (uint32_t idx : accesses) {
        if (events[idx].flags & Versioned)
            checkStore(events, var, idx, seen, made, out);
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

struct LostUpdateTracker::Var
{
    bool versioned = true;
    size_t accesses = 0;    ///< how many there were at the last update
    size_t done = 0;        ///< accesses settled: their passes' results are final
    uint32_t lastDone = 0;  ///< the event of the last settled access, to see one arrive before it
    LastAccess last;        ///< pass 1 after the settled accesses
    std::vector<Made> made; ///< made by settled stores
    SeenBy seen;            ///< pass 2 after the settled accesses
    std::vector<LostUpdate> settled;
    std::vector<LostUpdate> tail; ///< from the accesses after `done`, found again each update
    size_t newlySettled = 0;      ///< how many of `settled` the last update added
    int64_t settledDelta = 0;
};

LostUpdateTracker::LostUpdateTracker() = default;
LostUpdateTracker::~LostUpdateTracker() = default;
LostUpdateTracker::LostUpdateTracker(LostUpdateTracker &&) noexcept = default;
LostUpdateTracker &LostUpdateTracker::operator=(LostUpdateTracker &&) noexcept = default;

void LostUpdateTracker::clear()
{
    m_vars.clear();
    m_all.clear();
    m_settled = 0;
    ++m_resets;
    m_lostDelta = 0;
}

namespace {

/// Both passes over a variable's accesses after the settled ones, from the settled state, with
/// the state they reach at `q` (the candidate settle point) kept aside.
struct TailPass
{
    LastAccess lastAtQ;
    SeenBy seenAtQ;
    std::vector<LostUpdate> found;
    size_t foundBeforeQ = 0;
    size_t blockedAt = SIZE_MAX;        ///< the first access before q whose lost update may still change
    std::vector<uint32_t> madeVersions; ///< entries the tail's stores set in `made`, with...
    std::vector<size_t> madePositions;  ///< ...the store's position
};

TailPass passTail(const std::vector<Event> &events, const std::vector<uint32_t> &acc, uint32_t var, size_t from,
                  size_t q, const LastAccess &settledLast, const SeenBy &settledSeen, std::vector<Made> &made)
{
    TailPass t;
    const size_t n = acc.size();
    LastAccess last = settledLast;
    for (size_t i = from; i < n; ++i) {
        if (i == q)
            t.lastAtQ = last;
        if (!(events[acc[i]].flags & Versioned))
            continue;
        if (const int64_t version = noteMade(events[acc[i]], acc[i], i, last, made); version >= 0) {
            t.madeVersions.push_back(uint32_t(version));
            t.madePositions.push_back(i);
        }
    }
    if (q == n)
        t.lastAtQ = std::move(last);

    // A lost update before q over a store at q or later, or not recorded yet, may still change.
    SeenBy seen = settledSeen;
    for (size_t i = from; i < n; ++i) {
        if (i == q) {
            t.seenAtQ = seen;
            t.foundBeforeQ = t.found.size();
        }
        if (!(events[acc[i]].flags & Versioned))
            continue;
        const int64_t overwrote = checkStore(events, var, acc[i], seen, made, t.found);
        if (overwrote >= 0 && i < q && t.blockedAt == SIZE_MAX) {
            const bool known = size_t(overwrote) < made.size() && made[size_t(overwrote)].store >= 0;
            if (!known || made[size_t(overwrote)].at >= int64_t(q))
                t.blockedAt = i;
        }
    }
    if (q == n) {
        t.seenAtQ = std::move(seen);
        t.foundBeforeQ = t.found.size();
    }
    return t;
}

/// Takes back the tail's entries in `made` at or after `keepBefore`.
void undoMade(const TailPass &t, size_t keepBefore, std::vector<Made> &made)
{
    for (size_t k = 0; k < t.madeVersions.size(); ++k) {
        if (t.madePositions[k] >= keepBefore)
            made[t.madeVersions[k]] = Made{};
    }
}

} // namespace

bool LostUpdateTracker::updateVar(const TraceModel &model, uint32_t var, Var &v)
{
    const auto &events = model.data().events;
    const auto &acc = model.varAccesses(var);
    if (acc.size() == v.accesses)
        return false; // accesses only ever grow
    if (acc.empty() || !(events[acc.front()].flags & Versioned) || !v.versioned) {
        // Plain values (older traces, files that do not grow): the whole list again.
        v = Var{};
        v.versioned = false;
        v.accesses = acc.size();
        std::vector<std::pair<uint32_t, int64_t>> finals;
        findByTime(model, var, v.tail, finals);
        return true;
    }
    if (v.done > acc.size() || (v.done > 0 && acc[v.done - 1] != v.lastDone)) {
        const uint64_t resets = v.settled.empty() ? 0 : 1;
        v = Var{}; // an access arrived before the settled ones: start this variable over
        m_resets += resets;
    }
    v.accesses = acc.size();
    v.newlySettled = 0;
    const size_t n = acc.size();
    const int64_t settleBefore = events[acc.back()].time - kSettleNs;
    size_t q = v.done; // the candidate settle point: accesses before it are old enough
    while (q < n && events[acc[q]].time < settleBefore)
        ++q;

    TailPass t = passTail(events, acc, var, v.done, q, v.last, v.seen, v.made);
    if (t.blockedAt < q) {
        // Settle what comes before the first lost update that may still change (the passes again,
        // to have their state there).
        undoMade(t, v.done, v.made);
        q = t.blockedAt;
        t = passTail(events, acc, var, v.done, q, v.last, v.seen, v.made);
    }
    undoMade(t, q, v.made);
    if (q > v.done) {
        v.done = q;
        v.lastDone = acc[q - 1];
        v.last = std::move(t.lastAtQ);
        v.seen = std::move(t.seenAtQ);
        for (size_t k = 0; k < t.foundBeforeQ; ++k)
            v.settledDelta += t.found[k].lostDelta;
        v.settled.insert(v.settled.end(), t.found.begin(), t.found.begin() + ptrdiff_t(t.foundBeforeQ));
        v.newlySettled = t.foundBeforeQ;
        t.found.erase(t.found.begin(), t.found.begin() + ptrdiff_t(t.foundBeforeQ));
    }
    v.tail = std::move(t.found);
    return true;
}

bool LostUpdateTracker::update(const TraceModel &model)
{
    bool changed = false;
    for (uint32_t var : model.varIds()) {
        auto it = std::lower_bound(m_vars.begin(), m_vars.end(), var,
                                   [](const auto &entry, uint32_t id) { return entry.first < id; });
        if (it == m_vars.end() || it->first != var)
            it = m_vars.insert(it, {var, std::make_unique<Var>()});
        const uint64_t resetsBefore = m_resets;
        const bool varChanged = updateVar(model, var, *it->second);
        changed |= varChanged;
        if (varChanged && m_resets != resetsBefore)
            m_settled = 0; // rebuilt below
    }
    if (!changed)
        return false;
    if (m_vars.size() == 1 && m_vars.front().second->versioned) {
        // One variable (the lessons' balance): its lost updates are in store order already.
        Var &v = *m_vars.front().second;
        if (m_settled + v.newlySettled != v.settled.size()) {
            m_all.assign(v.settled.begin(), v.settled.end());
        } else {
            m_all.resize(m_settled);
            m_all.insert(m_all.end(), v.settled.end() - ptrdiff_t(v.newlySettled), v.settled.end());
        }
        m_settled = m_all.size();
        m_all.insert(m_all.end(), v.tail.begin(), v.tail.end());
        m_lostDelta = v.settledDelta;
        for (const LostUpdate &u : v.tail)
            m_lostDelta += u.lostDelta;
        return true;
    }
    m_all.clear();
    for (const auto &[var, v] : m_vars) {
        m_all.insert(m_all.end(), v->settled.begin(), v->settled.end());
        m_all.insert(m_all.end(), v->tail.begin(), v->tail.end());
    }
    std::stable_sort(m_all.begin(), m_all.end(),
                     [](const LostUpdate &a, const LostUpdate &b) { return a.storeTime < b.storeTime; });
    m_settled = 0;
    ++m_resets;
    m_lostDelta = 0;
    for (const LostUpdate &u : m_all)
        m_lostDelta += u.lostDelta;
    return true;
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
