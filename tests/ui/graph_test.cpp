// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "ui/graph/graphdata.h"
#include "ui/graph/graphlayout.h"
#include "ui/graph/graphview.h"
#include "ui/imageexport.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QBuffer>
#include <QComboBox>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QVariantAnimation>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

using namespace interleave;
using core::EventType;
using core::ObjectKind;
using core::testing::TraceBuilder;
using ui::EdgeKind;
using ui::Graph;
using ui::GraphBuilder;
using ui::GraphLayout;
using ui::GraphMode;
using ui::GraphNode;
using ui::NodeKind;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

// Two threads, two locks, opposite order: T1 takes A at 10, T2 takes B at 12, T1 waits for B at 20,
// T2 waits for A at 25 — deadlocked from then on.
core::TraceData abba(bool killedAfterDeadlock = false, bool marked = true)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 11);
    const uint32_t t2 = b.thread(1, 12);
    b.ev(t1, 0, EventType::ThreadName, b.str("Thread-1"));
    b.ev(t2, 0, EventType::ThreadName, b.str("Thread-2"));
    b.object(t1, 0, 1, ObjectKind::Mutex, "A");
    b.object(t1, 0, 2, ObjectKind::Mutex, "B");
    b.ev(t1, 10, EventType::LockWait, 1);
    b.ev(t1, 10, EventType::LockObtain, 1);
    b.ev(t2, 12, EventType::LockWait, 2);
    b.ev(t2, 12, EventType::LockObtain, 2);
    b.ev(t1, 20, EventType::LockWait, 2);
    b.ev(t2, 25, EventType::LockWait, 1);
    if (killedAfterDeadlock) {
        // The session sees the cycle, marks it, and the run is ended: process 1 killed.
        const uint32_t session = b.thread(99, 99);
        if (marked)
            b.ev(session, 35, EventType::Deadlock, 0, 2);
        b.ev(session, 45, EventType::ProcessExit, 1, 9, core::ExitSignal);
        return std::move(b.data);
    }
    b.ev(t2, 40, EventType::Phase, b.str("end"));
    return std::move(b.data);
}

Graph buildAt(const core::TraceModel &model, GraphMode mode, int64_t t)
{
    GraphBuilder builder;
    builder.sync(model);
    return builder.build(model, mode, t);
}

// Runner 100 (started by an untraced window, pid 1) forks 101 and 102; 101 forks 103; 101 exits
// with 0, 102 is killed by SIGKILL; 100 joins 101.
core::TraceData processTree()
{
    TraceBuilder b;
    const uint32_t p100 = b.thread(100, 100);
    const uint32_t p101 = b.thread(101, 101);
    const uint32_t p102 = b.thread(102, 102);
    const uint32_t p103 = b.thread(103, 103);
    b.ev(p100, 0, EventType::ProcessStart, b.str("runner"), 1);
    b.ev(p100, 1, EventType::ForkReturn, 0, 101);
    b.ev(p101, 2, EventType::ProcessStart, b.str("child-a"), 100);
    b.ev(p101, 2, EventType::ForkReturn, 0, 0);
    b.ev(p100, 3, EventType::ForkReturn, 0, 102);
    b.ev(p102, 4, EventType::ProcessStart, b.str("child-b"), 100);
    b.ev(p101, 5, EventType::ForkReturn, 0, 103);
    b.ev(p103, 6, EventType::ProcessStart, b.str("grandchild"), 101);
    b.ev(p100, 7, EventType::JoinWait, 101, 0, core::OnProcess);
    b.ev(p103, 8, EventType::ThreadExit);
    b.ev(p100, 9, EventType::ProcessExit, 103, 0);
    b.ev(p101, 10, EventType::ThreadExit);
    b.ev(p100, 12, EventType::ProcessExit, 101, 0);
    b.ev(p100, 12, EventType::JoinDone, 101, 0, core::OnProcess);
    b.ev(p100, 14, EventType::Signal, 102, 9);
    b.ev(p100, 15, EventType::ProcessExit, 102, 9, core::ExitSignal);
    b.ev(p100, 20, EventType::Phase, b.str("end"));
    return std::move(b.data);
}

// The distributed master (pid 200) with its task (10) and result (11) queues, workers 201 and 202.
core::TraceData topology()
{
    TraceBuilder b;
    const uint32_t master = b.thread(200, 200);
    const uint32_t w1 = b.thread(201, 201);
    const uint32_t w2 = b.thread(202, 202);
    b.ev(master, 0, EventType::ProcessStart, b.str("runner"), 1);
    b.object(master, 1, 10, ObjectKind::NetQueue, "task");
    b.object(master, 1, 11, ObjectKind::NetQueue, "result");
    for (int task = 1; task <= 3; ++task) {
        b.ev(master, 1 + task, EventType::TaskSubmit, 10, task);
        b.ev(master, 1 + task, EventType::QueuePut, 10, 100 + task);
        b.ev(master, 1 + task, EventType::QueueDepth, 10, task);
    }
    b.ev(master, 5, EventType::ForkReturn, 0, 201);
    b.ev(master, 5, EventType::ForkReturn, 0, 202);
    b.ev(w1, 6, EventType::ProcessStart, b.str("worker-1"), 200);
    b.ev(w2, 7, EventType::ProcessStart, b.str("worker-2"), 200);
    // worker-1 runs task 1 from 10 to 30; worker-2 runs task 2 from 11 to 20 and puts its result.
    b.ev(w1, 10, EventType::QueueGet, 10, 101);
    b.ev(w1, 10, EventType::TaskStart, 10, 1);
    b.ev(w2, 11, EventType::QueueGet, 10, 102);
    b.ev(w2, 11, EventType::TaskStart, 10, 2);
    b.ev(master, 11, EventType::QueueDepth, 10, 1);
    b.ev(w2, 20, EventType::TaskEnd, 10, 2);
    b.ev(w2, 20, EventType::QueuePut, 11, 502);
    b.ev(master, 25, EventType::QueueGet, 11, 502);
    b.ev(w1, 30, EventType::TaskEnd, 10, 1);
    b.ev(master, 40, EventType::Phase, b.str("end"));
    return std::move(b.data);
}

std::set<uint64_t> keysOf(const Graph &g, NodeKind kind)
{
    std::set<uint64_t> out;
    for (const GraphNode &n : g.nodes)
        if (n.kind == kind)
            out.insert(n.key);
    return out;
}

bool near(const QPointF &a, const QPointF &b, qreal tolerance = 0.5)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y()) <= tolerance;
}

/// True if a pixel within `radius` of `at` has (nearly) the colour `color`.
bool colorNear(const QImage &image, const QPointF &at, const QColor &color, int radius = 1)
{
    for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
            const QPoint p(int(std::lround(at.x())) + dx, int(std::lround(at.y())) + dy);
            if (!image.rect().contains(p))
                continue;
            const QColor c = image.pixelColor(p);
            if (std::abs(c.red() - color.red()) <= 12 && std::abs(c.green() - color.green()) <= 12 &&
                std::abs(c.blue() - color.blue()) <= 12)
                return true;
        }
    }
    return false;
}

