// SPDX-License-Identifier: MIT
// Python programs under the preloaded recorder: the GIL drawn as a lock, Python names for
// threads, processes and locks, and Python call sites for waits. Run with every CPython 3.11
// found (Debian's /usr/bin/python3, the one first on PATH); skipped when there is none.
#include "tracedprogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <sys/wait.h>
#include <unistd.h>

using namespace interleave::core;
using namespace interleave::test;

namespace {

namespace fs = std::filesystem;

/// The output of a shell-free command line (only this test's own fixed commands).
std::string commandOutput(const std::string &command)
{
    std::string out;
    if (FILE *pipe = popen(command.c_str(), "r")) {
        std::array<char, 512> buf{};
        while (fgets(buf.data(), int(buf.size()), pipe))
            out += buf.data();
        pclose(pipe);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

/// Each CPython 3.11 interpreter on this machine once, by its real executable (not a pyenv
/// shim script, which would run under the recorder too).
std::vector<std::string> pythons311()
{
    std::vector<std::string> found;
    std::set<std::string> seen;
    const char *ask =
        " -c 'import sys; print(sys.executable if sys.version_info[:2] == (3, 11) else \"\")' 2>/dev/null";
    for (const std::string candidate : {"/usr/bin/python3", "python3"}) {
        const std::string executable = commandOutput("env -u PYTHONPATH " + candidate + ask);
        if (executable.empty() || !fs::exists(executable))
            continue;
        if (seen.insert(fs::canonical(executable).string()).second)
            found.push_back(executable);
    }
    return found;
}

/// The repository (where the Python hook and the test programs are).
fs::path sourceDir()
{
#ifdef INTERLEAVE_SOURCE_DIR
    if (fs::exists(fs::path(INTERLEAVE_SOURCE_DIR) / "resources/python/sitecustomize.py"))
        return INTERLEAVE_SOURCE_DIR;
#endif
    // Else from this test binary up (a build tree inside the source tree).
    for (fs::path dir = fs::read_symlink("/proc/self/exe").parent_path(); dir.has_relative_path();
         dir = dir.parent_path())
        if (fs::exists(dir / "resources/python/sitecustomize.py"))
            return dir;
    return {};
}

fs::path script(const std::string &name)
{
    return sourceDir() / "tests/preload/programs" / name;
}

/// The 1-based number of the first line of `file` containing `marker`, 0 if none.
int lineOf(const fs::path &file, const std::string &marker)
{
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number)
        if (line.find(marker) != std::string::npos)
            return number;
    return 0;
}

/// Runs `python script` under the recorder with the hook on PYTHONPATH, as the runner does.
class PythonRun
{
public:
    PythonRun(const std::string &python, const fs::path &script)
        : m_program(python, {script.string()})
    {
        // The harness passes this process' environment on (bar LD_PRELOAD and INTERLEAVE_*).
        const char *old = getenv("PYTHONPATH");
        m_oldPath = old ? std::optional<std::string>(old) : std::nullopt;
        const std::string hook = (sourceDir() / "resources/python").string();
        setenv("PYTHONPATH", (old && *old ? hook + ':' + old : hook).c_str(), 1);
    }
    ~PythonRun()
    {
        if (m_oldPath)
            setenv("PYTHONPATH", m_oldPath->c_str(), 1);
        else
            unsetenv("PYTHONPATH");
    }
    TracedProgram &program() { return m_program; }

private:
    TracedProgram m_program;
    std::optional<std::string> m_oldPath;
};

std::set<uint32_t> gilObjects(const TraceData &d)
{
    std::set<uint32_t> gils;
    for (const Event &e : d.events)
        if (e.type == EventType::ObjectNew && e.flags == uint8_t(ObjectKind::Gil))
            gils.insert(e.object);
    return gils;
}

/// The GIL's obtains and releases replayed in time order (a release first at an equal time: it
/// is recorded before the unlock that lets the next holder in).
struct HoldReplay
{
    int twoHolders = 0;      ///< obtains while another thread held it
    int foreignReleases = 0; ///< releases by a thread that did not hold it
    int handOffs = 0;        ///< obtains by another thread than the previous holder
    Event first{};           ///< the first obtain or release
};

HoldReplay replayHolds(const TraceData &d, uint32_t gil)
{
    std::vector<Event> holds;
    for (const Event &e : d.events)
        if (e.object == gil && (e.type == EventType::LockObtain || e.type == EventType::LockRelease))
            holds.push_back(e);
    std::stable_sort(holds.begin(), holds.end(), [](const Event &a, const Event &b) {
        return a.time != b.time ? a.time < b.time : a.type == EventType::LockRelease && b.type == EventType::LockObtain;
    });
    HoldReplay replay;
    if (!holds.empty())
        replay.first = holds.front();
    constexpr uint32_t kNobody = ~0u;
    uint32_t holder = kNobody;
    uint32_t previous = kNobody;
    for (const Event &e : holds) {
        if (e.type == EventType::LockObtain) {
            replay.twoHolders += holder != kNobody;
            replay.handOffs += previous != kNobody && previous != e.thread;
            holder = previous = e.thread;
        } else {
            replay.foreignReleases += holder != e.thread;
            holder = kNobody;
        }
    }
    return replay;
}

bool isWait(const Event &e)
{
    // A _thread.lock is a POSIX semaphore: the recorder may show its wait as a lock's or a semaphore's.
    return e.type == EventType::LockWait || e.type == EventType::SemWait;
}

/// The waits of the thread named `thread` on the object named `object`.
std::vector<Event> waitsOn(const TraceData &d, const std::string &thread, const std::string &object)
{
    std::vector<Event> out;
    for (EventType type : {EventType::LockWait, EventType::SemWait})
        for (const Event &e : eventsOfThread(d, type, thread))
            if (objectName(d, e.object) == object)
                out.push_back(e);
    return out;
}

#define FOR_EACH_PYTHON(python)                                                                                        \
    const std::vector<std::string> pythons = pythons311();                                                             \
    if (pythons.empty())                                                                                               \
        GTEST_SKIP() << "no CPython 3.11 found (/usr/bin/python3, python3 on PATH)";                                   \
    ASSERT_FALSE(sourceDir().empty()) << "cannot find resources/python above the test binary";                         \
    for (const std::string &python : pythons)

} // namespace

TEST(PreloadPython, GilIsOneLockHandedOffBetweenBusyThreadsAndNeverHeldTwice)
{
    FOR_EACH_PYTHON(python)
    {
        SCOPED_TRACE(python);
        PythonRun run(python, script("python_gil.py"));
        ASSERT_TRUE(run.program().start()) << run.program().error();
        const int status = run.program().finish();
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << run.program().output();
        const TraceData &d = run.program().data();

        const std::set<uint32_t> gils = gilObjects(d);
        ASSERT_EQ(gils.size(), 1u);
        const uint32_t gil = *gils.begin();
        EXPECT_EQ(objectName(d, gil), "GIL");

        const HoldReplay replay = replayHolds(d, gil);
        EXPECT_EQ(replay.twoHolders, 0);
        EXPECT_EQ(replay.foreignReleases, 0);
        EXPECT_GE(replay.handOffs, 20);

        // The main thread holds it from the interpreter's start; each looper waited for it and got it.
        const auto mainObtains = eventsOfThread(d, EventType::LockObtain, "MainThread");
        ASSERT_FALSE(mainObtains.empty());
        EXPECT_EQ(replay.first.type, EventType::LockObtain);
        EXPECT_EQ(replay.first.thread, mainObtains.front().thread);
        for (const std::string looper : {"Looper-0", "Looper-1"}) {
            const auto waits = eventsOfThread(d, EventType::LockWait, looper);
            const auto obtains = eventsOfThread(d, EventType::LockObtain, looper);
            const auto onGil = [gil](const Event &e) { return e.object == gil; };
            EXPECT_GE(std::count_if(waits.begin(), waits.end(), onGil), 10) << looper;
            EXPECT_GE(std::count_if(obtains.begin(), obtains.end(), onGil), 10) << looper;
        }
    }
}

TEST(PreloadPython, DeadlockWaitsOnLocksNamedByTheirVariablesAtTheirWithLines)
{
    FOR_EACH_PYTHON(python)
    {
        SCOPED_TRACE(python);
        const fs::path file = script("python_deadlock.py");
        PythonRun run(python, file);
        ASSERT_TRUE(run.program().start()) << run.program().error();
        const bool bothWait = run.program().waitFor([](const TraceData &d) {
            return !waitsOn(d, "Thread-A", "lock_b").empty() && !waitsOn(d, "Thread-B", "lock_a").empty() &&
                   !waitsOn(d, "MainThread", "Thread-A._tstate_lock").empty();
        });
        run.program().kill();
        const int status = run.program().finish();
        ASSERT_TRUE(bothWait) << "output: " << run.program().output();
        EXPECT_TRUE(WIFSIGNALED(status));
        const TraceData &d = run.program().data();

        const auto a = waitsOn(d, "Thread-A", "lock_b");
        const auto b = waitsOn(d, "Thread-B", "lock_a");
        ASSERT_EQ(a.size(), 1u);
        ASSERT_EQ(b.size(), 1u);
        EXPECT_TRUE(isWait(a[0]) && isWait(b[0]));
        EXPECT_EQ(d.string(a[0].loc), file.string() + ':' + std::to_string(lineOf(file, "# WAIT-A")));
        EXPECT_EQ(d.string(b[0].loc), file.string() + ':' + std::to_string(lineOf(file, "# WAIT-B")));
        // Each waits for the lock the other one holds: two different objects, neither the GIL.
        EXPECT_NE(a[0].object, b[0].object);
        EXPECT_FALSE(gilObjects(d).contains(a[0].object));
        EXPECT_FALSE(gilObjects(d).contains(b[0].object));
        // The main thread's join() is a wait on the lock CPython holds for Thread-A's life, at the join's line.
        const auto join = waitsOn(d, "MainThread", "Thread-A._tstate_lock");
        ASSERT_EQ(join.size(), 1u);
        EXPECT_EQ(d.string(join[0].loc), file.string() + ':' + std::to_string(lineOf(file, "# JOIN")));
        // Every wait is on something with a Python name (a variable, a thread's, or the program's
        // line that led to a Condition's waiter), never on a bare address inside CPython.
        for (EventType type : {EventType::LockWait, EventType::SemWait})
            for (const Event &e : eventsOf(d, type))
                EXPECT_EQ(objectName(d, e.object).rfind("@at:", 0), std::string::npos) << objectName(d, e.object);
    }
}

TEST(PreloadPython, PoolWorkersAreProcessesWithTheirPythonNames)
{
    FOR_EACH_PYTHON(python)
    {
        SCOPED_TRACE(python);
        PythonRun run(python, script("python_pool.py"));
        ASSERT_TRUE(run.program().start()) << run.program().error();
        const int status = run.program().finish();
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << run.program().output();
        EXPECT_NE(run.program().output().find("All subprocesses done: [0, 1, 2, 3, 4]"), std::string::npos);
        const TraceData &d = run.program().data();
        const TraceModel &model = run.program().model();

        std::multiset<std::string> names;
        for (const ProcessInfo &p : model.processes())
            if (p.traced())
                names.insert(p.name);
        ASSERT_EQ(names.size(), 5u) << ::testing::PrintToString(names);
        for (int worker = 1; worker <= 4; ++worker)
            EXPECT_EQ(names.count("ForkPoolWorker-" + std::to_string(worker)), 1u) << ::testing::PrintToString(names);
        EXPECT_EQ(std::count_if(names.begin(), names.end(),
                                [](const std::string &n) { return n.find("python_pool.py") != std::string::npos; }),
                  1)
            << ::testing::PrintToString(names);

        // The pool's own threads carry their threading names; every process has its own GIL.
        std::set<std::string> threadNames;
        for (const Event &e : eventsOf(d, EventType::ThreadName))
            threadNames.insert(d.string(e.object));
        for (const std::string handler : {"_handle_workers", "_handle_tasks", "_handle_results"})
            EXPECT_TRUE(std::any_of(threadNames.begin(), threadNames.end(), [&](const std::string &n) {
                return n.find(handler) != std::string::npos;
            })) << handler;
        // Every process has its own GIL (a fork child creates it again), held first by its only
        // thread and never by two threads at once.
        const std::set<uint32_t> gils = gilObjects(d);
        EXPECT_EQ(gils.size(), 5u);
        for (const uint32_t gil : gils) {
            const HoldReplay replay = replayHolds(d, gil);
            EXPECT_EQ(replay.first.type, EventType::LockObtain);
            EXPECT_EQ(replay.twoHolders, 0);
            EXPECT_EQ(replay.foreignReleases, 0);
        }
    }
}

TEST(PreloadPython, LocksAreNamedByWhatTheyAreAssignedToElseByTheLineThatMadeThem)
{
    FOR_EACH_PYTHON(python)
    {
        SCOPED_TRACE(python);
        const fs::path file = script("python_names.py");
        PythonRun run(python, file);
        ASSERT_TRUE(run.program().start()) << run.program().error();
        const int status = run.program().finish();
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << run.program().output();
        const TraceData &d = run.program().data();

        // Each object's name as the model keeps it: its last ObjectNew.
        std::map<uint32_t, std::string> names;
        for (const Event &e : eventsOf(d, EventType::ObjectNew))
            names[e.object] = d.string(uint32_t(e.arg));
        std::multiset<std::string> all;
        for (const auto &[object, name] : names)
            all.insert(name);
        const std::string unnamed = file.string() + ':' + std::to_string(lineOf(file, "# UNNAMED"));
        for (const std::string &expected : std::vector<std::string>{"accounts", "counter_lock", "ready", "slots",
                                                                    "mp_lock", "jobs.mutex", "lock", unnamed})
            EXPECT_EQ(all.count(expected), 1u) << expected << " in " << ::testing::PrintToString(all);

        const auto feeder = eventsOf(d, EventType::ThreadName);
        EXPECT_TRUE(std::any_of(feeder.begin(), feeder.end(),
                                [&](const Event &e) { return d.string(e.object) == "QueueFeederThread"; }));
        EXPECT_EQ(all.count("results._rlock"), 1u) << ::testing::PrintToString(all);

        // The worker's wait-free pass through `accounts` is on the object named so.
        const auto renamed = eventsOfThread(d, EventType::SemAcquire, "renamed-worker");
        const auto locked = eventsOfThread(d, EventType::LockObtain, "renamed-worker");
        const auto isAccounts = [&](const Event &e) { return names[e.object] == "accounts"; };
        EXPECT_EQ(std::count_if(renamed.begin(), renamed.end(), isAccounts) +
                      std::count_if(locked.begin(), locked.end(), isAccounts),
                  1);
    }
}
