// SPDX-License-Identifier: MIT
#pragma once

#include "analysis/graphfacts.h"
#include "trace/tracemodel.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace interleave::ui {

/// Which graph the graph view shows. Auto picks one from what the trace contains.
enum class GraphMode : uint8_t
{
    Auto,      ///< topology if there are network queues, else the process tree if there are several
               ///< processes, else locks and waits
    Locks,     ///< threads, locks and what blocked threads wait for: the resource / wait-for graph
    Processes, ///< the process tree
    Topology,  ///< the distributed master, its task and result queues, and the workers
};

enum class NodeKind : uint8_t
{
    Thread,
    Lock,  ///< a mutex or semaphore
    Queue, ///< a queue between threads, processes or machines
    Process,
    Other, ///< a condition variable or pipe a thread waits on
};

enum class EdgeKind : uint8_t
{
    Holds,       ///< lock → the thread that holds it (the textbook's assignment edge)
    WaitsFor,    ///< blocked thread (or process) → what it waits for
    Child,       ///< parent process → child process
    Channel,     ///< topology: the way tasks and results can travel (always drawn, thin)
    Task,        ///< topology: task queue → the worker computing that task now
    Result,      ///< topology: worker → result queue, a result the master has not taken yet
    Message,     ///< process tree: an item sent through a queue or pipe and not received yet
    MayDeadlock, ///< Locks: lock → lock, one order of a lock-order cycle (a potential deadlock)
};

/// One node of the graph at a time: what it is and what the view writes on it.
struct GraphNode
{
    uint64_t key = 0; ///< stable identity across times: see threadKey / objectKey / processKey
    NodeKind kind = NodeKind::Thread;
    uint32_t thread = core::kNoEvent; ///< Thread: thread index
    uint32_t object = 0;              ///< Lock / Queue / Other: object id
    int32_t pid = 0;                  ///< Process: pid; Thread: its process
    std::string name;                 ///< from the trace (not translated)
    // Processes.
    int32_t ppid = 0;
    bool exited = false; ///< exited at or before the graph's time
    bool signaled = false;
    int64_t exitStatus = 0;
    bool master = false; ///< topology: the master process
    bool worker = false; ///< topology: a worker process
    int64_t task = -1;   ///< Process: the pool / distributed task one of its threads runs now; -1 none
    // Queues (topology): items in it at the graph's time; -1 unknown.
    int64_t depth = -1;
    bool inCycle = false; ///< part of the deadlock cycle
    // A family of short-lived sibling processes drawn as one (Process; see ProcessGroups).
    int groupSize = 0; ///< members; 0: a single process
    int32_t groupLastPid = 0;
    int groupExited = 0;       ///< members exited at the graph's time
    int groupKilled = 0;       ///< of those, killed by a signal
    bool groupSameExit = true; ///< every exited member has exitStatus (not killed)

    static uint64_t threadKey(uint32_t thread) { return (uint64_t(1) << 32) | thread; }
    static uint64_t objectKey(uint32_t object) { return (uint64_t(2) << 32) | object; }
    static uint64_t processKey(int32_t pid) { return (uint64_t(3) << 32) | uint32_t(pid); }
};

struct GraphEdge
{
    uint32_t from = 0; ///< node index
    uint32_t to = 0;   ///< node index
    EdgeKind kind = EdgeKind::WaitsFor;
    bool inCycle = false; ///< an edge of the deadlock cycle
    bool timed = false;   ///< WaitsFor: the wait has a timeout (it cannot deadlock)
    int64_t id = 0;       ///< Task: task id; Result / Message: item id
    int count = 1;        ///< Message: items in flight between the same two processes
};

/// Where a node can appear over the whole trace: layouts place every slot, present or not, so a
/// node keeps its place while the playhead moves and others come and go.
struct GraphSlot
{
    uint64_t key = 0;
    int column = 0;                  ///< Locks: 0 threads, 1 resources; Topology: 0 master, 1 queues, 2 workers
    int64_t appear = core::kTimeMin; ///< first time it is shown
    int64_t vanish = core::kTimeMax; ///< shown until (excluded)
    uint64_t parent = 0;             ///< Processes: the parent's key, 0 for a root
};