QImage render(ui::GraphView &view, const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(view.theme().background);
    QPainter painter(&image);
    view.renderContent(painter, size);
    return image;
}

/// Prefixes every string of the graph view, to see a language change reach what it draws.
class MarkingTranslator : public QTranslator
{
public:
    QString translate(const char *context, const char *source, const char *, int) const override
    {
        if (QLatin1String(context) == QLatin1String("interleave::ui::GraphView"))
            return QStringLiteral("§") + QString::fromUtf8(source);
        return QString();
    }
    bool isEmpty() const override { return false; }
};

} // namespace

// Building graphs ---------------------------------------------------------------------------------

TEST(GraphBuilder, AbBaDeadlockIsFourNodesTwoHoldsTwoWaitsAndACycle)
{
    const core::TraceModel model(abba());
    const Graph g = buildAt(model, GraphMode::Auto, ms(30));
    EXPECT_EQ(g.mode, GraphMode::Locks);
    ASSERT_EQ(g.nodes.size(), 4u);
    EXPECT_EQ(keysOf(g, NodeKind::Thread), (std::set<uint64_t>{GraphNode::threadKey(0), GraphNode::threadKey(1)}));
    EXPECT_EQ(keysOf(g, NodeKind::Lock), (std::set<uint64_t>{GraphNode::objectKey(1), GraphNode::objectKey(2)}));
    EXPECT_EQ(g.countEdges(EdgeKind::Holds), 2u);
    EXPECT_EQ(g.countEdges(EdgeKind::WaitsFor), 2u);
    ASSERT_NE(g.edge(GraphNode::objectKey(1), GraphNode::threadKey(0), EdgeKind::Holds), nullptr);
    ASSERT_NE(g.edge(GraphNode::threadKey(0), GraphNode::objectKey(2), EdgeKind::WaitsFor), nullptr);
    ASSERT_NE(g.edge(GraphNode::objectKey(2), GraphNode::threadKey(1), EdgeKind::Holds), nullptr);
    ASSERT_NE(g.edge(GraphNode::threadKey(1), GraphNode::objectKey(1), EdgeKind::WaitsFor), nullptr);
    EXPECT_TRUE(g.deadlocked());
    // Thread-1 waits for B, held by Thread-2, who waits for A, held by Thread-1.
    EXPECT_EQ(g.cycle, (std::vector<uint64_t>{GraphNode::threadKey(0), GraphNode::objectKey(2), GraphNode::threadKey(1),
                                              GraphNode::objectKey(1)}));
    for (const ui::GraphEdge &e : g.edges)
        EXPECT_TRUE(e.inCycle);
    for (const GraphNode &n : g.nodes)
        EXPECT_TRUE(n.inCycle);
    EXPECT_EQ(g.node(GraphNode::threadKey(0))->name, "Thread-1");
    EXPECT_EQ(g.node(GraphNode::objectKey(2))->name, "B");
}

TEST(GraphBuilder, PlayheadBeforeAndAfterAnAcquisitionChangesTheEdges)
{
    const core::TraceModel model(abba());
    // Before T2 takes B: T1 holds A, nothing else has happened to T2 or B.
    const Graph before = buildAt(model, GraphMode::Locks, ms(11));
    EXPECT_EQ(before.nodes.size(), 2u);
    EXPECT_EQ(before.countEdges(EdgeKind::Holds), 1u);
    EXPECT_NE(before.edge(GraphNode::objectKey(1), GraphNode::threadKey(0), EdgeKind::Holds), nullptr);
    EXPECT_EQ(before.node(GraphNode::objectKey(2)), nullptr);
    // After: two holds, no wait, no cycle.
    const Graph after = buildAt(model, GraphMode::Locks, ms(13));
    EXPECT_EQ(after.nodes.size(), 4u);
    EXPECT_EQ(after.countEdges(EdgeKind::Holds), 2u);
    EXPECT_NE(after.edge(GraphNode::objectKey(2), GraphNode::threadKey(1), EdgeKind::Holds), nullptr);
    EXPECT_EQ(after.countEdges(EdgeKind::WaitsFor), 0u);
    // T1 starts waiting for B: one wait, still no cycle.
    const Graph waiting = buildAt(model, GraphMode::Locks, ms(22));
    EXPECT_EQ(waiting.countEdges(EdgeKind::WaitsFor), 1u);
    EXPECT_NE(waiting.edge(GraphNode::threadKey(0), GraphNode::objectKey(2), EdgeKind::WaitsFor), nullptr);
    EXPECT_FALSE(waiting.deadlocked());
    for (const ui::GraphEdge &e : waiting.edges)
        EXPECT_FALSE(e.inCycle);
}

TEST(GraphBuilder, ADeadlockThatEndedTheRunStaysDrawnAfterTheKill)
{
    // At the end of the trace the threads are dead (killed while blocked), yet the picture of a
    // run that ended deadlocked is the cycle.
    const core::TraceModel model(abba(true));
    ASSERT_EQ(model.endTime(), ms(45));
    const Graph end = buildAt(model, GraphMode::Locks, ms(45));
    EXPECT_EQ(end.time, ms(45) - 1);
    EXPECT_EQ(end.cycle.size(), 4u);
    EXPECT_EQ(end.countEdges(EdgeKind::WaitsFor), 2u);
    // Before the kill: the graph of that very time.
    EXPECT_EQ(buildAt(model, GraphMode::Locks, ms(40)).time, ms(40));
    EXPECT_EQ(buildAt(model, GraphMode::Locks, ms(40)).cycle.size(), 4u);
    // Threads killed without a deadlock mark are simply gone.
    const core::TraceModel unmarked(abba(true, false));
    const Graph gone = buildAt(unmarked, GraphMode::Locks, ms(45));
    EXPECT_TRUE(gone.cycle.empty());
    EXPECT_EQ(gone.countEdges(EdgeKind::WaitsFor), 0u);
    EXPECT_TRUE(keysOf(gone, NodeKind::Thread).empty());
}

