// SPDX-License-Identifier: MIT
// The benchmarks' synthetic trace of ~5 M events: made once per program, shared by the model's
// ingest and the window's open.
#pragma once

#include "trace/tracedata.h"

#include <algorithm>
#include <random>

namespace interleave::bench {

using namespace interleave::core;

inline constexpr size_t kTarget = 5'000'000;
inline constexpr int kThreads = 8;

/// 8 worker threads doing lock wait/obtain/release and sleeps, a sampler sampling each every ~1 ms.
inline const TraceData &syntheticTrace()
{
    static const TraceData data = [] {
        TraceData d;
        std::mt19937 rng(1);
        for (int i = 0; i < kThreads; ++i)
            d.threadIndex(100, 101 + i);
        const uint32_t sampler = d.threadIndex(100, 200);
        d.events.reserve(kTarget + 64);
        std::vector<int64_t> clock(kThreads, 0);
        int64_t nextSample = 0;
        while (d.events.size() < kTarget) {
            const int th = int(rng() % kThreads);
            int64_t &t = clock[size_t(th)];
            auto push = [&](EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0) {
                t += 200 + rng() % 2000;
                Event e{};
                e.time = t;
                e.thread = uint32_t(th);
                e.type = type;
                e.object = object;
                e.arg = arg;
                e.flags = flags;
                e.cpu = uint16_t(th % 2);
                d.events.push_back(e);
            };
            const uint32_t lock = 1 + rng() % 4;
            if (rng() % 3 != 0) {
                push(EventType::LockWait, lock);
                push(EventType::LockObtain, lock);
                push(EventType::LockRelease, lock);
            } else {
                push(EventType::SleepBegin, 0, 1000);
                push(EventType::SleepEnd);
            }
            // The sampler follows the slowest clock: one sample per thread per ~20 us of trace time.
            const int64_t now = *std::min_element(clock.begin(), clock.end());
            while (nextSample < now) {
                nextSample += 20'000;
                for (int s = 0; s < kThreads; ++s) {
                    Event e{};
                    e.time = nextSample;
                    e.thread = sampler;
                    e.type = EventType::Sample;
                    e.object = uint32_t(101 + s);
                    e.arg = SampleArg::pack('R', rng() % 3 == 0 ? rng() % 5000 : 0);
                    e.cpu = uint16_t(rng() % 2);
                    d.events.push_back(e);
                }
            }
        }
        d.events.shrink_to_fit();
        return d;
    }();
    return data;
}

} // namespace interleave::bench
