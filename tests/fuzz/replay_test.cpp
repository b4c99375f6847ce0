// SPDX-License-Identifier: MIT
// The fuzz corpora as regression tests: every file of tests/fuzz/corpus/<target>/ (seeds, inputs
// the fuzzer found interesting, and every crash it ever found) goes through that target's
// LLVMFuzzerTestOneInput, whose invariants abort on failure. Seeds named valid-, bad-,
// truncated-, corrupt-, ... must also give that outcome, from memory and from the file.
#include "fuzzcheck.h"
#include "paramsinput.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "net/protocol.h"
#include "run/analysisexport.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include <gtest/gtest.h>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

extern "C" int interleaveFuzz_iltrace(const uint8_t *data, size_t size);
extern "C" int interleaveFuzz_iltraceresync(const uint8_t *data, size_t size);
extern "C" int interleaveFuzz_chromejson(const uint8_t *data, size_t size);
extern "C" int interleaveFuzz_params(const uint8_t *data, size_t size);
extern "C" int interleaveFuzz_frame(const uint8_t *data, size_t size);

using namespace interleave::core;
using Problem = LoadResult::Problem;

namespace {

struct CorpusFile
{
    QString path;
    QString name;
    QByteArray bytes;
};

std::vector<CorpusFile> corpus(const char *target)
{
    std::vector<CorpusFile> files;
    const QDir dir(QStringLiteral(INTERLEAVE_FUZZ_CORPUS "/") + QLatin1String(target));
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files, QDir::Name)) {
        QFile file(info.filePath());
        EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << qPrintable(info.filePath());
        files.push_back({info.filePath(), info.fileName(), file.readAll()});
    }
    return files;
}

/// Feeds every file to the target; the target's own checks abort on a broken invariant.
size_t replay(const char *target, int (*entry)(const uint8_t *, size_t))
{
    const auto files = corpus(target);
    for (const CorpusFile &f : files) {
        const QByteArray path = f.path.toLocal8Bit();
        interleave::fuzz::g_currentInput = path.constData();
        // A copy of exactly its size, so reading one byte too far is caught under ASan.
        std::vector<uint8_t> exact(f.bytes.begin(), f.bytes.end());
        entry(exact.empty() ? nullptr : exact.data(), exact.size());
    }
    interleave::fuzz::g_currentInput = nullptr;
    return files.size();
}

bool named(const CorpusFile &f, const char *prefix)
{
    return f.name.startsWith(QLatin1String(prefix));
}

} // namespace

TEST(FuzzReplay, IltraceCorpusKeepsItsInvariants)
{
    EXPECT_GE(replay("iltrace", interleaveFuzz_iltrace), 10u);
}

TEST(FuzzReplay, IltraceSeedsGiveTheirOutcomeFromMemoryAndFromTheFile)
{
    const std::vector<std::pair<const char *, Problem>> expected = {
        {"valid-", Problem::None},         {"truncated-", Problem::Truncated},  {"corrupt-", Problem::Corrupt},
        {"newer-", Problem::NewerVersion}, {"legacy-", Problem::LegacyVersion}, {"notatrace-", Problem::NotATrace},
        {"empty", Problem::Empty},
    };
    size_t checked = 0;
    for (const CorpusFile &f : corpus("iltrace")) {
        SCOPED_TRACE(qPrintable(f.name));
        const LoadResult memory = loadIltrace(f.bytes, f.name);
        const LoadResult file = loadIltrace(f.path);
        // Read with pread from a file or copied from memory: the same outcome, the same prefix.
        EXPECT_EQ(memory.problem, file.problem);
        ASSERT_EQ(memory.data.events.size(), file.data.events.size());
        EXPECT_TRUE(memory.data.events.empty() || std::memcmp(memory.data.events.data(), file.data.events.data(),
                                                              memory.data.events.size() * sizeof(Event)) == 0);
        // openTraceFile decides by content: anything starting like ILTRACE (or empty) is native.
        if (f.bytes.isEmpty() || QByteArray(iltrace::kMagic, 8).startsWith(f.bytes.left(8))) {
            EXPECT_EQ(openTraceFile(f.path).problem, file.problem);
        }
        for (const auto &[prefix, problem] : expected) {
            if (named(f, prefix)) {
                EXPECT_EQ(int(memory.problem), int(problem)) << qPrintable(memory.error);
                EXPECT_EQ(memory.ok, problem == Problem::None);
                ++checked;
            }
        }
    }
    EXPECT_GE(checked, 9u);
}

TEST(FuzzReplay, IltraceResyncCorpusKeepsItsInvariants)
{
    EXPECT_GE(replay("iltraceresync", interleaveFuzz_iltraceresync), 4u);
}