TEST(GraphBuilder, ProcessTreeFromForkStartAndExit)
{
    const core::TraceModel model(processTree());
    GraphBuilder builder;
    builder.sync(model);
    EXPECT_EQ(builder.automaticMode(model), GraphMode::Processes);

    // Before 102 was forked: 100 with child 101 (and nothing of the untraced window, pid 1).
    const Graph early = builder.build(model, GraphMode::Processes, ms(2));
    EXPECT_EQ(keysOf(early, NodeKind::Process),
              (std::set<uint64_t>{GraphNode::processKey(100), GraphNode::processKey(101)}));
    EXPECT_EQ(early.countEdges(EdgeKind::Child), 1u);

    // While 100 joins 101: every process, three parent→child edges, the join as a wait.
    const Graph mid = builder.build(model, GraphMode::Processes, ms(8));
    EXPECT_EQ(mid.nodes.size(), 4u);
    EXPECT_EQ(mid.countEdges(EdgeKind::Child), 3u);
    EXPECT_NE(mid.edge(GraphNode::processKey(100), GraphNode::processKey(101), EdgeKind::Child), nullptr);
    EXPECT_NE(mid.edge(GraphNode::processKey(100), GraphNode::processKey(102), EdgeKind::Child), nullptr);
    EXPECT_NE(mid.edge(GraphNode::processKey(101), GraphNode::processKey(103), EdgeKind::Child), nullptr);
    EXPECT_NE(mid.edge(GraphNode::processKey(100), GraphNode::processKey(101), EdgeKind::WaitsFor), nullptr);
    EXPECT_FALSE(mid.node(GraphNode::processKey(101))->exited);
    EXPECT_EQ(mid.node(GraphNode::processKey(103))->name, "grandchild");

    // At the end: 101 and 103 exited with 0, 102 killed by signal 9, 100 alive; no join any more.
    const Graph end = builder.build(model, GraphMode::Processes, ms(20));
    const GraphNode *a = end.node(GraphNode::processKey(101));
    const GraphNode *b = end.node(GraphNode::processKey(102));
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->exited);
    EXPECT_FALSE(a->signaled);
    EXPECT_EQ(a->exitStatus, 0);
    EXPECT_TRUE(b->exited);
    EXPECT_TRUE(b->signaled);
    EXPECT_EQ(b->exitStatus, 9);
    EXPECT_FALSE(end.node(GraphNode::processKey(100))->exited);
    EXPECT_EQ(end.countEdges(EdgeKind::WaitsFor), 0u);
    EXPECT_EQ(end.node(GraphNode::processKey(100))->ppid, 1);
}

TEST(GraphBuilder, NetQueuesMakeTheMasterWorkerTopology)
{
    const core::TraceModel model(topology());
    GraphBuilder builder;
    builder.sync(model);
    EXPECT_EQ(builder.automaticMode(model), GraphMode::Topology);

    // At 15 ms: worker-1 runs task 1, worker-2 task 2; one task still queued.
    const Graph g = builder.build(model, GraphMode::Auto, ms(15));
    EXPECT_EQ(g.mode, GraphMode::Topology);
    EXPECT_EQ(keysOf(g, NodeKind::Process),
              (std::set<uint64_t>{GraphNode::processKey(200), GraphNode::processKey(201), GraphNode::processKey(202)}));
    EXPECT_EQ(keysOf(g, NodeKind::Queue), (std::set<uint64_t>{GraphNode::objectKey(10), GraphNode::objectKey(11)}));
    EXPECT_TRUE(g.node(GraphNode::processKey(200))->master);
    EXPECT_TRUE(g.node(GraphNode::processKey(201))->worker);
    EXPECT_TRUE(g.node(GraphNode::processKey(202))->worker);
    EXPECT_EQ(g.node(GraphNode::objectKey(10))->depth, 1);
    EXPECT_EQ(g.countEdges(EdgeKind::Task), 2u);
    const ui::GraphEdge *task1 = g.edge(GraphNode::objectKey(10), GraphNode::processKey(201), EdgeKind::Task);
    ASSERT_NE(task1, nullptr);
    EXPECT_EQ(task1->id, 1);
    // master → task, task → each worker, each worker → result, result → master.
    EXPECT_EQ(g.countEdges(EdgeKind::Channel), 6u);
    EXPECT_EQ(g.countEdges(EdgeKind::Result), 0u);

    // At 22 ms: worker-2's result waits in the result queue for the master; its task is done.
    const Graph later = builder.build(model, GraphMode::Auto, ms(22));
    const ui::GraphEdge *result = later.edge(GraphNode::processKey(202), GraphNode::objectKey(11), EdgeKind::Result);
    ASSERT_NE(result, nullptr);
    EXPECT_EQ(result->id, 502);
    EXPECT_EQ(later.countEdges(EdgeKind::Task), 1u);
    // At 26 ms the master has taken it.
    EXPECT_EQ(builder.build(model, GraphMode::Auto, ms(26)).countEdges(EdgeKind::Result), 0u);

    // Hub layout: master left, queues in the middle (task above result), workers right.
    const GraphLayout layout = GraphLayout::compute(g);
    EXPECT_DOUBLE_EQ(layout.at(GraphNode::processKey(200))->x(), 0.0);
    EXPECT_DOUBLE_EQ(layout.at(GraphNode::objectKey(10))->x(), 0.5);
    EXPECT_LT(layout.at(GraphNode::objectKey(10))->y(), layout.at(GraphNode::objectKey(11))->y());
    EXPECT_DOUBLE_EQ(layout.at(GraphNode::processKey(201))->x(), 1.0);
    EXPECT_LT(layout.at(GraphNode::processKey(201))->y(), layout.at(GraphNode::processKey(202))->y());
}

TEST(GraphBuilder, FollowsAGrowingModel)
{
    core::TraceModel model;
    const uint32_t t1 = model.data().threadIndex(1, 11);
    auto push = [&](uint32_t th, int64_t timeMs, EventType type, uint32_t object) {
        core::Event e{};
        e.time = ms(timeMs);
        e.thread = th;
        e.type = type;
        e.object = object;
        model.data().events.push_back(e);
    };
    push(t1, 0, EventType::ThreadStart, 0);
    push(t1, 1, EventType::LockObtain, 5);
    model.update();
    GraphBuilder builder;
    builder.sync(model);
    EXPECT_EQ(builder.build(model, GraphMode::Locks, ms(2)).nodes.size(), 2u);
    // A second thread arrives and waits for the lock.
    const uint32_t t2 = model.data().threadIndex(1, 12);
    push(t2, 2, EventType::ThreadStart, 0);
    push(t2, 3, EventType::LockWait, 5);
    model.update();
    builder.sync(model);
    const Graph g = builder.build(model, GraphMode::Locks, ms(4));
    EXPECT_EQ(g.nodes.size(), 3u);
    EXPECT_NE(g.edge(GraphNode::threadKey(t2), GraphNode::objectKey(5), EdgeKind::WaitsFor), nullptr);
    // The model is cleared for a new run: the builder starts over.
    model.clear();
    builder.sync(model);
    EXPECT_TRUE(builder.build(model, GraphMode::Locks, ms(4)).empty());
}

