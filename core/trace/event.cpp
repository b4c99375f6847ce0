// SPDX-License-Identifier: MIT
#include "trace/event.h"

#include <array>
#include <cstddef>

namespace interleave::core {

const char *eventTypeName(EventType type)
{
    static constexpr std::array<const char *, std::size_t(EventType::Count)> names = {
        "None",         "ObjectNew",   "ThreadName",   "ProcessStart",   "ProcessExit", "ForkReturn", "Exec",
        "Signal",       "ThreadStart", "ThreadExit",   "JoinWait",       "JoinDone",    "LockWait",   "LockObtain",
        "LockRelease",  "LockTimeout", "CondWait",     "CondWake",       "CondNotify",  "SemWait",    "SemAcquire",
        "SemRelease",   "QueuePut",    "QueueGetWait", "QueueGet",       "QueueDepth",  "PipeSend",   "PipeRecvWait",
        "PipeRecv",     "TaskSubmit",  "TaskStart",    "TaskEnd",        "TaskFailed",  "SleepBegin", "SleepEnd",
        "IoWaitBegin",  "IoWaitEnd",   "VarLoad",      "VarStore",       "Sample",      "Output",     "Phase",
        "Deadlock",     "TaskFailure", "SliceBegin",   "SliceEnd",       "Instant",     "Counter",    "FlowBegin",
        "FlowEnd",      "AsyncBegin",  "AsyncEnd",     "RecorderThread", "ForkCall",    "Paused",     "Resumed",
        "DeadlockWait", "DeadlockHold"};
    const auto i = std::size_t(type);
    return i < names.size() ? names[i] : "Unknown";
}

} // namespace interleave::core