TEST(FuzzReplay, ChromeJsonCorpusKeepsItsInvariants)
{
    EXPECT_GE(replay("chromejson", interleaveFuzz_chromejson), 8u);
}

TEST(FuzzReplay, ChromeJsonSeedsGiveTheirOutcomeFromMemoryAndFromTheFile)
{
    size_t checked = 0;
    for (const CorpusFile &f : corpus("chromejson")) {
        SCOPED_TRACE(qPrintable(f.name));
        const LoadResult memory = importChromeJson(f.bytes, f.name);
        const LoadResult file = importChromeJson(f.path);
        EXPECT_EQ(memory.problem, file.problem);
        EXPECT_EQ(memory.data.events.size(), file.data.events.size());
        if (!f.bytes.startsWith("ILTRACE")) {
            EXPECT_EQ(openTraceFile(f.path).problem, file.problem);
        }
        if (named(f, "valid-")) {
            EXPECT_TRUE(memory.ok) << qPrintable(memory.error);
            EXPECT_FALSE(memory.data.events.empty());
            ++checked;
        } else if (named(f, "bad-") || named(f, "empty")) {
            EXPECT_FALSE(memory.ok);
            EXPECT_FALSE(memory.error.isEmpty());
            ++checked;
        }
    }
    EXPECT_GE(checked, 8u);
}

TEST(FuzzReplay, ParamsCorpusKeepsItsInvariantsOnEveryRealScenario)
{
    EXPECT_GE(replay("params", interleaveFuzz_params), 9u);
    // The fuzzer only knows scenarios of its own; here every input also meets the real ones.
    for (const CorpusFile &f : corpus("params")) {
        const QByteArray path = f.path.toLocal8Bit();
        interleave::fuzz::g_currentInput = path.constData();
        const auto *bytes = reinterpret_cast<const uint8_t *>(f.bytes.constData());
        const auto sets = f.bytes.isEmpty() ? QList<QPair<QString, QString>>()
                                            : interleave::fuzz::splitSets(bytes + 1, size_t(f.bytes.size()) - 1);
        for (const auto &scenario : ScenarioRegistry::instance().all())
            interleave::fuzz::checkResolve(*scenario, sets);
    }
    interleave::fuzz::g_currentInput = nullptr;
}

TEST(FuzzReplay, ParamsSeedsGiveTheirOutcome)
{
    size_t checked = 0;
    const auto &scenarios = interleave::fuzz::syntheticScenarios();
    for (const CorpusFile &f : corpus("params")) {
        if (!named(f, "valid-") && !named(f, "bad-"))
            continue;
        SCOPED_TRACE(qPrintable(f.name));
        ASSERT_FALSE(f.bytes.isEmpty());
        const auto *bytes = reinterpret_cast<const uint8_t *>(f.bytes.constData());
        const Scenario &scenario = *scenarios[bytes[0] % scenarios.size()];
        ParamValues values;
        QString error;
        const auto sets = interleave::fuzz::splitSets(bytes + 1, size_t(f.bytes.size()) - 1);
        const bool ok = ScenarioRegistry::resolveParams(scenario, sets, values, error);
        if (named(f, "valid-chapter")) {
            // Meant for the real scenarios: each name there is accepted by the scenario that has it.
            for (const auto &[name, text] : sets) {
                bool someone = false;
                for (const auto &real : ScenarioRegistry::instance().all()) {
                    ParamValues v;
                    QString e;
                    someone = someone || ScenarioRegistry::resolveParams(*real, {{name, text}}, v, e);
                }
                EXPECT_TRUE(someone) << qPrintable(name);
            }
        } else {
            EXPECT_EQ(ok, named(f, "valid-")) << qPrintable(error);
        }
        ++checked;
    }
    EXPECT_GE(checked, 9u);
}

TEST(FuzzReplay, FrameCorpusKeepsItsInvariants)
{
    EXPECT_GE(replay("frame", interleaveFuzz_frame), 16u);
}

TEST(FuzzReplay, FrameSeedsGiveTheirOutcome)
{
    using namespace interleave::core::net;
    size_t checked = 0;
    for (const CorpusFile &f : corpus("frame")) {
        SCOPED_TRACE(qPrintable(f.name));
        const auto *bytes = reinterpret_cast<const uint8_t *>(f.bytes.constData());
        const FrameResult r = decodeFrame(bytes, size_t(f.bytes.size()), kMaxLoginFrame);
        if (named(f, "valid-")) {
            EXPECT_EQ(r.status, FrameResult::Frame) << r.error;
            // The name says the type: valid-<type>.bin.
            const QString type = f.name.mid(6).section(QLatin1Char('.'), 0, 0);
            if (!type.contains(QLatin1Char('-'))) {
                EXPECT_EQ(QLatin1String(messageTypeName(r.message.type)), type);
            }
            ++checked;
        } else if (named(f, "bad-")) {
            EXPECT_EQ(r.status, FrameResult::Error);
            ++checked;
        } else if (named(f, "needmore-")) {
            EXPECT_EQ(r.status, FrameResult::NeedMore);
            ++checked;
        }
    }
    EXPECT_GE(checked, 16u);
}

