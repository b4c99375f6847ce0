// SPDX-License-Identifier: MIT
#pragma once
// Runs a program under the preloaded recorder as `interleave trace` does (the contract's
// environment: LD_PRELOAD, INTERLEAVE_LOG_FD, INTERLEAVE_ROOT_PID = this test, its stdout pipe's
// inode in INTERLEAVE_QUIET_INODES) and hands back what it recorded.

#include "trace/eventlog.h"
#include "trace/tracedata.h"
#include "trace/tracemodel.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

namespace interleave::test {

class TracedProgram
{
public:
    /// `program`: a test program's name (tests/preload/programs/<name>.c) or an absolute path.
    explicit TracedProgram(std::string program, std::vector<std::string> args = {});
    ~TracedProgram();
    TracedProgram(const TracedProgram &) = delete;
    TracedProgram &operator=(const TracedProgram &) = delete;

    /// Starts it; false (and error()) when it cannot.
    bool start(bool preload = true);
    /// Drains the log until `done` holds for what was recorded so far, or `seconds` pass.
    bool waitFor(const std::function<bool(const core::TraceData &)> &done, int seconds = 60);
    /// Kills it (SIGKILL) if it still runs.
    void kill();
    /// Waits for its end and reads the rest of the log; its wait status.
    int finish();

    const core::TraceData &data() const { return m_data; }
    /// The model built from data() (after finish()).
    const core::TraceModel &model();
    const std::string &output() const { return m_output; }
    const std::string &error() const { return m_error; }
    pid_t pid() const { return m_pid; }

private:
    std::string m_program;
    std::vector<std::string> m_args;
    std::unique_ptr<core::EventLog> m_log;
    core::TraceData m_data;
    std::unique_ptr<core::TraceModel> m_model;
    std::string m_output;
    std::string m_error;
    pid_t m_pid = -1;
    int m_outputFd = -1;
    bool m_finished = false;
    int m_status = 0;
};

/// Path of a test program by name.
std::string programPath(const std::string &name);

// What the tests ask of a recorded trace.
std::vector<core::Event> eventsOf(const core::TraceData &data, core::EventType type);
size_t countOf(const core::TraceData &data, core::EventType type);
/// The name an ObjectNew gave `object` (the last one, as the model keeps it), "" if none.
std::string objectName(const core::TraceData &data, uint32_t object);
/// Events of `type` written by the thread whose ThreadName is `name`.
std::vector<core::Event> eventsOfThread(const core::TraceData &data, core::EventType type, const std::string &name);

} // namespace interleave::test