TEST(GraphView, RefreshPicksUpAGrowingModel)
{
    ui::testing::app();
    core::TraceModel model;
    const uint32_t t1 = model.data().threadIndex(1, 11);
    auto push = [&](uint32_t th, int64_t timeMs, EventType type, uint32_t object) {
        core::Event e{};
        e.time = ms(timeMs);
        e.thread = th;
        e.type = type;
        e.object = object;
        model.data().events.push_back(e);
    };
    push(t1, 0, EventType::ThreadStart, 0);
    push(t1, 1, EventType::LockObtain, 5);
    model.update();
    // A view on screen rebuilds at once; a hidden one (another tab) when it is next looked at.
    ui::GraphView shown;
    shown.resize(600, 400);
    shown.show();
    shown.setModel(&model);
    shown.setPlayhead(ms(4));
    ui::GraphView hidden;
    hidden.setModel(&model);
    hidden.setPlayhead(ms(4));
    EXPECT_EQ(shown.graph().nodes.size(), 2u);
    EXPECT_EQ(hidden.graph().nodes.size(), 2u);
    // The live run goes on: a thread appears and waits for the lock before the playhead.
    const uint32_t t2 = model.data().threadIndex(1, 12);
    push(t2, 2, EventType::ThreadStart, 0);
    push(t2, 3, EventType::LockWait, 5);
    model.update();
    shown.refresh();
    hidden.refresh();
    for (const ui::GraphView *view : {&shown, &hidden}) {
        EXPECT_EQ(view->graph().nodes.size(), 3u);
        EXPECT_NE(view->graph().edge(GraphNode::threadKey(t2), GraphNode::objectKey(5), EdgeKind::WaitsFor), nullptr);
        EXPECT_TRUE(view->targetCenter(GraphNode::threadKey(t2)).has_value());
    }
    shown.hide();
}

// Layout --------------------------------------------------------------------------------------------

TEST(GraphLayout, ThreadsLeftLocksRightAndTheCycleOnACircle)
{
    const core::TraceModel model(abba());
    const Graph calm = buildAt(model, GraphMode::Locks, ms(13));
    const GraphLayout a = GraphLayout::compute(calm);
    EXPECT_DOUBLE_EQ(a.at(GraphNode::threadKey(0))->x(), GraphLayout::kLeft);
    EXPECT_DOUBLE_EQ(a.at(GraphNode::threadKey(1))->x(), GraphLayout::kLeft);
    EXPECT_DOUBLE_EQ(a.at(GraphNode::objectKey(1))->x(), GraphLayout::kRight);
    EXPECT_LT(a.at(GraphNode::threadKey(0))->y(), a.at(GraphNode::threadKey(1))->y());
    EXPECT_FALSE(a.hasCycle);
    // The same places a little later (T1 now waits): nothing moves.
    const GraphLayout b = GraphLayout::compute(buildAt(model, GraphMode::Locks, ms(22)));
    for (uint64_t key : {GraphNode::threadKey(0), GraphNode::threadKey(1), GraphNode::objectKey(1)})
        EXPECT_EQ(*a.at(key), *b.at(key));
    // Deadlocked: the four nodes on a circle around the centre, in cycle order, all distinct.
    const GraphLayout c = GraphLayout::compute(buildAt(model, GraphMode::Locks, ms(30)));
    ASSERT_TRUE(c.hasCycle);
    std::set<std::pair<double, double>> distinct;
    for (uint64_t key : buildAt(model, GraphMode::Locks, ms(30)).cycle) {
        const QPointF p = *c.at(key) - c.cycleCentre;
        const double r = std::hypot(p.x() / c.cycleRadius.x(), p.y() / c.cycleRadius.y());
        EXPECT_NEAR(r, 1.0, 1e-9);
        distinct.insert({p.x(), p.y()});
    }
    EXPECT_EQ(distinct.size(), 4u);
    // The first (Thread-1) at the top.
    EXPECT_LT(c.at(GraphNode::threadKey(0))->y(), c.cycleCentre.y());
}

TEST(GraphLayout, ADeadlockIsDrawnAlikeWhateverTheOrderThingsHappenedIn)
{
    // The same deadlock twice: once the detector met Thread-2 first and the main thread showed up
    // before the workers, once the other way round. The picture must not change.
    const auto deadlock = [](bool thread2First, bool mainEarly) {
        Graph g;
        g.mode = GraphMode::Locks;
        g.time = ms(50);
        const uint64_t main = GraphNode::threadKey(0), t1 = GraphNode::threadKey(1), t2 = GraphNode::threadKey(2);
        const uint64_t a = GraphNode::objectKey(1), b = GraphNode::objectKey(2);
        for (auto [key, name, kind] :
             {std::tuple{main, "MainThread", NodeKind::Thread}, std::tuple{t1, "Thread-1", NodeKind::Thread},
              std::tuple{t2, "Thread-2", NodeKind::Thread}, std::tuple{a, "lock A", NodeKind::Lock},
              std::tuple{b, "lock B", NodeKind::Lock}}) {
            GraphNode node;
            node.key = key;
            node.kind = kind;
            node.name = name;
            g.nodes.push_back(node);
            const bool thread = kind == NodeKind::Thread;
            const int64_t appear = key == main ? (mainEarly ? ms(1) : ms(9)) : ms(key == t1 || key == a ? 3 : 4);
            g.universe.push_back({key, thread ? 0 : 1, appear, core::kTimeMax, 0});
        }
        g.cycle = thread2First ? std::vector<uint64_t>{t2, b, t1, a} : std::vector<uint64_t>{t1, a, t2, b};
        return GraphLayout::compute(g);
    };
    const GraphLayout one = deadlock(false, false);
    const GraphLayout other = deadlock(true, true);
    for (uint64_t key : {GraphNode::threadKey(0), GraphNode::threadKey(1), GraphNode::threadKey(2),
                         GraphNode::objectKey(1), GraphNode::objectKey(2)})
        EXPECT_EQ(*one.at(key), *other.at(key)) << key;
    EXPECT_LT(one.at(GraphNode::threadKey(1))->y(), one.cycleCentre.y()); // Thread-1 on top
}

TEST(GraphLayout, ANodeKeepsItsPlaceWhileOthersComeAndGo)
{
    // Thread 0 lives on; thread 1 comes and goes; thread 2 comes after and takes thread 1's place.
    TraceBuilder b;
    const uint32_t t0 = b.thread(1, 10);
    const uint32_t t1 = b.thread(1, 11);
    const uint32_t t2 = b.thread(1, 12);
    b.ev(t0, 0, EventType::LockObtain, 7);
    b.ev(t1, 5, EventType::LockWait, 7);
    b.ev(t0, 6, EventType::LockRelease, 7);
    b.ev(t1, 6, EventType::LockObtain, 7);
    b.ev(t1, 7, EventType::LockRelease, 7);
    b.ev(t1, 8, EventType::ThreadExit);
    b.ev(t2, 12, EventType::LockObtain, 7);
    b.ev(t0, 20, EventType::Phase, b.str("end"));
    const core::TraceModel model(std::move(b.data));
    GraphBuilder builder;
    builder.sync(model);
    const Graph g1 = builder.build(model, GraphMode::Locks, ms(2));
    const Graph g2 = builder.build(model, GraphMode::Locks, ms(6));
    const Graph g3 = builder.build(model, GraphMode::Locks, ms(10));
    const Graph g4 = builder.build(model, GraphMode::Locks, ms(13));
    EXPECT_EQ(keysOf(g1, NodeKind::Thread), std::set<uint64_t>{GraphNode::threadKey(t0)});
    EXPECT_EQ(keysOf(g2, NodeKind::Thread), (std::set<uint64_t>{GraphNode::threadKey(t0), GraphNode::threadKey(t1)}));
    EXPECT_EQ(keysOf(g3, NodeKind::Thread), std::set<uint64_t>{GraphNode::threadKey(t0)});
    EXPECT_EQ(keysOf(g4, NodeKind::Thread), (std::set<uint64_t>{GraphNode::threadKey(t0), GraphNode::threadKey(t2)}));
    const QPointF p0 = *GraphLayout::compute(g1).at(GraphNode::threadKey(t0));
    for (const Graph *g : {&g2, &g3, &g4})
        EXPECT_EQ(*GraphLayout::compute(*g).at(GraphNode::threadKey(t0)), p0);
    // Two slots, not three: thread 2 reuses thread 1's.
    EXPECT_EQ(*GraphLayout::compute(g4).at(GraphNode::threadKey(t2)),
              *GraphLayout::compute(g2).at(GraphNode::threadKey(t1)));
    EXPECT_NE(*GraphLayout::compute(g4).at(GraphNode::threadKey(t2)), p0);
}

