// SPDX-License-Identifier: MIT
// Every scenario's "What to look at" names only what a view draws: for each scenario, each element
// its explanation points at (in English and in Chinese) is looked for in the data the views draw
// from, after a real, short run. A text that names something new, or a view that stops drawing
// it, fails here.
#include "scenarios/scenario.h"
#include "ui/graph/graphdata.h"
#include "ui/timeline/coredata.h"
#include "ui/timeline/lostupdatemarks.h"
#include "ui/timeline/timelinedata.h"
#include "ui/timeline/timelinelayout.h"

#include "../core/scenarios/scenariorun.h"
#include "uitest.h"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <thread>

using namespace interleave;
using core::BlockReason;
using core::EventType;
using core::FlowKind;
using core::ThreadState;
using ui::TimelineData;
using ui::TimelineRow;

namespace {

/// What the views of one finished run draw from.
struct Views
{
    const core::testing::ScenarioRun &run;
    TimelineData timeline;
    ui::TimelineLayout layout;
    ui::CoreData cores;

    explicit Views(const core::testing::ScenarioRun &r)
        : run(r)
    {
        timeline.update(model());
        layout = ui::TimelineLayout::build(model(), timeline, ui::RowMetrics{});
        cores.update(model());
    }
    const core::TraceModel &model() const { return run.model(); }

