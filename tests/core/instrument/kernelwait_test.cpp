// SPDX-License-Identifier: MIT
#include "instrument/sampler.h"
#include "instrument/thread.h"
#include "trace/tracemodel.h"

#include "recording.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

// A thread blocked in a call nobody instrumented (a plain read() on a pipe) is drawn as the kernel
// reports it, sleeping, and never as running.
TEST(KernelWait, AnUninstrumentedReadIsDrawnSleeping)
{
    Recording rec;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    Sampler sampler({.interval = 1ms, .pids = {getpid()}, .root = 0, .log = rec.log()});
    sampler.start();
    std::atomic<int32_t> tid{0};
    int sleepingSamples = 0;
    {
        Thread reader("Reader", [&] {
            tid = currentTid();
            char c = 0;
            [[maybe_unused]] const ssize_t n = ::read(fds[0], &c, 1); // not instrumented
        });
        while (tid.load() == 0)
            std::this_thread::yield();
        // Wait until the sampler has seen it asleep a few times, then wake it.
        // Only samples after the thread's own first event count: the sampler can see a new thread
        // (asleep in its start-up, slow under ThreadSanitizer) before the thread has recorded anything.
        EXPECT_TRUE(rec.waitUntil([&](const TraceData &data) {
            int64_t started = -1;
            for (const Event &e : data.events) {
                if (e.type != EventType::Sample && e.thread < data.threads.size() &&
                    data.threads[e.thread].tid == tid.load() && (started < 0 || e.time < started))
                    started = e.time;
            }
            sleepingSamples = 0;
            for (const Event &e : data.events)
                sleepingSamples += started >= 0 && e.time > started && e.type == EventType::Sample &&
                                   e.object == uint32_t(tid.load()) && SampleArg::state(e.arg) == 'S';
            return sleepingSamples >= 6;
        }));
        ASSERT_EQ(::write(fds[1], "x", 1), 1);
    }
    sampler.stop();
    ::close(fds[0]);
    ::close(fds[1]);
    rec.stop();

    TraceModel model{TraceData(rec.data())};
    const uint32_t thread = model.threadByTid(tid.load(), getpid());
    ASSERT_NE(thread, kNoEvent);
    const ThreadRecord &tr = model.thread(thread);
    int checked = 0;
    for (const CoreSample &s : model.coreSamplesOfThread(thread)) {
        if (s.state != 'S' || s.time <= tr.start || s.time >= tr.end)
            continue;
        ++checked;
        EXPECT_EQ(model.stateAt(thread, s.time).state, ThreadState::Sleeping)
            << "sampled asleep at " << s.time - tr.start << " ns into its life";
    }
    EXPECT_GE(checked, 5);
}
