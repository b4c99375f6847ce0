// SPDX-License-Identifier: MIT
#pragma once

#include "trace/event.h"

#include <atomic>
#include <cstdint>

namespace interleave::core::recorder {

namespace detail {
extern bool g_on;
extern std::atomic<uint32_t> *g_paused; // the log's hold word (a static zero while not attached)
void holdSlow(EventType type, uint32_t object, uint32_t loc) noexcept;
} // namespace detail

/// Where an operation happens before its event is recorded (a shared variable's load records the
/// value it read): holds the caller here, before the operation, while the run is paused (or the
/// thread is one a schedule holds), as record() would hold it after. The thread's next record()
/// then goes through without a second hold, so a Step lets the operation and its event happen
/// as one.
inline void hold(EventType type, uint32_t object = 0, uint32_t loc = 0) noexcept
{
    if (detail::g_on && detail::g_paused->load(std::memory_order_relaxed) != 0) [[unlikely]]
        detail::holdSlow(type, object, loc);
}

} // namespace interleave::core::recorder
