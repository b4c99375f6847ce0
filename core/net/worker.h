// SPDX-License-Identifier: MIT
#pragma once

#include "net/protocol.h"

#include <QByteArray>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace interleave::core::net {

/// A logged-in connection to a master: the worker's view of the two queues
/// (the chapter's manager.get_task_queue() / get_result_queue()).
class MasterConnection
{
public:
    struct Task
    {
        int64_t id = 0;
        int64_t n = 0;
        int64_t item = 0;
    };
    enum class GetStatus
    {
        Task,
        Empty,
        Gone,
        Stopped
    };

    MasterConnection() = default;
    ~MasterConnection();
    MasterConnection(const MasterConnection &) = delete;
    MasterConnection &operator=(const MasterConnection &) = delete;

    /// Connects and logs in (proving the key, then checking the master's proof). False and
    /// `error` on an empty key, no connection, a refused login, a master that cannot prove the
    /// key, or no answer within `loginTimeout`.
    bool connect(const std::string &host, uint16_t port, const QByteArray &authkey, const std::string &name,
                 std::chrono::milliseconds loginTimeout, std::string &error);
    /// task_queue.get(timeout=...): Task, Empty after the timeout, Gone when the master went away.
    GetStatus getTask(std::chrono::milliseconds timeout, Task &task);
    /// result_queue.put(...); false when the master went away.
    bool putResult(const Task &task, int64_t result);
    void close();

    /// Trace object ids of the master's queues (0 unless the master records into the same log).
    uint32_t taskQueueId() const { return m_taskQueue; }
    uint32_t resultQueueId() const { return m_resultQueue; }

private:
    int m_fd = -1;
    QByteArray m_buffer;
    uint32_t m_taskQueue = 0;
    uint32_t m_resultQueue = 0;
};

struct WorkerOptions
{
    std::string host = "127.0.0.1";
    uint16_t port = 5000;
    QByteArray authkey;
    std::string name = "worker";
    std::chrono::milliseconds pace{1000};       ///< the chapter's time.sleep(1) per task
    std::chrono::milliseconds getTimeout{1000}; ///< the chapter's task.get(timeout=1)
    std::chrono::milliseconds idleExit{3000};   ///< leave once the queue stayed empty this long
    std::chrono::milliseconds loginTimeout{5000};
    std::chrono::milliseconds connectRetry{0}; ///< keep trying to connect this long (master starting)
    /// The worker's console lines ("run task ...", "worker exit."); default stdout.
    std::function<void(std::string_view)> print;
    /// Errors (login refused, ...); default stderr.
    std::function<void(std::string_view)> log;
};

/// Exit statuses of runWorker.
enum WorkerExit
{
    WorkerDone = 0,
    WorkerLoginFailed = 1,
    WorkerBadInput = 2
};

/// The chapter's task_worker: connect, log in, take tasks, compute n * n at the chapter's pace,
/// return results; leaves when the queue stayed empty for idleExit or the master is gone.
/// Records QueueGet / TaskStart / TaskEnd / QueuePut on the master's queues when this process
/// records into the master's log (a worker forked by the runner).
int runWorker(const WorkerOptions &options);

/// Closes the sockets this process inherited from its parent (a worker forked from a master must
/// not keep the master's connections or its listening socket alive).
void closeInheritedSockets();

} // namespace interleave::core::net
