// SPDX-License-Identifier: MIT
// Issue 21, finding 3: a Chrome JSON with 300 k tids took 20 s to open and one with 50 k process
// names 4.9 s (each new thread searched the thread list, each process name every thread). The
// import's tables are hash maps now; this checks that ten times the threads and names cost about
// ten times the time, not a hundred.
#include "io/chromejson.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <gtest/gtest.h>

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

} // namespace

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
