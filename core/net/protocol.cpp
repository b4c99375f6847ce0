// SPDX-License-Identifier: MIT
#include "net/protocol.h"

#include <QCborStreamReader>
#include <QCborValue>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>

namespace interleave::core::net {

namespace {

struct NetTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::net::NetTr)
};

constexpr std::array<std::pair<MessageType, const char *>, 15> kNames = {{
    {MessageType::Hello, "hello"},
    {MessageType::Login, "login"},
    {MessageType::Welcome, "welcome"},
    {MessageType::Refused, "refused"},
    {MessageType::Get, "get"},
    {MessageType::Task, "task"},
    {MessageType::Empty, "empty"},
    {MessageType::Put, "put"},
    {MessageType::Bye, "bye"},
    {MessageType::Probe, "probe"},
    {MessageType::Pong, "pong"},
    {MessageType::Synced, "synced"},
    {MessageType::Events, "events"},
    {MessageType::EventsAck, "events-ack"},
    {MessageType::Alive, "alive"},
}};

QByteArray proof(const char *label, const QByteArray &key, const QByteArray &first, const QByteArray &second)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, key);
    mac.addData(QByteArray(label));
    mac.addData(first);
    mac.addData(second);
    return mac.result();
}

} // namespace

const char *messageTypeName(MessageType type)
{
    for (const auto &[t, name] : kNames) {
        if (t == type)
            return name;
    }
    return "?";
}

qint64 Message::integer(const char *key, qint64 fallback) const
{
    const QCborValue v = fields.value(QLatin1String(key));
    return v.isInteger() ? v.toInteger() : fallback;
}

QByteArray Message::bytes(const char *key) const
{
    return fields.value(QLatin1String(key)).toByteArray();
}

QString Message::text(const char *key) const
{
    return fields.value(QLatin1String(key)).toString();
}

QByteArray encodeFrame(MessageType type, QCborMap fields)
{
    fields.insert(QLatin1String("t"), QLatin1String(messageTypeName(type)));
    const QByteArray body = fields.toCborValue().toCbor();
    QByteArray frame;
    frame.reserve(body.size() + 4);
    const auto n = uint32_t(body.size());
    frame.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    frame.append(body);
    return frame;
}

FrameResult decodeFrame(const uint8_t *data, size_t size, size_t maxFrame)
{
    FrameResult out;
    if (size < 4)
        return out;
    const uint32_t n = (uint32_t(data[0]) << 24) | (uint32_t(data[1]) << 16) | (uint32_t(data[2]) << 8) | data[3];
    // Checked before anything else: a hostile length must not make anyone wait for or allocate it.
    if (n > maxFrame) {
        out.status = FrameResult::Error;
        out.error = "frame of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(maxFrame);
        return out;
    }
    if (n == 0) {
        out.status = FrameResult::Error;
        out.error = "empty frame";
        return out;
    }
    if (size - 4 < n)
        return out;
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data + 4), qsizetype(n));
    QCborStreamReader reader(body);
    const QCborValue value = QCborValue::fromCbor(reader);
    out.status = FrameResult::Error;
    if (reader.lastError() != QCborError::NoError) {
        out.error = "malformed CBOR: " + reader.lastError().toString().toStdString();
        return out;
    }
    if (reader.currentOffset() != qint64(n)) {
        out.error = "bytes after the message in its frame";
        return out;
    }
    if (!value.isMap()) {
        out.error = "the message is not a CBOR map";
        return out;
    }
    const QCborMap map = value.toMap();
    const QCborValue t = map.value(QLatin1String("t"));
    if (!t.isString()) {
        out.error = "the message has no type";
        return out;
    }
    const QString type = t.toString();
    for (const auto &[known, name] : kNames) {
        if (type == QLatin1String(name)) {
            out.status = FrameResult::Frame;
            out.consumed = 4 + size_t(n);
            out.message.type = known;
            out.message.fields = map;
            return out;
        }
    }
    out.error = "unknown message type '" + type.left(40).toStdString() + "'";
    return out;
}

namespace {
constexpr std::string_view kMultiprocessingChallenge = "#CHALLENGE#";
constexpr size_t kMultiprocessingChallengeBytes = 20; // multiprocessing's MESSAGE_LENGTH

uint32_t frameLength(const uint8_t *data)
{
    return (uint32_t(data[0]) << 24) | (uint32_t(data[1]) << 16) | (uint32_t(data[2]) << 8) | data[3];
}
} // namespace

