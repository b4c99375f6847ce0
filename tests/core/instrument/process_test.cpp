// SPDX-License-Identifier: MIT
#include "instrument/process.h"

#include "leakcheck.h"
#include "recording.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace interleave::core::test {

using namespace std::chrono_literals;

/// Children of this process, zombies included, from /proc (shared by the process-side tests).
int childProcessCount()
{
    const pid_t self = getpid();
    int n = 0;
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    while (const dirent *e = readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        const size_t paren = text.rfind(')');
        if (paren == std::string::npos)
            continue;
        std::istringstream rest(text.substr(paren + 2));
        char state;
        int ppid = 0;
        rest >> state >> ppid;
        n += ppid == self;
    }
    closedir(d);
    return n;
}

/// Open descriptors of this process.
int openFdCount()
{
    return interleave::test::descriptorCount();
}

namespace {

class ProcessTest : public LeakCheckedTest
{};

std::string text(const Recording &rec, uint32_t id)
{
    return rec.data().string(id);
}

TEST_F(ProcessTest, ForkReturnsTwice)
{
    Recording rec;
    Process child = Process::fork("child", [] { return 3; });
    ASSERT_GT(child.pid(), 0);
    ASSERT_TRUE(child.join(10s));
    EXPECT_EQ(child.exitCode(), 3);
    EXPECT_FALSE(child.signal());
    rec.stop();

    const auto forks = rec.events(EventType::ForkReturn);
    ASSERT_EQ(forks.size(), 2u);
    int inParent = 0, inChild = 0;
    for (const Event &e : forks) {
        if (rec.pid(e) == getpid()) {
            EXPECT_EQ(e.arg, child.pid()) << "the parent's fork() returns the child's pid";
            ++inParent;
        } else {
            EXPECT_EQ(rec.pid(e), child.pid());
            EXPECT_EQ(e.arg, 0) << "the child's fork() returns 0";
            ++inChild;
        }
    }
    EXPECT_EQ(inParent, 1);
    EXPECT_EQ(inChild, 1);
    // The parent also says when it called fork(), where the fork arrow starts: no later than
    // anything the child records (the child may run before fork() returns in the parent).
    const auto calls = rec.events(EventType::ForkCall);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(rec.pid(calls[0]), getpid());
    for (const Event &e : forks)
        EXPECT_LE(calls[0].time, e.time) << "fork() returned in " << rec.pid(e) << " before it was called";
    const auto starts = rec.events(EventType::ProcessStart);
    ASSERT_EQ(starts.size(), 1u);
    EXPECT_EQ(rec.pid(starts[0]), child.pid());
    EXPECT_EQ(starts[0].arg, getpid()) << "the child's ppid is the parent";
    EXPECT_EQ(text(rec, starts[0].object), "child");
    const auto exits = rec.events(EventType::ProcessExit);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(rec.pid(exits[0]), getpid()) << "the reaper records the exit";
    EXPECT_EQ(exits[0].object, uint32_t(child.pid()));
    EXPECT_EQ(exits[0].arg, 3);
    EXPECT_EQ(exits[0].flags & ExitSignal, 0);
}

TEST_F(ProcessTest, JoinEndsAfterTheChildsLastEventAndItsExit)
{
    Recording rec;
    Process child = Process::fork("sleeper", [] {
        sleepFor(150ms);
        return 7;
    });
    ASSERT_TRUE(child.join(10s));
    EXPECT_EQ(child.exitCode(), 7);
    rec.stop();

    const auto waits =
        rec.events(EventType::JoinWait, [&](const Event &e) { return e.object == uint32_t(child.pid()); });
    const auto dones =
        rec.events(EventType::JoinDone, [&](const Event &e) { return e.object == uint32_t(child.pid()); });
    ASSERT_EQ(waits.size(), 1u);
    ASSERT_EQ(dones.size(), 1u);
    EXPECT_TRUE(waits[0].flags & OnProcess);
    EXPECT_TRUE(dones[0].flags & OnProcess);
    int64_t childLast = 0;
    for (const Event &e : rec.data().events)
        if (rec.pid(e) == child.pid())
            childLast = std::max(childLast, e.time);
    ASSERT_GT(childLast, 0);
    const auto sleeps = rec.events(EventType::SleepEnd, [&](const Event &e) { return rec.pid(e) == child.pid(); });
    ASSERT_EQ(sleeps.size(), 1u);
    EXPECT_LT(waits[0].time, sleeps[0].time) << "the parent waited while the child slept";
    EXPECT_GT(dones[0].time, childLast) << "join returned only after the child's last event";
    const auto exits = rec.events(EventType::ProcessExit);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0].arg, 7);
    EXPECT_LE(exits[0].time, dones[0].time);
    EXPECT_GE(dones[0].time - waits[0].time, 100'000'000) << "join blocked about as long as the child slept";
}

