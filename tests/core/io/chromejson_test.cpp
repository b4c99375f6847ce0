// SPDX-License-Identifier: MIT
#include "io/chromejson.h"
#include "io/iltrace.h"
#include "run/analysisexport.h"
#include "trace/tracemodel.h"

#include "memorystatus.h"

#include <gtest/gtest.h>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <future>
#include <map>
#include <set>
#include <thread>

using namespace interleave::core;
using Problem = LoadResult::Problem;

namespace {

constexpr int64_t kBase = 5'000'000'000'123; // ns; exported as 5000000000.123 µs

/// A hand-written run: a parent that forks a child and starts a worker thread; parent and worker
/// contend for lock A, the child waits on a queue the parent puts into, and at the end parent and
/// worker deadlock over locks A and B.
TraceData handWrittenRun()
{
    TraceData d;
    const uint32_t parent = d.threadIndex(100, 100);
    const uint32_t worker = d.threadIndex(100, 101);
    const uint32_t child = d.threadIndex(200, 200);
    d.setString(1, "parent");
    d.setString(2, "main");
    d.setString(3, "worker-1");
    d.setString(4, "lock A");
    d.setString(5, "queue Q");
    d.setString(6, "child");
    d.setString(7, "lock B");
    d.meta.insert(QStringLiteral("scenario"), QStringLiteral("handmade"));
    d.meta.insert(QStringLiteral("params"), QJsonObject{{QStringLiteral("n"), 2}});
    d.meta.insert(QStringLiteral("status"), QStringLiteral("deadlocked"));
    auto add = [&](int64_t t, uint32_t thread, EventType type, uint32_t object = 0, int64_t arg = 0,
                   uint8_t flags = 0) {
        Event e{};
        e.time = kBase + t;
        e.thread = thread;
        e.type = type;
        e.object = object;
        e.arg = arg;
        e.flags = flags;
        d.events.push_back(e);
    };
    const uint32_t lockA = 10, queue = 11, lockB = 12;
    add(0, parent, EventType::ProcessStart, 1, 0);
    add(0, parent, EventType::ThreadName, 2);
    add(100, parent, EventType::ObjectNew, lockA, 4, uint8_t(ObjectKind::Mutex));
    add(100, parent, EventType::ObjectNew, queue, 5, uint8_t(ObjectKind::ProcessQueue));
    add(100, parent, EventType::ObjectNew, lockB, 7, uint8_t(ObjectKind::Mutex));
    add(200, parent, EventType::ForkReturn, 0, 200);
    add(300, child, EventType::ProcessStart, 6, 100);
    add(300, child, EventType::ForkReturn, 0, 0);
    add(400, worker, EventType::ThreadStart, 0, 100);
    add(400, worker, EventType::ThreadName, 3);
    add(1500, parent, EventType::LockWait, lockA);
    add(1600, parent, EventType::LockObtain, lockA);
    add(2000, worker, EventType::LockWait, lockA);
    add(2500, child, EventType::QueueGetWait, queue);
    add(3000, parent, EventType::LockRelease, lockA);
    add(3100, worker, EventType::LockObtain, lockA);
    add(3500, parent, EventType::QueuePut, queue, 1);
    add(3500, parent, EventType::QueueDepth, queue, 1);
    add(3600, child, EventType::QueueGet, queue, 1);
    add(3600, child, EventType::QueueDepth, queue, 0);
    add(4000, worker, EventType::LockRelease, lockA);
    add(4000, child, EventType::SleepBegin, 0, 500);
    add(4500, child, EventType::SleepEnd);
    add(4900, parent, EventType::LockWait, lockA);
    add(4950, worker, EventType::LockWait, lockB);
    add(5000, parent, EventType::LockObtain, lockA);
    add(5000, worker, EventType::LockObtain, lockB);
    add(5000, child, EventType::ThreadExit);
    add(5100, parent, EventType::ProcessExit, 200, 0);
    add(5200, parent, EventType::LockWait, lockB);
    add(5300, worker, EventType::LockWait, lockA);
    add(6000, parent, EventType::Deadlock, 0, 2);
    return d;
}

QByteArray exportToBytes(const TraceModel &model)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    EXPECT_TRUE(exportChromeJson(model, buffer, &error)) << error.toStdString();
    return bytes;
}

QJsonObject parse(const QByteArray &bytes)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    EXPECT_EQ(QJsonParseError::NoError, err.error) << err.errorString().toStdString();
    return doc.object();
}

int64_t ns(const QJsonValue &us)
{
    return std::llround(us.toDouble() * 1000.0);
}

std::vector<QJsonObject> eventsWhere(const QJsonArray &events, const QString &ph, const QString &cat = {})
{
    std::vector<QJsonObject> out;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        if (e[QStringLiteral("ph")].toString() == ph && (cat.isEmpty() || e[QStringLiteral("cat")].toString() == cat))
            out.push_back(e);
    }
    return out;
}

QString dataFile(const char *name)
{
    return QString::fromUtf8(INTERLEAVE_SOURCE_DIR "/tests/data/") + QString::fromUtf8(name);
}

/// Checks that every b has exactly one e with the same (pid, cat, name, id), and ids are unique.
void expectBalancedAsync(const QJsonArray &events, const QString &cat, size_t expectedPairs)
{
    std::map<std::tuple<int, QString, QString, qint64>, int> open;
    std::set<qint64> ids;
    size_t begins = 0;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        if (e[QStringLiteral("cat")].toString() != cat)
            continue;
        const QString ph = e[QStringLiteral("ph")].toString();
        if (ph != QStringLiteral("b") && ph != QStringLiteral("e"))
            continue;
        ASSERT_TRUE(e.contains(QStringLiteral("id")));
        const auto key = std::make_tuple(e[QStringLiteral("pid")].toInt(), cat, e[QStringLiteral("name")].toString(),
                                         qint64(e[QStringLiteral("id")].toDouble()));
        if (ph == QStringLiteral("b")) {
            ++begins;
            EXPECT_TRUE(ids.insert(std::get<3>(key)).second) << "id reused";
            ++open[key];
        } else {
            --open[key];
        }
    }
    EXPECT_EQ(expectedPairs, begins) << cat.toStdString();
    for (const auto &[key, count] : open)
        EXPECT_EQ(0, count) << std::get<2>(key).toStdString();
}

} // namespace

