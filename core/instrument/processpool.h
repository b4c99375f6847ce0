// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/process.h"
#include "instrument/thread.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

namespace interleave::core {

/// What a task function learns about where it runs.
struct TaskContext
{
    int64_t taskId = 0;
    int workerNumber = 0; ///< the N of "PoolWorker-N"
    pid_t pid = 0;        ///< the worker process
    uint32_t pool = 0;    ///< the pool's object id
};

/// A task: a plain function fixed before the workers fork, as Python pickles a function by
/// reference; only the int64 argument and result travel between processes.
using TaskFn = int64_t (*)(int64_t arg, TaskContext &context);

namespace procdetail {
struct TaskState;
}

/// Why a task failed: its worker died (pid and exit code or signal), the task threw (message),
/// or the pool was terminated before it ran (pid 0).
struct TaskFailureInfo
{
    pid_t pid = 0;
    std::optional<int> exitCode;
    std::optional<int> signal;
    std::string message;
};

/// The handle of one submitted task (multiprocessing.pool.AsyncResult).
class AsyncResult
{
public:
    int64_t taskId() const;
    bool ready() const;
    bool successful() const;
    bool failed() const;
    /// Waits until the task is done (up to `timeout`; a stop request ends the wait too).
    bool wait(std::optional<std::chrono::nanoseconds> timeout = std::nullopt) const;
    /// The result; nullopt if the task failed or is not done within `timeout`.
    std::optional<int64_t> get(std::optional<std::chrono::nanoseconds> timeout = std::nullopt) const;
    /// The pid of the worker that ran (or was running) the task, 0 if it never started.
    pid_t workerPid() const;
    TaskFailureInfo failure() const;

private:
    friend class ProcessPool;
    explicit AsyncResult(std::shared_ptr<procdetail::TaskState> state)
        : m_state(std::move(state))
    {}
    std::shared_ptr<procdetail::TaskState> m_state;
};

/// A pool of pre-forked worker processes (multiprocessing.Pool).
///
/// Workers are named "PoolWorker-1".. and each runs one task at a time. The pool's handler
/// thread (in the creating process) hands the oldest waiting task to a worker as soon as that
/// worker is free, over the worker's own socket, so the (workers+1)-th task starts only when a
/// task ended, in the worker that just finished. Per-worker channels rather than one shared task
/// channel: the parent then always knows which worker holds which task, so when a worker dies
/// (SIGKILL, crash, _exit) its task fails with exactly that pid and status, a replacement worker
/// is forked (as Python does), and nothing waits forever.
///
/// Recording (object = the pool): TaskSubmit (arg = task id) in the submitting thread; TaskStart
/// and TaskEnd in the worker process; a task that throws ends with TaskFailed in the worker; a
/// worker that dies mid-task gives TaskFailed then TaskFailure (object = pid, arg = code or
/// signal, ExitSignal) in the handler thread, which also reaps workers (ProcessExit). Tasks
/// cancelled by terminate() get TaskFailed only. join() records JoinWait / JoinDone per worker,
/// then joins the handler thread "Pool-handler".
class ProcessPool
{
public:
    /// Forks `workers` workers (at least 1). Throws std::system_error when that fails.
    ProcessPool(int workers, TaskFn fn, std::string_view name = "Pool");
    /// Not joined yet: terminate() and join(), so no worker outlives the pool.
    ~ProcessPool();
    ProcessPool(const ProcessPool &) = delete;
    ProcessPool &operator=(const ProcessPool &) = delete;

    uint32_t id() const { return m_id; }

    /// Submits fn(arg). Throws std::logic_error after close() or terminate().
    AsyncResult applyAsync(int64_t arg, std::source_location where = std::source_location::current());
    /// No more tasks; workers exit once the submitted ones are done.
    void close();
    /// Stops the workers now (SIGTERM, SIGKILL after 1 s); unfinished tasks fail.
    void terminate(std::source_location where = std::source_location::current());
    /// Waits until every task is done and every worker ended (after close() or terminate(),
    /// else std::logic_error as Python's ValueError). A stop request turns it into terminate().
    void join(std::source_location where = std::source_location::current());

    /// Pids of every worker ever forked (replacements included), in fork order.
    std::vector<pid_t> workerPids() const;

private:
    struct Worker;
    struct Pending
    {
        int64_t id;
        int64_t arg;
        std::shared_ptr<procdetail::TaskState> state;
    };
    enum class Phase
    {
        Running,
        Closed,
        Terminated
    };

    void forkWorker(); // with m_mutex held
    void handlerLoop();
    void readResults(Worker &worker);
    void workerDied(Worker &worker);
    void dispatch();
    void terminateLocked(uint32_t loc);

    TaskFn m_fn;
    std::string m_name;
    uint32_t m_id = 0;
    int m_size = 0;
    int m_wakeFd = -1; // eventfd: new work or a phase change for the handler thread
    pid_t m_owner = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed; // a worker reaped, or the handler finished
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::deque<Pending> m_pending;
    Phase m_phase = Phase::Running;
    int64_t m_nextTask = 1; // tasks are submitted in the creating process only
    int m_nextWorkerNumber = 1;
    int64_t m_killDeadline = -1; // after terminate(): SIGKILL whoever is still alive then
    bool m_handlerDone = false;
    bool m_joined = false;
    Thread m_handler; // recorded like Python's pool handler threads, and joined by join()
};

} // namespace interleave::core
