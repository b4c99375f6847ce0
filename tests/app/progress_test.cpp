// SPDX-License-Identifier: MIT
// A long run whose output is all at the end (--json) says how far it is on a terminal's stderr,
// on one line rewritten in place, and leaves that line cleared; off a terminal it says nothing.
#include <QByteArray>
#include <QProcess>
#include <QString>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

/// Runs interleave with stderr on a pseudo-terminal and stdout on /dev/null; what the terminal got.
QByteArray onTerminal(const std::string &program, const std::vector<std::string> &args, int &status)
{
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        std::vector<char *> argv{const_cast<char *>(program.c_str())};
        for (const std::string &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    QByteArray got;
    if (pid < 0)
        return got;
    char buffer[4096];
    for (;;) {
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, 120000) <= 0)
            break;
        const ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n <= 0)
            break; // EIO once the child and its terminal are gone
        got.append(buffer, n);
    }
    ::close(master);
    ::waitpid(pid, &status, 0);
    return got;
}

} // namespace

TEST(CommandLineProgress, AJsonRunSaysHowFarItIsOnATerminalOnOneLine)
{
    const std::string program = qgetenv("INTERLEAVE_BIN").toStdString() + "/interleave";
    int status = -1;
    // The GIL lesson runs for the time it is given: two seconds, several progress lines.
    const QByteArray got = onTerminal(program, {"run", "gil", "--set", "duration=2", "--json", "--lang", "en"}, status);
    ASSERT_TRUE(WIFEXITED(status)) << got.constData();
    EXPECT_EQ(WEXITSTATUS(status), 0) << got.constData();
    EXPECT_TRUE(got.contains("\r\x1b[Krunning gil: ")) << got.constData();
    EXPECT_TRUE(got.contains(" events")) << got.constData();
    // Rewritten in place, never a new line; the last thing written clears it.
    EXPECT_FALSE(got.contains('\n')) << got.constData();
    EXPECT_TRUE(got.endsWith("\r\x1b[K")) << got.constData();
}

TEST(CommandLineProgress, OffATerminalNothingIsSaidWhileItRuns)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments({QStringLiteral("run"), QStringLiteral("gil"), QStringLiteral("--set"), QStringLiteral("duration=1"),
                    QStringLiteral("--json")});
    p.start();
    ASSERT_TRUE(p.waitForFinished(120000));
    EXPECT_EQ(p.exitCode(), 0);
    EXPECT_TRUE(p.readAllStandardError().isEmpty());
}
