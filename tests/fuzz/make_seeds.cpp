// SPDX-License-Identifier: MIT
// fuzz_make_seeds CORPUS_DIR: writes the seed files of the fuzz corpora that come from the real
// writers (iltraceBytes, exportChromeJson, encodeFrame) plus the broken variants the replay test
// expects by name. The valid-run-* seeds are real runs: `interleave run fork --save F --chrome F`
// (and deadlock --set hold_ms=50); the valid-other-tool-* ones are tests/data/*.json.
#include "io/chromejson.h"
#include "io/iltrace.h"
#include "net/protocol.h"
#include "trace/tracemodel.h"

#include <QBuffer>
#include <QCborArray>
#include <QDir>
#include <QFile>

#include <cstdio>
#include <cstring>

using namespace interleave::core;

namespace {

QString g_root;

void write(const char *target, const char *name, const QByteArray &bytes)
{
    const QString dir = g_root + QLatin1Char('/') + QLatin1String(target);
    QDir().mkpath(dir);
    QFile file(dir + QLatin1Char('/') + QLatin1String(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
        std::exit(1);
    }
}

/// A small run with one event of most kinds: two processes, a fork, a lock with a wait, a queue
/// item, a pool task, a sleep, samples, output and a shared variable.
TraceData smallRun()
{
    TraceData d;
    const uint32_t main = d.threadIndex(100, 100);
    const uint32_t worker = d.threadIndex(100, 101);
    const uint32_t child = d.threadIndex(200, 200);
    const uint32_t sampler = d.threadIndex(100, 102);
    d.setString(1, "parent");
    d.setString(2, "Worker-1");
    d.setString(3, "lock A");
    d.setString(4, "queue");
    d.setString(5, "race.cpp:42");
    d.setString(6, "hello \xe4\xbd\xa0\xe5\xa5\xbd");
    d.setString(7, "balance");
    d.setString(8, "pool");
    d.droppedEvents = 2;
    d.tornEvents = 1;
    d.meta.insert(QStringLiteral("scenario"), QStringLiteral("fuzz-seed"));
    d.meta.insert(QStringLiteral("params"), QJsonObject{{QStringLiteral("workers"), 2}});
    int64_t t = 1'000'000;
    auto ev = [&](uint32_t th, EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0) {
        Event e{};
        t += 1000;
        e.time = t;
        e.thread = th;
        e.type = type;
        e.object = object;
        e.arg = arg;
        e.flags = flags;
        e.cpu = uint16_t(th % 2);
        e.loc = type == EventType::VarStore ? 5 : 0;
        d.events.push_back(e);
    };
    ev(main, EventType::ProcessStart, 1, 1);
    ev(main, EventType::ThreadName, 1);
    ev(main, EventType::ObjectNew, 10, 3, uint8_t(ObjectKind::Mutex));
    ev(main, EventType::ObjectNew, 11, 4, uint8_t(ObjectKind::Queue));
    ev(main, EventType::ObjectNew, 12, 7, uint8_t(ObjectKind::SharedVar));
    ev(main, EventType::ObjectNew, 13, 8, uint8_t(ObjectKind::ThreadPool));
    ev(worker, EventType::ThreadStart, 0, 100);
    ev(worker, EventType::ThreadName, 2);
    ev(main, EventType::ForkReturn, 0, 200);
    ev(child, EventType::ForkReturn, 0, 0);
    ev(main, EventType::LockWait, 10);
    ev(main, EventType::LockObtain, 10);
    ev(worker, EventType::LockWait, 10);
    ev(main, EventType::VarLoad, 12, 0);
    ev(worker, EventType::Sample, 0, 0);
    ev(sampler, EventType::Sample, 101, SampleArg::pack('R', 500));
    ev(main, EventType::VarStore, 12, 5);
    ev(main, EventType::LockRelease, 10);
    ev(worker, EventType::LockObtain, 10);
    ev(worker, EventType::LockRelease, 10);
    ev(main, EventType::QueuePut, 11, 1);
    ev(main, EventType::QueueDepth, 11, 1);
    ev(worker, EventType::QueueGet, 11, 1);
    ev(worker, EventType::QueueDepth, 11, 0);
    ev(main, EventType::TaskSubmit, 13, 1);
    ev(worker, EventType::TaskStart, 13, 1);
    ev(worker, EventType::TaskEnd, 13, 1);
    ev(child, EventType::Output, 6, 1);
    ev(child, EventType::SleepBegin, 0, 1000);
    ev(child, EventType::SleepEnd);
    ev(main, EventType::JoinWait, 200, 0, OnProcess);
    ev(child, EventType::ThreadExit);
    ev(main, EventType::ProcessExit, 200, 0);
    ev(main, EventType::JoinDone, 200, 0, OnProcess);
    ev(worker, EventType::ThreadExit);
    ev(main, EventType::Phase, 4);
    return d;
}

/// A header with another version number: newer and legacy files.
QByteArray withVersion(QByteArray bytes, uint32_t version)
{
    std::memcpy(bytes.data() + 8, &version, 4);
    return bytes;
}

QByteArray chromeExport(const TraceData &data)
{
    const TraceModel model{TraceData(data)};
    QByteArray json;
    QBuffer buffer(&json);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    exportChromeJson(model, buffer, &error);
    return json;
}

void iltraceSeeds()
{
    const QByteArray small = iltraceBytes(smallRun());
    write("iltrace", "valid-small.iltrace", small);
    write("iltrace", "valid-no-events.iltrace", iltraceBytes(TraceData{}));
    // Cut inside the event chunk, after the header only, and inside the header.
    write("iltrace", "truncated-in-events.iltrace", small.left(small.size() - 200));
    write("iltrace", "truncated-after-header.iltrace", small.left(qsizetype(iltrace::kHeaderSize)));
    write("iltrace", "truncated-in-header.iltrace", small.left(10));
    QByteArray flipped = small;
    flipped[flipped.size() - 300] = char(flipped[flipped.size() - 300] ^ 0x40);
    write("iltrace", "corrupt-checksum.iltrace", flipped);
    write("iltrace", "newer-version.iltrace", withVersion(small, iltrace::kCurrentVersion + 1));
    write("iltrace", "legacy-version.iltrace", withVersion(small, 0));
    write("iltrace", "notatrace-text.iltrace", QByteArrayLiteral("ILTRACX this is not a trace\n"));
    write("iltrace", "empty.iltrace", QByteArray());
}

void chromeSeeds()
{
    const QByteArray json = chromeExport(smallRun());
    write("chromejson", "valid-export-small.json", json);
    // The array form, cut off before its closing bracket (legal for Chrome's format).
    write(
        "chromejson", "valid-array-without-bracket.json",
        QByteArrayLiteral("[{\"ph\":\"B\",\"pid\":1,\"tid\":2,\"ts\":1,\"name\":\"a\"},\n"
                          "{\"ph\":\"E\",\"pid\":1,\"tid\":2,\"ts\":2.5},\n"
                          "{\"ph\":\"C\",\"pid\":1,\"tid\":2,\"ts\":3,\"name\":\"depth\",\"args\":{\"q\":\"4\"}},\n"));
    write("chromejson", "valid-flows-async.json",
          QByteArrayLiteral("{\"traceEvents\":[{\"ph\":\"s\",\"pid\":\"browser\",\"tid\":\"7\",\"ts\":1,\"name\":\"f\","
                            "\"id\":\"0x1f\"},{\"ph\":\"t\",\"pid\":1,\"tid\":1,\"ts\":2,\"name\":\"f\",\"id2\":"
                            "{\"local\":\"0x1f\"}},{\"ph\":\"f\",\"pid\":1,\"tid\":3,\"ts\":3,\"name\":\"f\",\"id\":31,"
                            "\"bp\":\"e\"},{\"ph\":\"b\",\"pid\":1,\"tid\":3,\"ts\":4,\"name\":\"load\",\"id\":\"x\"},"
                            "{\"ph\":\"e\",\"pid\":1,\"tid\":3,\"ts\":9,\"name\":\"load\",\"id\":\"x\"},{\"ph\":\"X\","
                            "\"pid\":1,\"tid\":3,\"ts\":5,\"dur\":1,\"name\":\"run\",\"bind_id\":5,\"flow_out\":true},"
                            "{\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":3,\"ts\":6,\"name\":\"mark\"},{\"ph\":\"M\","
                            "\"pid\":1,\"tid\":3,\"name\":\"thread_name\",\"args\":{\"name\":\"t3\"}},{\"ph\":\"?\"}],"
                            "\"otherData\":{\"tool\":\"Interleave\",\"processes\":[{\"pid\":1,\"ppid\":0}]}}"));
    write("chromejson", "bad-not-json.json", QByteArrayLiteral("{\"traceEvents\":[{\"ph\":\"X\",}"));
    write("chromejson", "bad-no-trace-events.json", QByteArrayLiteral("{\"events\":[]}"));
    write("chromejson", "bad-text.json", QByteArrayLiteral("hello"));
    write("chromejson", "empty.json", QByteArrayLiteral("  \n"));
}

void frameSeeds()
{
    using namespace interleave::core::net;
    const QByteArray challenge(kChallengeBytes, 'c');
    const QByteArray proof(32, 'p');
    auto map = [](std::initializer_list<std::pair<const char *, QCborValue>> fields) {
        QCborMap m;
        for (const auto &[k, v] : fields)
            m.insert(QLatin1String(k), v);
        return m;
    };
    write("frame", "valid-hello.bin", encodeFrame(MessageType::Hello, map({{"v", 1}, {"challenge", challenge}})));
    write("frame", "valid-login.bin",
          encodeFrame(MessageType::Login, map({{"v", 1},
                                               {"name", QStringLiteral("worker-1")},
                                               {"pid", 4242},
                                               {"challenge", challenge},
                                               {"proof", proof}})));
    write("frame", "valid-welcome.bin",
          encodeFrame(MessageType::Welcome, map({{"proof", proof}, {"tq", 3}, {"rq", 4}})));
    write("frame", "valid-refused.bin", encodeFrame(MessageType::Refused, map({{"why", QStringLiteral("wrong key")}})));
    write("frame", "valid-get.bin",
          encodeFrame(MessageType::Get, map({{"q", QStringLiteral("task")}, {"timeout_ms", 1000}})));
    write("frame", "valid-task.bin", encodeFrame(MessageType::Task, map({{"id", 7}, {"n", 12345}, {"item", 9}})));
    write("frame", "valid-empty.bin", encodeFrame(MessageType::Empty));
    write("frame", "valid-put.bin",
          encodeFrame(MessageType::Put,
                      map({{"q", QStringLiteral("result")}, {"id", 7}, {"item", 9}, {"r", 152399025}})));
    write("frame", "valid-bye.bin", encodeFrame(MessageType::Bye));
    // Two frames back to back, as a stream delivers them.
    write("frame", "valid-two-frames.bin", encodeFrame(MessageType::Empty) + encodeFrame(MessageType::Bye));

    write("frame", "bad-oversized-length.bin", QByteArray::fromHex("ffffffff"));
    write("frame", "bad-empty-frame.bin", QByteArray::fromHex("00000000"));
    const QByteArray array = QCborValue(QCborArray{1, 2}).toCbor();
    QByteArray notMap = QByteArray::fromHex("000000");
    notMap.append(char(array.size())).append(array);
    write("frame", "bad-not-a-map.bin", notMap);
    QByteArray unknown = encodeFrame(MessageType::Bye);
    unknown.replace("bye", "hug");
    write("frame", "bad-unknown-type.bin", unknown);
    QByteArray trailing = encodeFrame(MessageType::Bye);
    trailing[3] = char(trailing[3] + 1);
    trailing.append('\0');
    write("frame", "bad-bytes-after-message.bin", trailing);
    write("frame", "needmore-partial.bin", encodeFrame(MessageType::Task, map({{"id", 1}})).left(9));
}

void paramSeeds()
{
    // First byte: '0' the scenario with every kind of parameter, '1' one without parameters.
    write("params", "valid-defaults.txt", QByteArrayLiteral("0\n"));
    write("params", "valid-every-kind.txt",
          QByteArrayLiteral("0\nworkers=8\niterations=1000\noffset=-5\nbig=2147483647\nseconds=0.5\nratio=1\n"
                            "variant=scoped_lock\ngil= on \ncommand=sort -r\n"));
    write("params", "valid-repeated.txt", QByteArrayLiteral("0\nworkers=2\nworkers= 3\n"));
    write("params", "valid-chapter.txt",
          QByteArrayLiteral("0\nvariant=ordered\nhold_ms=50\ntasks=5\niterations=100000\n"));
    write("params", "bad-out-of-range.txt", QByteArrayLiteral("0\nworkers=0\n"));
    write("params", "bad-unknown-name.txt", QByteArrayLiteral("0\nnope=1\n"));
    write("params", "bad-not-a-number.txt", QByteArrayLiteral("0\nworkers=four\n"));
    write("params", "bad-nan.txt", QByteArrayLiteral("0\nseconds=nan\n"));
    write("params", "bad-no-parameters.txt", QByteArrayLiteral("1\nx=1\n"));
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_seeds CORPUS_DIR\n");
        return 2;
    }
    g_root = QString::fromLocal8Bit(argv[1]);
    iltraceSeeds();
    chromeSeeds();
    frameSeeds();
    paramSeeds();
    return 0;
}
