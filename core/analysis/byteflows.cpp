// SPDX-License-Identifier: MIT
#include "analysis/byteflows.h"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace interleave::core {

namespace {

using namespace byteflow;

bool isChannelEvent(const Event &e)
{
    return e.type == EventType::PipeSend || e.type == EventType::PipeRecvWait || e.type == EventType::PipeRecv;
}

bool isChannelObject(const Event &e)
{
    return e.type == EventType::ObjectNew && e.flags == uint8_t(ObjectKind::Pipe);
}

/// Bytes a ByteStream event carries; nonsense (≤ 0) counts as none.
uint64_t bytesOf(const Event &e)
{
    return e.arg > 0 ? uint64_t(e.arg) : 0;
}

/// Stream positions saturate rather than wrap on absurd byte counts from a damaged trace.
uint64_t addBytes(uint64_t a, uint64_t b)
{
    uint64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<uint64_t>::max() : sum;
}

/// The traced program's channels: one id per name, and which socket's writes another one reads.
struct Channels
{
    std::unordered_map<uint32_t, uint32_t> canonical; ///< announced id -> the id kept for its name
    std::unordered_map<uint32_t, uint32_t> peer;      ///< socket id kept -> its socketpair peer's
    std::unordered_set<uint32_t> sockets;             ///< socket ids kept
    size_t merged = 0;
};

/// "socketpair:[a]:[b]" -> "socket:[a]", "socket:[b]"; false if it does not read so.
bool splitPair(std::string_view name, std::string &a, std::string &b)
{
    const std::string_view rest = name.substr(kPairPrefix.size());
    const size_t middle = rest.find("]:[");
    if (rest.empty() || rest.front() != '[' || rest.back() != ']' || middle == std::string_view::npos)
        return false;
    a = std::string("socket:").append(rest.substr(0, middle + 1));
    b = std::string("socket:").append(rest.substr(middle + 2));
    return true;
}

Channels findChannels(const TraceData &data)
{
    std::unordered_map<std::string, uint32_t> byName; // smallest id: the same whatever the event order
    std::unordered_map<uint32_t, std::string> names;
    for (const Event &e : data.events) {
        if (!isChannelObject(e))
            continue;
        const std::string &name = data.string(uint32_t(e.arg));
        if (!name.starts_with(kPipePrefix) && !name.starts_with(kSocketPrefix) && !name.starts_with(kPairPrefix))
            continue;
        auto [it, fresh] = byName.try_emplace(name, e.object);
        if (!fresh)
            it->second = std::min(it->second, e.object);
        names[e.object] = name;
    }
    Channels c;
    for (const auto &[id, name] : names) {
        const uint32_t kept = byName[name];
        c.canonical[id] = kept;
        c.merged += kept != id;
        if (name.starts_with(kSocketPrefix))
            c.sockets.insert(kept);
    }
    std::string a, b;
    for (const auto &[name, id] : byName) {
        if (!name.starts_with(kPairPrefix) || !splitPair(name, a, b))
            continue;
        const auto ia = byName.find(a);
        const auto ib = byName.find(b);
        if (ia != byName.end() && ib != byName.end() && ia->second != ib->second) {
            c.peer[ia->second] = ib->second;
            c.peer[ib->second] = ia->second;
        }
    }
    return c;
}

/// One direction of a channel: the ByteStream writes and reads of its bytes.
struct Direction
{
    std::vector<uint32_t> sends;
    std::vector<uint32_t> receives;
};

struct Pass
{
    TraceData &data;
    Channels channels;
    std::unordered_map<uint64_t, Direction> directions; ///< by object, | 1 << 32 for a socket's own writes
    std::unordered_map<uint32_t, int64_t> lastItem;     ///< per object: the highest item id in use
    std::vector<std::pair<uint32_t, Event>> extras;     ///< PipeRecv to add after the event at .first
    ByteFlowCounts counts;

