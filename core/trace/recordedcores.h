// SPDX-License-Identifier: MIT
// RecordedCores: how many cores the recording machine showed in the trace.
#pragma once

#include "trace/tracemodel.h"

#include <cstddef>

namespace interleave::core {

/// The cores the trace saw: every event records the core its thread ran on, and the sampler the
/// core each sampled thread last ran on. Catches up incrementally as a live model grows.
class RecordedCores
{
public:
    /// Reads the events ingested since the last call; true if the count grew.
    bool update(const TraceModel &model);
    void clear() { *this = RecordedCores(); }
    /// Highest core number seen + 1 (0 before any event).
    int count() const { return m_count; }

private:
    size_t m_seen = 0;
    int m_count = 0;
};

} // namespace interleave::core
