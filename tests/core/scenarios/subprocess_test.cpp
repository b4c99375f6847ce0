// SPDX-License-Identifier: MIT
// "subprocess": a real external program gets our input on stdin and its output comes back.
#include "scenariorun.h"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

/// The lines the runner recorded for a program's stream (1 stdout, 2 stderr), without the tag.
std::vector<std::string> programLines(const ScenarioRun &run, const std::string &tag, int stream)
{
    std::vector<std::string> lines;
    const auto &data = run.model().data();
    for (uint32_t index : run.model().outputs()) {
        const Event &e = data.events[index];
        const std::string &line = data.string(e.object);
        if (e.arg == stream && line.compare(0, tag.size(), tag) == 0)
            lines.push_back(line.substr(tag.size()));
    }
    return lines;
}

} // namespace

TEST(SubprocessScenario, TheProgramReadsOurInputAndWeCaptureItsOutput)
{
    const ScenarioRun run =
        runScenario("subprocess", {{QStringLiteral("argv"), QStringLiteral("sort -r")},
                                   {QStringLiteral("input"), QStringLiteral("pear\\napple\\nplum\\n")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();

    // One program was exec'd by the runner, as a process of its own with that command line.
    const auto execs = run.events(EventType::Exec);
    ASSERT_EQ(execs.size(), 1u);
    const int32_t pid = int32_t(execs[0]->arg);
    EXPECT_EQ(data.threads[execs[0]->thread].pid, run.session->runnerPid());
    EXPECT_NE(pid, run.session->runnerPid());
    EXPECT_EQ(data.string(execs[0]->object), "sort -r");
    const ProcessInfo *program = model.process(pid);
    ASSERT_NE(program, nullptr);
    EXPECT_EQ(program->ppid, run.session->runnerPid());
    ASSERT_TRUE(program->exited);
    EXPECT_FALSE(program->signaled);
    EXPECT_EQ(program->exitStatus, 0);

    // Its stdout came back through the pipe: our input, sorted in reverse — work only sort did.
    const std::string tag = "[sort " + std::to_string(pid) + "] ";
    EXPECT_EQ(programLines(run, tag, 1), (std::vector<std::string>{"plum", "pear", "apple"}));
    EXPECT_TRUE(programLines(run, tag, 2).empty());

    // The runner waited on the program's output while it ran, then printed the exit code.
    bool waitedForIo = false;
    for (const StateSpan &s : model.states(execs[0]->thread)) {
        if (s.state == ThreadState::Blocked && s.reason == BlockReason::Io && s.start >= execs[0]->time)
            waitedForIo = true;
    }
    EXPECT_TRUE(waitedForIo);
    const Event &last = data.events[model.outputs().back()];
    EXPECT_EQ(data.string(last.object), "Exit code: 0");
    EXPECT_GE(last.time, program->end);

    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("argv")).toArray(), (QJsonArray{QStringLiteral("sort"), QStringLiteral("-r")}));
    EXPECT_EQ(f.value(QStringLiteral("exit_code")).toInt(-1), 0);
    EXPECT_EQ(f.value(QStringLiteral("stdout_bytes")).toInt(), 16); // "plum\npear\napple\n"
    expectNothingLeft(run);
}

TEST(SubprocessScenario, AProgramThatFailsReportsItsExitCode)
{
    // `sort` given a file that does not exist: it starts, complains on stderr and exits with 2.
    const ScenarioRun run =
        runScenario("subprocess", {{QStringLiteral("argv"), QStringLiteral("sort /nonexistent/interleave-input")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const auto execs = run.events(EventType::Exec);
    ASSERT_EQ(execs.size(), 1u);
    const int32_t pid = int32_t(execs[0]->arg);
    const ProcessInfo *program = run.model().process(pid);
    ASSERT_NE(program, nullptr);
    ASSERT_TRUE(program->exited);
    EXPECT_NE(program->exitStatus, 0);
    EXPECT_FALSE(programLines(run, "[sort " + std::to_string(pid) + "] ", 2).empty());
    EXPECT_EQ(run.findings().value(QStringLiteral("exit_code")).toInt(), int(program->exitStatus));
    expectNothingLeft(run);
}

TEST(SubprocessScenario, AMissingProgramIsExitCode127AndAReasonNotACrash)
{
    const ScenarioRun run =
        runScenario("subprocess", {{QStringLiteral("argv"), QStringLiteral("interleave-no-such-program --flag")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    // Nothing was started: no Exec, no process besides the runner.
    EXPECT_TRUE(run.events(EventType::Exec).empty());
    for (const ProcessInfo &p : run.model().processes()) {
        if (p.traced()) {
            EXPECT_EQ(p.pid, run.session->runnerPid());
        }
    }
    // The reason went to stderr, naming the program, and the run said 127.
    const auto &data = run.model().data();
    bool reason = false;
    bool exit127 = false;
    for (uint32_t index : run.model().outputs()) {
        const Event &e = data.events[index];
        const std::string &line = data.string(e.object);
        if (e.arg == 2 && line.find("interleave-no-such-program") != std::string::npos &&
            line.find("No such file") != std::string::npos)
            reason = true;
        if (line == "Exit code: 127")
            exit127 = true;
    }
    EXPECT_TRUE(reason);
    EXPECT_TRUE(exit127);
    const QJsonObject f = run.findings();
    EXPECT_EQ(f.value(QStringLiteral("exit_code")).toInt(), 127);
    EXPECT_EQ(f.value(QStringLiteral("stdout_bytes")).toInt(-1), 0);
    EXPECT_EQ(f.value(QStringLiteral("argv")).toArray().size(), 2);
    expectNothingLeft(run);
}

TEST(SubprocessScenario, OutputWithoutAFinalNewlineIsCountedExactly)
{
    const ScenarioRun run = runScenario("subprocess", {{QStringLiteral("argv"), QStringLiteral("tr a-z A-Z")},
                                                       {QStringLiteral("input"), QStringLiteral("abc")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const auto execs = run.events(EventType::Exec);
    ASSERT_EQ(execs.size(), 1u);
    const std::string tag = "[tr " + std::to_string(execs[0]->arg) + "] ";
    EXPECT_EQ(programLines(run, tag, 1), (std::vector<std::string>{"ABC"}));
    EXPECT_EQ(run.findings().value(QStringLiteral("stdout_bytes")).toInt(), 3);
    expectNothingLeft(run);
}