QByteArray encodeMultiprocessingChallenge()
{
    const QByteArray random = auth::newChallenge().left(qsizetype(kMultiprocessingChallengeBytes));
    const auto n = uint32_t(kMultiprocessingChallenge.size() + kMultiprocessingChallengeBytes);
    QByteArray frame;
    frame.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    frame.append(kMultiprocessingChallenge.data(), qsizetype(kMultiprocessingChallenge.size()));
    frame.append(random);
    return frame;
}

size_t multiprocessingChallengeFrame(const uint8_t *data, size_t size)
{
    const size_t n = kMultiprocessingChallenge.size() + kMultiprocessingChallengeBytes;
    if (size < 4 + n || frameLength(data) != n)
        return 0;
    return std::string_view(reinterpret_cast<const char *>(data + 4), kMultiprocessingChallenge.size()) ==
                   kMultiprocessingChallenge
               ? 4 + n
               : 0;
}

bool looksLikeMultiprocessingAnswer(const uint8_t *data, size_t size)
{
    if (size < 5)
        return false;
    const uint32_t n = frameLength(data);
    return n == 16 || (n <= 128 && data[4] == '{');
}

namespace auth {

QByteArray newChallenge()
{
    QByteArray bytes(kChallengeBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), kChallengeBytes / 4);
    return bytes;
}

QByteArray workerProof(const QByteArray &key, const QByteArray &masterChallenge, const QByteArray &workerChallenge)
{
    return proof("interleave/1 worker proof", key, masterChallenge, workerChallenge);
}

QByteArray masterProof(const QByteArray &key, const QByteArray &masterChallenge, const QByteArray &workerChallenge)
{
    return proof("interleave/1 master proof", key, workerChallenge, masterChallenge);
}

bool constantTimeEqual(const QByteArray &a, const QByteArray &b)
{
    // The length of a proof is public (always 32); only the contents must not leak through timing.
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace auth

bool parseHostPort(const QString &text, std::string &host, uint16_t &port, QString &error, uint16_t defaultPort)
{
    QString h;
    QString p;
    bool bracketed = false;
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        h = QStringLiteral("127.0.0.1");
        p = QString::number(defaultPort);
    } else if (t.startsWith(QLatin1Char('['))) {
        const qsizetype close = t.indexOf(QLatin1Char(']'));
        if (close < 0 || (close + 1 < t.size() && t[close + 1] != QLatin1Char(':'))) {
            error = NetTr::tr("cannot read the address '%1': write HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:5000")
                        .arg(t.left(80));
            return false;
        }
        h = t.mid(1, close - 1);
        bracketed = true;
        p = close + 2 <= t.size() ? t.mid(close + 2) : QString::number(defaultPort);
    } else if (t.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = t.indexOf(QLatin1Char(':'));
        h = t.left(colon);
        p = t.mid(colon + 1);
    } else if (t.contains(QLatin1Char(':'))) {
        h = t; // a bare IPv6 address
        p = QString::number(defaultPort);
    } else {
        bool number = false;
        t.toUInt(&number);
        h = number ? QString() : t;
        p = number ? t : QString::number(defaultPort);
    }
    if (h.isEmpty())
        h = QStringLiteral("127.0.0.1");
    // A malformed address is bad input now, not ten seconds of "cannot resolve" later: a host with
    // a colon or in brackets must be an IPv6 address, any other one a name or an IPv4 address.
    const bool ipv6 = bracketed || h.contains(QLatin1Char(':'));
    in6_addr v6{};
    const bool hostOk = ipv6 ? ::inet_pton(AF_INET6, h.toLatin1().constData(), &v6) == 1 && h.size() < 64
                             : h.size() < 254 && std::all_of(h.begin(), h.end(), [](QChar c) {
                                   return (c.unicode() < 128 && c.isLetterOrNumber()) || c == QLatin1Char('.') ||
                                          c == QLatin1Char('-') || c == QLatin1Char('_');
                               });
    if (!hostOk) {
        error = NetTr::tr("cannot read the address '%1': write HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:5000")
                    .arg(t.left(80));
        return false;
    }
    bool ok = false;
    const uint value = p.toUInt(&ok);
    if (!ok || value > 65535) {
        error = NetTr::tr("cannot read the port in '%1': it must be a number from 0 to 65535").arg(t.left(80));
        return false;
    }
    host = h.toStdString();
    port = uint16_t(value);
    return true;
}

bool isWildcardAddress(const std::string &host)
{
    return host == "0.0.0.0" || host == "::" || host == "0:0:0:0:0:0:0:0";
}

} // namespace interleave::core::net
