// SPDX-License-Identifier: MIT
#pragma once

#include "trace/recorder.h"

#include <atomic>
#include <cstdint>
#include <source_location>
#include <string_view>

namespace interleave::core {

/// A traced shared integer for the race lesson ("balance = balance + n"). load() records VarLoad
/// and store() records VarStore, both with the value, so the analysis can tell from the values
/// which store overwrote whose update.
///
/// The value is a relaxed std::atomic: each load and each store is indivisible (no undefined
/// behaviour, no torn values), but add() is deliberately a separate load and store, exactly like
/// Python's `balance = balance + n`, so two threads really do lose updates when they interleave.
class SharedVar
{
public:
    explicit SharedVar(std::string_view name, int64_t initial = 0)
        : m_value(initial), m_id(recorder::newObject(ObjectKind::SharedVar, name))
    {
    }
    SharedVar(const SharedVar &) = delete;
    SharedVar &operator=(const SharedVar &) = delete;

    int64_t load(std::source_location where = std::source_location::current()) const noexcept
    {
        const int64_t value = m_value.load(std::memory_order_relaxed);
        if (recorder::enabled())
            recorder::record(EventType::VarLoad, m_id, value, 0, recorder::location(where));
        return value;
    }

    void store(int64_t value, std::source_location where = std::source_location::current()) noexcept
    {
        m_value.store(value, std::memory_order_relaxed);
        if (recorder::enabled())
            recorder::record(EventType::VarStore, m_id, value, 0, recorder::location(where));
    }

    /// The non-atomic read-modify-write of the lesson: a load, then a store of the sum. Another
    /// thread's store between the two is lost. Returns the value stored.
    int64_t add(int64_t delta, std::source_location where = std::source_location::current()) noexcept
    {
        const int64_t value = load(where) + delta;
        store(value, where);
        return value;
    }

    /// The current value, unrecorded (for checking results, not for the scenario's own code).
    int64_t peek() const noexcept { return m_value.load(std::memory_order_relaxed); }
    uint32_t id() const noexcept { return m_id; }

private:
    std::atomic<int64_t> m_value;
    uint32_t m_id;
};

} // namespace interleave::core
