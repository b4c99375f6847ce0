// SPDX-License-Identifier: MIT
#pragma once

#include "net/protocol.h"

#include <QByteArray>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace interleave::core::net {

struct EventBatch;
struct WireEvent;

struct MasterOptions
{
    std::string host = "127.0.0.1"; ///< loopback unless told otherwise
    uint16_t port = 5000;           ///< 0: any free port (see Master::port())
    QByteArray authkey;             ///< must not be empty
    std::chrono::milliseconds loginTimeout{3000};
    int maxDeaths = 3;             ///< a task whose worker died this many times goes to the dead-letter list
    int maxConnections = 512;      ///< at most this many open; the oldest not logged in makes room
    int maxPendingPerAddress = 16; ///< connections from one address not logged in yet; the oldest makes room
    int clockProbes = 8;           ///< round trips after login that estimate a worker's clock (the best one counts)
    /// A worker holding a task that says nothing for this long (frozen by SIGSTOP, its machine
    /// asleep or unreachable) loses the task, which is re-queued; a working worker says "alive"
    /// three times per lease. Its connection stays (TCP keepalive closes an unreachable one); a
    /// result it sends later is ignored and counted in MasterStats::lateResults.
    std::chrono::milliseconds lease{10000};
    /// On stop(), how long logged-in workers get to send their last events and leave.
    std::chrono::milliseconds farewell{1000};
    /// Why a connection was closed, "re-queued", ... (default: stderr).
    std::function<void(std::string_view)> log;
};

/// A result as the master counted it (once per task id).
struct TaskResult
{
    int64_t id = 0;
    int64_t n = 0;
    int64_t r = 0;
    int64_t item = 0; ///< the result queue's item id (the hand-out it answers)
    std::string worker;
};

/// A task a worker holds right now.
struct Lease
{
    int64_t id = 0;
    int64_t n = 0;
    std::string worker;
    int32_t pid = 0;     ///< as the worker said at login
    int64_t sinceNs = 0; ///< monotonic time of the hand-out
};

/// Pids of remote worker processes in the master's trace start here, far above any real pid
/// (Linux' limit is 2^22): a remote pid may equal a local one, so each remote connection that sends
/// events gets a block of kForeignPidStride synthetic pids (its threads). A worker on this machine
/// (a loopback peer whose pid exists here) keeps its real pid and tids instead.
inline constexpr int32_t kForeignPidBase = 1'000'000'000;
inline constexpr int32_t kForeignPidStride = 1024;

/// A worker as the master's trace shows it.
struct WorkerTrace
{
    std::string name;
    std::string peer;     ///< "address:port" of its connection
    int32_t pid = 0;      ///< its real pid, as it said at login (on its own machine)
    int32_t tracePid = 0; ///< its process in the master's trace; 0 until it sends events
    std::string process;  ///< that process' name: "NAME@HOST" (local), "worker NAME@PEER (pid PID)" (remote)
    /// The estimate of (master clock - worker clock) from the login's probes, and the round trip
    /// of the probe it comes from: the true offset is within rttNs / 2 of it. rtt -1: not probed.
    int64_t clockOffsetNs = 0;
    int64_t clockRttNs = -1;
    int64_t batches = 0;
    int64_t events = 0;      ///< its events now in the master's trace
    int64_t adjusted = 0;    ///< of those, moved within the estimate's error to keep cause before effect
    int64_t maxAdjustNs = 0; ///< the largest such move
    bool connected = true;
};

struct MasterStats
{
    int logins = 0;        ///< workers that proved the key
    int refused = 0;       ///< connections closed for a bad login, frame or message, or the login timeout
    int requeued = 0;      ///< tasks put back because their worker went away holding them
    int leasesExpired = 0; ///< times a worker held a task and said nothing for a lease (the task was re-queued)
    int duplicates = 0;    ///< results for an id already counted
    int lateResults = 0;   ///< results for a task whose lease had run out (it was re-queued): ignored
    int connections = 0;   ///< open now
    int64_t batches = 0;   ///< event batches from workers put in the trace
    int64_t foreignEvents = 0;
};

/// The chapter's task_master, safe to expose: a task queue and a result queue served over TCP by
/// one thread with poll(). Workers log in with a challenge-response HMAC-SHA256 (both ways), then
/// "get" tasks and "put" results. Each task has an id; a worker holds a lease on the task it took,
/// and a worker that goes away gives its leased tasks back to the queue (at-least-once delivery;
/// a result counts once per id). Records TaskSubmit / QueuePut / QueueDepth / QueueGet on two
/// NetQueue objects ("task", "result") when a recorder is attached.
///
/// Observability: when it records, the master probes each worker's clock at login (NTP-style,
/// the probe with the shortest round trip wins) and takes event batches from workers that record
/// on their own (remote ones, `interleave worker`): each is checked field by field (anything
/// unknown, negative, too large, about a thread, string or task it never declared or held, or
/// stamped far from the master's clock closes the connection) and recorded again, shifted by the
/// offset, as events of its process: its real pid when it runs on this machine, else a synthetic
/// pid named "worker NAME@PEER (pid PID)". Within the
/// estimate's error, times are kept causal: nothing is taken before the master handed it out, and
/// nothing happened after the master received it. Each batch is acknowledged once recorded.
class Master
{
public:
    explicit Master(MasterOptions options);
    ~Master();
    Master(const Master &) = delete;
    Master &operator=(const Master &) = delete;

