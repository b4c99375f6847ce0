// SPDX-License-Identifier: MIT
// Typed answers about single events of a TraceModel: printed lines, the times a step visits and
// what happened there.
#pragma once

#include "trace/tracemodel.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

/// The earliest time strictly after `t` of an event a step shows, or `t` if there is none. A step
/// skips what no view draws as a happening: the recorder's own samples, names, queue depths, the
/// members of a deadlock record (its Deadlock mark is shown) and Pause / Resume.
int64_t nextEventTime(const TraceModel &model, int64_t t);
/// The latest time strictly before `t` of an event a step shows, or `t` if there is none.
int64_t previousEventTime(const TraceModel &model, int64_t t);

/// What happened in one event a step shows, in words the ui turns into a sentence.
enum class StepKind : uint8_t
{
    Other,
    ProcessStart, ///< object: the process name
    ProcessExit,  ///< number: the pid; signal: killed by signal `code`, else exit code `code`
    Fork,         ///< number: the child pid (0: this is the child)
    Exec,         ///< object: the command line
    Signal,       ///< number: the target pid, code: the signal
    ThreadStart,
    ThreadExit,
    JoinWait, ///< object: the thread or process waited for
    JoinDone,
    LockWait, ///< object: the lock (condvar, semaphore) name
    LockObtain,
    LockRelease,
    LockTimeout,
    CondWait,
    CondWake,
    CondNotify, ///< code: 1 notify_one, 2 notify_all
    SemWait,
    SemAcquire,
    SemRelease,
    Put, ///< object: the queue
    GetWait,
    Get,
    Send, ///< object: the pipe
    ReceiveWait,
    Receive,
    TaskSubmit, ///< object: the pool, number: the task id
    TaskStart,
    TaskEnd,
    TaskFailed,
    SleepBegin, ///< number: the requested ns
    SleepEnd,
    IoWaitBegin, ///< object: what is waited for
    IoWaitEnd,
    VarLoad, ///< object: the variable, number: the value
    VarStore,
    Output, ///< object: the printed line
    Phase,  ///< object: the phase name
    Deadlock,
    Slice, ///< imported: object: the slice name
    Instant,
};

/// One event a step shows.
struct StepFact
{
    int64_t time = 0;
    uint32_t thread = kNoEvent; ///< thread index
    StepKind kind = StepKind::Other;
    std::string object; ///< see StepKind
    int64_t number = 0; ///< see StepKind
    int64_t code = 0;   ///< see StepKind
    bool signal = false;
};

/// The events a step shows at exactly time `t`, in thread order then recording order.
std::vector<StepFact> stepFactsAt(const TraceModel &model, int64_t t);

} // namespace interleave::core
