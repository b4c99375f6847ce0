// SPDX-License-Identifier: MIT
#include "instrument/sampler.h"
#include "instrument/thread.h"

#include "recording.h"

#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

using namespace interleave::core;
using namespace std::chrono_literals;
using interleave::core::test::Recording;

namespace {

void spinFor(std::chrono::milliseconds d)
{
    const auto end = std::chrono::steady_clock::now() + d;
    volatile uint64_t x = 0;
    while (std::chrono::steady_clock::now() < end)
        x = x + 1;
}

} // namespace

TEST(Sampler, SamplesASpinningThreadWithPlausibleCores)
{
    Recording rec;
    Sampler sampler({.interval = 1ms, .pids = {getpid()}, .root = 0, .log = rec.log()});
    sampler.start();
    int32_t tid = 0;
    {
        Thread spinner("Spinner", [&] {
            tid = currentTid();
            spinFor(150ms);
        });
    }
    const auto stopAt = std::chrono::steady_clock::now();
    sampler.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - stopAt, 100ms);
    rec.stop();
    const long cores = sysconf(_SC_NPROCESSORS_CONF);
    const auto samples = rec.events(EventType::Sample, [&](const Event &e) { return e.object == uint32_t(tid); });
    ASSERT_GE(samples.size(), 20u) << "1 ms sampling over 150 ms";
    int running = 0;
    for (const Event &s : samples) {
        EXPECT_LT(s.cpu, cores);
        EXPECT_EQ(s.loc, uint32_t(getpid()));
        running += SampleArg::state(s.arg) == 'R';
    }
    EXPECT_GT(running, int(samples.size()) / 2) << "a spinning thread is mostly running";
}

TEST(Sampler, RunDelayWhenFourSpinnersShareTwoCores)
{
    Recording rec;
    cpu_set_t two;
    CPU_ZERO(&two);
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    for (long c = 0; c < std::min(2L, cores); ++c)
        CPU_SET(int(c), &two);
    Sampler sampler({.interval = 1ms, .pids = {getpid()}, .root = 0, .log = rec.log()});
    sampler.start();
    std::vector<int32_t> tids(4);
    {
        std::vector<Thread> spinners;
        for (int i = 0; i < 4; ++i) {
            spinners.emplace_back(test::numbered("Spinner-", i), [&, i] {
                pthread_setaffinity_np(pthread_self(), sizeof two, &two);
                tids[size_t(i)] = currentTid();
                spinFor(200ms);
            });
        }
    }
    sampler.stop();
    rec.stop();
    std::map<uint32_t, uint64_t> delay;
    for (const Event &s : rec.events(EventType::Sample))
        delay[s.object] += SampleArg::runDelay(s.arg);
    uint64_t total = 0;
    for (const int32_t tid : tids)
        total += delay[uint32_t(tid)];
    // 4 runnable threads on 2 cores wait about half the time: demand at least 10 % of 4 x 200 ms.
    EXPECT_GT(total, 80'000'000u);
}

TEST(Sampler, FindsDescendantsOfARoot)
{
    Recording rec;
    const pid_t child = fork();
    if (child == 0) {
        spinFor(100ms);
        _exit(0);
    }
    Sampler sampler({.interval = 1ms, .pids = {}, .root = getpid(), .log = rec.log()});
    sampler.start();
    std::this_thread::sleep_for(60ms);
    sampler.stop();
    int status = 0;
    waitpid(child, &status, 0);
    rec.stop();
    const auto childSamples = rec.events(EventType::Sample, [&](const Event &e) { return e.loc == uint32_t(child); });
    EXPECT_GT(childSamples.size(), 5u);
}
