// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <sched.h>
#include <sys/rseq.h>

namespace interleave::core {

/// How raw event timestamps ("ticks") convert to CLOCK_MONOTONIC ns. Stored in the log header so
/// that every process converts with the same numbers.
struct ClockCalibration
{
    enum Kind : uint32_t
    {
        Monotonic = 0,
        Tsc = 1
    };
    uint32_t kind = Monotonic;
    uint32_t reserved = 0;
    uint64_t tickBase = 0; ///< ticks at nsBase
    int64_t nsBase = 0;
    uint64_t mult = uint64_t(1) << 32; ///< ns per tick, fixed point with 32 fractional bits

    int64_t toNs(uint64_t ticks) const
    {
        if (kind == Monotonic)
            return int64_t(ticks);
        const __int128 delta = __int128(int64_t(ticks - tickBase));
        return nsBase + int64_t((delta * __int128(mult)) >> 32);
    }
};

namespace clock {

/// CLOCK_MONOTONIC in ns.
inline int64_t monotonicNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

/// True when the cycle counter is usable as a clock (x86-64 with invariant TSC).
bool hasInvariantTsc() noexcept;

/// Measures ticks -> ns over `spanNs` of wall time (the caller sleeps that long). Falls back to
/// Monotonic when there is no invariant TSC or when `forceMonotonic`.
ClockCalibration calibrate(int64_t spanNs = 10'000'000, bool forceMonotonic = false) noexcept;
/// calibrate() measured once per process (the first caller waits its 10 ms; the rate of an
/// invariant TSC does not change) and based again on the clocks' readings of now at each call.
ClockCalibration processCalibration(bool forceMonotonic = false) noexcept;

/// One raw timestamp of the given kind.
inline uint64_t readTicks(uint32_t kind) noexcept
{
#if defined(__x86_64__)
    if (kind == ClockCalibration::Tsc)
        return __rdtsc();
#endif
    (void)kind;
    return uint64_t(monotonicNs());
}

/// readTicks() that cannot run ahead of the instructions before it. rdtsc is not ordered: the
/// CPU may read it before a preceding lock acquisition or load has completed, stamping an
/// event ~100 ns too early and putting it before the other thread's store it actually followed
/// (seen here as false lost updates under a mutex). lfence waits for those (~8 ns here; this
/// CPU has no rdtscp).
inline uint64_t readTicksOrdered(uint32_t kind) noexcept
{
#if defined(__x86_64__)
    if (kind == ClockCalibration::Tsc) {
        _mm_lfence();
        return __rdtsc();
    }
#endif
    (void)kind;
    return uint64_t(monotonicNs());
}

/// True when glibc registered rseq for this process (then cpu_id is one TLS load).
bool rseqAvailable() noexcept;

/// The core the calling thread runs on: rseq's cpu_id when registered, else sched_getcpu().
inline uint16_t currentCpu(bool useRseq) noexcept
{
    if (useRseq) {
        const auto *rs = reinterpret_cast<const volatile struct rseq *>(
            static_cast<const char *>(__builtin_thread_pointer()) + __rseq_offset);
        const int32_t cpu = int32_t(rs->cpu_id);
        if (cpu >= 0) [[likely]]
            return uint16_t(cpu);
    }
    const int cpu = sched_getcpu();
    return cpu < 0 ? uint16_t(0xffff) : uint16_t(cpu);
}

} // namespace clock
} // namespace interleave::core