TEST_F(ProcessTest, TerminateEndsTheChildBySignal)
{
    Recording rec;
    Process child = Process::fork("forever", [] {
        for (;;)
            pause();
        return 0;
    });
    EXPECT_FALSE(child.join(50ms)) << "the child is still running";
    child.terminate();
    ASSERT_TRUE(child.join(10s));
    EXPECT_EQ(child.signal(), SIGTERM);
    EXPECT_FALSE(child.exitCode());
    rec.stop();

    const auto sent = rec.events(EventType::Signal);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].object, uint32_t(child.pid()));
    EXPECT_EQ(sent[0].arg, SIGTERM);
    const auto exits = rec.events(EventType::ProcessExit);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0].arg, SIGTERM);
    EXPECT_TRUE(exits[0].flags & ExitSignal);
    EXPECT_GT(exits[0].time, sent[0].time);
}

TEST_F(ProcessTest, DestructorReapsARunningChild)
{
    pid_t pid = 0;
    {
        Process child = Process::fork("stubborn", [] {
            signal(SIGTERM, SIG_IGN); // forces the SIGKILL path
            for (;;)
                pause();
            return 0;
        });
        pid = child.pid();
        EXPECT_FALSE(child.join(100ms));
    }
    EXPECT_NE(::kill(pid, 0), 0) << "the child is gone, not even a zombie";
}

TEST_F(ProcessTest, UncaughtExceptionInTheChildExitsWithOne)
{
    Process child = Process::fork("thrower", []() -> int { throw std::runtime_error("boom"); });
    ASSERT_TRUE(child.join(10s));
    EXPECT_EQ(child.exitCode(), 1);
}

TEST_F(ProcessTest, SpawnCatFeedsStdinAndCapturesStdout)
{
    Recording rec;
    Process cat = Process::spawn({"/bin/cat"}, SpawnOptions{"hello\n", true, false, std::nullopt});
    ASSERT_GT(cat.pid(), 0) << cat.error();
    ASSERT_TRUE(cat.communicate(10s));
    EXPECT_EQ(cat.stdoutText(), "hello\n");
    EXPECT_EQ(cat.exitCode(), 0);
    rec.stop();

    const auto execs = rec.events(EventType::Exec);
    ASSERT_EQ(execs.size(), 1u);
    EXPECT_EQ(execs[0].arg, cat.pid());
    EXPECT_EQ(text(rec, execs[0].object), "/bin/cat");
    const auto outputs = rec.events(EventType::Output);
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_EQ(outputs[0].arg, 1);
    EXPECT_EQ(text(rec, outputs[0].object), "[cat " + std::to_string(cat.pid()) + "] hello");
    const auto exits = rec.events(EventType::ProcessExit);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0].object, uint32_t(cat.pid()));
    EXPECT_EQ(exits[0].arg, 0);
    EXPECT_GT(exits[0].time, execs[0].time);
}

TEST_F(ProcessTest, SpawnCapturesStderrAndExitCode)
{
    Process ls =
        Process::spawn({"ls", "/interleave-no-such-dir"}, SpawnOptions{std::nullopt, true, true, std::nullopt});
    ASSERT_GT(ls.pid(), 0) << ls.error();
    ASSERT_TRUE(ls.join(10s));
    EXPECT_EQ(ls.exitCode(), 2);
    EXPECT_NE(ls.stderrText().find("interleave-no-such-dir"), std::string::npos) << ls.stderrText();
    EXPECT_EQ(ls.stdoutText(), "");
}

TEST_F(ProcessTest, SpawnPassesTheEnvironment)
{
    Process env = Process::spawn({"/usr/bin/env"},
                                 SpawnOptions{std::nullopt, true, false, std::vector<std::string>{"INTERLEAVE_X=42"}});
    ASSERT_TRUE(env.join(10s));
    EXPECT_EQ(env.stdoutText(), "INTERLEAVE_X=42\n");
}

TEST_F(ProcessTest, SpawnOfAMissingProgramIsAClearError)
{
    Recording rec;
    Process p = Process::spawn({"interleave-no-such-program", "x"});
    EXPECT_TRUE(p.finished());
    EXPECT_EQ(p.exitCode(), 127);
    EXPECT_LE(p.pid(), 0);
    EXPECT_NE(p.error().find("interleave-no-such-program"), std::string::npos) << p.error();
    EXPECT_NE(p.error().find("No such file or directory"), std::string::npos) << p.error();
    EXPECT_TRUE(p.join(1s));
    rec.stop();
    EXPECT_TRUE(rec.events(EventType::Exec).empty());
    const auto outputs = rec.events(EventType::Output);
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_EQ(outputs[0].arg, 2);
}

TEST_F(ProcessTest, SpawnWithLargeOutputDoesNotDeadlock)
{
    // 1 MiB in and out: far more than a pipe holds (64 KiB), so stdin must be fed while
    // stdout is read.
    std::string input;
    for (int i = 0; input.size() < (1u << 20); ++i) {
        char line[96];
        std::snprintf(line, sizeof line, "line %07d %040d\n", i, i);
        input += line;
    }
    input.resize(1u << 20);
    Recording rec;
    Process cat = Process::spawn({"/bin/cat"}, SpawnOptions{input, true, false, std::nullopt});
    ASSERT_TRUE(cat.communicate(30s)) << "deadlock or timeout";
    EXPECT_EQ(cat.exitCode(), 0);
    EXPECT_EQ(cat.stdoutText().size(), input.size());
    EXPECT_TRUE(cat.stdoutText() == input);
    rec.stop();
    EXPECT_EQ(rec.events(EventType::Output).size(), size_t(Process::kMaxRecordedLines) + 1 + Process::kTailLines)
        << "recorded lines are the head and the tail, with one line between saying what was skipped";
    EXPECT_EQ(rec.events(EventType::IoWaitBegin).size(), rec.events(EventType::IoWaitEnd).size());
}