/// The graph at one time: present nodes, their edges, the deadlock cycle and every slot.
struct Graph
{
    /// The most nodes (and slots) a graph keeps: a picture of thousands of boxes teaches nothing,
    /// and laying them out costs the square of their number.
    static constexpr size_t kMaxNodes = 150;

    GraphMode mode = GraphMode::Auto; ///< what this is (never Auto once built)
    int64_t time = 0;                 ///< the time it shows (Locks: before the kill that ended a deadlocked run)
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
    std::vector<uint64_t> cycle;     ///< keys of the deadlock cycle's nodes in cycle order (thread, lock, ...)
    std::vector<GraphSlot> universe; ///< every place a node can take over the whole trace
    size_t notDrawn = 0;             ///< nodes present at this time left out by cap()

    /// Keeps at most `maxNodes` present nodes (the deadlock cycle's first, then those with an
    /// edge, then other resources, then idle threads, each in their order) and slots, and counts
    /// the present ones left out.
    void cap(size_t maxNodes = kMaxNodes);

    /// Index of the node with `key`, or -1.
    int indexOf(uint64_t key) const;
    const GraphNode *node(uint64_t key) const;
    size_t countEdges(EdgeKind kind) const;
    /// The edge of `kind` from `from` to `to` (keys), or nullptr.
    const GraphEdge *edge(uint64_t from, uint64_t to, EdgeKind kind) const;
    bool deadlocked() const { return !cycle.empty(); }
    bool empty() const { return nodes.empty(); }
};

/// A lock-order cycle (a potential deadlock): its locks in cycle order, and when the last of its
/// orders was first seen.
struct OrderCycle
{
    std::vector<uint32_t> locks;
    int64_t seen = 0;
};

/// Builds the graph view's graphs from a TraceModel. It keeps the model's GraphFacts (first times a
/// thread or object took part in synchronisation, who uses the network queues), brought up to date
/// cheaply with sync() as a live model grows; everything else comes from model queries.
class GraphBuilder
{
public:
    /// Catches up with the events the model ingested since the last call (all of them after a
    /// reset, or when the model was cleared).
    void sync(const core::TraceModel &model);
    /// Forgets everything (a different model).
    void reset();

    /// The graph that carries the lesson of what the trace contains so far.
    GraphMode automaticMode(const core::TraceModel &model) const;
    /// The graph of `mode` (Auto: automaticMode) at time t. sync() first.
    Graph build(const core::TraceModel &model, GraphMode mode, int64_t t) const;

private:
    Graph buildLocks(const core::TraceModel &model, int64_t playhead) const;
    /// The time whose waits the Locks graph shows at t. A run ended by its deadlock is killed
    /// with its threads still blocked, so after the kill the trace has no waits left: from then
    /// on the graph shows the cycle as it stood when they were killed, the run's end state.
    int64_t lockGraphTime(const core::TraceModel &model, int64_t t) const;
    Graph buildProcesses(const core::TraceModel &model, int64_t t) const;
    Graph buildTopology(const core::TraceModel &model, int64_t t) const;
    /// The topology's workers: (when it started, pid) in the order they started.
    std::vector<std::pair<int64_t, int32_t>> topologyWorkers(const core::TraceModel &model, uint32_t taskQueue,
                                                             uint32_t resultQueue, int32_t masterPid,
                                                             int64_t created) const;
    /// Processes drawn in a tree: traced ones and the children of traced ones.
    static std::vector<const core::ProcessInfo *> treeProcesses(const core::TraceModel &model);
    std::pair<uint32_t, uint32_t> netQueues(const core::TraceModel &model) const;

    core::GraphFacts m_facts;
    std::vector<OrderCycle> m_orderCycles; ///< the potential deadlocks of the events scanned
    uint64_t m_lockOrderVersion = 0;       ///< the model's lockOrderVersion() they were found at
};

} // namespace interleave::ui
