// SPDX-License-Identifier: MIT
// The lesson of scenario "async" (findings in ../async.cpp): N requests to a slow server, first as
// N coroutines on ONE event-loop thread, then as N threads.
#include "scenarios/lessons/lessons.h"

#include "instrument/thread.h"
#include "scenarios/delayedreplyserver.h"
#include "scenarios/eventloop.h"

#include <chrono>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace interleave::core {

namespace {

using std::chrono::milliseconds;

std::string ms(milliseconds wait)
{
    return std::to_string(wait.count()) + " ms";
}
std::string onThread()
{
    return " (thread " + std::to_string(currentTid()) + ")";
}

// One request as a coroutine: while it waits for the answer, the loop's thread serves the others.
Task fetch(EventLoop &loop, ScenarioContext &ctx, int i, int socket, milliseconds wait) // py: async def fetch(...
{
    const std::string name = "request " + std::to_string(i);
    ctx.print(name + ": sent, the answer takes " + ms(wait) + onThread()); // py: print('request %d: sent...
    DelayedReplyServer::sendRequest(socket, wait);
    co_await loop.readable(socket, name); // py: await asyncio.sleep(wait)
    DelayedReplyServer::readReply(socket);
    ctx.print(name + ": 200 OK" + onThread()); // py: print('request %d: 200 OK...
}

// The same request the classic way: this thread blocks until the answer arrives.
void fetchBlocking(ScenarioContext &ctx, int i, int socket, milliseconds wait)
{
    const std::string name = "request " + std::to_string(i);
    ctx.print(name + ": sent, the answer takes " + ms(wait) + onThread());
    DelayedReplyServer::sendRequest(socket, wait);
    {
        WaitSpan span(name);
        DelayedReplyServer::waitForReply(socket);
    }
    ctx.print(name + ": 200 OK" + onThread());
}

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

void asyncLesson(ScenarioContext &ctx)
{
    const int tasks = ctx.intParam("tasks");
    const int longest = ctx.intParam("wait_ms");
    std::uniform_int_distribution<int> answerTime(longest / 2, longest);
    std::vector<milliseconds> waits; // py: waits = [random.uniform(0.5, 1.0) for _ in range(10)]
    for (int i = 0; i < tasks; ++i)
        waits.emplace_back(answerTime(ctx.random()));
    DelayedReplyServer server(tasks);

    ctx.phase(kLoopPhase);
    auto t0 = std::chrono::steady_clock::now();
    {
        EventLoop loop;
        for (int i = 0; i < tasks; ++i)
            loop.spawn(fetch(loop, ctx, i + 1, server.socket(i), waits[size_t(i)])); // py: await asyncio.gather(...
        loop.run();                                                                  // py: asyncio.run(main())
    }
    ctx.print("event loop: " + std::to_string(tasks) + " requests on 1 thread took " +
              std::to_string(secondsSince(t0)).substr(0, 4) + " s");
    if (ctx.stopRequested())
        return;

    ctx.phase(kThreadsPhase);
    t0 = std::chrono::steady_clock::now();
    {
        std::vector<Thread> threads;
        for (int i = 0; i < tasks; ++i)
            threads.emplace_back("Thread-" + std::to_string(i + 1), fetchBlocking, std::ref(ctx), i + 1,
                                 server.socket(i), waits[size_t(i)]);
        for (Thread &t : threads)
            t.join();
    }
    ctx.print("threads: " + std::to_string(tasks) + " requests on " + std::to_string(tasks) + " threads took " +
              std::to_string(secondsSince(t0)).substr(0, 4) + " s");
}

} // namespace interleave::core
