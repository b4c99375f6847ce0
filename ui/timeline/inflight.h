// SPDX-License-Identifier: MIT
#pragma once

#include "trace/modelchanges.h"
#include "trace/tracemodel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace interleave::ui {

/// One async span (a coroutine's wait for its answer, an imported async slice) on a row of its
/// thread's "in flight" lane.
struct InFlightSpan
{
    int64_t start = 0;
    int64_t end = 0;   ///< the trace's end while still open
    uint32_t name = 0; ///< str id
    bool open = false;
    uint16_t slot = 0; ///< sub-row: spans that overlap in time get different slots
};

/// The async spans of one thread that has at least two of them in flight at once: the waits one
/// event-loop thread carries together, each drawn as its own bar.
struct InFlightLane
{
    uint32_t thread = 0;
    uint16_t depth = 0;              ///< sub-rows needed: the most spans in flight at once
    std::vector<InFlightSpan> spans; ///< by start time
};

/// A scenario phase: from its Phase event to the next one of the same process (or the trace's end).
struct PhaseBand
{
    int64_t start = 0;
    int64_t end = 0;
    int32_t pid = 0;
    std::string name;
};

/// What the timeline draws of a scenario's own marks: overlapping async spans and phases.
class InFlightData
{
public:
    void clear();
    /// Catches up with `model`: read again whenever an async span or phase began or ended
    /// (`changes.spans`), or the trace's end moved while one is open. Async spans and phases are
    /// few (a run has tens of them). True if anything changed.
    bool update(const core::TraceModel &model, const core::ModelChanges &changes, bool endChanged);

    /// Threads with overlapping async spans, by thread index.
    const std::vector<InFlightLane> &lanes() const { return m_lanes; }
    /// The lane of `thread`, or nullptr.
    const InFlightLane *lane(uint32_t thread) const;
    const std::vector<PhaseBand> &phases() const { return m_phases; }

private:
    /// Gives each span (sorted by start) the lowest sub-row free at its start; returns the rows used.
    static size_t partition(std::vector<InFlightSpan> &spans);

    std::vector<InFlightLane> m_lanes;
    std::vector<PhaseBand> m_phases;
    bool m_open = false; ///< a span or phase still grows with the trace
};

} // namespace interleave::ui
