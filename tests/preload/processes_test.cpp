// SPDX-License-Identifier: MIT
// Processes, pipes, sleeps and descriptor waits of real C programs recorded by the preloaded library.
#include "tracedprogram.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cerrno>
#include <set>

#include <dlfcn.h>
#include <fcntl.h>
#include <gelf.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace interleave::core;
using namespace interleave::test;

namespace {

/// Defined global and weak symbols of a shared library's dynamic symbol table (libelf), and its
/// DT_NEEDED libraries in `needed`.
std::vector<std::string> exportedSymbols(const char *path, std::vector<std::string> *needed = nullptr)
{
    std::vector<std::string> names;
    elf_version(EV_CURRENT);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, nullptr) : nullptr;
    for (Elf_Scn *scn = nullptr; elf && (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr))
            continue;
        if (shdr.sh_type == SHT_DYNAMIC && needed) {
            Elf_Data *data = elf_getdata(scn, nullptr);
            for (size_t i = 0; data && i < shdr.sh_size / shdr.sh_entsize; ++i) {
                GElf_Dyn dyn;
                if (gelf_getdyn(data, int(i), &dyn) && dyn.d_tag == DT_NEEDED)
                    needed->emplace_back(elf_strptr(elf, shdr.sh_link, dyn.d_un.d_val));
            }
        }
        if (shdr.sh_type != SHT_DYNSYM)
            continue;
        Elf_Data *data = elf_getdata(scn, nullptr);
        for (size_t i = 0; data && i < shdr.sh_size / shdr.sh_entsize; ++i) {
            GElf_Sym sym;
            gelf_getsym(data, int(i), &sym);
            const int bind = GELF_ST_BIND(sym.st_info);
            if (sym.st_shndx != SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK))
                names.emplace_back(elf_strptr(elf, shdr.sh_link, sym.st_name));
        }
    }
    if (elf)
        elf_end(elf);
    if (fd >= 0)
        close(fd);
    return names;
}

} // namespace

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
    // Every defined global symbol is a libc function it interposes or the interleave_* C API.
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    ASSERT_NE(libc, nullptr);
    size_t exported = 0;
    std::vector<std::string> needed;
    const std::vector<std::string> symbols = exportedSymbols(INTERLEAVE_PRELOAD_LIBRARY, &needed);
    // No Qt, nothing but the C and C++ runtimes (ld.so exports the rseq area's offset).
    const std::set<std::string> allowed = {"libc.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libm.so.6",
                                           "ld-linux-x86-64.so.2"};
    EXPECT_FALSE(needed.empty());
    for (const std::string &lib : needed)
        EXPECT_TRUE(allowed.count(lib)) << "libinterleave-preload.so needs " << lib;
    for (const std::string &name : symbols) {
        ++exported;
        if (name.rfind("interleave_", 0) == 0)
            continue;
        EXPECT_NE(dlsym(libc, name.c_str()), nullptr) << name << " is exported but is not a libc function";
    }
    EXPECT_GT(exported, 50u);
    dlclose(libc);
}

TEST(Preload, ExecContinuesTheProcessAndSpawnAnnouncesItsChild)
{
    // Grandchildren come back to this test when their parent is gone: none may be left.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    TracedProgram program("execs");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "exec'd 4, spawned 5\n");
    const TraceData &d = program.data();
    const std::string exe = programPath("execs");

    // The failed attempt on a missing program is no exec: the child's name never changes to it.
    const auto execs = eventsOf(d, EventType::Exec);
    ASSERT_EQ(execs.size(), 2u);
    for (const Event &e : execs)
        EXPECT_EQ(d.string(e.object).find("/nonexistent/"), std::string::npos) << d.string(e.object);
    const Event *image = nullptr, *spawn = nullptr;
    for (const Event &e : execs)
        (d.string(e.object) == exe + " image" ? image : spawn) = &e;
    ASSERT_NE(image, nullptr);
    ASSERT_NE(spawn, nullptr);
    EXPECT_EQ(d.string(spawn->object), exe + " spawned");
    // The exec'd image is the forked child itself (Exec names its own pid), recorded on.
    const int32_t child = d.threads[image->thread].pid;
    EXPECT_EQ(int32_t(image->arg), child);
    const int32_t spawned = int32_t(spawn->arg);
    EXPECT_EQ(d.threads[spawn->thread].pid, program.pid());

    size_t childStarts = 0, spawnedStarts = 0;
    for (const Event &s : eventsOf(d, EventType::ProcessStart)) {
        const int32_t pid = d.threads[s.thread].pid;
        childStarts += pid == child;
        spawnedStarts += pid == spawned;
        if (pid == spawned) {
            EXPECT_EQ(s.arg, program.pid());
        }
    }
    EXPECT_EQ(childStarts, 2u); // after the fork, and the new image's
    EXPECT_EQ(spawnedStarts, 1u);

    const TraceModel &m = program.model();
    const ProcessInfo *c = m.process(child);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->threads.size(), 1u); // the exec'd image goes on in the same lane
    EXPECT_EQ(c->command, exe + " image");
    EXPECT_TRUE(c->exited);
    EXPECT_EQ(c->exitStatus, 4);
    const ProcessInfo *s = m.process(spawned);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->ppid, program.pid());
    EXPECT_EQ(s->exitStatus, 5);
    errno = 0;
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
    prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST(Preload, Python3RunsUnchangedUnderTheRecorder)
{
    if (access("/usr/bin/python3", X_OK) != 0)
        GTEST_SKIP() << "no /usr/bin/python3";
    const std::string script =
        "import threading, subprocess\n"
        "t = threading.Thread(target=lambda: None)\n"
        "t.start(); t.join()\n"
        "print(subprocess.run(['/bin/echo', 'child'], capture_output=True).stdout.decode(), end='')\n"
        "print('ok')\n";
    TracedProgram program("/usr/bin/python3", {"-c", script});
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "child\nok\n");
    const TraceData &d = program.data();
    const auto starts = eventsOf(d, EventType::ProcessStart);
    ASSERT_GE(starts.size(), 2u); // python3, and the echo it ran (with its output pipe)
    EXPECT_EQ(d.string(starts[0].object), "python3 -c");
    // Python's main thread and its thread; echo goes on in the forked child's thread (subprocess
    // forks, then execs), so it starts none.
    EXPECT_EQ(countOf(d, EventType::ThreadStart), 2u);
    const auto execs = eventsOf(d, EventType::Exec);
    ASSERT_EQ(execs.size(), 1u);
    EXPECT_EQ(d.string(execs[0].object), "/bin/echo child");
    bool echoRecorded = false;
    for (const Event &s : starts)
        echoRecorded = echoRecorded || d.string(s.object) == "echo";
    EXPECT_TRUE(echoRecorded);
}

