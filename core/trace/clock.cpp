// SPDX-License-Identifier: MIT
#include "trace/clock.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <algorithm>

namespace interleave::core::clock {

bool hasInvariantTsc() noexcept
{
#if defined(__x86_64__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid_max(0x80000000, nullptr) < 0x80000007u)
        return false;
    __cpuid(0x80000007, a, b, c, d);
    return (d & (1u << 8)) != 0;
#else
    return false;
#endif
}

bool rseqAvailable() noexcept
{
    if (__rseq_size == 0)
        return false;
    const auto *rs = reinterpret_cast<const volatile struct rseq *>(
        static_cast<const char *>(__builtin_thread_pointer()) + __rseq_offset);
    return int32_t(rs->cpu_id) >= 0;
}

namespace {

struct Pair
{
    uint64_t ticks;
    int64_t ns;
};

// Brackets clock_gettime between two rdtsc reads and keeps the narrowest of a few tries, so
// one preemption or VM exit does not skew the calibration.
Pair samplePair() noexcept
{
    Pair best{0, 0};
    uint64_t bestWidth = ~uint64_t(0);
    for (int i = 0; i < 5; ++i) {
        const uint64_t t0 = readTicks(ClockCalibration::Tsc);
        const int64_t ns = monotonicNs();
        const uint64_t t1 = readTicks(ClockCalibration::Tsc);
        if (t1 - t0 < bestWidth) {
            bestWidth = t1 - t0;
            best = {t0 + (t1 - t0) / 2, ns};
        }
    }
    return best;
}

} // namespace

ClockCalibration calibrate(int64_t spanNs, bool forceMonotonic) noexcept
{
    ClockCalibration cal;
    if (forceMonotonic || !hasInvariantTsc())
        return cal;
    const Pair a = samplePair();
    timespec pause{0, long(std::clamp<int64_t>(spanNs, 1'000'000, 20'000'000))};
    while (nanosleep(&pause, &pause) != 0) {
    }
    const Pair b = samplePair();
    if (b.ticks <= a.ticks || b.ns <= a.ns)
        return cal; // a clock that does not advance: stay on CLOCK_MONOTONIC
    cal.kind = ClockCalibration::Tsc;
    cal.tickBase = b.ticks;
    cal.nsBase = b.ns;
    cal.mult = uint64_t((__int128(b.ns - a.ns) << 32) / __int128(b.ticks - a.ticks));
    return cal;
}

ClockCalibration processCalibration(bool forceMonotonic) noexcept
{
    if (forceMonotonic)
        return ClockCalibration{};
    static const ClockCalibration measured = calibrate();
    ClockCalibration cal = measured;
    if (cal.kind == ClockCalibration::Tsc) {
        const Pair now = samplePair();
        cal.tickBase = now.ticks;
        cal.nsBase = now.ns;
    }
    return cal;
}

} // namespace interleave::core::clock
