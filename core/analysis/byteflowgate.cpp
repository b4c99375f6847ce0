// SPDX-License-Identifier: MIT
#include "analysis/byteflowgate.h"

#include "analysis/byteflows.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <string_view>

namespace interleave::core {

namespace {

using namespace byteflow;

uint64_t bytesOf(const Event &e)
{
    return e.arg > 0 ? uint64_t(e.arg) : 0;
}

uint64_t addBytes(uint64_t a, uint64_t b)
{
    uint64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<uint64_t>::max() : sum;
}

/// Times of a damaged trace may lie anywhere; within +-kTimeLimit their differences fit.
int64_t clampTime(int64_t t)
{
    return std::clamp(t, -kTimeLimit, kTimeLimit);
}

bool isByteStream(const Event &e)
{
    return (e.type == EventType::PipeSend || e.type == EventType::PipeRecv) && (e.flags & ByteStream);
}

} // namespace

uint32_t ByteFlowGate::channelOf(const std::string &name)
{
    auto [it, fresh] = m_byName.try_emplace(name, 0);
    if (fresh) {
        it->second = m_nextPeerId--;
        m_names[it->second] = name;
    }
    return it->second;
}

/// A channel's ObjectNew: the first id of its name stays the name's; a socketpair names peers.
void ByteFlowGate::announce(Event &e, const TraceData &into)
{
    const std::string &name = into.string(uint32_t(e.arg));
    if (name.starts_with(kPairPrefix)) {
        const std::string_view rest = std::string_view(name).substr(kPairPrefix.size());
        const size_t middle = rest.find("]:[");
        if (middle != std::string_view::npos && rest.front() == '[' && rest.back() == ']') {
            const std::string a = std::string("socket:").append(rest.substr(0, middle + 1));
            const std::string b = std::string("socket:").append(rest.substr(middle + 2));
            m_peer[a] = b;
            m_peer[b] = a;
        }
    } else if (!name.starts_with(kPipePrefix) && !name.starts_with(kSocketPrefix)) {
        return;
    }
    const auto [it, fresh] = m_byName.try_emplace(name, e.object);
    if (fresh)
        m_names[e.object] = name;
    m_canonical[e.object] = it->second;
    e.object = it->second;
}

void ByteFlowGate::send(Event e, TraceData &into)
{
    uint64_t key = e.object;
    const auto name = m_names.find(e.object);
    if (name != m_names.end() && name->second.starts_with(kSocketPrefix)) {
        // What a socket sends arrives at its peer, announced or not yet; with no peer known it
        // arrives nowhere we see, and is not what the socket itself receives.
        if (const auto peer = m_peer.find(name->second); peer != m_peer.end())
            key = e.object = channelOf(peer->second);
        else
            key |= uint64_t(1) << 32;
    }
    Direction &d = m_directions[key];
    const uint64_t n = bytesOf(e);
    e.arg = ++m_lastItem[e.object];
    d.sent = addBytes(d.sent, n);
    if (n > 0 && d.sent > d.received) // bytes a forced read already took are stale
        d.ends.emplace_back(d.sent, e.arg);
    e.flags &= uint8_t(~ByteStream);
    into.events.push_back(e);
}

/// A read whose bytes were all written (or `force`): one PipeRecv per write whose last byte it took.
bool ByteFlowGate::receive(Event e, TraceData &into, bool force)
{
    Direction &d = m_directions[e.object];
    const uint64_t end = addBytes(d.received, bytesOf(e));
    if (end > d.sent && !force)
        return false;
    d.received = end;
    e.flags &= uint8_t(~ByteStream);
    bool first = true;
    while (!d.ends.empty() && d.ends.front().first <= end) {
        e.arg = d.ends.front().second;
        d.ends.pop_front();
        into.events.push_back(e);
        first = false;
    }
    if (first) { // it took no write's last byte: an item of its own
        e.arg = ++m_lastItem[e.object];
        into.events.push_back(e);
    }
    return true;
}

/// Passes one event on, rewritten; false if it must wait (a read of bytes not written yet).
bool ByteFlowGate::step(Event e, TraceData &into, bool force)
{
    if (e.type == EventType::ObjectNew && e.flags == uint8_t(ObjectKind::Pipe))
        announce(e, into);
    if (e.type != EventType::PipeSend && e.type != EventType::PipeRecvWait && e.type != EventType::PipeRecv) {
        into.events.push_back(e);
        return true;
    }
    if (const auto it = m_canonical.find(e.object); it != m_canonical.end())
        e.object = it->second;
    if (!isByteStream(e)) {
        if (e.type != EventType::PipeRecvWait)
            m_lastItem[e.object] = std::max(m_lastItem[e.object], std::min(e.arg, kItemLimit));
        into.events.push_back(e);
        return true;
    }
    if (e.type == EventType::PipeSend) {
        send(e, into);
        return true;
    }
    return receive(e, into, force || m_newest - clampTime(e.time) > kHoldLimitNs);
}

/// Lets held threads go on as far as their reads' writes have arrived (all: whatever they are).
void ByteFlowGate::release(TraceData &into, bool all)
{
    for (bool progress = true; progress && !m_held.empty();) {
        progress = false;
        for (auto it = m_held.begin(); it != m_held.end();) {
            std::deque<Event> &queue = it->second;
            while (!queue.empty() && step(queue.front(), into, all)) {
                queue.pop_front();
                progress = true;
            }
            it = queue.empty() ? m_held.erase(it) : std::next(it);
        }
    }
}

void ByteFlowGate::pass(TraceData &staging, TraceData &into, int64_t now)
{
    m_newest = std::max(m_newest, clampTime(now));
    into.threads.insert(into.threads.end(), staging.threads.begin(), staging.threads.end());
    staging.threads.clear();
    for (auto &[id, text] : staging.strings)
        into.setString(id, std::move(text));
    staging.strings.clear();
    into.droppedEvents = staging.droppedEvents;
    into.tornEvents = staging.tornEvents;
    into.tornThreads = staging.tornThreads;
    into.unreadableEvents = staging.unreadableEvents;
    for (const Event &e : staging.events)
        m_newest = std::max(m_newest, clampTime(e.time));
    for (const Event &e : staging.events) {
        if (const auto it = m_held.find(e.thread); it != m_held.end())
            it->second.push_back(e);
        else if (!step(e, into, false))
            m_held[e.thread].push_back(e);
    }
    staging.events.clear();
    release(into, false);
}

void ByteFlowGate::flush(TraceData &into)
{
    release(into, true);
}

size_t ByteFlowGate::held() const
{
    size_t n = 0;
    for (const auto &[thread, queue] : m_held)
        n += queue.size();
    return n;
}

} // namespace interleave::core
