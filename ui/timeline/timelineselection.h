// SPDX-License-Identifier: MIT
// What is selected on the timeline: a state span, a flow arrow, an instant mark or a time range.
#pragma once

#include "analysis/instantmarks.h"
#include "analysis/rangesummary.h"
#include "trace/tracemodel.h"

#include <cstdint>
#include <string>

namespace interleave::ui {

/// A selection on the timeline, as typed facts from core (the details panel words them).
struct TimelineSelection
{
    enum class Kind
    {
        None,
        Span,  ///< one state span of a thread: `thread`, `span`, and its call site when known
        Arrow, ///< one flow: `flow`
        Mark,  ///< one instant: `mark`
        Range, ///< a time range: `range` (start, end and what happened in it)
    };
    Kind kind = Kind::None;
    uint32_t thread = 0;
    core::StateSpan span;
    std::string file; ///< Span: the call site that began it ("core/scenarios/balance.cpp"), empty if unknown
    int line = 0;
    core::Flow flow;
    core::InstantMark mark;
    core::RangeSummary range;

    bool operator==(const TimelineSelection &o) const
    {
        // Enough to tell one selection from another: what it is, where and when.
        return kind == o.kind && thread == o.thread && span.start == o.span.start && span.end == o.span.end &&
               flow.fromEvent == o.flow.fromEvent && flow.toEvent == o.flow.toEvent && mark.time == o.mark.time &&
               mark.thread == o.mark.thread && range.start == o.range.start && range.end == o.range.end;
    }
};

} // namespace interleave::ui
