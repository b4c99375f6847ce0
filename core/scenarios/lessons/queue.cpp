// SPDX-License-Identifier: MIT
// The lesson of scenario "queue" (findings in ../queue.cpp): a writer process puts A, B, C into a
// Queue, a reader process gets them forever; the parent joins the writer and terminate()s the reader.
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/process.h"
#include "instrument/processqueue.h"

#include <unistd.h>

#include <chrono>
#include <random>
#include <string>

namespace interleave::core {

namespace {

// The writer process: puts each value, then rests a random while (random.random() seconds).
int write(ScenarioContext &ctx, ProcessQueue &q, int items, double maxSleep) // py: def write(q):
{
    ctx.print("Process to write: " + std::to_string(getpid())); // py: print('Process to write: %s' % os.getpid())
    std::uniform_real_distribution<double> random(0.0, 1.0);
    for (int i = 0; i < items && !ctx.stopRequested(); ++i) { // py: for value in ['A', 'B', 'C']:
        const std::string value(1, char('A' + i));
        ctx.print("Put " + value + " to queue..."); // py: print('Put %s to queue...' % value)
        q.put(value);                               // py: q.put(value)
        sleepFor(std::chrono::microseconds(int64_t(random(ctx.random()) * maxSleep * 1e6))); // py: time.sleep(...
    }
    return 0;
}

// The reader process: an endless loop of blocking gets; only terminate() ends it.
int read(ScenarioContext &ctx, ProcessQueue &q) // py: def read(q):
{
    ctx.print("Process to read: " + std::to_string(getpid())); // py: print('Process to read: %s' % os.getpid())
    while (!ctx.stopRequested()) {                             // py: while True:
        if (const auto value = q.get(true))                    // py: value = q.get(True)
            ctx.print("Get " + *value + " from queue.");       // py: print('Get %s from queue.' % value)
    }
    return 0;
}

// Python's example relies on the writer's last sleep to let the reader take the last item;
// waiting (briefly, escapably) for an empty queue makes sure nothing is cut off.
void waitUntilDrained(ScenarioContext &ctx, const ProcessQueue &q)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!q.empty() && !ctx.stopRequested() && std::chrono::steady_clock::now() < deadline)
        sleepFor(std::chrono::milliseconds(5));
    // A moment for the reader to print what it just got and block in get() again.
    sleepFor(std::chrono::milliseconds(100));
}

} // namespace

void queueLesson(ScenarioContext &ctx)
{
    const int items = ctx.intParam("items");
    const double maxSleep = ctx.doubleParam("max_sleep_s");
    // The parent creates the Queue and hands it to both children (they inherit it by fork).
    ProcessQueue q("Queue");                                                             // py: q = Queue()
    Process pw = Process::fork("write", [&] { return write(ctx, q, items, maxSleep); }); // py: pw.start()
    Process pr = Process::fork("read", [&] { return read(ctx, q); });                    // py: pr.start()
    // Wait for the writer to finish.
    pw.join(); // py: pw.join()
    waitUntilDrained(ctx, q);
    // The reader loops forever: end it from outside, and reap it.
    pr.terminate(); // py: pr.terminate()
    pr.join();
}

} // namespace interleave::core
