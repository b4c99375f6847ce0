// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/blocking.h"
#include "trace/recorder.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <source_location>
#include <string_view>
#include <utility>

namespace interleave::core {

/// A recorded, bounded FIFO between threads (Python's queue.Queue). Every item gets an id, unique
/// in this queue and starting at 1, that travels with it: QueuePut and QueueGet carry it, so the
/// trace can draw each put→get flow. QueueDepth follows every change. get() records QueueGetWait
/// when it has to block; a get that gives up (timeout, close, stop) records QueueGet with item 0.
///
/// Events are recorded under the queue's own lock, so their order is the true order (a get is never
/// recorded before the put of its item). Every wait gives up on close() and on a stop request.
template<class T> class Queue
{
public:
    /// capacity 0 = unbounded, as in Python.
    explicit Queue(std::string_view name, size_t capacity = 0)
        : m_capacity(capacity)
        , m_id(recorder::newObject(ObjectKind::Queue, name))
    {}
    Queue(const Queue &) = delete;
    Queue &operator=(const Queue &) = delete;

    /// Blocks while the queue is full. Returns the item's id, or 0 if the queue was closed or a
    /// stop was requested before there was room (the item is then dropped).
    uint64_t put(T item, std::source_location where = std::source_location::current())
    {
        const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
        std::unique_lock lock(m_mutex);
        while (m_capacity != 0 && m_items.size() >= m_capacity && !m_closed) {
            if (instrument::stopRequested())
                return 0;
            m_notFull.wait_for(lock, instrument::kStopPollInterval);
        }
        if (m_closed)
            return 0;
        const uint64_t id = ++m_lastId;
        m_items.emplace_back(id, std::move(item));
        recorder::record(EventType::QueuePut, m_id, int64_t(id), 0, loc);
        recorder::record(EventType::QueueDepth, m_id, int64_t(m_items.size()), 0, loc);
        lock.unlock();
        m_notEmpty.notify_one();
        return id;
    }

    /// Blocks until an item arrives; nullopt once the queue is closed and empty, or on stop.
    std::optional<T> get(std::source_location where = std::source_location::current())
    {
        return getUntil(std::chrono::steady_clock::time_point::max(), false, where);
    }

    /// As get(), giving up after `timeout` (QueueGetWait then carries the Timed flag).
    std::optional<T> getFor(std::chrono::nanoseconds timeout,
                            std::source_location where = std::source_location::current())
    {
        return getUntil(std::chrono::steady_clock::now() + timeout, true, where);
    }

    /// Wakes every waiter: gets drain what is left and then return nullopt, puts return 0.
    void close()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_notEmpty.notify_all();
        m_notFull.notify_all();
    }

    size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_items.size();
    }
    size_t capacity() const noexcept { return m_capacity; }
    uint32_t id() const noexcept { return m_id; }

private:
    std::optional<T> getUntil(std::chrono::steady_clock::time_point deadline, bool timed, std::source_location where)
    {
        const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
        std::unique_lock lock(m_mutex);
        if (m_items.empty() && !m_closed) {
            recorder::record(EventType::QueueGetWait, m_id, 0, timed ? Timed : 0, loc);
            while (m_items.empty() && !m_closed) {
                const auto now = std::chrono::steady_clock::now();
                if (instrument::stopRequested() || now >= deadline)
                    break;
                m_notEmpty.wait_until(lock, std::min(deadline, now + instrument::kStopPollInterval));
            }
            if (m_items.empty()) {
                // Item 0: the wait ended without an item, so the model closes the blocked interval.
                recorder::record(EventType::QueueGet, m_id, 0, timed ? Timed : 0, loc);
                return std::nullopt;
            }
        }
        if (m_items.empty())
            return std::nullopt; // closed and drained, without waiting
        auto [id, item] = std::move(m_items.front());
        m_items.pop_front();
        recorder::record(EventType::QueueGet, m_id, int64_t(id), 0, loc);
        recorder::record(EventType::QueueDepth, m_id, int64_t(m_items.size()), 0, loc);
        lock.unlock();
        m_notFull.notify_one();
        return std::optional<T>(std::move(item));
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<std::pair<uint64_t, T>> m_items;
    size_t m_capacity;
    uint64_t m_lastId = 0;
    bool m_closed = false;
    uint32_t m_id;
};

} // namespace interleave::core