TEST_F(ProcessTest, JoinOnSpawnedProgramIsEscapableByStop)
{
    Process sleeper = Process::spawn({"sleep", "30"}, SpawnOptions{std::nullopt, false, false, std::nullopt});
    ASSERT_GT(sleeper.pid(), 0) << sleeper.error();
    instrument::setStopRequested(true);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(sleeper.join());
    instrument::setStopRequested(false);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    // The destructor terminates and reaps it.
}

// `run subprocess --set argv=yes` grew the runner by about 450 MB a second: every byte of the
// output was kept. Now each stream keeps its first 16 MiB and counts the rest, and an endless
// line is recorded cut.
TEST_F(ProcessTest, AFloodOfOutputIsCountedButKeptOnlyUpToItsLimit)
{
    Recording rec;
    // 48 MiB of "y" lines, then one 1 MiB line without a newline.
    Process p = Process::spawn({"/bin/sh", "-c", "yes | head -c 50331648; head -c 1048576 /dev/zero | tr '\\0' x"},
                               SpawnOptions{std::string(), true, false, std::nullopt});
    ASSERT_TRUE(p.communicate(120s));
    EXPECT_EQ(p.exitCode(), 0);
    EXPECT_EQ(p.outputBytes(1), 50331648u + 1048576u);
    EXPECT_EQ(p.stdoutText().size(), Process::kMaxCapturedBytes);
    EXPECT_EQ(p.stdoutText().substr(0, 4), "y\ny\n");
    rec.stop();
    // The head as it came, one line counting what was skipped, then the tail: 25,165,824 "y"
    // lines and the long one, less the 1,000 + 20 recorded.
    const auto outputs = rec.events(EventType::Output);
    ASSERT_EQ(outputs.size(), size_t(Process::kMaxRecordedLines) + 1 + Process::kTailLines);
    const std::string mark = rec.data().string(outputs[Process::kMaxRecordedLines].object);
    EXPECT_NE(mark.find("... (25164805 lines, 50329610 bytes skipped)"), std::string::npos) << mark;
    EXPECT_NE(rec.data().string(outputs[Process::kMaxRecordedLines - 1].object).find("] y"), std::string::npos);
    EXPECT_NE(rec.data().string(outputs[outputs.size() - 2].object).find("] y"), std::string::npos);
    EXPECT_NE(rec.data().string(outputs.back().object).find("x ... (line cut)"), std::string::npos);
}

TEST_F(ProcessTest, AFloodEndedByAStopKeepsItsTail)
{
    Recording rec;
    {
        Process p = Process::spawn({"/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo line $i; done"},
                                   SpawnOptions{std::string(), true, false, std::nullopt});
        // Well past the head: wait until the program has written 5,000 lines, then give up.
        while (p.outputBytes(1) < 60000)
            ASSERT_FALSE(p.communicate(50ms));
    } // the destructor ends it and records the tail
    rec.stop();
    const auto outputs = rec.events(EventType::Output);
    ASSERT_EQ(outputs.size(), size_t(Process::kMaxRecordedLines) + 1 + Process::kTailLines);
    EXPECT_NE(rec.data().string(outputs[Process::kMaxRecordedLines].object).find("bytes skipped)"), std::string::npos);
    // The tail is the last lines read, in order: consecutive numbers.
    auto number = [&](size_t i) {
        const std::string line = rec.data().string(outputs[i].object);
        return std::stol(line.substr(line.rfind(' ') + 1));
    };
    for (size_t i = Process::kMaxRecordedLines + 2; i < outputs.size(); ++i)
        EXPECT_EQ(number(i), number(i - 1) + 1);
    EXPECT_GT(number(Process::kMaxRecordedLines + 1), Process::kMaxRecordedLines + 1);
}

TEST_F(ProcessTest, AnEndlessLineIsRecordedCut)
{
    Recording rec;
    Process p = Process::spawn({"/bin/sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x; echo; echo short"},
                               SpawnOptions{std::string(), true, false, std::nullopt});
    ASSERT_TRUE(p.communicate(60s));
    EXPECT_EQ(p.outputBytes(1), 1048576u + 7u);
    rec.stop();
    const auto outputs = rec.events(EventType::Output);
    ASSERT_EQ(outputs.size(), 2u);
    const std::string first = rec.data().string(outputs[0].object);
    EXPECT_LT(first.size(), Process::kMaxLineBytes + 200);
    EXPECT_NE(first.find("xxxx ... (line cut)"), std::string::npos) << first.substr(first.size() - 40);
    EXPECT_NE(rec.data().string(outputs[1].object).find("short"), std::string::npos);
}

} // namespace
} // namespace interleave::core::test
