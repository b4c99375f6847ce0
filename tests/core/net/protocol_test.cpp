// SPDX-License-Identifier: MIT
#include "net/eventbatch.h"
#include "net/protocol.h"

#include <QCborArray>
#include <QCborValue>

#include <gtest/gtest.h>

using namespace interleave::core;
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
    ASSERT_TRUE(parseHostPort(QStringLiteral("::1"), host, port, error));
    EXPECT_EQ(host, "::1");
    EXPECT_EQ(port, 5000);
    ASSERT_TRUE(parseHostPort(QStringLiteral("master-1.lab_net:5001"), host, port, error));
    EXPECT_EQ(host, "master-1.lab_net");
}

// `worker --connect bad:host:x` was taken as an IPv6 address and retried for ten seconds; a
// malformed address is refused at once, its text cut short in the message.
TEST(NetProtocol, MalformedAddressesAreRefusedAtOnce)
{
    std::string host;
    uint16_t port = 0;
    for (const QString &text :
         {QStringLiteral("bad:host:x"), QStringLiteral("[nonsense]:5000"), QStringLiteral("a b:5000"),
          QStringLiteral("host/x:5000"), QString(300, QLatin1Char('h'))}) {
        QString error;
        EXPECT_FALSE(parseHostPort(text, host, port, error)) << text.toStdString();
        EXPECT_TRUE(error.startsWith(QStringLiteral("cannot read the address"))) << error.toStdString();
        EXPECT_LT(error.size(), 200) << error.toStdString();
    }
}

namespace {

/// An Events message as the master reads it off the wire: encoded, framed, decoded.
Message eventsMessage(const QCborMap &fields)
{
    const QByteArray frame = encodeFrame(MessageType::Events, fields);
    const FrameResult r = decode(frame);
    EXPECT_EQ(r.status, FrameResult::Frame) << r.error;
    return r.message;
}

QCborArray event(qint64 thread, qint64 time, qint64 type, qint64 object = 0, qint64 arg = 0, qint64 flags = 0,
                 qint64 loc = 0)
{
    return QCborArray{thread, time, type, object, arg, flags, loc};
}

/// An array holding one value (a braced single array would copy it instead of nesting it).
QCborArray one(const QCborValue &value)
{
    QCborArray array;
    array.append(value);
    return array;
}

QCborMap batchFields(const QCborArray &events, const QCborArray &threads = one(QCborArray{0, 4242}),
                     const QCborArray &strings = {})
{
    return QCborMap{{QLatin1String("seq"), 1},
                    {QLatin1String("th"), threads},
                    {QLatin1String("s"), strings},
                    {QLatin1String("ev"), events}};
}

} // namespace

TEST(NetEventBatch, EncodedBatchDecodesBackFieldByField)
{
    EventBatch batch;
    batch.seq = 3;
    batch.threads = {{0, 4242}, {1, 4243}};
    batch.strings = {{8, "worker-1"}, {24, "run task 7 * 7..."}};
    batch.events = {{0, 1'000'000, EventType::ThreadName, 8, 0, 0, 0},
                    {1, 2'000'000, EventType::QueueGet, 5, 17, 0, 24},
                    {0, 3'000'000, EventType::QueueGet, 5, 0, Timed, 0},
                    {1, 4'000'000, EventType::Output, 24, 1, 0, 0}};
    const QByteArray frame = encodeEventBatch(batch);
    const FrameResult r = decode(frame);
    ASSERT_EQ(r.status, FrameResult::Frame) << r.error;
    EventBatch back;
    std::string error;
    ASSERT_TRUE(decodeEventBatch(r.message, back, error)) << error;
    EXPECT_EQ(back.seq, 3);
    ASSERT_EQ(back.threads.size(), 2u);
    EXPECT_EQ(back.threads[1].index, 1);
    EXPECT_EQ(back.threads[1].tid, 4243);
    ASSERT_EQ(back.strings.size(), 2u);
    EXPECT_EQ(back.strings[1].id, 24u);
    EXPECT_EQ(back.strings[1].text, "run task 7 * 7...");
    ASSERT_EQ(back.events.size(), 4u);
    for (size_t i = 0; i < batch.events.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(back.events[i].thread, batch.events[i].thread);
        EXPECT_EQ(back.events[i].time, batch.events[i].time);
        EXPECT_EQ(back.events[i].type, batch.events[i].type);
        EXPECT_EQ(back.events[i].object, batch.events[i].object);
        EXPECT_EQ(back.events[i].arg, batch.events[i].arg);
        EXPECT_EQ(back.events[i].flags, batch.events[i].flags);
        EXPECT_EQ(back.events[i].loc, batch.events[i].loc);
    }
    // A full batch fits in one frame, with room to spare.
    EventBatch full;
    full.seq = 1;
    for (int i = 0; i < kMaxBatchStrings; ++i)
        full.strings.push_back({uint32_t(8 + 8 * i), std::string(size_t(kMaxStringBytes), 'x')});
    for (int i = 0; i < kMaxBatchEvents; ++i)
        full.events.push_back({63, kMaxWireTime, EventType::QueuePut, 0xffffffffu, INT64_MIN, Timed, 0xffffffffu});
    EXPECT_LT(size_t(encodeEventBatch(full).size()), kMaxFrame);
    ASSERT_EQ(decode(encodeEventBatch(full)).status, FrameResult::Frame);
}

