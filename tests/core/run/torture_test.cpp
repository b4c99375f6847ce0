// SPDX-License-Identifier: MIT
// Teardown torture: runs that fork hundreds of processes, double-fork into setsid orphans, and
// start processes that ignore SIGTERM, stop themselves or wait in vfork, ended by Stop, by the
// timeout and by the scenario returning. Afterwards /proc must show nothing of the run: no process
// that carries the run's mark, none in its process group, no zombie child of this test, nothing new
// in /dev/shm or System V shared memory, no temporary file, and the descriptors we had.
// Run it ten times in a row with --gtest_repeat=10 --gtest_filter='Torture.*'.
#include "run/reaper.h"
#include "run/session.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include "tempdir.h"
#include "torture.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace interleave::core;

namespace {

constexpr char kTagVariable[] = "INTERLEAVE_TORTURE_TAG";

std::set<std::string> entriesOf(const char *dir)
{
    std::set<std::string> names;
    if (DIR *d = ::opendir(dir)) {
        while (const dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
                names.insert(e->d_name);
        }
        ::closedir(d);
    }
    return names;
}

int openFdCount()
{
    return int(entriesOf("/proc/self/fd").size()) - 1;
} // minus opendir's own

/// The whole file, or what could be read of it (a process may vanish while we read its files).
std::string readFile(const std::string &path)
{
    std::string text;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return text;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        text.append(buf, size_t(n));
    ::close(fd);
    return text;
}

std::set<std::string> sysvSharedMemory()
{
    std::set<std::string> lines;
    std::istringstream in(readFile("/proc/sysvipc/shm"));
    std::string line;
    std::getline(in, line); // the header
    while (std::getline(in, line))
        lines.insert(line);
    return lines;
}

struct ProcEntry
{
    pid_t pid = 0;
    char state = 0;
    pid_t ppid = 0;
    pid_t pgrp = 0;
    pid_t session = 0;
};

std::vector<ProcEntry> allProcesses()
{
    std::vector<ProcEntry> found;
    for (const std::string &name : entriesOf("/proc")) {
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const std::string stat = readFile("/proc/" + name + "/stat");
        const size_t close = stat.rfind(')');
        if (close == std::string::npos)
            continue;
        ProcEntry p;
        p.pid = std::stoi(name);
        std::istringstream rest(stat.substr(close + 2));
        rest >> p.state >> p.ppid >> p.pgrp >> p.session;
        if (rest)
            found.push_back(p);
    }
    return found;
}

/// True when the process was started with our mark in its environment (every process of a run
/// inherits the environment the session spawned the runner with, wherever it was reparented).
bool carriesTag(pid_t pid, const std::string &tag)
{
    const std::string env = readFile("/proc/" + std::to_string(pid) + "/environ");
    const std::string needle = std::string(kTagVariable) + '=' + tag;
    for (size_t at = 0; at < env.size();) {
        const size_t end = env.find('\0', at);
        if (env.compare(at, (end == std::string::npos ? env.size() : end) - at, needle) == 0)
            return true;
        if (end == std::string::npos)
            break;
        at = end + 1;
    }
    return false;
}

int countNamed(const TraceModel &model, const char *name)
{
    int n = 0;
    for (const ProcessInfo &p : model.processes())
        n += p.name == name;
    return n;
}

class Torture : public ::testing::Test
{
protected:
    void SetUp() override
    {
        static int serial = 0;
        m_tag = std::to_string(::getpid()) + "-" + std::to_string(++serial);
        registerTestScenarios();
        ::setenv(kTagVariable, m_tag.c_str(), 1);
        // A private TMPDIR, inside the one the test was given: whatever the run would leave in a
        // temporary folder shows up here.
        if (const char *old = std::getenv("TMPDIR"))
            m_oldTmp = old;
        m_tmp = interleave::test::makeTempDir("torture");
        ASSERT_FALSE(m_tmp.empty());
        ::setenv("TMPDIR", m_tmp.c_str(), 1);
        m_shm = entriesOf("/dev/shm");
        m_sysv = sysvSharedMemory();
        m_fds = openFdCount();
    }