TEST(Preload, SocketPairCarriesBytesBothWaysAndNonBlockingReceivesDoNotWait)
{
    TracedProgram program("sockets");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "got 4, child 0\n");
    const TraceData &d = program.data();
    size_t pairs = 0;
    for (const Event &e : eventsOf(d, EventType::ObjectNew))
        pairs += objectName(d, e.object).rfind("socketpair:[", 0) == 0;
    EXPECT_EQ(pairs, 1u);
    const auto sends = eventsOf(d, EventType::PipeSend);
    ASSERT_EQ(sends.size(), 2u);
    std::set<int64_t> sizes;
    for (const Event &s : sends) {
        sizes.insert(s.arg);
        EXPECT_EQ(objectName(d, s.object).rfind("socket:[", 0), 0u);
    }
    EXPECT_EQ(sizes, (std::set<int64_t>{4, 5}));
    int64_t received = 0;
    for (const Event &r : eventsOf(d, EventType::PipeRecv))
        received += (r.flags & ByteStream) ? r.arg : 0;
    EXPECT_EQ(received, 9);
    // The non-blocking receive recorded nothing; each blocking one at most one wait.
    EXPECT_LE(countOf(d, EventType::PipeRecvWait), 2u);
    EXPECT_EQ(eventsOf(d, EventType::PipeRecv).size(), 2u);
}

TEST(Preload, TryLocksAndTimedLocksRecordAsTheBuiltInMutexDoes)
{
    TracedProgram program("timedlock");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "trylock busy, timedlock timed out\nrelock refused\n");
    const TraceData &d = program.data();
    // A failed try records nothing; the timed wait: LockWait (Timed) then LockTimeout; the refused
    // relock: LockWait then LockTimeout on the error-checking mutex.
    // (Events come per thread, not in time order: pick them by what they are.)
    auto waits = eventsOf(d, EventType::LockWait);
    ASSERT_EQ(waits.size(), 2u);
    std::sort(waits.begin(), waits.end(), [](const Event &x, const Event &y) { return x.flags > y.flags; });
    const Event timed = waits[0], refused = waits[1];
    EXPECT_TRUE(timed.flags & Timed);
    EXPECT_FALSE(refused.flags & Timed);
    EXPECT_NE(timed.object, refused.object);
    const auto timeouts = eventsOf(d, EventType::LockTimeout);
    ASSERT_EQ(timeouts.size(), 2u);
    for (const Event &t : timeouts)
        EXPECT_TRUE((t.thread == timed.thread && t.object == timed.object) ||
                    (t.thread == refused.thread && t.object == refused.object));
    // main's lock and its successful try of `guard`, the error-checking mutex's first lock
    const auto obtains = eventsOf(d, EventType::LockObtain);
    ASSERT_EQ(obtains.size(), 3u);
    size_t tries = 0, ofRefused = 0;
    for (const Event &o : obtains) {
        tries += (o.flags & TryLock) != 0;
        ofRefused += o.object == refused.object;
    }
    EXPECT_EQ(tries, 1u);
    EXPECT_EQ(ofRefused, 1u);
    // The error-checking mutex lives on main's stack: named by the pthread_mutex_init call.
    EXPECT_EQ(objectName(d, refused.object).rfind("@at:" + programPath("timedlock") + "+0x", 0), 0u);
    // pthread_exit ended the thread once.
    EXPECT_EQ(countOf(d, EventType::ThreadExit), 1u);
    EXPECT_EQ(eventsOf(d, EventType::ThreadExit)[0].thread, timed.thread);
}

TEST(Preload, AcceptAndConnectAreDescriptorWaits)
{
    TracedProgram program("server");
    ASSERT_TRUE(program.start()) << program.error();
    ASSERT_EQ(program.finish(), 0);
    EXPECT_EQ(program.output(), "received 2\n");
    const TraceData &d = program.data();
    std::vector<std::string> waits;
    for (const Event &e : eventsOf(d, EventType::IoWaitBegin)) {
        const bool inParent = d.threads[e.thread].pid == program.pid();
        waits.push_back(d.string(e.object) + (inParent ? " (parent)" : " (child)"));
    }
    std::sort(waits.begin(), waits.end());
    EXPECT_EQ(waits, (std::vector<std::string>{"accept (parent)", "connect (child)"}));
    EXPECT_EQ(countOf(d, EventType::IoWaitEnd), 2u);
    const auto sends = eventsOf(d, EventType::PipeSend);
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].arg, 2);
    int64_t received = 0;
    for (const Event &r : eventsOf(d, EventType::PipeRecv))
        received += (r.flags & ByteStream) ? r.arg : 0;
    EXPECT_EQ(received, 2);
}