TEST(ChromeExport, WritesTheRequiredTopLevelKeys)
{
    const TraceModel model(handWrittenRun());
    const QJsonObject root = parse(exportToBytes(model));
    ASSERT_TRUE(root[QStringLiteral("traceEvents")].isArray());
    EXPECT_EQ(QStringLiteral("ns"), root[QStringLiteral("displayTimeUnit")].toString());
    const QJsonObject other = root[QStringLiteral("otherData")].toObject();
    EXPECT_EQ(QStringLiteral("Interleave"), other[QStringLiteral("tool")].toString());
    EXPECT_FALSE(other[QStringLiteral("version")].toString().isEmpty());
    EXPECT_EQ(QStringLiteral("handmade"), other[QStringLiteral("scenario")].toString());
    EXPECT_EQ(2, other[QStringLiteral("params")].toObject()[QStringLiteral("n")].toInt());
    EXPECT_EQ(QStringLiteral("deadlocked"), other[QStringLiteral("status")].toString());
    const QJsonArray processes = other[QStringLiteral("processes")].toArray();
    ASSERT_EQ(2, processes.size());
    std::map<int, QJsonObject> byPid;
    for (const QJsonValue &p : processes)
        byPid[p[QStringLiteral("pid")].toInt()] = p.toObject();
    ASSERT_TRUE(byPid.count(100) && byPid.count(200));
    EXPECT_EQ(QStringLiteral("parent"), byPid[100][QStringLiteral("name")].toString());
    EXPECT_TRUE(byPid[100][QStringLiteral("exit")].isNull());
    EXPECT_EQ(100, byPid[200][QStringLiteral("ppid")].toInt());
    EXPECT_EQ(QStringLiteral("child"), byPid[200][QStringLiteral("name")].toString());
    EXPECT_EQ(0, byPid[200][QStringLiteral("exit")].toInt(-1));
}

TEST(ChromeExport, NamesEveryProcessAndThread)
{
    const TraceModel model(handWrittenRun());
    const QJsonArray events = parse(exportToBytes(model))[QStringLiteral("traceEvents")].toArray();
    std::map<int, QString> processNames;
    std::map<std::pair<int, int>, QString> threadNames;
    std::set<int> processSort;
    std::set<std::pair<int, int>> threadSort;
    for (const QJsonObject &m : eventsWhere(events, QStringLiteral("M"))) {
        const QString name = m[QStringLiteral("name")].toString();
        const int pid = m[QStringLiteral("pid")].toInt();
        const int tid = m[QStringLiteral("tid")].toInt();
        const QJsonObject args = m[QStringLiteral("args")].toObject();
        if (name == QStringLiteral("process_name"))
            processNames[pid] = args[QStringLiteral("name")].toString();
        else if (name == QStringLiteral("thread_name"))
            threadNames[{pid, tid}] = args[QStringLiteral("name")].toString();
        else if (name == QStringLiteral("process_sort_index"))
            processSort.insert(pid);
        else if (name == QStringLiteral("thread_sort_index"))
            threadSort.insert({pid, tid});
    }
    EXPECT_EQ((std::map<int, QString>{{100, QStringLiteral("parent")}, {200, QStringLiteral("child")}}), processNames);
    ASSERT_EQ(3u, threadNames.size());
    EXPECT_EQ(QStringLiteral("main"), (threadNames[{100, 100}]));
    EXPECT_EQ(QStringLiteral("worker-1"), (threadNames[{100, 101}]));
    EXPECT_FALSE((threadNames[{200, 200}]).isEmpty());
    EXPECT_EQ((std::set<int>{100, 200}), processSort);
    EXPECT_EQ(3u, threadSort.size());
}

TEST(ChromeExport, StateSlicesTileEachThreadInMicroseconds)
{
    const TraceModel model(handWrittenRun());
    const QByteArray bytes = exportToBytes(model);
    // ts keeps the nanoseconds as three decimals of the µs value.
    EXPECT_TRUE(bytes.contains("\"ts\":5000000002.123")) << "worker's lock wait at +2000 ns";
    const QJsonArray events = parse(bytes)[QStringLiteral("traceEvents")].toArray();
    std::map<std::pair<int, int>, std::vector<QJsonObject>> perThread;
    for (const QJsonObject &x : eventsWhere(events, QStringLiteral("X"), QStringLiteral("state")))
        perThread[{x[QStringLiteral("pid")].toInt(), x[QStringLiteral("tid")].toInt()}].push_back(x);
    ASSERT_EQ(3u, perThread.size());
    const std::set<QString> allowed = {QStringLiteral("running"), QStringLiteral("ready"), QStringLiteral("blocked"),
                                       QStringLiteral("sleeping")};
    for (auto &[thread, spans] : perThread) {
        SCOPED_TRACE(thread.second);
        std::stable_sort(spans.begin(), spans.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return ns(a[QStringLiteral("ts")]) < ns(b[QStringLiteral("ts")]);
        });
        for (size_t i = 0; i < spans.size(); ++i) {
            EXPECT_TRUE(allowed.count(spans[i][QStringLiteral("name")].toString()));
            EXPECT_GT(ns(spans[i][QStringLiteral("dur")]), 0);
            if (i > 0) { // contiguous: each starts where the previous ended
                EXPECT_EQ(ns(spans[i - 1][QStringLiteral("ts")]) + ns(spans[i - 1][QStringLiteral("dur")]),
                          ns(spans[i][QStringLiteral("ts")]));
            }
        }
    }
    // The worker is blocked on lock A from +2000 to +3100 ns.
    bool found = false;
    for (const QJsonObject &x : perThread[{100, 101}]) {
        if (ns(x[QStringLiteral("ts")]) == kBase + 2000) {
            found = true;
            EXPECT_EQ(QStringLiteral("blocked"), x[QStringLiteral("name")].toString());
            EXPECT_EQ(1100, ns(x[QStringLiteral("dur")]));
            const QJsonObject args = x[QStringLiteral("args")].toObject();
            EXPECT_EQ(QStringLiteral("lock"), args[QStringLiteral("reason")].toString());
            EXPECT_EQ(QStringLiteral("lock A"), args[QStringLiteral("object")].toString());
        }
    }
    EXPECT_TRUE(found);
    // The child sleeps from +4000 to +4500 ns and is blocked on the queue before that.
    std::set<QString> childStates;
    for (const QJsonObject &x : perThread[{200, 200}]) {
        childStates.insert(x[QStringLiteral("name")].toString());
        if (x[QStringLiteral("name")].toString() == QStringLiteral("sleeping")) {
            EXPECT_EQ(kBase + 4000, ns(x[QStringLiteral("ts")]));
            EXPECT_EQ(500, ns(x[QStringLiteral("dur")]));
        }
    }
    EXPECT_TRUE(childStates.count(QStringLiteral("sleeping")));
    EXPECT_TRUE(childStates.count(QStringLiteral("blocked")));
}

