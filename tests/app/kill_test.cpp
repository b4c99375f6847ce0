// SPDX-License-Identifier: MIT
// Killing the process that started a run with SIGKILL (the front `interleave run`, or the window)
// must take the runner and every descendant of the run with it within 2 s: the runner sweeps
// them when its control channel closes or its parent-death signal arrives. SIGINT and SIGTERM
// stop the run as Stop does, and the front ends normally. Checked from /proc: every process of
// the run carries a mark in its environment, wherever it was reparented.
#include "tempdir.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr char kTagVariable[] = "INTERLEAVE_KILL_TAG";

/// The interleave program with the test-only scenarios (tests/runner/), which every test here runs.
std::string binary()
{
    return std::string(std::getenv("INTERLEAVE_BIN")) + "/interleave-test-runner";
}

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

/// Processes that are alive (not zombies) and carry `NAME=tag` in their environment.
std::vector<pid_t> markedProcesses(const std::string &tag)
{
    std::vector<pid_t> found;
    const std::string needle = std::string(kTagVariable) + '=' + tag + '\0';
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return found;
    while (const dirent *e = ::readdir(proc)) {
        char *end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (*end != 0 || pid <= 0 || pid == ::getpid())
            continue;
        const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
        const size_t close = stat.rfind(')');
        if (close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z')
            continue;
        const std::string env = '\0' + readFile("/proc/" + std::to_string(pid) + "/environ");
        if (env.find('\0' + needle) != std::string::npos)
            found.push_back(pid_t(pid));
    }
    ::closedir(proc);
    return found;
}

pid_t parentOf(pid_t pid)
{
    const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
    const size_t close = stat.rfind(')');
    return close == std::string::npos ? 0 : pid_t(std::atoi(stat.c_str() + close + 4));
}

/// The runner is the `interleave __runner` the front started (its forked children share its
/// command line, not its parent).
bool isRunnerOf(pid_t pid, pid_t front)
{
    const std::string cmdline = readFile("/proc/" + std::to_string(pid) + "/cmdline");
    return cmdline.find(std::string("__runner") + '\0') != std::string::npos && parentOf(pid) == front;
}

/// Orphans of the killed run are reparented to us (a subreaper): reap whatever has ended.
void reapEnded()
{
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

class KillRun : public ::testing::Test
{
protected:
    void SetUp() override
    {
        static int serial = 0;
        m_tag = std::to_string(::getpid()) + "-" + std::to_string(++serial);
        // Orphans come back to the test, not to init: nothing can hide, and zombies get reaped.
        ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        m_config = interleave::test::makeTempDir("kill");
        ASSERT_FALSE(m_config.empty());
    }

    void TearDown() override
    {
        // Never leave anything behind, even after a failure.
        for (pid_t pid : markedProcesses(m_tag))
            ::kill(pid, SIGKILL);
        if (m_front > 0)
            ::kill(m_front, SIGKILL);
        const auto until = Clock::now() + std::chrono::seconds(5);
        while (Clock::now() < until && ::waitpid(-1, nullptr, WNOHANG) >= 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
        if (m_out >= 0)
            ::close(m_out);
        std::system(("rm -rf '" + m_config + "'").c_str());
    }

    /// Starts `interleave-test-runner args...` with the mark and extra environment.
    void spawn(const std::vector<std::string> &args, const std::vector<std::string> &extraEnv)
    {
        std::vector<std::string> env = {std::string(kTagVariable) + '=' + m_tag,
                                        "XDG_CONFIG_HOME=" +
                                            m_config}; // the window's settings stay in the test's folder
        env.insert(env.end(), extraEnv.begin(), extraEnv.end());
        // The inherited variables, but none that is set above (getenv() finds the first of two,
        // and scripts/test gives every test an XDG_CONFIG_HOME of its own run).
        const std::vector<std::string> ours = env;
        const auto setAbove = [&ours](const std::string &entry) {
            const std::string name = entry.substr(0, entry.find('=') + 1);
            return std::any_of(ours.begin(), ours.end(), [&name](const std::string &e) { return e.starts_with(name); });
        };
        for (char **e = environ; *e; ++e)
            if (!setAbove(*e))
                env.emplace_back(*e);
        std::vector<char *> envp;
        for (auto &e : env)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        std::vector<std::string> argv = {binary()};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char *> argp;
        for (auto &a : argv)
            argp.push_back(a.data());
        argp.push_back(nullptr);

        int out[2];
        ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        const int rc = posix_spawn(&m_front, argv[0].c_str(), &actions, nullptr, argp.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        m_out = out[0];
        ASSERT_EQ(rc, 0) << std::strerror(rc);
    }

    /// Reads the front's stdout until a line starts with `prefix` (false after a minute or EOF).
    bool waitForLine(const std::string &prefix)
    {
        std::string text;
        const auto until = Clock::now() + std::chrono::minutes(1);
        while (Clock::now() < until) {
            pollfd p{m_out, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            char buf[4096];
            const ssize_t n = ::read(m_out, buf, sizeof buf);
            if (n <= 0)
                return false;
            text.append(buf, size_t(n));
            if (text.starts_with(prefix) || text.find('\n' + prefix) != std::string::npos)
                return true;
        }
        return false;
    }

    /// Polls /proc until at least `count` marked processes, one of them the runner, exist.
    bool waitForProcesses(size_t count)
    {
        const auto until = Clock::now() + std::chrono::minutes(1);
        while (Clock::now() < until) {
            const auto marked = markedProcesses(m_tag);
            if (marked.size() >= count &&
                std::any_of(marked.begin(), marked.end(), [this](pid_t p) { return isRunnerOf(p, m_front); }))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    /// Sends `sig` to the front and checks that every marked process is gone within 2 s of it;
    /// the front's wait status goes to `status`.
    void signalFrontAndExpectEverythingGone(size_t atLeast, int sig = SIGKILL, int *status = nullptr)
    {
        const std::vector<pid_t> before = markedProcesses(m_tag);
        ASSERT_GE(before.size(), atLeast) << "the run did not start all its processes";
        const auto runner =
            std::find_if(before.begin(), before.end(), [this](pid_t p) { return isRunnerOf(p, m_front); });
        ASSERT_NE(runner, before.end()) << "no runner among the run's processes";
        const pid_t runnerPid = *runner;
        const auto killed = Clock::now();
        ASSERT_EQ(::kill(m_front, sig), 0);
        int ended = 0;
        pid_t waited = 0;
        while ((waited = ::waitpid(m_front, &ended, WNOHANG)) == 0 && Clock::now() - killed < std::chrono::seconds(10))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_EQ(waited, m_front) << "the front did not end within 10 s of signal " << sig;
        m_front = 0;
        if (status)
            *status = ended;
        std::vector<pid_t> left = before;
        while (!left.empty() && Clock::now() - killed < std::chrono::seconds(2)) {
            reapEnded();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            left = markedProcesses(m_tag);
        }
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed);
        std::ostringstream names;
        for (pid_t pid : left)
            names << ' ' << pid << (pid == runnerPid ? " (the runner)" : "");
        EXPECT_TRUE(left.empty()) << left.size() << " of " << before.size()
                                  << " processes of the run outlived its front by 2 s:" << names.str();
        if (left.empty())
            std::cout << "[ INFO     ] all " << before.size() << " processes gone " << took.count()
                      << " ms after signal " << sig << "\n";
    }

    std::string m_tag;
    std::string m_config;
    pid_t m_front = 0;
    int m_out = -1;
};

} // namespace

TEST_F(KillRun, KillingTheFrontRunTakesStubbornDescendantsWithIt)
{
    spawn({"run", "torture-stubborn", "--set", "end=hold"}, {});
    ASSERT_TRUE(waitForLine("stubborn ready"));
    // Front, runner, 3 x (10 kinds, the orphan, the vfork child, a chain of 4).
    signalFrontAndExpectEverythingGone(2 + 3 * 15);
}

TEST_F(KillRun, KillingTheFrontRunDuringAStormTakesItAll)
{
    // Killed while the runner is still forking its waves: nothing forked late may escape.
    spawn({"run", "torture-storm", "--set", "end=hold", "--set", "waves=20", "--set", "per_wave=40"}, {});
    ASSERT_TRUE(waitForProcesses(150));
    signalFrontAndExpectEverythingGone(150);
}

TEST_F(KillRun, InterruptingTheFrontRunStopsItAndKeepsWhatItRecorded)
{
    // Ctrl+C is not SIGKILL: the run stops as the window's Stop does, every process of it goes,
    // and the trace recorded until then is still exported, status "stopped", exit status 0.
    const std::string chrome = m_config + "/stopped.json";
    spawn({"run", "torture-stubborn", "--set", "end=hold", "--chrome", chrome}, {});
    ASSERT_TRUE(waitForLine("stubborn ready"));
    int status = -1;
    signalFrontAndExpectEverythingGone(2 + 3 * 15, SIGINT, &status);
    EXPECT_TRUE(WIFEXITED(status)) << "the front was ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0)
                                   << " instead of stopping its run";
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    QFile file(QString::fromStdString(chrome));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << "no trace was exported: " << chrome;
    const QJsonObject other =
        QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("otherData")).toObject();
    EXPECT_EQ(other.value(QStringLiteral("status")).toString(), QStringLiteral("stopped"));
    // The runner and its 3 x 15 processes, each with how it ended (the stop's SIGKILL).
    const QJsonArray processes = other.value(QStringLiteral("processes")).toArray();
    EXPECT_GE(processes.size(), 1 + 3 * 15);
    for (const QJsonValue &process : processes)
        EXPECT_TRUE(!process[QStringLiteral("exit")].isNull() || !process[QStringLiteral("signal")].isNull())
            << "process " << process[QStringLiteral("pid")].toInt() << " has no end in the trace";
}

TEST_F(KillRun, KillingTheWindowTakesItsRunWithIt)
{
    // The window starts the scenario itself when INTERLEAVE_TEST_RUN names one (tests only).
    spawn({}, {"QT_QPA_PLATFORM=offscreen", "INTERLEAVE_TEST_RUN=torture-stubborn"});
    ASSERT_TRUE(waitForProcesses(2 + 3 * 15)) << "the window did not start the run named by INTERLEAVE_TEST_RUN";
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let the last ones settle in
    signalFrontAndExpectEverythingGone(2 + 3 * 15);
}

TEST_F(KillRun, SigtermClosesTheWindowWhichStopsItsRunAndKeepsItsSettings)
{
    // SIGTERM (a logout, `kill PID`) is not SIGKILL: the window closes as from its close button,
    // stopping the run, and ends with status 0 after writing its settings, which only closing
    // writes (the window's geometry).
    spawn({}, {"QT_QPA_PLATFORM=offscreen", "INTERLEAVE_TEST_RUN=torture-stubborn"});
    ASSERT_TRUE(waitForProcesses(2 + 3 * 15)) << "the window did not start the run named by INTERLEAVE_TEST_RUN";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string settings = m_config + "/Interleave/Interleave.conf";
    const auto read = [&settings] {
        std::ifstream file(settings);
        return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    };
    ASSERT_EQ(read().find("geometry="), std::string::npos) << "the geometry was saved before the window closed";
    int status = -1;
    signalFrontAndExpectEverythingGone(2 + 3 * 15, SIGTERM, &status);
    EXPECT_TRUE(WIFEXITED(status)) << "the window was ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0)
                                   << " instead of closing";
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    EXPECT_NE(read().find("geometry="), std::string::npos) << "the window closed without saving: " << settings;
}
