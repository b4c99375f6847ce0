// SPDX-License-Identifier: MIT
// The lesson of scenario "pipe" (findings in ../pipe.cpp): a duplex Pipe between a parent and a
// child process; the parent sends requests through one end, the child answers each one through the other.
#include "scenarios/lessons/lessons.h"

#include "instrument/blocking.h"
#include "instrument/pipe.h"
#include "instrument/process.h"

#include <unistd.h>

#include <chrono>
#include <string>

namespace interleave::core {

namespace {

// The child: answers every request until the parent closes its end (recv() then sees EOF).
int answer(ScenarioContext &ctx, Connection &conn, std::chrono::milliseconds work) // py: def answer(conn):
{
    while (const auto request = conn.recv()) {                       // py: request = conn.recv()
        ctx.print("Child (" + std::to_string(getpid()) + ") got '" + // py: print("Child (%s) got '%s', answering...
                  *request + "', answering...");
        sleepFor(work);                    // py: time.sleep(0.5)
        conn.send("reply to " + *request); // py: conn.send('reply to ' + request)
    }
    return 0;
}

} // namespace

void pipeLesson(ScenarioContext &ctx)
{
    const int requests = ctx.intParam("requests");
    const auto work = std::chrono::milliseconds(int64_t(ctx.doubleParam("work_s") * 1000.0));
    // parent_conn, child_conn = Pipe(): both ends can send and receive.
    Pipe pipe("Pipe"); // py: parent_conn, child_conn = Pipe()
    Connection &parent_conn = pipe.end1();
    Connection &child_conn = pipe.end2();
    Process p = Process::fork("child", [&] { // py: p.start()
        parent_conn.close();                 // the child keeps only its own end
        return answer(ctx, child_conn, work);
    });
    child_conn.close();                                      // py: child_conn.close()
    ctx.print("Parent process " + std::to_string(getpid()) + // py: print('Parent process %s, child %s.' % ...
              ", child " + std::to_string(p.pid()) + ".");
    for (int i = 1; i <= requests && !ctx.stopRequested(); ++i) {   // py: for i in range(1, 4):
        const std::string request = "request " + std::to_string(i); // py: request = 'request %d' % i
        ctx.print("Send '" + request + "' to child...");            // py: print("Send '%s' to child..." % request)
        parent_conn.send(request);                                  // py: parent_conn.send(request)
        if (const auto reply = parent_conn.recv())                  // py: print("Got '%s' from child." % ...
            ctx.print("Got '" + *reply + "' from child.");
    }
    parent_conn.close();        // py: parent_conn.close()
    p.join();                   // py: p.join()
    ctx.print("Child exited."); // py: print('Child exited.')
}

} // namespace interleave::core