TEST(GraphLayout, ProcessTreeIsLayeredAndWrapsManyChildren)
{
    const core::TraceModel model(processTree());
    const GraphLayout tree = GraphLayout::compute(buildAt(model, GraphMode::Processes, ms(20)));
    const QPointF root = *tree.at(GraphNode::processKey(100));
    const QPointF a = *tree.at(GraphNode::processKey(101));
    const QPointF b = *tree.at(GraphNode::processKey(102));
    const QPointF c = *tree.at(GraphNode::processKey(103));
    EXPECT_LT(root.y(), a.y());
    EXPECT_DOUBLE_EQ(a.y(), b.y());
    EXPECT_LT(a.y(), c.y());
    EXPECT_LT(a.x(), b.x()); // in the order they started
    EXPECT_GT(root.x(), a.x());
    EXPECT_LT(root.x(), b.x());
    EXPECT_DOUBLE_EQ(c.x(), a.x()); // an only child right under its parent

    // A parent with ten children and room for four in a row: a grid of three rows under it.
    TraceBuilder builder;
    const uint32_t parent = builder.thread(500, 500);
    builder.ev(parent, 0, EventType::ProcessStart, builder.str("pool"), 1);
    for (int i = 0; i < 10; ++i) {
        const uint32_t kid = builder.thread(501 + i, 501 + i);
        builder.ev(kid, 1 + i, EventType::ProcessStart, builder.str("worker"), 500);
    }
    const core::TraceModel many(std::move(builder.data));
    const GraphLayout grid = GraphLayout::compute(buildAt(many, GraphMode::Processes, ms(30)), 4);
    std::set<double> rows;
    std::set<std::pair<double, double>> places;
    for (int i = 0; i < 10; ++i) {
        const QPointF p = *grid.at(GraphNode::processKey(501 + i));
        rows.insert(p.y());
        places.insert({p.x(), p.y()});
        EXPECT_GT(p.y(), grid.at(GraphNode::processKey(500))->y());
    }
    EXPECT_EQ(rows.size(), 3u);
    EXPECT_EQ(places.size(), 10u);
}

TEST(GraphBuilder, ManyShortLivedSiblingsStandAsOneNode)
{
    // Parent 700 starts ten short-lived "P-n" (one killed), a "worker-1" that exits and a "server"
    // that lives on; it joins P-3 at 8 ms.
    TraceBuilder b;
    const uint32_t parent = b.thread(700, 700);
    b.ev(parent, 0, EventType::ProcessStart, b.str("main"), 1);
    for (int i = 0; i < 10; ++i) {
        const uint32_t kid = b.thread(701 + i, 701 + i);
        b.ev(kid, 1 + i, EventType::ProcessStart, b.str("P-" + std::to_string(i + 1)), 700);
        b.ev(parent, 2 + i, EventType::ProcessExit, 701 + i, i == 9 ? 9 : 0, i == 9 ? core::ExitSignal : 0);
    }
    b.ev(parent, 8, EventType::JoinWait, 703, 0, core::OnProcess);
    const uint32_t worker = b.thread(720, 720);
    b.ev(worker, 1, EventType::ProcessStart, b.str("worker-1"), 700);
    b.ev(parent, 3, EventType::ProcessExit, 720, 0);
    const uint32_t server = b.thread(730, 730);
    b.ev(server, 1, EventType::ProcessStart, b.str("server"), 700);
    b.ev(parent, 30, EventType::Phase, b.str("end"));
    const core::TraceModel model(std::move(b.data));

    const Graph end = buildAt(model, GraphMode::Processes, ms(30));
    EXPECT_EQ(keysOf(end, NodeKind::Process),
              (std::set<uint64_t>{GraphNode::processKey(700), GraphNode::processKey(701), GraphNode::processKey(720),
                                  GraphNode::processKey(730)}));
    const GraphNode *family = end.node(GraphNode::processKey(701));
    ASSERT_NE(family, nullptr);
    EXPECT_EQ(family->groupSize, 10);
    EXPECT_EQ(family->name, "P-1 … P-10");
    EXPECT_EQ(family->groupLastPid, 710);
    EXPECT_EQ(family->groupExited, 10);
    EXPECT_EQ(family->groupKilled, 1);
    EXPECT_FALSE(family->groupSameExit);
    EXPECT_TRUE(family->exited);
    EXPECT_EQ(end.countEdges(EdgeKind::Child), 3u);
    EXPECT_EQ(end.node(GraphNode::processKey(720))->groupSize, 0); // a family of one stands alone

    // At 8 ms: seven of them have exited (at 2 … 8 ms), and the parent's join on P-3 is a wait for the family.
    const Graph mid = buildAt(model, GraphMode::Processes, ms(8));
    const GraphNode *partial = mid.node(GraphNode::processKey(701));
    ASSERT_NE(partial, nullptr);
    EXPECT_EQ(partial->groupExited, 7);
    EXPECT_FALSE(partial->exited);
    EXPECT_NE(mid.edge(GraphNode::processKey(700), GraphNode::processKey(701), EdgeKind::WaitsFor), nullptr);
    // Before any P-n: no family node yet.
    EXPECT_EQ(buildAt(model, GraphMode::Processes, ms(0)).node(GraphNode::processKey(701)), nullptr);
}

// The view --------------------------------------------------------------------------------------

