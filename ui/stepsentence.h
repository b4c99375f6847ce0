// SPDX-License-Identifier: MIT
// What a step (F10 / Shift+F10) landed on, as one sentence for the status line.
#pragma once

#include "trace/modelqueries.h"

#include <QCoreApplication>
#include <QString>

namespace interleave::ui {

/// Sentences such as "Thread-1 obtained lock A at 12.345 ms", from the model's step facts.
struct StepSentence
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::StepSentence)
public:
    /// What happened at `t` (the first event there, "and N more" for the rest), its time relative
    /// to the trace start; empty when no step stops at `t`.
    static QString at(const core::TraceModel &model, int64_t t);
    /// One fact, without its time: "Thread-1 obtained lock A".
    static QString of(const core::TraceModel &model, const core::StepFact &fact);
};

} // namespace interleave::ui