    /// Binds and listens (no thread yet); false and `error` if the key is empty or the address is taken.
    bool listen(std::string &error);
    uint16_t port() const { return m_port; }
    /// The listening socket, so that a worker forked from this process can close its copy.
    int listenFd() const { return m_listenFd; }
    /// Starts serving in a thread (after listen()).
    void start();
    /// Closes every connection and the listening socket, and joins the thread.
    void stop();

    /// task_queue.put(n): a new task; returns its id.
    int64_t put(int64_t n);
    /// result_queue.get(timeout): the next counted result; nullopt on timeout or stop request.
    std::optional<TaskResult> getResult(std::chrono::milliseconds timeout);

    std::vector<Lease> leases() const;
    std::vector<int64_t> deadLetters() const;
    MasterStats stats() const;
    /// Every worker that logged in, in login order (also after it left).
    std::vector<WorkerTrace> workerTraces() const;
    uint32_t taskQueueId() const { return m_taskQueue; }
    uint32_t resultQueueId() const { return m_resultQueue; }

private:
    struct Connection;
    struct TaskState
    {
        int64_t n = 0;
        int deaths = 0;
        bool done = false;
        bool dead = false;
    };

    struct Foreign;

    void serve();
    void accept();
    void readFrom(Connection &c);
    bool handle(Connection &c, const Message &m, int64_t now, int64_t arrived);
    bool handleLogin(Connection &c, const Message &m);
    void sendProbe(Connection &c);
    bool handlePong(Connection &c, const Message &m, int64_t arrived);
    bool handleEvents(Connection &c, const Message &m, int64_t arrived);
    // The steps of handleEvents (masterevents.cpp): a text that is not empty says why the
    // connection is closed.
    /// Gives the connection its process in the trace: the worker's real pid, or a synthetic block.
    std::string startForeign(Connection &c);
    /// Checks a batch whole before any of it is recorded; `newThreads` gets the threads it declares.
    std::string batchProblem(const Connection &c, const EventBatch &batch, int64_t arrived,
                             std::map<int64_t, int32_t> &newThreads) const;
    std::string eventProblem(const Connection &c, const WireEvent &e, const std::map<int64_t, int32_t> &newThreads,
                             const std::unordered_map<uint32_t, const std::string *> &newStrings,
                             int64_t arrived) const;
    std::string argumentProblem(const Connection &c, const WireEvent &e, const std::string &what) const;
    /// Records a checked batch in the trace, shifted by the clock estimate and kept causal.
    void recordBatch(Connection &c, const EventBatch &batch, const std::map<int64_t, int32_t> &newThreads,
                     int64_t arrived);
    void endForeign(Connection &c);
    void farewell(int64_t now);
    void handOut(int64_t now);
    void expire(int64_t now);
    /// Takes back the tasks of a worker that said nothing for a lease, and re-queues them.
    void lapse(Connection &c);
    void close(Connection &c, const std::string &reason, bool refused);
    void send(Connection &c, const QByteArray &frame);
    void requeue(int64_t id, const std::string &why);
    void logLine(const std::string &line);
    /// logLine for a stranger's closed connection (not logged in), rate-limited: a kind once a
    /// second, the rest counted in one line.
    void logRefusal(const std::string &peer, const std::string &reason);
    /// Writes the count of the refusals not shown once their second is over (or the master stops).
    void flushRefusals(int64_t now, bool last = false);
    /// Makes room for a newcomer by closing the oldest connection not logged in, if needed;
    /// false when every place is taken by logged-in workers.
    bool makeRoomFor(const Connection &newcomer);
    void wake();

    MasterOptions m_options;
    int m_listenFd = -1;
    int m_wakeFd = -1;
    uint16_t m_port = 0;
    uint32_t m_taskQueue = 0;
    uint32_t m_resultQueue = 0;
    std::thread m_thread;
    bool m_stopping = false;
    bool m_saidFarewell = false;
    int64_t m_refusalWindowStart = 0;     ///< when the first refusal of this second was written
    std::set<std::string> m_refusalKinds; ///< kinds shown in this second (empty: no second open)
    int m_refusalsHidden = 0;             ///< refusals of this second not shown
    std::string m_lastHiddenReason;
    int64_t m_farewellUntil = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_resultReady;
    std::map<int64_t, TaskState> m_tasks;
    std::deque<std::pair<int64_t, int64_t>> m_queue; // (task id, item id)
    std::deque<TaskResult> m_results;
    std::vector<int64_t> m_deadLetters;
    std::vector<std::unique_ptr<Connection>> m_connections;
    int64_t m_nextId = 0;
    int64_t m_nextItem = 0;
    int64_t m_acceptPausedUntil = 0;
    MasterStats m_stats;
    std::vector<WorkerTrace> m_workerTraces;
};

} // namespace interleave::core::net
