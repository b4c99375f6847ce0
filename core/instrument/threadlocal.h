// SPDX-License-Identifier: MIT
#pragma once

#include "trace/recorder.h"

#include <atomic>
#include <concepts>
#include <cstdint>
#include <memory>
#include <source_location>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

namespace interleave::core {

namespace detail {

/// Per-thread storage of every ThreadLocal, keyed by a serial number that is never reused, so a
/// destroyed ThreadLocal's stale slot can never be mistaken for a new one's. Freed at thread exit.
inline std::unordered_map<uint64_t, std::shared_ptr<void>> &threadLocalSlots()
{
    thread_local std::unordered_map<uint64_t, std::shared_ptr<void>> values;
    return values;
}

inline uint64_t nextThreadLocalSerial()
{
    static std::atomic<uint64_t> serial{0};
    return serial.fetch_add(1, std::memory_order_relaxed) + 1;
}

} // namespace detail

/// Python's threading.local for one value: each thread sees only its own copy, default-constructed
/// on first use. Announced once by ObjectNew (kind ThreadLocal); set() records VarStore and get()
/// records VarLoad, with arg = the value when T is an integer, the interned text when T is a
/// string (so the trace reads "Thread-A stored Alice"), else 0.
template<class T> class ThreadLocal
{
public:
    explicit ThreadLocal(std::string_view name)
        : m_serial(detail::nextThreadLocalSerial())
        , m_id(recorder::newObject(ObjectKind::ThreadLocal, name))
    {}
    ThreadLocal(const ThreadLocal &) = delete;
    ThreadLocal &operator=(const ThreadLocal &) = delete;

    void set(T value, std::source_location where = std::source_location::current())
    {
        T &slot = local();
        slot = std::move(value);
        if (recorder::enabled())
            recorder::record(EventType::VarStore, m_id, encode(slot), 0, recorder::location(where));
    }

    /// The calling thread's value (a default T if this thread never set one).
    const T &get(std::source_location where = std::source_location::current())
    {
        const T &slot = local();
        if (recorder::enabled())
            recorder::record(EventType::VarLoad, m_id, encode(slot), 0, recorder::location(where));
        return slot;
    }

    uint32_t id() const noexcept { return m_id; }

private:
    T &local()
    {
        auto &slot = detail::threadLocalSlots()[m_serial];
        if (!slot)
            slot = std::make_shared<T>();
        return *static_cast<T *>(slot.get());
    }

    static int64_t encode(const T &value)
    {
        if constexpr (std::is_integral_v<T>)
            return int64_t(value);
        else if constexpr (std::is_convertible_v<const T &, std::string_view>)
            return int64_t(recorder::intern(std::string_view(value)));
        else
            return 0;
    }

    uint64_t m_serial;
    uint32_t m_id;
};

} // namespace interleave::core