    bool drawsState(ThreadState s, BlockReason r = BlockReason::None) const
    {
        return timeline.presentCodes().test(TimelineData::stateCode(s, r) & 127);
    }
    size_t flows(FlowKind kind) const
    {
        return size_t(std::count_if(timeline.flows().begin(), timeline.flows().end(),
                                    [&](const core::Flow &f) { return f.kind == kind; }));
    }
    /// Instant marks of `type` (fork returns, exec, exit, signal) drawn on a row of the layout.
    std::vector<const core::Event *> marks(EventType type) const
    {
        std::vector<const core::Event *> out;
        for (uint32_t i : model().marks())
            if (model().data().events[i].type == type)
                out.push_back(&model().data().events[i]);
        return out;
    }
    size_t rows(TimelineRow::Kind kind) const
    {
        return size_t(std::count_if(layout.rows.begin(), layout.rows.end(),
                                    [&](const TimelineRow &r) { return r.kind == kind; }));
    }
    /// The lock lane named `name` (with a row in the layout), or nullptr.
    const ui::LockLane *lockLane(const std::string &name) const
    {
        const auto &lanes = timeline.lockLanes().lanes();
        for (size_t i = 0; i < lanes.size(); ++i)
            if (model().objectName(lanes[i].lock) == name && layout.lockRow[i] >= 0)
                return &lanes[i];
        return nullptr;
    }
    /// Threads drawn as holders in a lock lane.
    static std::set<uint32_t> holders(const ui::LockLane &lane)
    {
        std::set<uint32_t> out;
        for (size_t i = 0; i < lane.holders.size(); ++i)
            if (lane.holders.code(i) != 0)
                out.insert(ui::LockLane::codeThread(lane.holders.code(i)));
        return out;
    }
    /// The thread named `name`, or kNoEvent.
    uint32_t thread(const std::string &name) const
    {
        for (uint32_t t = 0; t < model().threadCount(); ++t)
            if (model().threadName(t) == name)
                return t;
        return core::kNoEvent;
    }
    bool threadHasState(uint32_t t, ThreadState s, BlockReason r = BlockReason::None) const
    {
        if (t >= timeline.lanes().size())
            return false;
        const auto &st = timeline.lanes()[t].states;
        for (size_t i = 0; i < st.size(); ++i)
            if (st.code(i) == TimelineData::stateCode(s, r))
                return true;
        return false;
    }
    /// Whether two threads are in state `s` at one same moment.
    bool overlapIn(uint32_t a, uint32_t b, ThreadState s) const
    {
        for (const core::StateSpan &x : model().states(a))
            if (x.state == s)
                for (const core::StateSpan &y : model().states(b, x.start, x.end))
                    if (y.state == s && y.start < x.end && x.start < y.end)
                        return true;
        return false;
    }
    size_t phases(const std::string &prefix) const
    {
        size_t n = 0;
        for (const ui::PhaseBand &p : timeline.inFlight().phases())
            n += p.name.rfind(prefix, 0) == 0;
        return n;
    }
    bool printed(const std::string &text) const
    {
        for (uint32_t i : model().outputs())
            if (model().data().string(model().data().events[i].object).find(text) != std::string::npos)
                return true;
        return false;
    }
    /// Process exits by `signal` drawn as marks.
    size_t killedBy(int signal) const
    {
        size_t n = 0;
        for (const core::Event *e : marks(EventType::ProcessExit))
            n += (e->flags & core::ExitSignal) && e->arg == signal;
        return n;
    }
    /// What the run printed, a line each (said when a check of a run that went wrong fails).
    std::string console() const
    {
        std::string out;
        for (uint32_t i : model().outputs())
            out += model().data().string(model().data().events[i].object) + '\n';
        return out;
    }
};

/// One element a "What to look at" names: words of it in each language (they must be in the
/// text), and the check that the views' data holds it.
struct Look
{
    const char *en;
    const char *zh;
    std::function<void(const Views &)> check;
};

struct Case
{
    const char *name; ///< the scenario id, or id/variant
    const char *id;
    QList<QPair<QString, QString>> sets;
    std::vector<Look> looks;
    /// What a run shows only by chance of the schedule (null: nothing): without it the run is
    /// made again, up to five times, before the looks are checked.
    std::function<bool(const Views &)> chance = nullptr;
};

QPair<QString, QString> set(const char *k, const char *v)
{
    return {QString::fromLatin1(k), QString::fromLatin1(v)};
}

const std::vector<Case> &cases()
{
    static const std::vector<Case> all = {
        {"timeslice",
         "timeslice",
         {set("duration", "0.3")},
         {{"The cores view", "核视图",
           [](const Views &v) { EXPECT_FALSE(v.cores.cores().empty()) << "no core lanes"; }},
          {"alternates between running and ready", "之间交替",
           [](const Views &v) {
               EXPECT_TRUE(v.drawsState(ThreadState::Running));
               EXPECT_TRUE(v.drawsState(ThreadState::Ready));
           }},
          {"The final counts", "最后的计数", [](const Views &v) { EXPECT_FALSE(v.model().outputs().empty()); }}}},
        {"fork",
         "fork",
         {},
         {{"second process lane", "子进程的泳道",
           [](const Views &v) {
               EXPECT_GE(v.rows(TimelineRow::Kind::Process), 2u);
               EXPECT_GE(v.flows(FlowKind::Fork), 1u) << "the arrow from the parent";
           }},
          {"`ForkReturn` marks", "`ForkReturn` 标记",
           [](const Views &v) {
               const auto marks = v.marks(EventType::ForkReturn);
               ASSERT_EQ(marks.size(), 2u);
               EXPECT_TRUE(marks[0]->arg == 0 || marks[1]->arg == 0) << "the child's 0";
           }},
          {"waits in `join`", "`join`",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Join)); }}}},
        {"process",
         "process",
         {set("work_s", "0.2")},
         {{"fork arrow", "fork 箭头", [](const Views &v) { EXPECT_GE(v.flows(FlowKind::Fork), 1u); }},
          {"blocked in `join`", "在 `join` 里等",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Join)); }},
          {"exit mark", "退出标记", [](const Views &v) { EXPECT_GE(v.marks(EventType::ProcessExit).size(), 1u); }}}},
        {"pool",
         "pool",
         {set("max_sleep_s", "0.3")},
         {{"Four worker lanes", "四条工作进程泳道",
           [](const Views &v) { EXPECT_GE(v.rows(TimelineRow::Kind::Process), 5u); }},
          {"submit arrow", "提交箭头", [](const Views &v) { EXPECT_EQ(v.flows(FlowKind::Task), 5u); }},
          {"blocked in `join`", "阻塞在 `join`",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Join)); }}}},
        {"subprocess",
         "subprocess",
         {},
         {{"The `Exec` mark", "`Exec` 标记", [](const Views &v) { EXPECT_EQ(v.marks(EventType::Exec).size(), 1u); }},
          {"blocked on input/output", "阻塞在输入输出",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Io)); }},
          {"in the console", "控制台", [](const Views &v) { EXPECT_TRUE(v.printed("python.org")); }}},
         // On a busy machine `sort` may have answered before the parent reads: no wait to see then.
         [](const Views &v) { return v.drawsState(ThreadState::Blocked, BlockReason::Io); }},
        {"queue",
         "queue",
         {set("max_sleep_s", "0.05")},
         {{"Three process lanes", "三条进程泳道",
           [](const Views &v) { EXPECT_EQ(v.rows(TimelineRow::Kind::Process), 3u); }},
          {"An arrow goes from every put", "每次 put", [](const Views &v) { EXPECT_EQ(v.flows(FlowKind::Queue), 3u); }},
          {"blocked on the queue", "阻塞在队列上",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Queue)); }},
          {"queue-depth", "队列长度", [](const Views &v) { EXPECT_FALSE(v.timeline.queues().empty()); }},
          {"`Signal` mark", "`Signal` 标记",
           [](const Views &v) {
               EXPECT_GE(v.marks(EventType::Signal).size(), 1u);
               EXPECT_EQ(v.killedBy(15), 1u);
           }}}},
        {"pipe",
         "pipe",
         {set("work_s", "0.05")},
         {{"Arrows between the two process lanes", "两条进程泳道之间的箭头",
           [](const Views &v) {
               // Requests one way, replies the other.
               std::set<std::pair<int32_t, int32_t>> ways;
               for (const core::Flow &f : v.timeline.flows())
                   if (f.kind == FlowKind::Pipe)
                       ways.insert({v.model().thread(f.fromThread).pid, v.model().thread(f.toThread).pid});
               EXPECT_EQ(ways.size(), 2u);
               EXPECT_EQ(v.flows(FlowKind::Pipe), 6u);
           }},
          {"blocked on the pipe", "阻塞在管道上",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Pipe)); }}}},
        {"threads",
         "threads",
         {set("count", "2"), set("interval", "0.05")},
         {{"A new lane appears", "多出一条泳道",
           [](const Views &v) {
               EXPECT_NE(v.thread("LoopThread"), core::kNoEvent);
               EXPECT_EQ(v.rows(TimelineRow::Kind::Process), 1u);
               EXPECT_GE(v.rows(TimelineRow::Kind::Thread), 2u);
           }},
          {"blocked in `join`", "`join` 阻塞",
           [](const Views &v) {
               EXPECT_TRUE(v.threadHasState(v.thread("MainThread"), ThreadState::Blocked, BlockReason::Join));
           }},
          {"sleeping", "睡眠",
           [](const Views &v) { EXPECT_TRUE(v.threadHasState(v.thread("LoopThread"), ThreadState::Sleeping)); }}}},
        {"race",
         "race",
         {set("iterations", "5000"), set("switch", "on")},
         {{"The final line `balance = ...`", "最后一行 `balance = ...`",
           [](const Views &v) { EXPECT_TRUE(v.printed("balance = ")); }},
          {"The findings list lost updates", "丢失的更新",
           [](const Views &v) { EXPECT_TRUE(v.run.findings().contains(QStringLiteral("lost_updates"))); }},
          {"each lost update is marked", "标出了每一次丢失的更新",
           [](const Views &v) {
               // One mark per lost update of the findings, and their deltas add up to what the
               // printed balance is off by.
               ui::LostUpdateMarks marks;
               marks.update(v.model());
               const QJsonObject f = v.run.findings();
               EXPECT_EQ(double(marks.marks().size()), f.value(QStringLiteral("lost_updates")).toDouble());
               EXPECT_EQ(double(marks.lostDelta()), f.value(QStringLiteral("lost_delta")).toDouble());
           }},
          {"Lost updates can cancel out", "丢失的更新可能互相抵消",
           [](const Views &v) {
               const QJsonObject f = v.run.findings();
               EXPECT_EQ(f.value(QStringLiteral("cancelled_out")).toBool(),
                         f.value(QStringLiteral("lost_updates")).toDouble() > 0 &&
                             f.value(QStringLiteral("lost_delta")).toDouble() == 0);
           }},
          {"both threads are running at the same time", "两个线程同时处于运行状态",
           [](const Views &v) {
               EXPECT_TRUE(v.threadHasState(v.thread("Thread-1"), ThreadState::Running));
               EXPECT_TRUE(v.threadHasState(v.thread("Thread-2"), ThreadState::Running));
               // Side by side: each one's life overlaps the other's (running at the same instant
               // needs a second core, which the text says).
               const core::ThreadRecord &a = v.model().thread(v.thread("Thread-1"));
               const core::ThreadRecord &b = v.model().thread(v.thread("Thread-2"));
               EXPECT_TRUE(a.start < b.end && b.start < a.end);
               if (std::thread::hardware_concurrency() >= 2) {
                   EXPECT_TRUE(v.overlapIn(v.thread("Thread-1"), v.thread("Thread-2"), ThreadState::Running));
               }
           }}},
         // A loaded machine may run the two threads one after the other (the second starts once the
         // first is done, 2 runs in 60 with two CPU hogs): then they were never running at the same
         // time, and the run is made again.
         [](const Views &v) {
             const core::ThreadRecord &a = v.model().thread(v.thread("Thread-1"));
             const core::ThreadRecord &b = v.model().thread(v.thread("Thread-2"));
             return a.start < b.end && b.start < a.end &&
                    (std::thread::hardware_concurrency() < 2 ||
                     v.overlapIn(v.thread("Thread-1"), v.thread("Thread-2"), ThreadState::Running));
         }},
        {"lock",
         "lock",
         {set("iterations", "2000"), set("switch", "on")},
         {{"The final line: `balance = 0`", "最后一行：`balance = 0`",
           [](const Views &v) { EXPECT_TRUE(v.printed("balance = 0")); }},
          {"The lock's lane", "锁的泳道",
           [](const Views &v) {
               const ui::LockLane *lane = v.lockLane("lock");
               ASSERT_NE(lane, nullptr);
               EXPECT_EQ(Views::holders(*lane), (std::set<uint32_t>{v.thread("Thread-1"), v.thread("Thread-2")}));
           }},
          {"the waits in the lock's lane", "等待标记",
           [](const Views &v) {
               const ui::LockLane *lane = v.lockLane("lock");
               ASSERT_NE(lane, nullptr);
               EXPECT_FALSE(lane->waits.empty()) << "the waits in the lock's lane";
               EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Lock));
           }}},
         // A busy machine may run the two threads one after the other: nobody waits then.
         [](const Views &v) {
             const ui::LockLane *lane = v.lockLane("lock");
             return lane && !lane->waits.empty();
         }},
        {"deadlock",
         "deadlock",
         {set("hold_ms", "50")},
         {{"each thread holds one lock and is blocked waiting", "每个线程都持有一把锁",
           [](const Views &v) {
               const ui::LockLane *a = v.lockLane("lock A");
               const ui::LockLane *b = v.lockLane("lock B");
               ASSERT_TRUE(a && b);
               EXPECT_EQ(Views::holders(*a), std::set<uint32_t>{v.thread("Thread-1")});
               EXPECT_EQ(Views::holders(*b), std::set<uint32_t>{v.thread("Thread-2")});
               ASSERT_EQ(a->waits.size(), 1u);
               ASSERT_EQ(b->waits.size(), 1u);
               EXPECT_EQ(a->waits[0].thread, v.thread("Thread-2"));
               EXPECT_EQ(b->waits[0].thread, v.thread("Thread-1"));
           }},
          {"lock lanes", "锁泳道", [](const Views &v) { EXPECT_EQ(v.rows(TimelineRow::Kind::Lock), 2u); }},
          {"names the lock it holds", "持有哪把锁",
           [](const Views &v) {
               // The thread lanes' hold and wait bars, whose labels and hover name the lock.
               for (const char *name : {"Thread-1", "Thread-2"}) {
                   const uint32_t t = v.thread(name);
                   ASSERT_LT(t, v.timeline.lanes().size());
                   EXPECT_FALSE(v.timeline.lanes()[t].holds.empty()) << name;
                   EXPECT_FALSE(v.timeline.lanes()[t].waits.empty()) << name;
                   EXPECT_TRUE(v.threadHasState(t, ThreadState::Blocked, BlockReason::Lock)) << name;
               }
           }},
          {"draws the cycle", "画出了这个环",
           [](const Views &v) {
               ASSERT_EQ(v.timeline.deadlocks().size(), 1u);
               EXPECT_EQ(v.timeline.deadlocks()[0].cycle.size(), 2u);
               ui::GraphBuilder builder;
               builder.sync(v.model());
               EXPECT_TRUE(builder.build(v.model(), ui::GraphMode::Locks, v.model().endTime()).deadlocked());
           }}}},
        {"deadlock/try_lock",
         "deadlock",
         {set("hold_ms", "50"), set("variant", "try_lock")},
         {{"ends with a timeout", "以超时结束",
           [](const Views &v) {
               size_t timedOut = 0;
               for (const ui::LockLane &lane : v.timeline.lockLanes().lanes())
                   for (const ui::LockWaitSpan &w : lane.waits)
                       timedOut += w.timedOut;
               EXPECT_GE(timedOut, 1u);
               EXPECT_TRUE(v.timeline.deadlocks().empty());
           }}}},
        {"gil",
         "gil",
         {set("gil", "on"), set("duration", "0.3")},
         {{"the lock lane of `GIL`", "`GIL` 锁的泳道",
           [](const Views &v) {
               const ui::LockLane *lane = v.lockLane("GIL");
               ASSERT_NE(lane, nullptr);
               EXPECT_GE(Views::holders(*lane).size(), 2u) << "one holder after another";
           }},
          {"`GIL hand-over`", "`GIL hand-over`",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::CondVar)); }},
          {"The loop counts", "循环次数", [](const Views &v) { EXPECT_TRUE(v.printed("loop")); }}}},
        {"gil/off",
         "gil",
         {set("gil", "off"), set("duration", "0.2")},
         {{"GIL off: the cores view", "关闭 GIL：核视图",
           [](const Views &v) {
               EXPECT_FALSE(v.cores.cores().empty());
               EXPECT_TRUE(v.timeline.lockLanes().lanes().empty()) << "no GIL, no lock lane";
               // Every looping thread is running in the timeline.
               size_t loopers = 0;
               for (uint32_t t = 0; t < v.model().threadCount(); ++t) {
                   if (v.model().threadName(t).rfind("Thread-", 0) != 0)
                       continue;
                   ++loopers;
                   EXPECT_TRUE(v.threadHasState(t, ThreadState::Running)) << v.model().threadName(t);
               }
               EXPECT_GE(loopers, 1u);
           }}}},
        {"threadlocal",
         "threadlocal",
         {set("pause_ms", "50")},
         {{"sleeping", "睡眠",
           [](const Views &v) {
               EXPECT_TRUE(v.overlapIn(v.thread("Thread-A"), v.thread("Thread-B"), ThreadState::Sleeping));
           }},
          {"Hello, Alice (in Thread-A)", "Hello, Alice (in Thread-A)",
           [](const Views &v) {
               EXPECT_TRUE(v.printed("Hello, Alice (in Thread-A)"));
               EXPECT_TRUE(v.printed("Hello, Bob (in Thread-B)"));
           }}}},
        {"process-vs-thread",
         "process-vs-thread",
         {set("workers", "2"), set("step_ms", "20"), set("create_count", "12")},
         {{"\"a crash in one of several processes\"", "“a crash in one of several processes”",
           [](const Views &v) {
               EXPECT_EQ(v.phases("a crash in one of several processes"), 1u);
               EXPECT_EQ(v.phases("a crash in one of several threads"), 1u);
               EXPECT_EQ(v.phases("creating threads"), 1u);
               EXPECT_EQ(v.phases("creating processes"), 1u);
           }},
          {"SIGSEGV", "SIGSEGV", [](const Views &v) { EXPECT_GE(v.killedBy(11), 2u) << "one worker, one server"; }},
          {"short thread lanes and process lanes", "线程泳道和进程泳道",
           [](const Views &v) {
               // The short-lived processes open folded into one group (a click shows their lanes).
               size_t processes = v.rows(TimelineRow::Kind::Process);
               for (size_t g = 0; g < v.layout.groups.size(); ++g)
                   if (v.layout.folded[g] && v.layout.groups[g].batch)
                       processes += v.layout.groups[g].processes.size();
               EXPECT_GE(processes, 12u + 2u);
               EXPECT_GE(v.rows(TimelineRow::Kind::Summary), 1u);
           }}},
         // A batch needs four brief processes in a row (each alive at most 2 % of the run): on a
         // machine busy with other work a probe can wait long enough for a core to break the row.
         [](const Views &v) { return v.rows(TimelineRow::Kind::Summary) >= 1; }},
        {"cpu-vs-io",
         "cpu-vs-io",
         {set("max_workers", "2"), set("tasks", "2"), set("cpu_task_ms", "5"), set("io_wait_ms", "10"),
          set("rounds", "1")},
         {{"In the cpu phases", "在 cpu 阶段",
           [](const Views &v) {
               EXPECT_GE(v.phases("cpu, "), 2u);
               EXPECT_GE(v.phases("io, "), 2u);
           }},
          {"running (or ready", "（或就绪", [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Running)); }},
          {"blocked on IO", "阻塞在 IO",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Io)); }},
          {"`tasks_per_s`", "`tasks_per_s`",
           [](const Views &v) {
               const QJsonObject f = v.run.findings();
               for (const char *kind : {"cpu", "io"}) {
                   const QJsonArray steps = f.value(QLatin1String(kind)).toArray();
                   ASSERT_EQ(steps.size(), 2) << kind << ": one per worker count";
                   EXPECT_TRUE(steps[0].toObject().contains(QStringLiteral("tasks_per_s")));
               }
           }}}},
        {"async",
         "async",
         {set("tasks", "3"), set("wait_ms", "60")},
         {{"in-flight row", "“在途”行",
           [](const Views &v) {
               ASSERT_EQ(v.timeline.inFlight().lanes().size(), 1u) << "one thread carries them all";
               const ui::InFlightLane &lane = v.timeline.inFlight().lanes()[0];
               EXPECT_EQ(lane.depth, 3u) << "the three waits overlap";
               EXPECT_EQ(v.rows(TimelineRow::Kind::InFlight), 1u);
           }},
          {"`epoll_wait`", "`epoll_wait`",
           [](const Views &v) { EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Io)); }},
          {"phase", "阶段", [](const Views &v) { EXPECT_EQ(v.timeline.inFlight().phases().size(), 2u); }},
          {"`threads_used` is 1", "`threads_used` 是 1",
           [](const Views &v) { EXPECT_EQ(v.run.findings().value(QStringLiteral("threads_used")).toInt(), 1); }}}},
        {"distributed",
         "distributed",
         {set("workers", "2"), set("network_workers", "0"), set("tasks", "3"), set("pace_s", "0.1"),
          set("kill_worker", "on")},
         {{"an arrow from the master's `put`", "master 的 `put`",
           [](const Views &v) {
               EXPECT_GE(v.flows(FlowKind::Queue), 6u) << "a task and a result per task\n" << v.console();
           }},
          {"blocked on the socket", "阻塞在套接字上",
           [](const Views &v) {
               EXPECT_TRUE(v.drawsState(ThreadState::Blocked, BlockReason::Io));
               EXPECT_TRUE(v.drawsState(ThreadState::Sleeping)) << "while they \"work\"";
           }},
          {"SIGKILL", "SIGKILL", [](const Views &v) { EXPECT_EQ(v.killedBy(9), 1u) << v.console(); }}}},
    };
    return all;
}