    void TearDown() override
    {
        ::unsetenv(kTagVariable);
        if (m_oldTmp.empty())
            ::unsetenv("TMPDIR");
        else
            ::setenv("TMPDIR", m_oldTmp.c_str(), 1);
        const std::set<std::string> left = entriesOf(m_tmp.c_str());
        EXPECT_TRUE(left.empty()) << "the run left " << left.size() << " file(s) in its TMPDIR, e.g. "
                                  << (left.empty() ? "" : *left.begin());
        for (const std::string &name : left)
            ::unlink((m_tmp + "/" + name).c_str());
        ::rmdir(m_tmp.c_str());
    }

    std::unique_ptr<Session> start(const char *id, const QList<QPair<QString, QString>> &sets, int timeoutMs = 0)
    {
        const Scenario *scenario = ScenarioRegistry::instance().find(id);
        EXPECT_NE(scenario, nullptr) << id;
        if (!scenario)
            return nullptr;
        RunRequest request;
        request.scenario = scenario;
        request.seed = 1;
        request.timeout = std::chrono::milliseconds(timeoutMs);
        QString error;
        EXPECT_TRUE(ScenarioRegistry::resolveParams(*scenario, sets, request.params, error)) << error.toStdString();
        auto session = std::make_unique<Session>();
        EXPECT_TRUE(session->start(request, &error)) << error.toStdString();
        m_runner = session->runnerPid();
        return session;
    }

