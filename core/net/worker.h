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

class EventShipper;

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
    /// Tells the master the task is still being worked on (renews the lease); false if the
    /// connection is gone.
    bool stillWorking(const Task &task);
    /// The last connect() failed for good: the master refused the login or could not prove the key.
    bool refused() const { return m_refused; }
    /// With the last Empty: how many tasks other workers held (they may come back to the queue).
    int64_t heldElsewhere() const { return m_heldElsewhere; }
    /// How often the master wants to hear from a worker holding a task (0: never asks).
    int64_t leaseMs() const { return m_leaseMs; }
    /// Sends what the shipper recorded since the last call, batch by batch, each acknowledged by
    /// the master once it is in its trace. True without a shipper; false when the master went away.
    bool shipEvents();
    /// Ships what is left, says goodbye with `status` (the worker's exit status) and closes.
    void close(int status = 0);

    /// Trace object ids of the master's queues (0 unless the master records a trace).
    uint32_t taskQueueId() const { return m_taskQueue; }
    uint32_t resultQueueId() const { return m_resultQueue; }
    /// The master records a trace and takes this worker's events (it probed our clock at login).
    bool acceptsEvents() const { return m_acceptsEvents; }
    /// The master's estimate of (master clock - our clock) and the round trip of the probe it
    /// used, in ns (0 when it did not probe).
    int64_t clockOffsetNs() const { return m_offsetNs; }
    int64_t clockRttNs() const { return m_rttNs; }
    /// Added to every time this worker reports (the clock probes and, through the shipper, its
    /// events): tests set it to show that the master's estimate removes a wrong clock. Set before connect().
    void setClockSkew(int64_t ns) { m_skewNs = ns; }
    /// Ships the events of `shipper` from now on (null: none). Not owned.
    void setShipper(EventShipper *shipper) { m_shipper = shipper; }
    /// The master said goodbye (it ended as it should); a connection that broke without one means
    /// the master was killed or the network failed.
    /// Reads what the master sent before the connection broke (a frozen worker finds the goodbye
    /// there once thawed).
    bool masterSaidGoodbye();

private:
    bool answerProbes(int64_t deadline, std::string &why);

    int m_fd = -1;
    QByteArray m_buffer;
    int64_t m_leaseMs = 0;
    int64_t m_heldElsewhere = 0;
    bool m_refused = false;
    uint32_t m_taskQueue = 0;
    uint32_t m_resultQueue = 0;
    bool m_acceptsEvents = false;
    bool m_masterLeaving = false; ///< the master said goodbye while we waited for something else
    int64_t m_offsetNs = 0;
    int64_t m_rttNs = 0;
    int64_t m_skewNs = 0;
    EventShipper *m_shipper = nullptr;
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
    std::chrono::milliseconds connectRetry{
        0}; ///< keep trying to connect and log in this long (master starting or busy)
    /// When this process does not record into the master's log and the master records a trace:
    /// record this worker's own events and send them to the master (see EventShipper).
    bool shipEvents = true;
    /// Tests: added to every time this worker reports (a worker whose clock is off).
    std::chrono::nanoseconds clockSkew{0};
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
    WorkerBadInput = 2,
    WorkerMasterLost = 3 ///< the connection broke without the master's goodbye
};

/// The chapter's task_worker: connect, log in, take tasks, compute n * n at the chapter's pace,
/// return results; leaves when the queue stayed empty for idleExit or the master is gone.
/// Records QueueGet / TaskStart / TaskEnd / QueuePut on the master's queues when this process
/// records into the master's log (a worker forked by the runner); otherwise, when the master
/// records a trace, records them (with its sleeps, waits and console lines) in a log of its own
/// and sends them to the master, which puts them in its trace as a process of their own.
int runWorker(const WorkerOptions &options);

/// Closes the sockets this process inherited from its parent (a worker forked from a master must
/// not keep the master's connections or its listening socket alive).
void closeInheritedSockets();

} // namespace interleave::core::net
