// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/byteflowgate.h"
#include "analysis/waitforgraph.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include <QJsonObject>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace interleave::core {

class EventLog;
class LogDrainer;

/// How a run ended (the `status` of the --json summary).
enum class RunStatus
{
    NotStarted,
    Running,
    Finished,
    Deadlocked,
    TimedOut,
    Crashed,
    Stopped,
    Failed
};
const char *runStatusName(RunStatus status);

/// What to run.
struct RunRequest
{
    const Scenario *scenario = nullptr;
    ParamValues params;
    uint64_t seed = 0;
    std::chrono::milliseconds timeout{0}; ///< 0: none
    size_t logBytes = size_t(64) << 20;   ///< chunks are recycled while the session drains
    /// How long the session may go without draining before the run's writers stop waiting for
    /// it and drop events (counted, reported as a loss).
    std::chrono::milliseconds readerSilence{30000};
    QString runnerProgram; ///< empty: the `interleave` beside this executable (or $INTERLEAVE_RUNNER)
    /// The threads a schedule names (as the trace names them: "Thread-1"): each is held at every
    /// instrumented step from its start until Session::step(thread) lets one through or
    /// releaseHolds() lets all go. The other threads run freely. Empty: none is held.
    std::vector<std::string> heldThreads;
};

/// A thread as the hold point sees it (Session::holds()).
struct ThreadHold
{
    uint32_t thread = kNoEvent; ///< its index in the model; kNoEvent while the model does not know it yet
    int32_t pid = 0;
    int32_t tid = 0;
    std::string name;                 ///< as the trace names it ("Thread-1")
    bool held = false;                ///< waiting at the hold point now
    EventType next = EventType::None; ///< the event it records when let through
    std::string object;               ///< that event's object ("balance"), empty when it has none
    std::string site;                 ///< that event's call site ("core/scenarios/lessons/race.cpp:21"), if known
    uint32_t stepsDone = 0;           ///< held events it was let through and has recorded
    /// What the next event does, as a step reads: "load balance", "lock A", "exit".
    std::string nextStep() const;
};

/// One run of a scenario in its own runner process: starts it, drains its event log into the
/// trace model while it runs, finds deadlocks, stops it, and leaves nothing behind.
/// Not thread-safe: use it from one thread (the window's main thread, or the command line's); its
/// own drain thread reads the log (see LogDrainer).
class Session
{
public:
    Session();
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    /// Starts the runner; false with one clear line in `error` when it cannot.
    bool start(const RunRequest &request, QString *error);
    /// Moves what the log's drain thread read into the model and checks for the end, a deadlock
    /// and the timeout. Returns true while the run goes on, or while what it recorded is still
    /// coming in (see setIngestBudget). Call it every few tens of ms, or sooner while backlog()
    /// is not 0.
    bool poll();
    /// Each poll() ingests only as many events as fit in about `budget` (0, the default: all that
    /// wait), so a window's thread that polls stays responsive while a run records fast. A run
    /// that ended is finished once the model caught up; stop() then takes the rest at once.
    void setIngestBudget(std::chrono::microseconds budget) { m_ingestBudget = budget; }
    /// Events read from the log and not in the model yet.
    size_t backlog() const;
    /// Blocks, polling, until the run has ended.
    RunStatus wait();
    /// Ends the run now (status Stopped unless it already ended otherwise).
    void stop();
    /// Holds every instrumented thread of the run at its next event (or lets them go). The trace
    /// records both (Paused, Resumed), so the pause is drawn and never counted as the program's time.
    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    /// While paused, lets exactly one more instrumented event happen (whichever held thread gets it).
    void step();
    /// Lets exactly `thread` (a model thread index) record exactly one more event while every
    /// other thread stays held: paused, or held by RunRequest::heldThreads. False when the run
    /// is not going on or the thread is unknown. Its ThreadHold::stepsDone grows once it is done.
    bool step(uint32_t thread);
    /// Every thread at the hold point now, held or just let through (the model is brought up to date first).
    std::vector<ThreadHold> holds();
    /// Lets every thread the schedule holds (RunRequest::heldThreads) go on freely.
    void releaseHolds();

    RunStatus status() const { return m_status; }
    bool running() const { return m_status == RunStatus::Running; }
    const TraceModel &model() const { return m_model; }
    TraceModel &model() { return m_model; }
    const RunRequest &request() const { return m_request; }
    /// The runner's pid (the leader of the run's process group).
    pid_t runnerPid() const { return m_runner; }
    /// What run() noted (measured figures the trace cannot hold).
    const QJsonObject &notes() const { return m_notes; }
    /// Why the run failed or crashed, one line (empty otherwise).
    const QString &failure() const { return m_failure; }
    const std::vector<DeadlockStep> &deadlock() const { return m_deadlock; }
    int64_t wallMs() const;
    /// How long the run was paused in all (included in wallMs()).
    int64_t pausedMs() const;
    /// How long the last stop took from the request until every process was gone.
    std::chrono::microseconds stopDuration() const { return m_stopDuration; }
    /// Processes recorded in the trace that still exist (should always be empty).
    std::vector<pid_t> leftoverProcesses() const;

private:
    void readControl();
    void drain();
    /// Moves at most maxEvents (0: all) read events into the model's data; how many it took.
    size_t take(size_t maxEvents);
    void checkDeadlock();
    void killRun(RunStatus status);
    void finishRun(int waitStatus);
    void markPause(EventType type);

    RunRequest m_request;
    TraceModel m_model;
    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<LogDrainer> m_drainer; ///< after m_log: it goes first
    TraceData m_staging;                   ///< a traced program's events between the drainer and m_byteFlows
    ByteFlowGate m_byteFlows;              ///< matches a traced program's pipe bytes (see take)
    std::chrono::microseconds m_ingestBudget{0};
    size_t m_sliceEvents = 20000; ///< how many events fit the budget, as last measured
    pid_t m_runner = 0;
    int m_control = -1;
    RunStatus m_status = RunStatus::NotStarted;
    bool m_paused = false;
    bool m_done = false;
    bool m_runnerExited = false; ///< reaped while the model still caught up with the log
    int m_exitStatus = 0;
    QJsonObject m_notes;
    QString m_failure;
    std::vector<DeadlockStep> m_deadlock;
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_ended;
    std::chrono::steady_clock::time_point m_lastDeadlockCheck;
    std::chrono::steady_clock::time_point m_pausedAt;
    std::chrono::steady_clock::duration m_pausedTotal{0};
    std::vector<DeadlockStep> m_suspect;
    size_t m_suspectEvents = 0;
    std::chrono::microseconds m_stopDuration{0};
};

} // namespace interleave::core
