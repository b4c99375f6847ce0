// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QCborMap>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <string>

namespace interleave::core::net {

/// Version of the master/worker protocol, carried in the hello and the login.
/// 2: clock probes after the welcome and event batches from the worker (observability).
/// 3: the master opens with multiprocessing's challenge frame, before its hello (see below).
inline constexpr int kProtocolVersion = 3;
/// Largest frame after login (u32 length prefix excluded): a task description, not a file.
inline constexpr size_t kMaxFrame = 64 * 1024;
/// Largest frame before login: a login is a name and two 32-byte values.
inline constexpr size_t kMaxLoginFrame = 1024;
/// Bytes of a login challenge.
inline constexpr int kChallengeBytes = 32;

/// The message types of the protocol. Anything else on the wire is an error.
enum class MessageType
{
    Hello,     ///< master -> worker: {v, challenge}
    Login,     ///< worker -> master: {v, name, pid, challenge, proof}
    Welcome,   ///< master -> worker: {proof, tq, rq, ev, lease_ms} (tq / rq: the queues' trace object ids, 0 if
               ///< none; ev = 1: the master records a trace, probes the worker's clock and takes its events;
               ///< lease_ms: a worker holding a task must say something that often, else it loses the task)
    Refused,   ///< master -> worker: {why}; the master closes right after
    Get,       ///< worker -> master: {q: "task", timeout_ms}
    Task,      ///< master -> worker: {id, n, item}
    Empty,     ///< master -> worker: {held}: the queue stayed empty for timeout_ms; held: tasks other workers
               ///< hold now, any of which may come back to the queue (a worker waits for them; absent = 0)
    Put,       ///< worker -> master: {q: "result", id, item, r}; for a task whose lease ran out (re-queued
               ///< meanwhile) it is ignored and counted; for one the worker never held it closes the connection
    Bye,       ///< either way: leaving; from a worker {status}: the exit status it leaves with
    Probe,     ///< master -> worker, after the welcome when ev = 1: {n}
    Pong,      ///< worker -> master: {n, w1, w2}: the worker's clock when the probe arrived / the pong left
    Synced,    ///< master -> worker: {offset, rtt}: the estimate, in ns (master clock - worker clock)
    Events,    ///< worker -> master: a batch of the worker's own events (see eventbatch.h)
    EventsAck, ///< master -> worker: {seq, n}: batch `seq` with its n events is in the master's trace
    Alive,     ///< worker -> master: {id}: still working on task `id` (renews its lease; see lease_ms)
};

const char *messageTypeName(MessageType type);

/// One decoded message: its type and its fields (a CBOR map that also holds "t").
struct Message
{
    MessageType type = MessageType::Hello;
    QCborMap fields;

    qint64 integer(const char *key, qint64 fallback = -1) const;
    QByteArray bytes(const char *key) const;
    QString text(const char *key) const;
};

/// A message as a frame: u32 big-endian length, then the CBOR map (with "t" = the type's name).
QByteArray encodeFrame(MessageType type, QCborMap fields = {});

/// What decodeFrame found at the start of a byte buffer.
struct FrameResult
{
    enum Status
    {
        NeedMore,
        Frame,
        Error
    };
    Status status = NeedMore;
    size_t consumed = 0; ///< Frame: bytes used by the frame, prefix included
    Message message;     ///< Frame only
    std::string error;   ///< Error only: why the bytes are refused (for the log line)
};

/// Decodes the first frame of `data` without trusting it: a length above `maxFrame` is an error
/// as soon as its prefix is read (nothing is allocated for it); the body must be one CBOR map,
/// with nothing after it, whose "t" names a known MessageType. Pure function, fuzz-friendly.
FrameResult decodeFrame(const uint8_t *data, size_t size, size_t maxFrame = kMaxFrame);

/// The master's first frame, before its hello: what Python's multiprocessing.connection sends
/// first ("#CHALLENGE#" and 20 random bytes, u32 length in front). A worker skips it; a Python
/// BaseManager client (the chapter's own task_worker.py) answers it, and so shows what it is.
QByteArray encodeMultiprocessingChallenge();
/// Bytes of the complete multiprocessing challenge frame at the start of `data`; 0 when there is none.
size_t multiprocessingChallengeFrame(const uint8_t *data, size_t size);
/// True when the frame at the start of `data` (complete or not) is how a multiprocessing client
/// answers that challenge: a frame of 16 bytes (HMAC-MD5) or one that starts with "{DIGEST}"
/// (Python 3.12 and later, where MD5 is missing). A login never looks like this (a CBOR map).
bool looksLikeMultiprocessingAnswer(const uint8_t *data, size_t size);

/// Authentication: HMAC-SHA256 proofs over fresh challenges, both directions.
namespace auth {
/// kChallengeBytes from the system's cryptographic random source.
QByteArray newChallenge();
/// What the worker sends: proves it knows `key` for the master's challenge (and binds its own).
QByteArray workerProof(const QByteArray &key, const QByteArray &masterChallenge, const QByteArray &workerChallenge);
/// What the master sends back: proves it knows `key` too (a different label: no reflection).
QByteArray masterProof(const QByteArray &key, const QByteArray &masterChallenge, const QByteArray &workerChallenge);
/// Compares in time independent of where the bytes differ.
bool constantTimeEqual(const QByteArray &a, const QByteArray &b);
} // namespace auth

/// "HOST:PORT", "[v6]:PORT", ":PORT" or "PORT" (host defaults to 127.0.0.1); false with `error` set.
bool parseHostPort(const QString &text, std::string &host, uint16_t &port, QString &error, uint16_t defaultPort = 5000);
/// True for an address meaning "every interface" (0.0.0.0, ::, empty is NOT: it means loopback).
bool isWildcardAddress(const std::string &host);

} // namespace interleave::core::net
