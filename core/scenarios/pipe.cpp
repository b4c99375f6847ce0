// SPDX-License-Identifier: MIT
// Scenario "pipe": a duplex Pipe between a parent and a child process; the parent sends
// requests through one end, the child answers each one through the other.
#include "scenarios/scenario.h"

#include "instrument/blocking.h"
#include "instrument/pipe.h"
#include "instrument/process.h"
#include "trace/tracemodel.h"

#include <unistd.h>

#include <chrono>
#include <string>

namespace interleave::core {
namespace {

// The child: answers every request until the parent closes its end (recv() then sees EOF).
int answer(ScenarioContext &ctx, Connection &conn, std::chrono::milliseconds work)
{
    while (const auto request = conn.recv()) {
        ctx.print("Child (" + std::to_string(getpid()) + ") got '" + *request + "', answering...");
        sleepFor(work);
        conn.send("reply to " + *request);
    }
    return 0;
}

class PipeScenario final : public Scenario
{
public:
    const char *id() const override { return "pipe"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Pipe: messages both ways between two processes");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("requests"), ParamSpec::Kind::Int, 3, 1, 100, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Requests"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how many messages the parent sends; each gets a reply")},
                {QStringLiteral("work_s"), ParamSpec::Kind::Double, 0.5, 0.0, 10.0, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Child works (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long the child takes before each reply")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const int requests = ctx.intParam("requests");
        const auto work = std::chrono::milliseconds(int64_t(ctx.doubleParam("work_s") * 1000.0));
        // parent_conn, child_conn = Pipe(): both ends can send and receive.
        Pipe pipe("Pipe");
        Connection &parentConn = pipe.end1();
        Connection &childConn = pipe.end2();
        Process child = Process::fork("child", [&] {
            parentConn.close(); // the child keeps only its own end
            return answer(ctx, childConn, work);
        });
        childConn.close(); // and the parent only its own, so that closing it gives the child EOF
        ctx.print("Parent process " + std::to_string(getpid()) + ", child " + std::to_string(child.pid()) + ".");
        for (int i = 1; i <= requests && !ctx.stopRequested(); ++i) {
            const std::string request = "request " + std::to_string(i);
            ctx.print("Send '" + request + "' to child...");
            parentConn.send(request);
            if (const auto reply = parentConn.recv())
                ctx.print("Got '" + *reply + "' from child.");
        }
        parentConn.close(); // the child's recv() returns at EOF and it exits
        child.join();
        ctx.print("Child exited.");
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // Whole messages that left an end, and that arrived at the other (id 0: a wait that got none).
        int sent = 0;
        int received = 0;
        for (const Event &e : model.data().events) {
            if (e.type == EventType::PipeSend)
                ++sent;
            else if (e.type == EventType::PipeRecv && e.arg != 0)
                ++received;
        }
        return {{QStringLiteral("sent"), sent}, {QStringLiteral("received"), received}};
    }
};

} // namespace

std::unique_ptr<Scenario> makePipeScenario() { return std::make_unique<PipeScenario>(); }

} // namespace interleave::core