    int64_t newItem(uint32_t object) { return ++lastItem[object]; }
    void collect();
    void match(Direction &d);
    void insertExtras();
};

/// Moves every channel event to its name's id and sorts the ByteStream ones into directions.
void Pass::collect()
{
    for (uint32_t i = 0; i < data.events.size(); ++i) {
        Event &e = data.events[i];
        if (!isChannelEvent(e) && !isChannelObject(e))
            continue;
        if (const auto it = channels.canonical.find(e.object); it != channels.canonical.end())
            e.object = it->second;
        if (!isChannelEvent(e))
            continue;
        if (!(e.flags & ByteStream) || e.type == EventType::PipeRecvWait) {
            if (e.type != EventType::PipeRecvWait)
                lastItem[e.object] = std::max(lastItem[e.object], std::min(e.arg, kItemLimit));
            continue;
        }
        uint64_t key = e.object;
        if (e.type == EventType::PipeSend) {
            // What a socket sends arrives at its peer; with no peer known it arrives nowhere we see,
            // and must not be taken for what the socket itself receives.
            if (const auto p = channels.peer.find(e.object); p != channels.peer.end())
                key = e.object = p->second;
            else if (channels.sockets.contains(e.object))
                key |= uint64_t(1) << 32;
            directions[key].sends.push_back(i);
        } else {
            directions[key].receives.push_back(i);
        }
    }
}

/// Pairs each write with the read of its last byte and gives both their item id.
void Pass::match(Direction &d)
{
    std::vector<Event> &events = data.events;
    const auto byTime = [&](uint32_t x, uint32_t y) {
        return events[x].time != events[y].time ? events[x].time < events[y].time : x < y;
    };
    std::sort(d.sends.begin(), d.sends.end(), byTime);
    std::sort(d.receives.begin(), d.receives.end(), byTime);
    // Sizes first: a matched read's arg becomes an item id below.
    std::vector<uint64_t> readBytes(d.receives.size());
    uint64_t total = 0;
    for (size_t k = 0; k < d.receives.size(); ++k)
        total = addBytes(total, readBytes[k] = bytesOf(events[d.receives[k]]));
    std::vector<bool> given(d.receives.size(), false);
    size_t j = 0;
    uint64_t sent = 0;
    uint64_t received = readBytes.empty() ? 0 : readBytes[0];
    for (const uint32_t s : d.sends) {
        Event &send = events[s];
        const uint64_t n = bytesOf(send);
        sent = addBytes(sent, n);
        while (n > 0 && j < d.receives.size() && received < sent) {
            if (++j < d.receives.size())
                received = addBytes(received, readBytes[j]);
        }
        send.arg = newItem(send.object);
        send.flags &= uint8_t(~ByteStream);
        ++counts.sends;
        if (n == 0 || j >= d.receives.size())
            continue;
        ++counts.matchedSends;
        Event &recv = events[d.receives[j]];
        if (!given[j]) {
            given[j] = true;
            recv.arg = send.arg;
        } else {
            Event extra = recv;
            extra.arg = send.arg;
            extra.flags &= uint8_t(~ByteStream);
            extras.emplace_back(d.receives[j], extra);
            ++counts.extraReceives;
        }
    }
    for (size_t k = 0; k < d.receives.size(); ++k) {
        Event &recv = events[d.receives[k]];
        if (!given[k])
            recv.arg = newItem(recv.object);
        recv.flags &= uint8_t(~ByteStream);
        ++counts.receives;
    }
    if (total > sent)
        counts.unmatchedBytes += total - sent;
}

/// Puts each added PipeRecv right after the read it belongs to, in the order of its writes.
void Pass::insertExtras()
{
    if (extras.empty())
        return;
    std::stable_sort(extras.begin(), extras.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
    std::vector<Event> merged;
    merged.reserve(data.events.size() + extras.size());
    size_t next = 0;
    for (uint32_t i = 0; i < data.events.size(); ++i) {
        merged.push_back(data.events[i]);
        for (; next < extras.size() && extras[next].first == i; ++next)
            merged.push_back(extras[next].second);
    }
    data.events = std::move(merged);
}

} // namespace

ByteFlowCounts matchByteFlows(TraceData &data)
{
    Pass pass{data, findChannels(data), {}, {}, {}, {}};
    pass.counts.mergedObjects = pass.channels.merged;
    pass.collect();
    for (auto &[key, direction] : pass.directions)
        pass.match(direction);
    pass.insertExtras();
    return pass.counts;
}

} // namespace interleave::core
