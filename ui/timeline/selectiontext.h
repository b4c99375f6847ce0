// SPDX-License-Identifier: MIT
// The words for a timeline selection: a span, an arrow, a mark or a range, as the panel and hover show them.
#pragma once

#include "trace/tracemodel.h"
#include "ui/timeline/timelineselection.h"

#include <QCoreApplication>
#include <QString>

#include <utility>
#include <vector>

namespace interleave::ui {

/// Texts about one selection, read from the model's typed facts.
struct SelectionText
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::SelectionText)
public:
    using Row = std::pair<QString, QString>; ///< a label and its value

    /// "MainThread (tid 101)".
    static QString thread(const core::TraceModel &model, uint32_t thread);
    /// "blocked on a lock: balance_lock" — the state and what it waits for.
    static QString state(const core::TraceModel &model, const core::StateSpan &span);
    /// What a flow carries: "queue “jobs”, item 5".
    static QString carries(const core::TraceModel &model, const core::Flow &flow);
    /// The hover text of a flow: what it carries, from, to, latency.
    static QString flowTip(const core::TraceModel &model, const core::Flow &flow);
    /// A heading for the selection ("State span", "Arrow", "Instant", "Range 23.4 ms").
    static QString title(const TimelineSelection &selection);
    /// Label / value rows of the selection (times relative to the trace start).
    static std::vector<Row> rows(const core::TraceModel &model, const TimelineSelection &selection);
    /// What an instant was, who wrote it and when.
    static std::vector<Row> markRows(const core::TraceModel &model, const core::InstantMark &mark);
    /// Range: per thread, its name and what it did (only what is not zero).
    static std::vector<Row> threadLines(const core::TraceModel &model, const core::RangeSummary &range);
};

} // namespace interleave::ui
