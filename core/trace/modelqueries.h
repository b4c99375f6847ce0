// SPDX-License-Identifier: MIT
// Typed answers about single events of a TraceModel: printed lines and the times a step visits.
#pragma once

#include "trace/tracemodel.h"

#include <cstdint>
#include <string_view>

namespace interleave::core {

/// One line a thread printed (an Output event), as the model knows it.
struct OutputLine
{
    int64_t time = 0;
    uint32_t thread = kNoEvent; ///< thread index
    int32_t pid = 0;            ///< the thread's process; 0 if the thread is unknown
    std::string_view text;      ///< the line (valid until the model's data changes: copy it to keep it)
    bool stderrStream = false;  ///< printed on stderr rather than stdout
};

/// The line of `output`, an entry of model.outputs().
OutputLine outputLine(const TraceModel &model, uint32_t output);
/// The time of `output`, an entry of model.outputs() (cheaper than outputLine for searching).
int64_t outputTime(const TraceModel &model, uint32_t output);

/// The earliest event time strictly after `t`, or `t` if there is none.
int64_t nextEventTime(const TraceModel &model, int64_t t);
/// The latest event time strictly before `t`, or `t` if there is none.
int64_t previousEventTime(const TraceModel &model, int64_t t);

} // namespace interleave::core