TEST(NetEventBatch, MalformedBatchesAreRefusedWithAReason)
{
    const qint64 getType = qint64(EventType::QueueGet);
    const std::vector<std::tuple<std::string, QCborMap, std::string>> cases = {
        {"time as text", batchFields(one(QCborArray{0, QLatin1String("soon"), getType, 1, 1, 0, 0})),
         "time is negative"},
        {"negative time", batchFields(one(event(0, -5, getType, 1, 1))), "time is negative"},
        {"time past 2^62", batchFields(one(event(0, kMaxWireTime + 1, getType, 1, 1))), "time is negative"},
        {"a lock event", batchFields(one(event(0, 1, qint64(EventType::LockWait), 1))), "not accepted"},
        {"a fork", batchFields(one(event(0, 1, qint64(EventType::ProcessStart), 1))), "not accepted"},
        {"type 200", batchFields(one(event(0, 1, 200))), "not accepted"},
        {"thread 64", batchFields(one(event(64, 1, getType, 1, 1))), "thread index is out of range"},
        {"negative object", batchFields(one(event(0, 1, getType, -1, 1))), "object is out of range"},
        {"object past 32 bits", batchFields(one(event(0, 1, getType, qint64(1) << 32, 1))), "object is out of range"},
        {"unknown flag", batchFields(one(event(0, 1, getType, 1, 1, 4))), "flags are not"},
        {"six fields", batchFields(one(QCborArray{0, 1, getType, 1, 1, 0})), "an event is not"},
        {"tid 0", batchFields({}, one(QCborArray{0, 0})), "a thread is not"},
        {"tid past the pid limit", batchFields({}, one(QCborArray{0, kMaxWireTid + 1})), "a thread is not"},
        {"string id 0", batchFields({}, {}, one(QCborArray{0, QLatin1String("x")})), "a string is not"},
        {"long string", batchFields({}, {}, one(QCborArray{8, QString(kMaxStringBytes + 1, QLatin1Char('x'))})),
         "bytes"},
        {"string as bytes", batchFields({}, {}, one(QCborArray{8, QByteArray("x")})), "a string is not"},
    };
    for (const auto &[what, fields, reason] : cases) {
        SCOPED_TRACE(what);
        EventBatch batch;
        std::string error;
        EXPECT_FALSE(decodeEventBatch(eventsMessage(fields), batch, error));
        EXPECT_NE(error.find(reason), std::string::npos) << error;
    }
    // Counts are checked before anything is read: one event too many, one string too many.
    QCborArray many;
    for (int i = 0; i <= kMaxBatchEvents; ++i)
        many.append(event(0, 1, getType, 1, 1));
    EventBatch batch;
    std::string error;
    EXPECT_FALSE(decodeEventBatch(eventsMessage(batchFields(many)), batch, error));
    EXPECT_NE(error.find("513 events"), std::string::npos) << error;
    QCborArray strings;
    for (int i = 0; i <= kMaxBatchStrings; ++i)
        strings.append(QCborArray{8 * (i + 1), QLatin1String("s")});
    EXPECT_FALSE(decodeEventBatch(eventsMessage(batchFields({}, {}, strings)), batch, error));
    EXPECT_NE(error.find("strings"), std::string::npos) << error;
    // No seq, seq 0, an extra field, arrays that are not arrays.
    QCborMap noSeq = batchFields({});
    noSeq.remove(QLatin1String("seq"));
    QCborMap seqZero = batchFields({});
    seqZero.insert(QLatin1String("seq"), 0);
    QCborMap extra = batchFields({});
    extra.insert(QLatin1String("exec"), QLatin1String("rm -rf"));
    QCborMap notArray = batchFields({});
    notArray.insert(QLatin1String("ev"), 7);
    for (const QCborMap &fields : {noSeq, seqZero, extra, notArray})
        EXPECT_FALSE(decodeEventBatch(eventsMessage(fields), batch, error))
            << fields.toCborValue().toDiagnosticNotation().toStdString();
    // And the good ones pass.
    EXPECT_TRUE(decodeEventBatch(eventsMessage(batchFields(one(event(0, 1, getType, 1, 0, Timed)))), batch, error))
        << error;
}
