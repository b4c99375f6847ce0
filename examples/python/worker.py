#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The chapter's task_worker.py for `interleave master`, written from docs/protocol.md.

It logs in to the master, takes numbers from its task queue, squares them and puts the results
back, as the chapter's worker does, until the master says goodbye or the queue stays empty.

    INTERLEAVE_AUTHKEY=abc python3 worker.py 127.0.0.1:5000

Needs only Python's standard library and cbor2 (Debian: python3-cbor2).
"""
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

import cbor2

PROTOCOL_VERSION = 3
MAX_FRAME = 64 * 1024
MP_CHALLENGE = b"#CHALLENGE#"  # the master's opening for Python multiprocessing clients: skipped


class MasterGone(Exception):
    pass


def send(sock, message_type, **fields):
    body = cbor2.dumps(dict(fields, t=message_type))
    sock.sendall(struct.pack(">I", len(body)) + body)


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise MasterGone("the master closed the connection")
        data += chunk
    return data


def receive(sock):
    while True:
        (length,) = struct.unpack(">I", read_exactly(sock, 4))
        if length == 0 or length > MAX_FRAME:
            raise MasterGone("bad frame length %d" % length)
        body = read_exactly(sock, length)
        if body.startswith(MP_CHALLENGE):
            continue
        message = cbor2.loads(body)
        if not isinstance(message, dict) or not isinstance(message.get("t"), str):
            raise MasterGone("the master sent something that is not a message")
        return message


def proof(key, label, first, second):
    return hmac.new(key, label + first + second, hashlib.sha256).digest()


def log_in(sock, key, name):
    hello = receive(sock)
    if hello["t"] != "hello" or hello.get("v") != PROTOCOL_VERSION:
        raise MasterGone("the master speaks protocol version %r" % hello.get("v"))
    theirs = hello["challenge"]
    mine = os.urandom(32)
    send(sock, "login", v=PROTOCOL_VERSION, name=name, pid=os.getpid(), challenge=mine,
         proof=proof(key, b"interleave/1 worker proof", theirs, mine))
    answer = receive(sock)
    if answer["t"] == "refused":
        raise MasterGone("refused by the master: %s" % answer.get("why"))
    if answer["t"] != "welcome":
        raise MasterGone("no welcome from the master")
    if not hmac.compare_digest(answer["proof"], proof(key, b"interleave/1 master proof", mine, theirs)):
        raise MasterGone("the master could not prove that it knows the key")
    if answer.get("ev") == 1:  # the master records a trace: it probes our clock first
        while True:
            message = receive(sock)
            if message["t"] == "synced":
                break
            arrived = time.monotonic_ns()
            send(sock, "pong", n=message["n"], w1=arrived, w2=time.monotonic_ns())
    return answer.get("lease_ms", 0)


def work(sock, task, pace_s, lease_ms):
    n = task["n"]
    print("run task %d * %d..." % (n, n), flush=True)
    # time.sleep(1), saying "alive" three times per lease so the master keeps the task ours
    step = lease_ms / 3000 if lease_ms > 0 else pace_s
    done = time.monotonic() + pace_s
    while time.monotonic() < done:
        time.sleep(max(0.0, min(step, done - time.monotonic())))
        if time.monotonic() < done:
            send(sock, "alive", id=task["id"])
    send(sock, "put", q="result", id=task["id"], item=task["item"], r=n * n)


def main():
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:5000"
    host, _, port = address.rpartition(":")
    key = os.environ.get("INTERLEAVE_AUTHKEY", "").encode()
    if not key:
        sys.exit("worker.py: set INTERLEAVE_AUTHKEY to the master's key")
    pace_s = int(os.environ.get("INTERLEAVE_WORKER_PACE_MS", "1000")) / 1000
    print("Connect to server %s..." % address, flush=True)
    sock = socket.create_connection((host or "127.0.0.1", int(port)), timeout=30)
    status = 0
    try:
        lease_ms = log_in(sock, key, "python-%d" % os.getpid())
        idle_since = None
        while True:
            send(sock, "get", q="task", timeout_ms=1000)  # task.get(timeout=1)
            message = receive(sock)
            if message["t"] == "task":
                idle_since = None
                work(sock, message, pace_s, lease_ms)
            elif message["t"] == "empty":
                # Tasks other workers hold may come back to the queue: wait while there are some.
                idle_since = idle_since or time.monotonic()
                if message.get("held", 0) == 0 and time.monotonic() - idle_since >= 3:
                    print("task queue is empty.", flush=True)
                    break
            elif message["t"] == "bye":
                break
            else:
                raise MasterGone("unexpected '%s'" % message["t"])
        send(sock, "bye", status=0)
    except (MasterGone, OSError) as e:
        print("worker.py: %s" % e, file=sys.stderr)
        status = 1
    finally:
        sock.close()
    print("worker exit.", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