TEST(ChromeExport, LockQueueAndTaskSpansAreBalancedAsyncPairs)
{
    const TraceModel model(handWrittenRun());
    const QJsonArray events = parse(exportToBytes(model))[QStringLiteral("traceEvents")].toArray();
    // Lock A: 3 waits (+1 open at the end), 3 holds; lock B: 1 wait, 1 hold, 1 open wait.
    expectBalancedAsync(events, QStringLiteral("lock"),
                        model.lockIntervals(10).size() + model.lockIntervals(12).size());
    expectBalancedAsync(events, QStringLiteral("queue"), 1);
    std::set<QString> names;
    for (const QJsonObject &b : eventsWhere(events, QStringLiteral("b"), QStringLiteral("lock")))
        names.insert(b[QStringLiteral("name")].toString());
    EXPECT_EQ((std::set<QString>{QStringLiteral("wait lock A"), QStringLiteral("hold lock A"),
                                 QStringLiteral("wait lock B"), QStringLiteral("hold lock B")}),
              names);
    // The worker's first wait for lock A lasts 1100 ns.
    bool found = false;
    for (const QJsonObject &b : eventsWhere(events, QStringLiteral("b"), QStringLiteral("lock")))
        found |= b[QStringLiteral("name")].toString() == QStringLiteral("wait lock A") &&
                 b[QStringLiteral("tid")].toInt() == 101 && ns(b[QStringLiteral("ts")]) == kBase + 2000;
    EXPECT_TRUE(found);
}

TEST(ChromeExport, EveryLockSpanNamesItsThreadAndTid)
{
    const TraceModel model(handWrittenRun());
    const QJsonArray events = parse(exportToBytes(model))[QStringLiteral("traceEvents")].toArray();
    size_t checked = 0;
    std::set<QString> threads;
    for (const QString &ph : {QStringLiteral("b"), QStringLiteral("e")}) {
        for (const QJsonObject &e : eventsWhere(events, ph, QStringLiteral("lock"))) {
            const QJsonObject args = e[QStringLiteral("args")].toObject();
            ASSERT_TRUE(args.contains(QStringLiteral("thread"))) << e[QStringLiteral("name")].toString().toStdString();
            // The tid in args is the event's own, and the name is that thread's.
            EXPECT_EQ(args[QStringLiteral("tid")].toInt(-1), e[QStringLiteral("tid")].toInt());
            const uint32_t t = model.threadByTid(e[QStringLiteral("tid")].toInt());
            ASSERT_NE(t, kNoEvent);
            EXPECT_EQ(args[QStringLiteral("thread")].toString().toStdString(), model.threadName(t));
            threads.insert(args[QStringLiteral("thread")].toString());
            ++checked;
        }
    }
    EXPECT_EQ(checked, 2 * (model.lockIntervals(10).size() + model.lockIntervals(12).size()));
    EXPECT_EQ(threads.size(), 2u) << "parent and worker both hold and wait";
}

