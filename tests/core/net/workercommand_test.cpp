// SPDX-License-Identifier: MIT
// `interleave worker` as the command runs it: its exit status and its one line on stderr for a
// malformed address, a master killed under it, and a master that never comes (--retry).
#include "instrument/process.h"
#include "net/commands.h"
#include "net/master.h"
#include "selfcount.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QString>
#include <QTextStream>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

using namespace interleave::core;
using namespace interleave::core::net;
using namespace std::chrono_literals;

namespace {

class WorkerCommand : public interleave::test::NothingLeftBehindTest
{
protected:
    void SetUp() override
    {
        NothingLeftBehindTest::SetUp();
        ::setenv("INTERLEAVE_WORKER_QUIET", "1", 1);
        ::setenv("INTERLEAVE_WORKER_PACE_MS", "1000", 1);
        ::unsetenv("INTERLEAVE_WORKER_RETRY_S");
    }
    void TearDown() override
    {
        ::unsetenv("INTERLEAVE_WORKER_QUIET");
        ::unsetenv("INTERLEAVE_WORKER_PACE_MS");
        NothingLeftBehindTest::TearDown();
    }

    /// Runs the command; its exit status, with what it wrote and how long it took.
    int run(const QString &connect, std::optional<QString> retry = std::nullopt)
    {
        m_out.clear();
        m_err.clear();
        QTextStream out(&m_out);
        QTextStream err(&m_err);
        const auto started = std::chrono::steady_clock::now();
        const int status =
            workerCommand(connect, QStringLiteral("s3cret"), QStringLiteral("w"), out, err, std::move(retry));
        m_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return status;
    }

    QString m_out;
    QString m_err;
    double m_seconds = 0;
};

} // namespace

// `worker --connect bad:host:x` retried for ten seconds instead of exiting 2.
TEST_F(WorkerCommand, AMalformedAddressOrRetryExitsTwoAtOnceWithOneLine)
{
    EXPECT_EQ(run(QStringLiteral("bad:host:x")), 2);
    EXPECT_EQ(m_err.count(QLatin1Char('\n')), 1) << m_err.toStdString();
    EXPECT_TRUE(m_err.contains(QStringLiteral("bad:host:x"))) << m_err.toStdString();
    EXPECT_LT(m_seconds, 3.0) << "it tried to connect";
    for (const QString &retry : {QString(), QStringLiteral("soon"), QStringLiteral("-1"), QStringLiteral("1e9")}) {
        EXPECT_EQ(run(QStringLiteral("127.0.0.1:5000"), retry), 2) << retry.toStdString();
        EXPECT_EQ(m_err.count(QLatin1Char('\n')), 1) << m_err.toStdString();
        EXPECT_TRUE(m_err.contains(QStringLiteral("--retry"))) << m_err.toStdString();
        EXPECT_LT(m_seconds, 3.0);
    }
}

// A worker whose master was killed exited 0, as if the work were done.
TEST_F(WorkerCommand, AWorkerWhoseMasterWasKilledExitsOneWithOneLine)
{
    int portPipe[2];
    ASSERT_EQ(::pipe2(portPipe, O_CLOEXEC), 0);
    Process master = Process::fork("master", [&] {
        MasterOptions o;
        o.port = 0;
        o.authkey = "s3cret";
        o.log = [](std::string_view) {};
        Master m(o);
        std::string error;
        if (!m.listen(error))
            return 1;
        m.put(7);
        m.start();
        const uint16_t port = m.port();
        if (::write(portPipe[1], &port, sizeof port) != ssize_t(sizeof port))
            return 1;
        while (m.leases().empty()) // the worker is on its task
            std::this_thread::sleep_for(10ms);
        ::raise(SIGKILL);
        return 0;
    });
    ::close(portPipe[1]);
    uint16_t port = 0;
    ASSERT_EQ(::read(portPipe[0], &port, sizeof port), ssize_t(sizeof port));
    ::close(portPipe[0]);
    const int status = run(QStringLiteral("127.0.0.1:%1").arg(port));
    ASSERT_TRUE(master.join(10s));
    EXPECT_EQ(master.signal(), SIGKILL);
    EXPECT_EQ(status, 1) << m_err.toStdString();
    EXPECT_EQ(m_err.count(QLatin1Char('\n')), 1) << m_err.toStdString();
    EXPECT_TRUE(m_err.contains(QStringLiteral("without its goodbye"))) << m_err.toStdString();
}

// Nobody listens: the worker tries again with a backoff for --retry seconds, then gives up with
// exit 1, naming the address.
TEST_F(WorkerCommand, RetryBoundsTheWaitForAMasterThatNeverComes)
{
    // A port that is bound but not listening: connections to it are refused.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    socklen_t size = sizeof addr;
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &size), 0);
    const QString where = QStringLiteral("127.0.0.1:%1").arg(ntohs(addr.sin_port));
    EXPECT_EQ(run(where, QStringLiteral("1")), 1);
    ::close(fd);
    EXPECT_GE(m_seconds, 0.9) << "it did not try again";
    EXPECT_LT(m_seconds, 8.0) << "it tried for longer than --retry";
    std::printf("nobody listens, --retry 1: gave up after %.2f s\n", m_seconds);
    EXPECT_TRUE(m_err.contains(QStringLiteral("trying again for 1 s"))) << m_err.toStdString();
    EXPECT_TRUE(m_err.contains(where)) << m_err.toStdString();
}
