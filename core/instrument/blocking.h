// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <source_location>
#include <string_view>

namespace interleave::core {

namespace instrument {

namespace detail {
extern std::atomic<bool> g_stop;
} // namespace detail

/// True once the runner asked the scenario to stop. Every blocking wait of the instrumented
/// primitives that can give up (sleeps, queue and pool waits) checks it at least every kStopPollInterval.
inline bool stopRequested() noexcept
{
    return detail::g_stop.load(std::memory_order_relaxed);
}
/// Set by the runner on Stop (and cleared before a new run in the same process, e.g. in tests).
void setStopRequested(bool stop) noexcept;

/// How long a wait may go without looking at stopRequested().
inline constexpr std::chrono::milliseconds kStopPollInterval{50};

} // namespace instrument

/// Sleeps for `duration` on CLOCK_MONOTONIC, recording SleepBegin (arg = requested ns) and SleepEnd.
/// Restarts after signals; wakes at least every 50 ms to look at instrument::stopRequested().
/// Returns false if the sleep was cut short by a stop request, true if it ran its full length.
bool sleepFor(std::chrono::nanoseconds duration, std::source_location where = std::source_location::current()) noexcept;

/// Marks the calling thread as blocked on input/output that no primitive records, e.g. reading a
/// child's stdout: IoWaitBegin (object = interned `what`) now, IoWaitEnd when the guard dies.
class IoWait
{
public:
    explicit IoWait(std::string_view what, std::source_location where = std::source_location::current());
    ~IoWait();
    IoWait(const IoWait &) = delete;
    IoWait &operator=(const IoWait &) = delete;

private:
    uint32_t m_what = 0;
    uint32_t m_loc = 0;
};

} // namespace interleave::core
