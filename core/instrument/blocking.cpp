// SPDX-License-Identifier: MIT
#include "instrument/blocking.h"

#include "trace/clock.h"
#include "trace/recorder.h"

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace interleave::core {

namespace instrument {
namespace detail {
std::atomic<bool> g_stop{false};
} // namespace detail

void setStopRequested(bool stop) noexcept
{
    detail::g_stop.store(stop, std::memory_order_relaxed);
}
} // namespace instrument

bool sleepFor(std::chrono::nanoseconds duration, std::source_location where) noexcept
{
    const int64_t ns = std::max<int64_t>(0, duration.count());
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    recorder::record(EventType::SleepBegin, 0, ns, 0, loc);
    // An absolute deadline makes restarts after EINTR and the stop-poll slices exact: the total
    // sleep is never shorter (nor much longer) than requested however often we wake.
    const int64_t deadline = clock::monotonicNs() + ns;
    const int64_t slice = std::chrono::nanoseconds(instrument::kStopPollInterval).count();
    bool complete = true;
    for (;;) {
        const int64_t now = clock::monotonicNs();
        if (now >= deadline)
            break;
        if (instrument::stopRequested()) {
            complete = false;
            break;
        }
        const int64_t until = std::min(deadline, now + slice);
        const timespec ts{time_t(until / 1'000'000'000), long(until % 1'000'000'000)};
        // Returns EINTR on a signal: the loop recomputes and goes back to sleep.
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
    }
    recorder::record(EventType::SleepEnd, 0, 0, 0, loc);
    return complete;
}

IoWait::IoWait(std::string_view what, std::source_location where)
{
    if (recorder::enabled()) {
        m_what = recorder::intern(what);
        m_loc = recorder::location(where);
    }
    recorder::record(EventType::IoWaitBegin, m_what, 0, 0, m_loc);
}

IoWait::~IoWait()
{
    recorder::record(EventType::IoWaitEnd, m_what, 0, 0, m_loc);
}

} // namespace interleave::core
