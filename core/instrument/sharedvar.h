// SPDX-License-Identifier: MIT
#pragma once

#include "trace/hold.h"
#include "trace/recorder.h"

#include <atomic>
#include <cstdint>
#include <source_location>
#include <string_view>

namespace interleave::core {

/// A traced shared integer for the race lesson ("balance = balance + n"). load() records VarLoad
/// with the value and the version it read; store() records VarStore with the value and the version
/// it overwrote (flags Versioned, arg a VersionedVarArg), so the analysis knows exactly which store
/// overwrote whose update.
///
/// Value and version (how many stores came before) share one 64-bit atomic word: each load and each
/// store is indivisible (no undefined behaviour, no torn values), but add() is deliberately a
/// separate load and store, exactly like Python's `balance = balance + n`, so two threads really do
/// lose updates when they interleave. Values are kept as 32 bits (the lesson's balance stays far
/// inside that range).
class SharedVar
{
public:
    explicit SharedVar(std::string_view name, int64_t initial = 0)
        : m_word(pack(0, initial))
        , m_id(recorder::newObject(ObjectKind::SharedVar, name))
    {}
    SharedVar(const SharedVar &) = delete;
    SharedVar &operator=(const SharedVar &) = delete;

    int64_t load(std::source_location where = std::source_location::current()) const noexcept
    {
        if (!recorder::enabled())
            return VersionedVarArg::value(int64_t(m_word.load(std::memory_order_relaxed)));
        const uint32_t loc = recorder::location(where);
        // Held before the load, not after it: a scheduled step decides when the value is read.
        recorder::hold(EventType::VarLoad, m_id, loc);
        const uint64_t word = m_word.load(std::memory_order_relaxed);
        recorder::record(EventType::VarLoad, m_id, int64_t(word), Versioned, loc);
        return VersionedVarArg::value(int64_t(word));
    }

    /// Overwrites the value, whatever another thread stored since this thread's load: the lost
    /// update still happens. The compare-exchange loop only numbers the store (the version it
    /// overwrote + 1); it retries when another store lands in between, never keeps that value.
    void store(int64_t value, std::source_location where = std::source_location::current()) noexcept
    {
        const bool recording = recorder::enabled();
        const uint32_t loc = recording ? recorder::location(where) : 0;
        if (recording)
            recorder::hold(EventType::VarStore, m_id, loc); // before the store, as in load()
        uint64_t old = m_word.load(std::memory_order_relaxed);
        while (!m_word.compare_exchange_weak(old, pack(version(old) + 1, value), std::memory_order_relaxed))
            ;
        if (recording)
            recorder::record(EventType::VarStore, m_id, VersionedVarArg::pack(version(old), int32_t(value)), Versioned,
                             loc);
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
    int64_t peek() const noexcept { return VersionedVarArg::value(int64_t(m_word.load(std::memory_order_relaxed))); }
    /// How many stores the value has seen, unrecorded.
    uint32_t stores() const noexcept { return version(m_word.load(std::memory_order_relaxed)); }
    uint32_t id() const noexcept { return m_id; }

private:
    static uint64_t pack(uint32_t version, int64_t value) noexcept
    {
        return uint64_t(VersionedVarArg::pack(version, int32_t(value)));
    }
    static uint32_t version(uint64_t word) noexcept { return VersionedVarArg::version(int64_t(word)); }

    std::atomic<uint64_t> m_word;
    uint32_t m_id;
};

} // namespace interleave::core