TEST(GraphView, NoModelEmptyModelAndModeProperty)
{
    ui::testing::app();
    ui::GraphView view;
    EXPECT_EQ(view.viewName(), QStringLiteral("graph"));
    EXPECT_TRUE(view.graph().empty());
    const QImage none = render(view, QSize(400, 300));
    // The "no trace" message: foreground-ish text pixels in the middle band.
    int inked = 0;
    for (int x = 0; x < 400; ++x)
        for (int y = 130; y < 170; ++y)
            inked += none.pixel(x, y) != view.theme().background.rgb();
    EXPECT_GT(inked, 20);

    core::TraceModel empty;
    view.setModel(&empty);
    view.setPlayhead(5);
    EXPECT_TRUE(view.graph().empty());

    const core::TraceModel model(processTree());
    view.setModel(&model);
    view.setPlayhead(ms(20));
    EXPECT_EQ(view.mode(), GraphMode::Auto);
    EXPECT_EQ(view.shownMode(), GraphMode::Processes);
    QSignalSpy spy(&view, &ui::GraphView::modeChanged);
    ASSERT_TRUE(view.setProperty("mode", QVariant::fromValue(GraphMode::Locks)));
    EXPECT_EQ(view.mode(), GraphMode::Locks);
    EXPECT_EQ(view.shownMode(), GraphMode::Locks);
    EXPECT_EQ(spy.count(), 1);
    EXPECT_EQ(view.modeSelector()->currentData().toInt(), int(GraphMode::Locks));
    // The selector switches too.
    view.modeSelector()->setCurrentIndex(view.modeSelector()->findData(int(GraphMode::Processes)));
    Q_EMIT view.modeSelector()->activated(view.modeSelector()->currentIndex());
    EXPECT_EQ(view.mode(), GraphMode::Processes);
    EXPECT_EQ(view.graph().nodes.size(), 4u);
    view.setModel(nullptr);
    EXPECT_TRUE(view.graph().empty());
}

TEST(GraphView, LegendNamesWhatLocksModeDraws)
{
    ui::testing::app();
    const core::TraceModel model(abba());
    ui::GraphView view;
    view.setModel(&model);
    view.setPlayhead(ms(30));
    std::vector<QString> labels;
    for (const ui::LegendEntry &e : view.legend())
        labels.push_back(e.label);
    EXPECT_EQ(labels, (std::vector<QString>{QStringLiteral("thread"), QStringLiteral("lock"), QStringLiteral("queue"),
                                            QStringLiteral("process"), QStringLiteral("holds"),
                                            QStringLiteral("waits for"), QStringLiteral("deadlock")}));
    EXPECT_EQ(view.legend().back().pen.color(), view.theme().deadlock);
    EXPECT_EQ(view.legend()[0].brush.color() != view.theme().background, true);
}

TEST(GraphView, DeadlockEdgesAreDrawnInTheDeadlockColour)
{
    ui::testing::app();
    const core::TraceModel model(abba());
    for (ui::Theme::Id id : {ui::Theme::Id::Light, ui::Theme::Id::Projector}) {
        ui::GraphView view;
        view.setTheme(ui::Theme::get(id));
        view.setModel(&model);
        const QSize size(900, 600);
        view.resize(size);
        view.setPlayhead(ms(30));
        const Graph &g = view.graph();
        ASSERT_TRUE(g.deadlocked());
        const QImage image = render(view, size);
        const QColor deadlock = view.theme().deadlock;
        for (const ui::GraphEdge &e : g.edges) {
            const QPointF a = *view.renderedCenter(g.nodes[e.from].key, size);
            const QPointF b = *view.renderedCenter(g.nodes[e.to].key, size);
            EXPECT_TRUE(colorNear(image, (a + b) / 2, deadlock)) << "edge midpoint " << (a + b).x() / 2;
        }
        // Not a colour that is there anyway: before the deadlock the same places are not red.
        view.setPlayhead(ms(22));
        const QImage calm = render(view, size);
        EXPECT_FALSE(view.graph().deadlocked());
        int red = 0;
        for (int y = 0; y < calm.height(); y += 2)
            for (int x = 0; x < calm.width(); x += 2)
                red += colorNear(calm, QPointF(x, y), deadlock, 0);
        EXPECT_EQ(red, 0);
    }
}

TEST(GraphView, AnEdgeWithinTheThreadColumnStaysInsideThePicture)
{
    // MainThread joins Thread-1 while Thread-1 and Thread-2 each hold a lock: a "waits for" from
    // the bottom of the thread column to its top, bent around Thread-2. Bent outwards, it left
    // the picture at its left edge.
    ui::testing::app();
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1), t1 = b.thread(1, 2), t2 = b.thread(1, 3);
    b.ev(main, 0, EventType::ThreadName, b.str("MainThread"));
    b.ev(t1, 0, EventType::ThreadName, b.str("Thread-1"));
    b.ev(t2, 0, EventType::ThreadName, b.str("Thread-2"));
    b.object(main, 0, 5, core::ObjectKind::Mutex, "lock A");
    b.object(main, 0, 6, core::ObjectKind::Mutex, "lock B");
    b.ev(t1, 1, EventType::LockObtain, 5);
    b.ev(t2, 1, EventType::LockObtain, 6);
    b.ev(main, 2, EventType::JoinWait, 2);
    b.ev(main, 10, EventType::JoinDone, 2);
    const core::TraceModel model(std::move(b.data));
    for (ui::Theme::Id id : {ui::Theme::Id::Light, ui::Theme::Id::Projector}) {
        ui::GraphView view;
        view.setTheme(ui::Theme::get(id));
        view.setModel(&model);
        const QSize size(900, 500);
        view.resize(size);
        view.setPlayhead(ms(5));
        ASSERT_NE(view.graph().edge(GraphNode::threadKey(main), GraphNode::threadKey(t1), EdgeKind::WaitsFor), nullptr);
        const QImage image = render(view, size);
        const QColor wait = view.theme().wait;
        int drawn = 0;
        int atEdge = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (colorNear(image, QPointF(x, y), wait, 0))
                    (x < 4 ? atEdge : drawn)++;
        EXPECT_GT(drawn, 20);
        EXPECT_EQ(atEdge, 0);
    }
}

TEST(GraphView, ExportIsVectorAndDrawsTheFinalLayoutAtOnce)
{
    ui::testing::app();
    const core::TraceModel model(abba());
    ui::GraphView view;
    view.setModel(&model);
    view.resize(800, 500);
    view.show();
    view.setPlayhead(ms(13));
    view.setPlayhead(ms(30)); // starts moving the cycle's nodes
    ASSERT_EQ(view.animation()->state(), QAbstractAnimation::Running);
    // renderContent draws the final picture even mid-animation: the cycle edges are red now.
    const QSize size(800, 500);
    const QImage image = render(view, size);
    const QPointF a = *view.renderedCenter(GraphNode::threadKey(0), size);
    const QPointF b = *view.renderedCenter(GraphNode::objectKey(2), size);
    EXPECT_TRUE(colorNear(image, (a + b) / 2, view.theme().deadlock));

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(), size));
        QPainter painter(&svg);
        view.renderContent(painter, size);
    }
    const QByteArray text = buffer.data();
    EXPECT_TRUE(text.contains("<path"));
    EXPECT_TRUE(text.contains("Thread-1"));
    EXPECT_FALSE(text.contains("<image"));
    view.hide();
}