TEST(ChromeExport, FlowsInstantsAndCounters)
{
    const TraceModel model(handWrittenRun());
    // As the commands export: with the analyses (the hand-written trace's mark has no recorded cycle).
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    ASSERT_TRUE(exportChromeJson(model, buffer, &error, chromeExtras(model, {}))) << error.toStdString();
    const QJsonArray events = parse(bytes)[QStringLiteral("traceEvents")].toArray();
    const auto starts = eventsWhere(events, QStringLiteral("s"));
    const auto finishes = eventsWhere(events, QStringLiteral("f"));
    ASSERT_EQ(2u, starts.size()); // put→get and fork
    ASSERT_EQ(2u, finishes.size());
    std::map<qint64, QJsonObject> startById;
    for (const QJsonObject &s : starts)
        startById[qint64(s[QStringLiteral("id")].toDouble())] = s;
    std::set<QString> cats;
    for (const QJsonObject &f : finishes) {
        EXPECT_EQ(QStringLiteral("e"), f[QStringLiteral("bp")].toString());
        const auto it = startById.find(qint64(f[QStringLiteral("id")].toDouble()));
        ASSERT_NE(startById.end(), it);
        EXPECT_LE(ns(it->second[QStringLiteral("ts")]), ns(f[QStringLiteral("ts")]));
        cats.insert(f[QStringLiteral("cat")].toString());
        if (f[QStringLiteral("cat")].toString() == QString::fromLatin1(flowKindName(FlowKind::Queue))) {
            EXPECT_EQ(100, it->second[QStringLiteral("pid")].toInt()); // put by the parent
            EXPECT_EQ(200, f[QStringLiteral("pid")].toInt());          // got by the child
            EXPECT_EQ(kBase + 3600, ns(f[QStringLiteral("ts")]));
        }
    }
    EXPECT_EQ(2u, cats.size());

    std::map<QString, std::vector<QJsonObject>> instants;
    for (const QJsonObject &i : eventsWhere(events, QStringLiteral("i")))
        instants[i[QStringLiteral("name")].toString()].push_back(i);
    ASSERT_EQ(1u, instants[QStringLiteral("deadlock")].size());
    const QJsonObject deadlock = instants[QStringLiteral("deadlock")].front();
    EXPECT_EQ(QStringLiteral("g"), deadlock[QStringLiteral("s")].toString());
    const QJsonArray cycle = deadlock[QStringLiteral("args")].toObject()[QStringLiteral("cycle")].toArray();
    ASSERT_EQ(2, cycle.size());
    std::set<QString> waitsFor;
    for (const QJsonValue &c : cycle)
        waitsFor.insert(c[QStringLiteral("waits_for")].toString());
    EXPECT_EQ((std::set<QString>{QStringLiteral("lock A"), QStringLiteral("lock B")}), waitsFor);
    EXPECT_EQ(2u, instants[QStringLiteral("fork")].size()); // both returns
    ASSERT_EQ(1u, instants[QStringLiteral("exit")].size());
    EXPECT_EQ(200, instants[QStringLiteral("exit")].front()[QStringLiteral("pid")].toInt());

    const auto counters = eventsWhere(events, QStringLiteral("C"));
    ASSERT_EQ(2u, counters.size());
    EXPECT_EQ(QStringLiteral("queue Q"), counters[0][QStringLiteral("name")].toString());
    std::vector<double> depths;
    for (const QJsonObject &c : counters)
        depths.push_back(c[QStringLiteral("args")].toObject()[QStringLiteral("depth")].toDouble(-1));
    EXPECT_EQ((std::vector<double>{1, 0}), depths);
}

TEST(ChromeExport, AnalysisExtrasBecomeInstantsAndFindings)
{
    TraceData data = handWrittenRun();
    data.meta.insert(QStringLiteral("findings"), QJsonObject{{QStringLiteral("stale"), true}});
    const TraceModel model(std::move(data));
    ChromeExtras extras;
    extras.instants.push_back({1, kBase + 2500, "lost update", "lost-update", "{\"saw\":0,\"stored\":5}"});
    extras.findings = QJsonObject{{QStringLiteral("lost_updates"), 1}};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    ASSERT_TRUE(exportChromeJson(model, buffer, &error, extras)) << error.toStdString();
    const QJsonObject root = parse(bytes);
    EXPECT_EQ(root[QStringLiteral("otherData")].toObject()[QStringLiteral("findings")].toObject(), extras.findings);
    int found = 0;
    for (const QJsonValue &v : root[QStringLiteral("traceEvents")].toArray()) {
        const QJsonObject e = v.toObject();
        if (e[QStringLiteral("cat")].toString() != QLatin1String("lost-update"))
            continue;
        ++found;
        EXPECT_EQ(QStringLiteral("i"), e[QStringLiteral("ph")].toString());
        EXPECT_EQ(101, e[QStringLiteral("tid")].toInt()); // thread index 1: the worker
        EXPECT_EQ(5, e[QStringLiteral("args")].toObject()[QStringLiteral("stored")].toInt());
    }
    EXPECT_EQ(1, found);
}

TEST(ChromeExport, ToAFileReplacesOnlyOnSuccess)
{
    QTemporaryDir dir;
    const TraceModel model(handWrittenRun());
    const QString path = dir.filePath(QStringLiteral("run.json"));
    QString error;
    ASSERT_TRUE(exportChromeJson(model, path, &error)) << error.toStdString();
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_TRUE(parse(f.readAll())[QStringLiteral("traceEvents")].isArray());
    const QString missing = dir.filePath(QStringLiteral("nope/run.json"));
    EXPECT_FALSE(exportChromeJson(model, missing, &error));
    EXPECT_TRUE(error.contains(QDir::toNativeSeparators(missing))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("does not exist"))) << error.toStdString();
}

