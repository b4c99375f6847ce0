// SPDX-License-Identifier: MIT
// Issue 21, finding 3: a Chrome JSON with 300 k tids took 20 s to open and one with 50 k process
// names 4.9 s (each new thread searched the thread list, each process name every thread). The
// import's tables are hash maps now; this checks that ten times the threads and names cost about
// ten times the time, not a hundred. The staged events are merged where the file is nearly in
// order, sorted where not: both must give one order.
#include "io/chromejson.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

using namespace interleave::core;

namespace {

/// `n` processes of one named thread each, a process name each, and one slice on every thread.
QByteArray namedProcesses(int n)
{
    QByteArray json("{\"traceEvents\":[\n");
    for (int i = 1; i <= n; ++i) {
        const QByteArray id = QByteArray::number(i);
        json += "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + id + ",\"tid\":" + id + ",\"args\":{\"name\":\"p" +
                id + "\"}},\n";
        json += "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + id + ",\"tid\":" + id + ",\"args\":{\"name\":\"t" +
                id + "\"}},\n";
        json += "{\"ph\":\"X\",\"name\":\"s\",\"pid\":" + id + ",\"tid\":" + id + ",\"ts\":" + id + ",\"dur\":1},\n";
    }
    json.chop(2);
    json += "]}";
    return json;
}

/// `n` complete slices on four threads, 3 µs apart and 2 µs long, in time order or reversed.
QByteArray slices(int n, bool reversed)
{
    std::vector<QByteArray> events;
    for (int i = 0; i < n; ++i)
        events.push_back("{\"ph\":\"X\",\"name\":\"s" + QByteArray::number(i % 5) + "\",\"pid\":1,\"tid\":" +
                         QByteArray::number(i % 4 + 1) + ",\"ts\":" + QByteArray::number(1000 + 3 * i) + ",\"dur\":2}");
    if (reversed)
        std::reverse(events.begin(), events.end());
    QByteArray json("{\"traceEvents\":[\n");
    for (int t = 1; t <= 4; ++t)
        json += "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":" + QByteArray::number(t) +
                ",\"args\":{\"name\":\"T" + QByteArray::number(t) + "\"}},\n";
    for (const QByteArray &e : events)
        json += e + ",\n";
    json.chop(2);
    json += "]}";
    return json;
}

/// The events as (time, type, "pid:tid", name): what does not depend on the order the file lists
/// threads and strings in.
std::vector<std::tuple<int64_t, int, std::string, std::string>> described(const TraceData &data)
{
    std::vector<std::tuple<int64_t, int, std::string, std::string>> out;
    for (const Event &e : data.events) {
        const ThreadInfo &t = data.threads[e.thread];
        out.emplace_back(e.time, int(e.type), std::to_string(t.pid) + ":" + std::to_string(t.tid),
                         data.string(e.object));
    }
    return out;
}

} // namespace

// The staged events of a file written in time order are a few ordered runs, merged; those of a
// file in reverse order are one run an event, sorted whole. Both give the trace one order.
TEST(ChromeScale, AFileInOrderAndOneReversedGiveTheSameEvents)
{
    const LoadResult forward = importChromeJson(slices(3000, false), QStringLiteral("forward.json"));
    const LoadResult backward = importChromeJson(slices(3000, true), QStringLiteral("backward.json"));
    ASSERT_TRUE(forward.ok) << forward.error.toStdString();
    ASSERT_TRUE(backward.ok) << backward.error.toStdString();
    const auto a = described(forward.data);
    const auto b = described(backward.data);
    // 3000 begins and ends and four thread names, each thread's name before its first slice.
    ASSERT_EQ(size_t(6004), a.size());
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end(),
                               [](const auto &x, const auto &y) { return std::get<0>(x) < std::get<0>(y); }));
    EXPECT_EQ(int(EventType::ThreadName), std::get<1>(a.front()));
    EXPECT_EQ(a, b);
}

TEST(ChromeScale, TenTimesTheThreadsAndProcessNamesCostAboutTenTimesTheTime)
{
    double seconds[2] = {0, 0};
    int i = 0;
    for (int n : {6000, 60000}) {
        const QByteArray json = namedProcesses(n);
        QElapsedTimer timer;
        timer.start();
        const LoadResult r = importChromeJson(json, QStringLiteral("many.json"));
        seconds[i++] = double(timer.nsecsElapsed()) / 1e9;
        ASSERT_TRUE(r.ok) << r.error.toStdString();
        EXPECT_EQ(size_t(n), r.data.threads.size());
        // Every process has its name: one ProcessStart per process, one ThreadName per thread.
        size_t starts = 0;
        size_t names = 0;
        for (const Event &e : r.data.events) {
            starts += e.type == EventType::ProcessStart;
            names += e.type == EventType::ThreadName;
        }
        EXPECT_EQ(size_t(n), starts);
        EXPECT_EQ(size_t(n), names);
    }
    // With the old linear lookups put back: 0.17 s for 6 k, 6.0 s for 60 k. Now 0.03 s and 0.43 s.
    EXPECT_LT(seconds[1], 20 * seconds[0] + 0.5) << seconds[0] << " s for 6 k, " << seconds[1] << " s for 60 k";
}