TEST(GraphView, NodesGlideToTheirNewPlaceWhenThePlayheadMoves)
{
    ui::testing::app();
    const core::TraceModel model(abba());
    ui::GraphView view;
    view.setModel(&model);
    view.resize(800, 500);
    view.show();
    view.setPlayhead(ms(22));
    const uint64_t t1 = GraphNode::threadKey(0);
    const QPointF start = *view.displayedCenter(t1);
    EXPECT_TRUE(near(start, *view.targetCenter(t1)));

    view.setPlayhead(ms(30)); // deadlocked: Thread-1 leaves its column for the circle
    QVariantAnimation *animation = view.animation();
    ASSERT_EQ(animation->state(), QAbstractAnimation::Running);
    EXPECT_EQ(animation->duration(), ui::GraphView::kAnimationMs);
    animation->pause();
    const QPointF target = *view.targetCenter(t1);
    ASSERT_GT(std::hypot(target.x() - start.x(), target.y() - start.y()), 50.0);
    animation->setCurrentTime(0);
    EXPECT_TRUE(near(*view.displayedCenter(t1), start));
    animation->setCurrentTime(ui::GraphView::kAnimationMs / 2);
    const QPointF mid = *view.displayedCenter(t1);
    const qreal before = std::hypot(target.x() - start.x(), target.y() - start.y());
    const qreal now = std::hypot(target.x() - mid.x(), target.y() - mid.y());
    EXPECT_LT(now, before * 0.8);
    EXPECT_GT(now, 1.0);
    // A live run's refresh that changes nothing lets the glide go on from where it is.
    view.refresh();
    EXPECT_EQ(animation->state(), QAbstractAnimation::Paused);
    EXPECT_TRUE(near(*view.displayedCenter(t1), mid));
    animation->resume();
    // Then the event loop finishes it.
    for (int i = 0; i < 100 && animation->state() != QAbstractAnimation::Stopped; ++i)
        QTest::qWait(20);
    EXPECT_EQ(animation->state(), QAbstractAnimation::Stopped);
    EXPECT_TRUE(near(*view.displayedCenter(t1), target));

    // A playhead that changes nothing in the layout starts no animation.
    view.setPlayhead(ms(35));
    EXPECT_NE(animation->state(), QAbstractAnimation::Running);
    view.hide();
}

TEST(GraphView, LanguageChangeRetranslatesWhatItShows)
{
    ui::testing::app();
    const core::TraceModel model(processTree());
    ui::GraphView view;
    view.setModel(&model);
    view.setPlayhead(ms(20));
    EXPECT_FALSE(view.modeSelector()->itemText(1).startsWith(QStringLiteral("§")));
    MarkingTranslator translator;
    QCoreApplication::installTranslator(&translator);
    QCoreApplication::processEvents();
    EXPECT_TRUE(view.modeSelector()->itemText(1).startsWith(QStringLiteral("§")))
        << view.modeSelector()->itemText(1).toStdString();
    EXPECT_TRUE(view.title().startsWith(QStringLiteral("§")));
    EXPECT_TRUE(view.legend().front().label.startsWith(QStringLiteral("§")));
    QCoreApplication::removeTranslator(&translator);
    QCoreApplication::processEvents();
    EXPECT_EQ(view.modeSelector()->itemText(1), QStringLiteral("Locks and waits"));
}

// Real runs -------------------------------------------------------------------------------------

TEST(GraphViewRun, DeadlockScenarioEndsWithTheTwoThreadsAndTwoLocksInACycle)
{
    ui::testing::app();
    const core::testing::ScenarioRun run = core::testing::runScenario("deadlock");
    ASSERT_EQ(run.status(), core::RunStatus::Deadlocked);
    ui::GraphView view;
    view.setModel(&run.model());
    const QSize size(1000, 640);
    view.resize(size);
    view.setPlayhead(run.model().endTime());
    EXPECT_EQ(view.shownMode(), GraphMode::Locks);
    const Graph &g = view.graph();
    ASSERT_EQ(g.cycle.size(), 4u);
    std::set<std::string> threads;
    std::set<std::string> locks;
    for (uint64_t key : g.cycle) {
        const GraphNode *n = g.node(key);
        ASSERT_NE(n, nullptr);
        (n->kind == NodeKind::Thread ? threads : locks).insert(n->name);
    }
    EXPECT_EQ(threads, (std::set<std::string>{"Thread-1", "Thread-2"}));
    EXPECT_EQ(locks, (std::set<std::string>{"lock A", "lock B"}));
    // The session's Deadlock mark is in the trace too.
    EXPECT_FALSE(run.events(EventType::Deadlock).empty());

    const QImage image = render(view, size);
    size_t cycleEdges = 0;
    for (const ui::GraphEdge &e : g.edges) {
        if (!e.inCycle)
            continue;
        ++cycleEdges;
        const QPointF a = *view.renderedCenter(g.nodes[e.from].key, size);
        const QPointF b = *view.renderedCenter(g.nodes[e.to].key, size);
        EXPECT_TRUE(colorNear(image, (a + b) / 2, view.theme().deadlock));
    }
    EXPECT_EQ(cycleEdges, 4u);
    core::testing::expectNothingLeft(run);
}