TEST(ChromeImport, ReadsAnotherToolsTraceInObjectForm)
{
    const LoadResult r = importChromeJson(dataFile("other_tool_trace.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    for (const Event &e : r.data.events) {
        EXPECT_TRUE(e.flags & Imported);
        ASSERT_LT(e.thread, r.data.threads.size());
    }
    const TraceModel model(r.data);
    ASSERT_EQ(2u, model.processes().size());
    std::map<int, std::string> processNames;
    for (const ProcessInfo &p : model.processes())
        processNames[p.pid] = p.name;
    EXPECT_EQ("Renderer", processNames[1]);
    EXPECT_EQ("GPU Process", processNames[2]);

    ASSERT_EQ(3u, model.threadCount());
    std::map<std::pair<int, int>, uint32_t> threads;
    for (const ThreadRecord &t : model.threads())
        threads[{t.pid, t.tid}] = t.index;
    ASSERT_EQ(3u, threads.size());
    EXPECT_EQ("CrRendererMain", model.threadName(threads[{1, 1}]));
    EXPECT_EQ("Compositor", model.threadName(threads[{1, 2}]));

    // X slices, out of order in the file, nest by time: RunTask > Layout > Style.
    const auto main = model.slices(threads[{1, 1}]);
    ASSERT_EQ(3u, main.size());
    std::map<std::string, SliceInfo> byName;
    for (const SliceInfo &s : main)
        byName[r.data.string(s.name)] = s;
    EXPECT_EQ(0u, byName["RunTask"].depth);
    EXPECT_EQ(1u, byName["Layout"].depth);
    EXPECT_EQ(2u, byName["Style"].depth);
    EXPECT_EQ(100'000, byName["RunTask"].start);
    EXPECT_EQ(150'500, byName["RunTask"].end);
    EXPECT_EQ("blink", r.data.string(byName["Layout"].category));

    // B/E pairs on the compositor: Draw > Raster, Raster ends at 125.25 µs.
    const auto comp = model.slices(threads[{1, 2}]);
    ASSERT_EQ(2u, comp.size());
    EXPECT_EQ("Draw", r.data.string(comp[0].name));
    EXPECT_EQ(0u, comp[0].depth);
    EXPECT_EQ(130'000, comp[0].end);
    EXPECT_EQ("Raster", r.data.string(comp[1].name));
    EXPECT_EQ(1u, comp[1].depth);
    EXPECT_EQ(125'250, comp[1].end);
    EXPECT_EQ(1u, model.slices(threads[{2, 20}]).size());

    const auto async = model.asyncSpans();
    ASSERT_EQ(1u, async.size());
    EXPECT_EQ("Fetch", r.data.string(async[0].name));
    EXPECT_EQ(105'000, async[0].start);
    EXPECT_EQ(160'000, async[0].end);
    EXPECT_EQ(0x1f, async[0].id);

    EXPECT_EQ(2u, model.instants().size());
    ASSERT_EQ(1u, model.flowCount());
    EXPECT_EQ((threads[{2, 20}]), model.flows().front().toThread);

    std::map<std::string, std::vector<double>> counters;
    for (const uint32_t name : model.counterNames()) {
        for (const CounterPoint &p : model.counter(name))
            counters[r.data.string(name)].push_back(p.value);
    }
    EXPECT_EQ((std::vector<double>{1024, 4096.5}), counters["Memory heap"]);
    EXPECT_EQ((std::vector<double>{2048, 0}), counters["Memory gpu"]);

    const QJsonObject import = r.data.meta[QStringLiteral("import")].toObject();
    EXPECT_EQ(2, import[QStringLiteral("skipped_events")].toInt());
    EXPECT_EQ(1, import[QStringLiteral("skipped_phases")].toObject()[QStringLiteral("O")].toInt());
}

TEST(ChromeImport, ReadsTheBareArrayFormEvenWithoutItsClosingBracket)
{
    const LoadResult r = importChromeJson(dataFile("other_tool_array.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    const TraceModel model(r.data);
    ASSERT_EQ(2u, model.threadCount());
    const uint32_t loop = model.threadByTid(70, 7);
    ASSERT_NE(kNoEvent, loop);
    EXPECT_EQ("io-loop", model.threadName(loop));
    const auto slices = model.slices(loop);
    ASSERT_EQ(2u, slices.size());
    EXPECT_EQ(1'000'000, slices[0].start);
    EXPECT_EQ(1'004'000, slices[0].end);
    EXPECT_EQ(1'001'001, slices[1].start);
    EXPECT_EQ(1u, slices[1].depth);
    const auto tick = model.slices(model.threadByTid(71, 7));
    ASSERT_EQ(1u, tick.size());
    EXPECT_EQ(250, tick[0].end - tick[0].start);
    ASSERT_EQ(1u, model.counterNames().size());
    EXPECT_EQ("queued value", r.data.string(model.counterNames().front()));

    // The same content as a complete array.
    QFile f(dataFile("other_tool_array.json"));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QByteArray closed = f.readAll().trimmed();
    closed.chop(1); // the trailing comma
    const LoadResult r2 = importChromeJson(closed + "]", QStringLiteral("closed.json"));
    ASSERT_TRUE(r2.ok) << r2.error.toStdString();
    EXPECT_EQ(r.data.events.size(), r2.data.events.size());
}

TEST(ChromeImport, ZeroLengthAndSameTimeSlicesNestCorrectly)
{
    const QByteArray json = R"([
        {"ph":"X","pid":1,"tid":1,"ts":10,"dur":0,"name":"a"},
        {"ph":"X","pid":1,"tid":1,"ts":10,"dur":5,"name":"outer"},
        {"ph":"X","pid":1,"tid":1,"ts":15,"dur":1,"name":"next"},
        {"ph":"X","pid":1,"tid":1,"ts":10,"dur":5,"name":"same"}
    ])";
    const LoadResult r = importChromeJson(json, QStringLiteral("x.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    const TraceModel model(r.data);
    std::map<std::string, SliceInfo> byName;
    for (const SliceInfo &s : model.slices(0))
        byName[r.data.string(s.name)] = s;
    ASSERT_EQ(4u, byName.size());
    EXPECT_EQ(0u, byName["outer"].depth);
    EXPECT_EQ(15'000, byName["outer"].end);
    EXPECT_EQ(1u, byName["same"].depth);
    EXPECT_EQ(15'000, byName["same"].end);
    EXPECT_EQ(2u, byName["a"].depth);
    EXPECT_EQ(10'000, byName["a"].end);
    EXPECT_EQ(0u, byName["next"].depth);
}

TEST(ChromeImport, BadInputGetsClearDistinctErrors)
{
    const LoadResult malformed =
        importChromeJson(QByteArray("{\"traceEvents\": [\n  {\"ph\": \"X\",, }\n]}"), QStringLiteral("bad.json"));
    EXPECT_FALSE(malformed.ok);
    EXPECT_EQ(Problem::Corrupt, malformed.problem);
    EXPECT_TRUE(malformed.error.contains(QStringLiteral("'bad.json'"))) << malformed.error.toStdString();
    EXPECT_TRUE(malformed.error.contains(QStringLiteral("line 2"))) << malformed.error.toStdString();

    const LoadResult text = importChromeJson(QByteArray("hello world"), QStringLiteral("notes.txt"));
    EXPECT_EQ(Problem::NotATrace, text.problem);
    const LoadResult noEvents = importChromeJson(QByteArray("{\"foo\": 1}"), QStringLiteral("other.json"));
    EXPECT_EQ(Problem::NotATrace, noEvents.problem);
    const LoadResult empty = importChromeJson(QByteArray(" \n"), QStringLiteral("empty.json"));
    EXPECT_EQ(Problem::Empty, empty.problem);
    const std::set<QString> errors = {malformed.error, text.error, noEvents.error, empty.error};
    EXPECT_EQ(4u, errors.size());

    const LoadResult missing = importChromeJson(QStringLiteral("/nonexistent/x.json"));
    EXPECT_EQ(Problem::Io, missing.problem);
    EXPECT_TRUE(missing.error.contains(QStringLiteral("x.json")));
}

// Found by a red team: a UTF-8 byte-order mark made a valid file "neither format", 200 MB of
// white space was called "empty", and an export cut off while written showed nothing at all.
TEST(ChromeImport, AByteOrderMarkWhiteSpaceAndACutOffExportAreHandled)
{
    const QByteArray bytes = exportToBytes(TraceModel(handWrittenRun()));
    const LoadResult plain = importChromeJson(bytes, QStringLiteral("plain.json"));
    ASSERT_TRUE(plain.ok) << plain.error.toStdString();

    const LoadResult bom = importChromeJson("\xEF\xBB\xBF" + bytes, QStringLiteral("bom.json"));
    ASSERT_TRUE(bom.ok) << bom.error.toStdString();
    EXPECT_EQ(bom.data.events.size(), plain.data.events.size());

    const LoadResult blank = importChromeJson(QByteArray(100000, ' '), QStringLiteral("blank.json"));
    EXPECT_EQ(Problem::Empty, blank.problem);
    EXPECT_TRUE(blank.error.contains(QStringLiteral("no events, only white space (100000 bytes)")))
        << blank.error.toStdString();
    // A byte-order mark alone, or with white space, is neither "empty" nor a smaller file.
    for (const QByteArray &marked : {QByteArray("\xEF\xBB\xBF"), QByteArray("\xEF\xBB\xBF \n\t ")}) {
        const LoadResult onlyMark = importChromeJson(marked, QStringLiteral("mark.json"));
        EXPECT_EQ(Problem::Empty, onlyMark.problem);
        EXPECT_TRUE(onlyMark.error.contains(
            QStringLiteral("no events, only a UTF-8 byte-order mark and white space (%1 bytes)").arg(marked.size())))
            << onlyMark.error.toStdString();
    }

    // Cut in the middle of the event array (and inside an event): the events before the cut stay.
    const qsizetype events = bytes.indexOf("\"traceEvents\"");
    ASSERT_GE(events, 0);
    const qsizetype cutAt = events + (bytes.size() - events) / 2;
    const LoadResult cut = importChromeJson(bytes.left(cutAt), QStringLiteral("cut.json"));
    EXPECT_FALSE(cut.ok);
    EXPECT_EQ(Problem::Truncated, cut.problem);
    EXPECT_TRUE(cut.error.contains(QStringLiteral("is cut off"))) << cut.error.toStdString();
    EXPECT_GT(cut.data.events.size(), 0u);
    EXPECT_LT(cut.data.events.size(), plain.data.events.size());
}

TEST(ChromeImport, ExportThenImportKeepsProcessesThreadsAndStates)
{
    const TraceModel original(handWrittenRun());
    const QByteArray bytes = exportToBytes(original);
    const size_t stateSlices =
        eventsWhere(parse(bytes)[QStringLiteral("traceEvents")].toArray(), QStringLiteral("X"), QStringLiteral("state"))
            .size();
    ASSERT_GT(stateSlices, 5u);

    const LoadResult r = importChromeJson(bytes, QStringLiteral("roundtrip.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    const TraceModel imported(r.data);
    ASSERT_EQ(original.processes().size(), imported.processes().size());
    for (const ProcessInfo &p : original.processes()) {
        const ProcessInfo *q = imported.process(p.pid);
        ASSERT_NE(nullptr, q);
        EXPECT_EQ(p.name, q->name);
        EXPECT_EQ(p.ppid, q->ppid);
    }
    ASSERT_EQ(original.threadCount(), imported.threadCount());
    size_t importedStates = 0;
    for (const ThreadRecord &t : original.threads()) {
        const uint32_t u = imported.threadByTid(t.tid, t.pid);
        ASSERT_NE(kNoEvent, u);
        EXPECT_EQ(original.threadName(t.index), imported.threadName(u));
        for (const SliceInfo &s : imported.slices(u))
            importedStates += r.data.string(s.category) == "state" ? 1 : 0;
    }
    EXPECT_EQ(stateSlices, importedStates);
    EXPECT_EQ(QStringLiteral("handmade"), r.data.meta[QStringLiteral("scenario")].toString());

    // Re-exporting the import keeps its slices and writes no invented states.
    const QJsonArray again = parse(exportToBytes(imported))[QStringLiteral("traceEvents")].toArray();
    const size_t reexported = eventsWhere(again, QStringLiteral("X"), QStringLiteral("state")).size();
    EXPECT_EQ(stateSlices, reexported);
}

TEST(OpenTraceFile, RecognisesBothFormatsByContent)
{
    QTemporaryDir dir;
    const TraceModel model(handWrittenRun());
    const QString native = dir.filePath(QStringLiteral("a.trace"));
    const QString chrome = dir.filePath(QStringLiteral("b.trace"));
    QString error;
    ASSERT_TRUE(saveIltrace(model.data(), native, &error));
    ASSERT_TRUE(exportChromeJson(model, chrome, &error));
    const LoadResult a = openTraceFile(native);
    ASSERT_TRUE(a.ok) << a.error.toStdString();
    EXPECT_EQ(model.data().events.size(), a.data.events.size());
    const LoadResult b = openTraceFile(chrome);
    ASSERT_TRUE(b.ok) << b.error.toStdString();
    EXPECT_TRUE(b.data.events.front().flags & Imported);
    const QString text = dir.filePath(QStringLiteral("c.trace"));
    QFile f(text);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("some text that is long enough\n");
    f.close();
    EXPECT_EQ(Problem::NotATrace, openTraceFile(text).problem);
}

// What is not a regular file is refused before it is opened, each with its own reason: a named pipe
// would block the open until some program wrote into it, /dev/null used to be "a folder", and
// /dev/zero an unknown error.
TEST(OpenTraceFile, RefusesWhatIsNotARegularFileWithoutOpeningIt)
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("pipe.iltrace"));
    ASSERT_EQ(0, ::mkfifo(QFile::encodeName(fifo).constData(), 0600));
    using Open = LoadResult (*)(const QString &, LoadProgress *);
    for (Open open : {Open(&openTraceFile), static_cast<Open>(&loadIltrace), static_cast<Open>(&importChromeJson)}) {
        std::promise<LoadResult> done;
        std::future<LoadResult> result = done.get_future();
        std::thread reader([&] { done.set_value(open(fifo, nullptr)); });
        const bool returned = result.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
        // Blocked in open(): a writer that comes and goes sets each open free, until it returns.
        while (result.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
            const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0)
                ::close(fd);
        }
        reader.join();
        ASSERT_TRUE(returned) << "opening a named pipe waited for a writer";
        const LoadResult r = result.get();
        EXPECT_EQ(Problem::Io, r.problem);
        EXPECT_TRUE(r.error.contains(QStringLiteral("named pipe"))) << r.error.toStdString();
        EXPECT_TRUE(r.error.contains(QDir::toNativeSeparators(fifo))) << r.error.toStdString();
    }
    for (const char *device : {"/dev/null", "/dev/zero"}) {
        const LoadResult r = openTraceFile(QString::fromLatin1(device));
        EXPECT_EQ(Problem::Io, r.problem) << device;
        EXPECT_TRUE(r.error.contains(QStringLiteral("a device"))) << r.error.toStdString();
        EXPECT_FALSE(r.error.contains(QStringLiteral("folder"))) << r.error.toStdString();
    }
    const LoadResult folder = openTraceFile(dir.path());
    EXPECT_TRUE(folder.error.contains(QStringLiteral("folder"))) << folder.error.toStdString();
    const LoadResult unnamed = openTraceFile(QString());
    EXPECT_EQ(Problem::Io, unnamed.problem);
    EXPECT_TRUE(unnamed.error.contains(QStringLiteral("no file name"))) << unnamed.error.toStdString();
}

namespace {

using interleave::test::statusKb;

/// `n` complete events of about 110 bytes each, on 16 threads, in the object form.
QByteArray manyEvents(int n)
{
    QByteArray json = "{\"traceEvents\":[\n";
    json.reserve(qsizetype(n) * 112 + 64);
    for (int i = 0; i < n; ++i) {
        json += "{\"ph\":\"X\",\"name\":\"work " + QByteArray::number(i % 50) +
                "\",\"cat\":\"cpu\",\"pid\":1,\"tid\":" + QByteArray::number(i % 16) +
                ",\"ts\":" + QByteArray::number(qint64(i) * 5) +
                ".5,\"dur\":3.25,\"args\":{\"i\":" + QByteArray::number(i) + "}}" + (i + 1 < n ? ",\n" : "\n");
    }
    json += "],\"otherData\":{\"tool\":\"generator\"}}\n";
    return json;
}

} // namespace

// Found by a red team (issue 21): the whole file was parsed into one QJsonDocument, several times
// its size, before the first event was read. The reader now streams: what it holds beyond the
// file is the events themselves (staged, then sorted into the trace).
TEST(ChromeImport, MemoryWhileReadingIsTheEventsNotADocumentOfTheFile)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr bool kUnderASanitizer = true;
#else
    constexpr bool kUnderASanitizer = false;
#endif
    if (kUnderASanitizer)
        GTEST_SKIP() << "under a sanitizer its own bookkeeping would be measured with the importer's";
    constexpr int kEvents = 300'000;
    const QByteArray bytes = manyEvents(kEvents);
    // Writing 5 to clear_refs starts the peak (VmHWM) again at what is resident now.
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
        GTEST_SKIP() << "this kernel does not let a process reset its peak memory";
    clear.close();
    const long before = statusKb("VmRSS:");
    LoadResult r = importChromeJson(bytes, QStringLiteral("many.json"));
    const long peak = statusKb("VmHWM:");
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    ASSERT_GT(before, 0);
    // What was read is all there: one slice per event.
    size_t begins = 0;
    for (const Event &e : r.data.events)
        begins += e.type == EventType::SliceBegin;
    EXPECT_EQ(size_t(kEvents), begins);
    EXPECT_EQ(16u, r.data.threads.size());
    const double perEvent = double(peak - before) * 1024.0 / kEvents;
    const double ofTheFile = double(peak - before) * 1024.0 / double(bytes.size());
    std::printf("file %.1f MB, %d events: the import's peak %.1f MB, %.0f bytes per event, %.2f × the file\n",
                double(bytes.size()) / 1e6, kEvents, double(peak - before) / 1e3 * 1.024, perEvent, ofTheFile);
    // Each event is two trace events of 32 bytes, staged first with their sort keys (64 bytes
    // each) in a vector that grows by doubling. Measured: 224 bytes per event, 2.2 × this file;
    // with a document of the whole file it was 1,520 bytes per event, 14.9 ×.
    EXPECT_LT(ofTheFile, 4.0);
}

// A cut can fall anywhere: in an event of the bare array form, or in the zero bytes a crash leaves
// at the end of a preallocated file. A zero byte inside the text is damage, not an end.
TEST(ChromeImport, ACutAnywhereKeepsTheEventsBeforeItAndAZeroByteInsideIsDamage)
{
    const QByteArray array = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":2},\n"
                             "{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,\"tid\":1,\"ts\":5,\"dur\":2},\n"
                             "{\"ph\":\"X\",\"name\":\"c\",\"pid\":1,\"tid\":1,\"ts\":9,\"dur\":2}]";
    const qsizetype third = array.indexOf("{\"ph\":\"X\",\"name\":\"c\"");
    ASSERT_GT(third, 0);
    for (qsizetype cutAt = third + 1; cutAt < array.size() - 1; ++cutAt) {
        const LoadResult cut = importChromeJson(array.left(cutAt), QStringLiteral("cut.json"));
        ASSERT_EQ(Problem::Truncated, cut.problem) << "cut at " << cutAt << ": " << cut.error.toStdString();
        EXPECT_EQ(4u, cut.data.events.size()) << "cut at " << cutAt;
        EXPECT_TRUE(cut.error.contains(QStringLiteral("2 event(s) before the cut"))) << cut.error.toStdString();
    }
    // Between two events the bare array is whole so far: that form may lack its closing bracket.
    const LoadResult between = importChromeJson(array.left(third), QStringLiteral("between.json"));
    ASSERT_TRUE(between.ok) << between.error.toStdString();
    EXPECT_EQ(4u, between.data.events.size());

    QByteArray padded = array.left(third + 20);
    padded.append(4096, '\0');
    const LoadResult zeros = importChromeJson(padded, QStringLiteral("padded.json"));
    EXPECT_EQ(Problem::Truncated, zeros.problem) << zeros.error.toStdString();
    EXPECT_EQ(4u, zeros.data.events.size());

    QByteArray inside = array;
    inside[third - 2] = '\0';
    const LoadResult damaged = importChromeJson(inside, QStringLiteral("damaged.json"));
    EXPECT_EQ(Problem::Corrupt, damaged.problem) << damaged.error.toStdString();
    EXPECT_TRUE(damaged.data.events.empty());
    EXPECT_TRUE(damaged.error.contains(QStringLiteral("line 2, column"))) << damaged.error.toStdString();
    QByteArray after = array + QByteArray(1, '\0') + "garbage";
    const LoadResult trailing = importChromeJson(after, QStringLiteral("trailing.json"));
    EXPECT_EQ(Problem::Corrupt, trailing.problem) << trailing.error.toStdString();
}

// Nesting has no depth limit in the reader (it keeps its own stack, not the program's): a million
// open brackets are read like any other value and cost no crash.
TEST(ChromeImport, AMillionNestedBracketsAreReadWithoutExhaustingTheStack)
{
    constexpr int kDepth = 1'000'000;
    const QByteArray deep = "{\"traceEvents\":[{\"ph\":\"i\",\"name\":\"x\",\"pid\":1,\"tid\":1,\"ts\":1,\"args\":" +
                            QByteArray(kDepth, '[') + QByteArray(kDepth, ']') +
                            "}],\"otherData\":{\"a\":" + QByteArray(kDepth, '[') + QByteArray(kDepth, ']') + "}}";
    const LoadResult r = importChromeJson(deep, QStringLiteral("deep.json"));
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    ASSERT_EQ(1u, r.data.events.size());
    EXPECT_EQ(EventType::Instant, r.data.events[0].type);
    const LoadResult cut = importChromeJson(deep.left(deep.size() / 4), QStringLiteral("deepcut.json"));
    EXPECT_EQ(Problem::Truncated, cut.problem) << cut.error.toStdString();
    EXPECT_TRUE(cut.data.events.empty());
}

// The window opens files on a worker thread: it follows the read through LoadProgress and stops
// it with cancel. Both formats report the file's size and how far they came, and a cancelled load
// holds no events, so nothing half-read can be shown.
TEST(OpenTraceFile, ReportsHowFarItReadAndStopsWhenCancelled)
{
    QTemporaryDir dir;
    const QByteArray json = manyEvents(100'000);
    const QString jsonPath = dir.filePath(QStringLiteral("many.json"));
    const QString nativePath = dir.filePath(QStringLiteral("many.iltrace"));
    {
        QFile f(jsonPath);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        ASSERT_EQ(json.size(), f.write(json));
    }
    const LoadResult imported = importChromeJson(json, QStringLiteral("many.json"));
    ASSERT_TRUE(imported.ok) << imported.error.toStdString();
    ASSERT_GT(imported.data.events.size(), 3 * size_t(iltrace::kMaxEventsPerChunk)); // several chunks
    {
        QFile f(nativePath);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        ASSERT_TRUE(writeIltrace(imported.data, f));
    }
    for (const QString &path : {jsonPath, nativePath}) {
        const uint64_t size = uint64_t(QFileInfo(path).size());
        LoadProgress whole;
        const LoadResult r = openTraceFile(path, &whole);
        ASSERT_TRUE(r.ok) << r.error.toStdString();
        EXPECT_EQ(imported.data.events.size(), r.data.events.size()) << path.toStdString();
        EXPECT_EQ(size, whole.size.load()) << path.toStdString();
        EXPECT_GT(whole.read.load(), size / 2) << path.toStdString(); // it came far, and said so
        EXPECT_LE(whole.read.load(), size) << path.toStdString();

        LoadProgress stopped;
        stopped.cancel = true;
        const LoadResult c = openTraceFile(path, &stopped);
        EXPECT_FALSE(c.ok);
        EXPECT_EQ(Problem::Cancelled, c.problem) << path.toStdString();
        EXPECT_TRUE(c.data.events.empty()) << path.toStdString();
        EXPECT_LT(stopped.read.load(), size / 2) << path.toStdString(); // it stopped early
        EXPECT_TRUE(c.error.contains(QStringLiteral("cancelled"))) << c.error.toStdString();
    }
}
