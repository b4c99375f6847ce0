// SPDX-License-Identifier: MIT
#include "trace/recordedcores.h"

#include <algorithm>

namespace interleave::core {

namespace {

/// Core numbers at or above this are not real (the sampler writes 0xffff when /proc gave none).
constexpr int kMaxCores = 4096;

} // namespace

bool RecordedCores::update(const TraceModel &model)
{
    const auto &events = model.data().events;
    const size_t upto = std::min(events.size(), model.ingestedEvents());
    if (upto < m_seen)
        m_seen = 0; // another trace in the same model
    const int before = m_count;
    for (size_t i = m_seen; i < upto; ++i) {
        const int cpu = events[i].cpu;
        if (cpu < kMaxCores)
            m_count = std::max(m_count, cpu + 1);
    }
    m_seen = upto;
    return m_count != before;
}

} // namespace interleave::core