TEST(GraphViewRun, ProcessScenarioTreeHasTheRealPids)
{
    ui::testing::app();
    const core::testing::ScenarioRun run =
        core::testing::runScenario("process", {{QStringLiteral("work_s"), QStringLiteral("0.2")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    // Who forked whom, as the fork calls themselves returned it.
    std::vector<std::pair<int32_t, int32_t>> forks;
    for (const core::Event *e : run.events(EventType::ForkReturn))
        if (e->arg > 0)
            forks.emplace_back(run.model().thread(e->thread).pid, int32_t(e->arg));
    ASSERT_EQ(forks.size(), 1u);
    const auto [parent, child] = forks.front();
    EXPECT_EQ(run.findings().value(QStringLiteral("child_pid")).toInt(), child);

    ui::GraphView view;
    view.setModel(&run.model());
    view.setPlayhead(run.model().endTime());
    EXPECT_EQ(view.shownMode(), GraphMode::Processes);
    const Graph &g = view.graph();
    EXPECT_NE(g.edge(GraphNode::processKey(parent), GraphNode::processKey(child), EdgeKind::Child), nullptr);
    const GraphNode *c = g.node(GraphNode::processKey(child));
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->name, "run_proc");
    EXPECT_TRUE(c->exited);
    EXPECT_FALSE(c->signaled);
    EXPECT_EQ(c->exitStatus, 0);
    EXPECT_EQ(c->ppid, parent);
    // The window's own process (the runner's parent) is not part of the tree.
    EXPECT_EQ(g.nodes.size(), 2u);
    EXPECT_EQ(g.countEdges(EdgeKind::Child), 1u);

    // While the parent joins the child: a "waits for" edge from parent to child.
    const core::Event *joinWait = nullptr;
    for (const core::Event *e : run.events(EventType::JoinWait))
        if ((e->flags & core::OnProcess) && int32_t(e->object) == child)
            joinWait = e;
    ASSERT_NE(joinWait, nullptr);
    view.setPlayhead(joinWait->time + 1);
    EXPECT_NE(view.graph().edge(GraphNode::processKey(parent), GraphNode::processKey(child), EdgeKind::WaitsFor),
              nullptr);
    core::testing::expectNothingLeft(run);
}

namespace {

/// Writes the view as the exporter does (title, graph, legend) in light and projector themes, in
/// English; the files stay in $INTERLEAVE_GRAPH_IMAGES when it is set (to look at them).
void exportBoth(ui::GraphView &view, const QString &name, int64_t playhead)
{
    QTemporaryDir temp;
    const QString dir = qEnvironmentVariableIsSet("INTERLEAVE_GRAPH_IMAGES")
                            ? qEnvironmentVariable("INTERLEAVE_GRAPH_IMAGES")
                            : temp.path();
    for (ui::Theme::Id theme : {ui::Theme::Id::Light, ui::Theme::Id::Projector}) {
        ui::ImageRequest request;
        request.path =
            dir + QLatin1Char('/') + name + QLatin1Char('-') + ui::Theme::name(theme) + QStringLiteral(".png");
        request.size = QSize(1280, 720);
        request.theme = theme;
        request.playhead = playhead;
        QString error;
        ASSERT_TRUE(ui::ImageExport::write(view, request, &error)) << error.toStdString();
        const QImage image(request.path);
        ASSERT_EQ(image.size(), QSize(1280, 720));
    }
}

} // namespace

TEST(GraphViewRun, PoolTreeShowsTheWorkersAndTheTasksTheyRun)
{
    ui::testing::app();
    const core::testing::ScenarioRun run =
        core::testing::runScenario("pool", {{QStringLiteral("max_sleep_s"), QStringLiteral("0.4")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    std::set<std::pair<int32_t, int32_t>> forks;
    for (const core::Event *e : run.events(EventType::ForkReturn))
        if (e->arg > 0)
            forks.emplace(run.model().thread(e->thread).pid, int32_t(e->arg));
    ASSERT_EQ(forks.size(), 4u); // Pool(4)

    // While the first task runs.
    int64_t at = core::kTimeMax;
    for (const core::TaskInfo &task : run.model().tasks())
        at = std::min(at, task.started);
    ASSERT_NE(at, core::kTimeMax);
    at += 1;
    ui::GraphView view;
    view.setModel(&run.model());
    view.setPlayhead(at);
    const Graph &g = view.graph();
    EXPECT_EQ(g.mode, GraphMode::Processes);
    EXPECT_EQ(g.countEdges(EdgeKind::Child), 4u);
    for (const auto &[parent, child] : forks)
        EXPECT_NE(g.edge(GraphNode::processKey(parent), GraphNode::processKey(child), EdgeKind::Child), nullptr)
            << parent << " -> " << child;
    int running = 0;
    for (const GraphNode &n : g.nodes)
        running += n.task >= 0;
    EXPECT_GE(running, 1);
    exportBoth(view, QStringLiteral("graph-pool"), at);
    core::testing::expectNothingLeft(run);
}

TEST(GraphViewRun, DistributedTopologyHasMasterQueuesAndWorkers)
{
    ui::testing::app();
    const core::testing::ScenarioRun run =
        core::testing::runScenario("distributed", {{QStringLiteral("tasks"), QStringLiteral("4")},
                                                   {QStringLiteral("pace_s"), QStringLiteral("0.3")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    // A time when a task is being computed.
    int64_t at = core::kTimeMax;
    for (const core::TaskInfo &task : run.model().tasks())
        if (task.started != core::kTimeMax)
            at = std::min(at, task.started + (task.ended - task.started) / 2);
    ASSERT_NE(at, core::kTimeMax);
    ui::GraphView view;
    view.setModel(&run.model());
    view.setPlayhead(at);
    const Graph &g = view.graph();
    ASSERT_EQ(g.mode, GraphMode::Topology);
    std::set<std::string> queues;
    int masters = 0;
    int workers = 0;
    for (const GraphNode &n : g.nodes) {
        if (n.kind == NodeKind::Queue)
            queues.insert(n.name);
        masters += n.master;
        workers += n.worker;
    }
    EXPECT_EQ(queues, (std::set<std::string>{"task", "result"}));
    EXPECT_EQ(masters, 1);
    EXPECT_EQ(workers, 2);
    EXPECT_GE(g.countEdges(EdgeKind::Task), 1u);
    exportBoth(view, QStringLiteral("graph-distributed"), at);
    core::testing::expectNothingLeft(run);
}

TEST(GraphViewRun, ExportedDeadlockImage)
{
    ui::testing::app();
    const core::testing::ScenarioRun run = core::testing::runScenario("deadlock");
    ASSERT_EQ(run.status(), core::RunStatus::Deadlocked);
    ui::GraphView view;
    view.setModel(&run.model());
    view.setRunInfo({QStringLiteral("deadlock"), QStringLiteral("Deadlock"), {}, {}, QStringLiteral("deadlocked")});
    exportBoth(view, QStringLiteral("graph-deadlock"), run.model().endTime());
    // The page's graph has the cycle drawn: plenty of deadlock-red pixels.
    QTemporaryDir dir;
    ui::ImageRequest request;
    request.path = dir.filePath(QStringLiteral("g.png"));
    request.size = QSize(1000, 700);
    QString error;
    ASSERT_TRUE(ui::ImageExport::write(view, request, &error)) << error.toStdString();
    const QImage image(request.path);
    int red = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            red += image.pixelColor(x, y) == view.theme().deadlock;
    EXPECT_GT(red, 2000);
    core::testing::expectNothingLeft(run);
}

TEST(GraphBuilder, LeavesOutASemaphoreOnlyOneThreadTookUncontended)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 11);
    const uint32_t t2 = b.thread(1, 12);
    b.object(t1, 0, 5, core::ObjectKind::Semaphore, "module lock");
    b.object(t1, 0, 6, core::ObjectKind::Semaphore, "shared");
    b.object(t1, 0, 7, core::ObjectKind::Mutex, "mine");
    b.ev(t1, 1, EventType::SemAcquire, 5); // this thread's alone
    b.ev(t1, 2, EventType::SemAcquire, 6); // shared below
    b.ev(t2, 3, EventType::SemWait, 6);
    b.ev(t1, 4, EventType::LockObtain, 7); // a mutex stays drawn as it always was
    core::TraceModel model(std::move(b.data));
    GraphBuilder builder;
    builder.sync(model);
    const Graph g = builder.build(model, GraphMode::Locks, ms(5));
    EXPECT_EQ(g.node(GraphNode::objectKey(5)), nullptr);
    EXPECT_NE(g.node(GraphNode::objectKey(6)), nullptr);
    EXPECT_NE(g.node(GraphNode::objectKey(7)), nullptr);
    // In a traced program, a mutex only one thread took is its libraries' own: left out too.
    model.data().meta.insert(QStringLiteral("scenario"), QStringLiteral("trace"));
    GraphBuilder traced;
    traced.sync(model);
    const Graph t = traced.build(model, GraphMode::Locks, ms(5));
    EXPECT_EQ(t.node(GraphNode::objectKey(5)), nullptr);
    EXPECT_NE(t.node(GraphNode::objectKey(6)), nullptr);
    EXPECT_EQ(t.node(GraphNode::objectKey(7)), nullptr);
}