// The parser bugs the fuzzers found, as plain tests (their inputs are in the corpora too).

TEST(FuzzRegression, ChromeExportOfNamesWithInvalidUtf8StillParses)
{
    // Two threads in a deadlock over two locks whose names (and a thread's) are not UTF-8: the
    // deadlock cycle's arguments were written without the exporter's UTF-8 repair.
    TraceData d;
    const uint32_t a = d.threadIndex(10, 10);
    const uint32_t b = d.threadIndex(10, 11);
    d.setString(1, "lock \xff\xfe");
    d.setString(2, "lock B");
    d.setString(3, "thread \xc3");
    int64_t t = 1000;
    auto ev = [&](uint32_t th, EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0) {
        Event e{};
        e.time = t += 1000;
        e.thread = th;
        e.type = type;
        e.object = object;
        e.arg = arg;
        e.flags = flags;
        d.events.push_back(e);
    };
    ev(a, EventType::ThreadName, 3);
    ev(a, EventType::ObjectNew, 7, 1, uint8_t(ObjectKind::Mutex));
    ev(a, EventType::ObjectNew, 8, 2, uint8_t(ObjectKind::Mutex));
    ev(a, EventType::LockWait, 7);
    ev(a, EventType::LockObtain, 7);
    ev(b, EventType::LockWait, 8);
    ev(b, EventType::LockObtain, 8);
    ev(a, EventType::LockWait, 8);
    ev(b, EventType::LockWait, 7);
    ev(a, EventType::Deadlock, 0, 2);
    const TraceModel model{std::move(d)};
    QByteArray json;
    QBuffer buffer(&json);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    // As the commands export: the cycle is the one the wait-for graph finds (no recorded one here).
    ASSERT_TRUE(exportChromeJson(model, buffer, &error, chromeExtras(model, {})));
    ASSERT_TRUE(json.contains("\"cycle\":[{")) << json.constData(); // the cycle is there
    QJsonParseError parse{};
    QJsonDocument::fromJson(json, &parse);
    EXPECT_EQ(parse.error, QJsonParseError::NoError) << qPrintable(parse.errorString());
    EXPECT_TRUE(importChromeJson(json, QStringLiteral("cycle.json")).ok);
}

TEST(FuzzRegression, IltraceWithAnImpossibleTimeIsDamagedNotLoaded)
{
    TraceData d;
    d.threadIndex(1, 1);
    for (const int64_t time : {int64_t(5), iltrace::kTimeLimit}) {
        Event e{};
        e.time = time;
        e.type = EventType::SleepBegin;
        d.events.push_back(e);
    }
    const LoadResult r = loadIltrace(iltraceBytes(d), QStringLiteral("times.iltrace"));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.problem, Problem::Corrupt);
    EXPECT_TRUE(r.error.contains(QLatin1String("impossible time"))) << qPrintable(r.error);
    EXPECT_TRUE(r.data.events.empty()); // whole chunks only
}

TEST(FuzzRegression, ChromeImportSkipsImpossibleTimesAndKeepsEndsInRange)
{
    const QByteArray json = "[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":1e300,\"dur\":1,\"name\":\"far\"},"
                            "{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":-4e15,\"dur\":1e300,\"name\":\"long\"},"
                            "{\"ph\":\"B\",\"pid\":1.5e300,\"tid\":-1e300,\"ts\":-4e15,\"name\":\"open\"},"
                            "{\"ph\":\"b\",\"pid\":1,\"tid\":1,\"ts\":2,\"name\":\"a\",\"id\":1e300}]";
    const LoadResult r = importChromeJson(json, QStringLiteral("far.json"));
    ASSERT_TRUE(r.ok) << qPrintable(r.error);
    EXPECT_EQ(r.data.meta.value(QLatin1String("import")).toObject().value(QLatin1String("skipped_events")).toInt(), 1);
    ASSERT_FALSE(r.data.events.empty());
    for (const Event &e : r.data.events) {
        EXPECT_GT(e.time, -iltrace::kTimeLimit);
        EXPECT_LT(e.time, iltrace::kTimeLimit);
    }
    EXPECT_TRUE(loadIltrace(iltraceBytes(r.data), QStringLiteral("far.iltrace")).ok);
}