    /// Polls until a console line starts with `prefix` (false if the run ended or 3 minutes passed).
    static bool waitForLine(Session &session, const std::string &prefix)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
        while (std::chrono::steady_clock::now() < deadline) {
            if (!session.poll())
                return false;
            const auto &model = session.model();
            for (uint32_t index : model.outputs()) {
                if (model.data().string(model.data().events[index].object).starts_with(prefix))
                    return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    /// The heart of every test: nothing of the run may be left, from /proc's point of view.
    void expectNothingLeft(std::unique_ptr<Session> &owned)
    {
        ASSERT_TRUE(owned);
        const Session &session = *owned;
        std::vector<pid_t> survivors;
        for (const ProcEntry &p : allProcesses()) {
            if (p.pid == ::getpid())
                continue;
            const bool ours = carriesTag(p.pid, m_tag) || p.pgrp == m_runner || p.ppid == ::getpid();
            if (ours) {
                ADD_FAILURE() << "process " << p.pid << " (state " << p.state << ", parent " << p.ppid << ", group "
                              << p.pgrp << ") outlived the run";
                survivors.push_back(p.pid);
            }
        }
        for (const ProcessInfo &p : session.model().processes()) {
            if (p.traced() && reaper::alive(p.pid)) {
                ADD_FAILURE() << "recorded process " << p.pid << " (" << p.name << ") is still alive";
                survivors.push_back(p.pid);
            }
        }
        EXPECT_TRUE(session.leftoverProcesses().empty());
        EXPECT_TRUE(reaper::children().empty()) << "a child (or zombie) of the test is left";
        EXPECT_EQ(entriesOf("/dev/shm"), m_shm) << "a POSIX shared-memory object or semaphore was left";
        EXPECT_EQ(sysvSharedMemory(), m_sysv) << "a System V shared-memory segment was left";
        owned.reset(); // the session keeps its control socket until it is destroyed
        EXPECT_EQ(openFdCount(), m_fds) << "a descriptor leaked into the test process";
        // Leave nothing behind even when failing, so the next repetition starts clean.
        for (pid_t pid : survivors)
            ::kill(pid, SIGKILL);
        reaper::sweepChildren();
    }

    std::string m_tag;
    std::string m_tmp;
    std::string m_oldTmp;
    std::set<std::string> m_shm;
    std::set<std::string> m_sysv;
    int m_fds = 0;
    pid_t m_runner = 0;
};

const QList<QPair<QString, QString>> kStormHold = {{QStringLiteral("end"), QStringLiteral("hold")}};

} // namespace

TEST_F(Torture, TestScenariosAreHiddenFromTheList)
{
    for (const auto &scenario : ScenarioRegistry::instance().all())
        EXPECT_FALSE(std::string(scenario->id()).starts_with("torture")) << scenario->id();
    EXPECT_NE(ScenarioRegistry::instance().find("torture-storm"), nullptr);
}

TEST_F(Torture, StormOfFourHundredProcessesIsStoppedWithoutATrace)
{
    auto session = start("torture-storm", kStormHold);
    ASSERT_TRUE(session);
    ASSERT_TRUE(waitForLine(*session, "storm ready")) << session->failure().toStdString();
    session->stop();
    EXPECT_EQ(session->status(), RunStatus::Stopped);
    // 5 waves of 60, every third double-forked: 300 children and 100 setsid orphans ran.
    EXPECT_EQ(countNamed(session->model(), "storm child"), 300);
    EXPECT_EQ(countNamed(session->model(), "storm orphan"), 100);
    expectNothingLeft(session);
}

TEST_F(Torture, StormStoppedWhileItIsStillForking)
{
    auto session = start("torture-storm", {{QStringLiteral("end"), QStringLiteral("hold")},
                                           {QStringLiteral("waves"), QStringLiteral("20")},
                                           {QStringLiteral("per_wave"), QStringLiteral("50")}});
    ASSERT_TRUE(session);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (session->poll() && countNamed(session->model(), "storm child") < 120 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    session->stop();
    EXPECT_EQ(session->status(), RunStatus::Stopped);
    EXPECT_GE(countNamed(session->model(), "storm child"), 120);
    EXPECT_LT(countNamed(session->model(), "storm child"), 1000) << "the stop came after the storm";
    expectNothingLeft(session);
}

TEST_F(Torture, StormEndedByTheTimeout)
{
    auto session =
        start("torture-storm",
              {{QStringLiteral("end"), QStringLiteral("hold")}, {QStringLiteral("waves"), QStringLiteral("3")}}, 3000);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->wait(), RunStatus::TimedOut);
    EXPECT_GT(countNamed(session->model(), "storm child"), 0);
    expectNothingLeft(session);
}

TEST_F(Torture, StormLeftRunningIsSweptWhenTheScenarioReturns)
{
    for (const char *keep : {"all", "orphans", "none"}) {
        auto session = start("torture-storm", {{QStringLiteral("end"), QStringLiteral("return")},
                                               {QStringLiteral("keep"), QLatin1String(keep)}});
        ASSERT_TRUE(session);
        EXPECT_EQ(session->wait(), RunStatus::Finished) << keep << ": " << session->failure().toStdString();
        EXPECT_EQ(countNamed(session->model(), "storm child"), 300) << keep;
        EXPECT_EQ(countNamed(session->model(), "storm orphan"), 100) << keep;
        // Every process's end is in the trace, including the orphans the runner swept.
        for (const ProcessInfo &p : session->model().processes()) {
            if (p.name == "storm child" || p.name == "storm orphan") {
                EXPECT_TRUE(p.exited) << keep << ": " << p.pid << " " << p.name;
            }
        }
        expectNothingLeft(session);
    }
}

TEST_F(Torture, StubbornProcessesAreStopped)
{
    auto session = start("torture-stubborn", kStormHold);
    ASSERT_TRUE(session);
    ASSERT_TRUE(waitForLine(*session, "stubborn ready")) << session->failure().toStdString();
    // Every kind is up: 3 copies of 10 kinds, their orphans and chains of 4.
    EXPECT_EQ(countNamed(session->model(), "stubborn"), 30);
    EXPECT_EQ(countNamed(session->model(), "stubborn orphan"), 3);
    EXPECT_EQ(countNamed(session->model(), "stubborn nested"), 12);
    session->stop();
    EXPECT_EQ(session->status(), RunStatus::Stopped);
    expectNothingLeft(session);
}

TEST_F(Torture, StubbornProcessesEndWithTheTimeout)
{
    auto session = start("torture-stubborn", kStormHold, 2500);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->wait(), RunStatus::TimedOut);
    EXPECT_GT(countNamed(session->model(), "stubborn"), 0);
    expectNothingLeft(session);
}

TEST_F(Torture, StubbornProcessesAreSweptWhenTheScenarioReturns)
{
    auto session = start("torture-stubborn", {{QStringLiteral("end"), QStringLiteral("return")}});
    ASSERT_TRUE(session);
    EXPECT_EQ(session->wait(), RunStatus::Finished) << session->failure().toStdString();
    EXPECT_EQ(countNamed(session->model(), "stubborn"), 30);
    EXPECT_EQ(countNamed(session->model(), "stubborn nested"), 12);
    expectNothingLeft(session);
}