/// The "What to look at" part of an explanation.
QString lookSection(const QString &text)
{
    const qsizetype from = text.indexOf(QStringLiteral("\n## "), text.indexOf(QStringLiteral("\n## ")) + 1);
    const qsizetype to = text.indexOf(QStringLiteral("\n## "), from + 1);
    return text.mid(from, to < 0 ? -1 : to - from);
}

class Explanation : public ::testing::TestWithParam<size_t>
{};

TEST_P(Explanation, NamesOnlyWhatItsViewsDraw)
{
    ui::testing::app();
    const Case &c = cases()[GetParam()];
    const core::Scenario *scenario = core::ScenarioRegistry::instance().find(c.id);
    ASSERT_NE(scenario, nullptr);
    const QString en = lookSection(scenario->explanation(QStringLiteral("en")));
    const QString zh = lookSection(scenario->explanation(QStringLiteral("zh_CN")));
    ASSERT_TRUE(en.contains(QStringLiteral("What to look at"))) << en.toStdString();
    ASSERT_NE(zh, en) << "a Chinese text of its own";
    for (const Look &look : c.looks) {
        EXPECT_TRUE(en.contains(QString::fromUtf8(look.en))) << c.name << ": " << look.en;
        EXPECT_TRUE(zh.contains(QString::fromUtf8(look.zh))) << c.name << ": " << look.zh;
    }
    auto run = core::testing::runScenario(c.id, c.sets);
    for (int attempt = 1; c.chance && attempt < 5 && !c.chance(Views(run)); ++attempt) {
        core::testing::expectNothingLeft(run);
        run = core::testing::runScenario(c.id, c.sets);
    }
    ASSERT_TRUE(run.status() == core::RunStatus::Finished || run.status() == core::RunStatus::Deadlocked);
    const Views views(run);
    for (const Look &look : c.looks) {
        SCOPED_TRACE(std::string(c.name) + ": " + look.en);
        look.check(views);
    }
    core::testing::expectNothingLeft(run);
}

INSTANTIATE_TEST_SUITE_P(EveryScenario, Explanation, ::testing::Range(size_t(0), cases().size()),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                             std::string name = cases()[info.param].name;
                             for (char &ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return name;
                         });

TEST(Explanation, EveryScenarioHasItsCase)
{
    std::set<std::string> covered;
    for (const Case &c : cases())
        covered.insert(c.id);
    for (const auto &s : core::ScenarioRegistry::instance().all())
        EXPECT_TRUE(covered.count(s->id())) << s->id();
}

} // namespace
