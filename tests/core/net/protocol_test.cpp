// SPDX-License-Identifier: MIT
#include "net/protocol.h"

#include <QCborArray>
#include <QCborValue>

#include <gtest/gtest.h>

using namespace interleave::core::net;

namespace {

FrameResult decode(const QByteArray &bytes, size_t max = kMaxFrame)
{
    return decodeFrame(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()), max);
}

QByteArray framed(const QByteArray &body)
{
    const auto n = uint32_t(body.size());
    QByteArray out;
    out.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    return out + body;
}

} // namespace

TEST(NetProtocol, EncodedFrameDecodesBackAndPartialInputWaits)
{
    QCborMap fields;
    fields.insert(QLatin1String("id"), 7);
    fields.insert(QLatin1String("n"), 3411);
    const QByteArray frame = encodeFrame(MessageType::Task, fields) + QByteArray("\0\0", 2);
    for (qsizetype cut = 0; cut < frame.size() - 2; ++cut)
        EXPECT_EQ(decode(frame.left(cut)).status, FrameResult::NeedMore) << cut;
    const FrameResult r = decode(frame);
    ASSERT_EQ(r.status, FrameResult::Frame) << r.error;
    EXPECT_EQ(r.consumed, size_t(frame.size() - 2));
    EXPECT_EQ(r.message.type, MessageType::Task);
    EXPECT_EQ(r.message.integer("n"), 3411);
    EXPECT_EQ(r.message.integer("missing", -5), -5);
}

TEST(NetProtocol, HostileFramesAreErrorsWithAReason)
{
    // A 100 MB length prefix is refused from its four bytes alone.
    const FrameResult huge = decode(QByteArray("\x06\x40\x00\x00", 4));
    EXPECT_EQ(huge.status, FrameResult::Error);
    EXPECT_NE(huge.error.find("exceeds"), std::string::npos) << huge.error;
    // Before login the limit is small.
    EXPECT_EQ(decode(encodeFrame(MessageType::Login, {{QLatin1String("name"), QString(2000, QLatin1Char('x'))}}),
                     kMaxLoginFrame)
                  .status,
              FrameResult::Error);
    EXPECT_EQ(decode(QByteArray(4, '\0')).status, FrameResult::Error); // empty frame
    EXPECT_EQ(decode(framed(QByteArray("\xff\xff\xff\xff", 4))).status, FrameResult::Error);
    EXPECT_EQ(decode(framed(QCborValue(42).toCbor())).status, FrameResult::Error);             // not a map
    EXPECT_EQ(decode(framed(QCborMap{{QLatin1String("n"), 1}}.toCborValue().toCbor())).status, // no type
              FrameResult::Error);
    const FrameResult unknown =
        decode(framed(QCborMap{{QLatin1String("t"), QLatin1String("exec")}}.toCborValue().toCbor()));
    EXPECT_EQ(unknown.status, FrameResult::Error);
    EXPECT_NE(unknown.error.find("unknown message type"), std::string::npos) << unknown.error;
    // Trailing bytes inside a frame are not silently ignored.
    EXPECT_EQ(decode(framed(QCborMap{{QLatin1String("t"), QLatin1String("bye")}}.toCborValue().toCbor() + "x")).status,
              FrameResult::Error);
    // Deep nesting and random bytes never crash, whatever they decode to.
    QByteArray deep(3000, char(0x81)); // arrays of arrays
    EXPECT_EQ(decode(framed(deep)).status, FrameResult::Error);
    for (int seed = 0; seed < 2000; ++seed) {
        QByteArray noise;
        uint32_t x = uint32_t(seed) * 2654435761u + 1;
        for (int i = 0; i < 40; ++i) {
            x = x * 1103515245u + 12345u;
            noise.append(char(x >> 16));
        }
        const FrameResult r = decode(framed(noise));
        EXPECT_NE(r.status, FrameResult::NeedMore);
    }
}

TEST(NetProtocol, ProofsNeedTheKeyAndDifferByDirection)
{
    const QByteArray a = auth::newChallenge();
    const QByteArray b = auth::newChallenge();
    EXPECT_EQ(a.size(), kChallengeBytes);
    EXPECT_NE(a, b); // fresh every time
    const QByteArray key("abc");
    EXPECT_TRUE(auth::constantTimeEqual(auth::workerProof(key, a, b), auth::workerProof(key, a, b)));
    EXPECT_FALSE(auth::constantTimeEqual(auth::workerProof(key, a, b), auth::workerProof("abd", a, b)));
    EXPECT_FALSE(auth::constantTimeEqual(auth::workerProof(key, a, b), auth::masterProof(key, a, b)));
    EXPECT_FALSE(auth::constantTimeEqual(auth::workerProof(key, a, b), auth::workerProof(key, b, a)));
    EXPECT_FALSE(auth::constantTimeEqual(QByteArray("ab"), QByteArray("abc")));
}

TEST(NetProtocol, AddressesDefaultToLoopback)
{
    std::string host;
    uint16_t port = 0;
    QString error;
    ASSERT_TRUE(parseHostPort(QString(), host, port, error));
    EXPECT_EQ(host, "127.0.0.1");
    EXPECT_EQ(port, 5000);
    ASSERT_TRUE(parseHostPort(QStringLiteral(":6000"), host, port, error));
    EXPECT_EQ(host, "127.0.0.1");
    EXPECT_EQ(port, 6000);
    ASSERT_TRUE(parseHostPort(QStringLiteral("[::1]:7000"), host, port, error));
    EXPECT_EQ(host, "::1");
    EXPECT_EQ(port, 7000);
    ASSERT_TRUE(parseHostPort(QStringLiteral("0.0.0.0:5000"), host, port, error));
    EXPECT_TRUE(isWildcardAddress(host));
    EXPECT_FALSE(isWildcardAddress("127.0.0.1"));
    EXPECT_FALSE(parseHostPort(QStringLiteral("host:99999"), host, port, error));
    EXPECT_FALSE(error.isEmpty());
}
