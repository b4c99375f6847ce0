// SPDX-License-Identifier: MIT
#include "instrument/pipe.h"

#include "leakcheck.h"
#include "recording.h"

#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace interleave::core::test {

namespace {

using namespace std::chrono_literals;

class PipeTest : public LeakCheckedTest
{};

TEST_F(PipeTest, MessagesCrossBothWays)
{
    Recording rec;
    Pipe pipe("duplex");
    Process child = Process::fork("child", [&] {
        pipe.end1().close();
        const auto message = pipe.end2().recv();
        if (!message)
            return 1;
        pipe.end2().send("pong:" + *message);
        return 0;
    });
    pipe.end2().close();
    sleepFor(30ms); // the child is blocked in recv meanwhile
    ASSERT_TRUE(pipe.end1().send("ping"));
    EXPECT_EQ(pipe.end1().recv(10s), "pong:ping");
    ASSERT_TRUE(child.join(10s));
    EXPECT_EQ(child.exitCode(), 0);
    rec.stop();

    const auto sends = rec.events(EventType::PipeSend, [&](const Event &e) { return e.object == pipe.id(); });
    const auto recvs = rec.events(EventType::PipeRecv, [&](const Event &e) { return e.object == pipe.id(); });
    ASSERT_EQ(sends.size(), 2u);
    ASSERT_EQ(recvs.size(), 2u);
    EXPECT_EQ(rec.pid(sends[0]), getpid());
    EXPECT_EQ(rec.pid(recvs[0]), child.pid());
    EXPECT_EQ(rec.pid(sends[1]), child.pid());
    EXPECT_EQ(rec.pid(recvs[1]), getpid());
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(recvs[i].arg, sends[i].arg) << "the receive pairs with its send";
        EXPECT_GT(recvs[i].time, sends[i].time);
    }
    EXPECT_NE(sends[0].arg, sends[1].arg);
    const auto waits = rec.events(EventType::PipeRecvWait, [&](const Event &e) { return rec.pid(e) == child.pid(); });
    EXPECT_EQ(waits.size(), 1u) << "the child blocked before the ping";
}

TEST_F(PipeTest, ClosingTheOtherEndGivesEof)
{
    Pipe pipe("eof");
    Process child = Process::fork("child", [&] {
        pipe.end1().close();
        pipe.end2().send("bye");
        return 0; // exiting closes end2
    });
    pipe.end2().close();
    EXPECT_EQ(pipe.end1().recv(10s), "bye");
    EXPECT_FALSE(pipe.end1().recv(10s));
    EXPECT_TRUE(pipe.end1().eof());
    EXPECT_TRUE(child.join(10s));
    EXPECT_THROW(pipe.end1().send("late"), std::system_error) << "the other end is gone";
}

TEST_F(PipeTest, RecvTimesOutWithoutEof)
{
    Pipe pipe("quiet");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(pipe.end1().recv(80ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 75ms);
    EXPECT_FALSE(pipe.end1().eof());
}

TEST_F(PipeTest, OneWayPipeRefusesTheWrongDirection)
{
    Pipe pipe("oneway", false);
    EXPECT_THROW(pipe.end1().send("x"), std::logic_error);
    EXPECT_THROW(pipe.end2().recv(), std::logic_error);
    // Larger than the socket buffer: the sender blocks until the receiver reads.
    Process child = Process::fork("sender", [&] { return pipe.end2().send(std::string(300000, 'z')) ? 0 : 1; });
    EXPECT_EQ(pipe.end1().recv(10s).value_or("").size(), 300000u);
    EXPECT_TRUE(child.join(10s));
    EXPECT_EQ(child.exitCode(), 0);
}

} // namespace
} // namespace interleave::core::test
