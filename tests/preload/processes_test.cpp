// SPDX-License-Identifier: MIT
// Processes, pipes, sleeps and descriptor waits of real C programs recorded by the preloaded library.
#include "tracedprogram.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace interleave::core;
using namespace interleave::test;

TEST(Preload, ForkAndPipeRecordEveryProcessItsParentExitAndBytes)
{
    TracedProgram program("forkpipe");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "read 11 bytes, child exit 3\n");
    const TraceData &d = program.data();

    const auto starts = eventsOf(d, EventType::ProcessStart);
    ASSERT_EQ(starts.size(), 2u);
    const int32_t parent = d.threads[starts[0].thread].pid;
    const int32_t child = d.threads[starts[1].thread].pid;
    EXPECT_EQ(parent, program.pid());
    EXPECT_EQ(starts[0].arg, 0); // its parent is the runner (this test)
    EXPECT_EQ(starts[1].arg, parent);
    EXPECT_EQ(d.string(starts[0].object), "preload_forkpipe");
    EXPECT_EQ(d.string(starts[1].object), "preload_forkpipe");
    const auto forks = eventsOf(d, EventType::ForkReturn);
    ASSERT_EQ(forks.size(), 2u);
    EXPECT_EQ(countOf(d, EventType::ForkCall), 1u);

    // The parent reaped the child itself: its wait and the exit status are in the trace.
    const auto exits = eventsOf(d, EventType::ProcessExit);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(int32_t(exits[0].object), child);
    EXPECT_EQ(exits[0].arg, 3);
    const auto joins = eventsOf(d, EventType::JoinWait);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(int32_t(joins[0].object), child);
    EXPECT_TRUE(joins[0].flags & OnProcess);

    // Bytes: 5 + 6 sent by the child, 11 received by the parent, on one pipe by name.
    const auto sends = eventsOf(d, EventType::PipeSend);
    ASSERT_EQ(sends.size(), 2u);
    EXPECT_EQ(sends[0].arg, 5);
    EXPECT_EQ(sends[1].arg, 6);
    int64_t received = 0;
    for (const Event &r : eventsOf(d, EventType::PipeRecv))
        if (r.flags & ByteStream)
            received += r.arg;
    EXPECT_EQ(received, 11);
    for (const Event &s : sends) {
        EXPECT_TRUE(s.flags & ByteStream);
        EXPECT_EQ(d.threads[s.thread].pid, child);
    }
    const std::string channel = objectName(d, sends[0].object);
    EXPECT_EQ(channel.rfind("pipe:[", 0), 0u) << channel;
    const auto recvs = eventsOf(d, EventType::PipeRecv);
    ASSERT_FALSE(recvs.empty());
    EXPECT_EQ(objectName(d, recvs[0].object), channel);
    EXPECT_NE(recvs[0].object, sends[0].object); // each process announces its own channel object
    // The parent's printf went to the runner's capture pipe: not pipe traffic.
    for (const Event &s : sends)
        EXPECT_NE(d.threads[s.thread].pid, parent);

    const TraceModel &m = program.model();
    const ProcessInfo *c = m.process(child);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->ppid, parent);
    EXPECT_TRUE(c->exited);
    EXPECT_EQ(c->exitStatus, 3);
}

TEST(Preload, SleepsRecordTheirRequestedTime)
{
    TracedProgram program("sleeps");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    const TraceData &d = program.data();
    const auto begins = eventsOf(d, EventType::SleepBegin);
    ASSERT_EQ(begins.size(), 4u);
    EXPECT_EQ(begins[0].arg, 20'000'000);
    EXPECT_EQ(begins[1].arg, 10'000'000);
    EXPECT_EQ(begins[2].arg, 5'000'000);
    EXPECT_EQ(begins[3].arg, 0);
    EXPECT_EQ(countOf(d, EventType::SleepEnd), 4u);
    for (const Event &b : begins)
        EXPECT_EQ(d.string(b.loc).rfind("@at:" + programPath("sleeps") + "+0x", 0), 0u) << d.string(b.loc);
}

TEST(Preload, PollAndSelectRecordOnlyWaitsThatCanBlock)
{
    TracedProgram program("polls");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    const TraceData &d = program.data();
    const auto begins = eventsOf(d, EventType::IoWaitBegin);
    ASSERT_EQ(begins.size(), 2u);
    EXPECT_EQ(d.string(begins[0].object), "poll");
    EXPECT_EQ(d.string(begins[1].object), "select");
    EXPECT_EQ(countOf(d, EventType::IoWaitEnd), 2u);
    EXPECT_EQ(countOf(d, EventType::PipeRecvWait), 0u);
}

TEST(Preload, WithoutALogTheProgramRunsUnrecorded)
{
    TracedProgram program("forkpipe");
    ASSERT_TRUE(program.start(false)) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "read 11 bytes, child exit 3\n");
    EXPECT_TRUE(program.data().events.empty());
}

TEST(Preload, LibraryExportsOnlyInterposedFunctionsAndTheCApi)
{
    void *lib = dlopen(INTERLEAVE_PRELOAD_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib, nullptr) << dlerror();
    EXPECT_NE(dlsym(lib, "interleave_name_thread"), nullptr);
    EXPECT_NE(dlsym(lib, "interleave_last_semaphore"), nullptr);
    EXPECT_NE(dlsym(lib, "pthread_mutex_lock"), nullptr);
    // The recorder inside stays hidden.
    EXPECT_EQ(dlsym(lib, "_ZN10interleave4core8recorder6detail4g_onE"), nullptr);
    dlclose(lib);
}
