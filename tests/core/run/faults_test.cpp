// SPDX-License-Identifier: MIT
// Crash and fault cases: a runner that segfaults while it writes keeps what it recorded (the torn
// record skipped and counted), a flood into a tiny log is recorded whole (the writers wait), a
// session not polled for long still drains and loses nothing, and a save onto a full or read-only
// file system says so in one line and leaves no partial file.
#include "io/chromejson.h"
#include "io/iltrace.h"
#include "run/commands.h"
#include "run/reaper.h"
#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include "tempdir.h"
#include "torture.h"

#include <QTextStream>

#include <gtest/gtest.h>

#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace interleave::core;

namespace {

/// A run of torture-flood: `threads` threads that record `events` events each; no scenario on failure.
RunRequest floodRequest(int threads, int events)
{
    RunRequest request;
    const Scenario *scenario = ScenarioRegistry::instance().find("torture-flood");
    QString error;
    if (!scenario || !ScenarioRegistry::resolveParams(*scenario,
                                                      {{QStringLiteral("threads"), QString::number(threads)},
                                                       {QStringLiteral("events"), QString::number(events)}},
                                                      request.params, error)) {
        ADD_FAILURE() << "torture-flood: " << error.toStdString();
        return request;
    }
    request.scenario = scenario;
    return request;
}

class Faults : public ::testing::Test
{
protected:
    void SetUp() override { registerTestScenarios(); }
    void TearDown() override { EXPECT_TRUE(reaper::children().empty()) << "a process of the run outlived it"; }

    /// Runs to the end; a run still going after two minutes counts as a hang (and is stopped).
    static std::unique_ptr<Session> run(const char *id, const QList<QPair<QString, QString>> &sets,
                                        size_t logBytes = size_t(64) << 20)
    {
        const Scenario *scenario = ScenarioRegistry::instance().find(id);
        EXPECT_NE(scenario, nullptr) << id;
        if (!scenario)
            return nullptr;
        RunRequest request;
        request.scenario = scenario;
        request.logBytes = logBytes;
        QString error;
        EXPECT_TRUE(ScenarioRegistry::resolveParams(*scenario, sets, request.params, error)) << error.toStdString();
        auto session = std::make_unique<Session>();
        EXPECT_TRUE(session->start(request, &error)) << error.toStdString();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (session->poll()) {
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << id << " hung";
                session->stop();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return session;
    }

    /// The console lines of the run, in recorded order.
    static std::vector<std::string> lines(const Session &session)
    {
        std::vector<std::string> out;
        const auto &data = session.model().data();
        for (uint32_t index : session.model().outputs())
            out.push_back(data.string(data.events[index].object));
        return out;
    }

    /// VarStore arguments per writing thread, in the order the log delivered them.
    static std::map<uint32_t, std::vector<int64_t>> storesByThread(const Session &session)
    {
        std::map<uint32_t, std::vector<int64_t>> stores;
        for (const Event &e : session.model().data().events) {
            if (e.type == EventType::VarStore)
                stores[e.thread].push_back(e.arg);
        }
        return stores;
    }
};

} // namespace

TEST_F(Faults, RunnerThatSegfaultsMidWriteKeepsWhatItRecorded)
{
    auto session = run("torture-crash", {{QStringLiteral("lines"), QStringLiteral("1000")},
                                         {QStringLiteral("writers"), QStringLiteral("2")}});
    ASSERT_TRUE(session);
    EXPECT_EQ(session->status(), RunStatus::Crashed);
    EXPECT_TRUE(session->failure().contains(QStringLiteral("signal 11"))) << session->failure().toStdString();
    const ProcessInfo *runner = session->model().process(session->runnerPid());
    ASSERT_NE(runner, nullptr);
    EXPECT_TRUE(runner->exited);
    EXPECT_TRUE(runner->signaled);
    EXPECT_EQ(runner->exitStatus, SIGSEGV);

    // Every line printed before the crash, in order.
    const std::vector<std::string> printed = lines(*session);
    ASSERT_EQ(printed.size(), 1000u);
    for (size_t i = 0; i < printed.size(); ++i)
        ASSERT_EQ(printed[i], "line " + std::to_string(i));
    // Each writer's stores arrive without a gap from 0: a torn slot ends its stream, it does
    // not hide a later one. Both had written at least 20000 between them when the crash came.
    const auto stores = storesByThread(*session);
    ASSERT_EQ(stores.size(), 2u);
    size_t total = 0;
    for (const auto &[thread, args] : stores) {
        for (size_t i = 0; i < args.size(); ++i)
            ASSERT_EQ(args[i], int64_t(i)) << "thread " << thread;
        total += args.size();
    }
    EXPECT_GE(total, 40000u);
    // The record the main thread left half-written is skipped and counted (writers may add theirs).
    EXPECT_GE(session->model().data().tornEvents, 1u);
    const QJsonObject summary = runSummary(*session);
    EXPECT_EQ(summary.value(QStringLiteral("status")).toString(), QStringLiteral("crashed"));
    EXPECT_GE(summary.value(QStringLiteral("torn_events")).toDouble(), 1.0);
    EXPECT_EQ(summary.value(QStringLiteral("leftover_processes")).toDouble(), 0.0);
}

TEST_F(Faults, ExactlyTheHalfWrittenRecordIsCountedAsTorn)
{
    // Without writer threads the main thread's only torn record is the one left on purpose, or
    // none. The runner's sampler thread keeps writing too and may be caught mid-record by the
    // crash (more often when the run is slowed, as under ThreadSanitizer): that is a torn record
    // of its own, counted, but not the main thread's.
    for (const char *torn : {"on", "off"}) {
        auto session = run("torture-crash", {{QStringLiteral("lines"), QStringLiteral("50")},
                                             {QStringLiteral("writers"), QStringLiteral("0")},
                                             {QStringLiteral("torn"), QLatin1String(torn)}});
        ASSERT_TRUE(session);
        EXPECT_EQ(session->status(), RunStatus::Crashed) << torn;
        EXPECT_EQ(lines(*session).size(), 50u) << torn;
        const TraceData &data = session->model().data();
        EXPECT_EQ(data.tornEvents, data.tornThreads.size()) << torn;
        EXPECT_LE(data.tornThreads.size(), 2u) << torn << ": the main thread and the sampler at most";
        const auto runner = session->runnerPid();
        const auto mainTorn = std::count(data.tornThreads.begin(), data.tornThreads.end(), std::pair(runner, runner));
        EXPECT_EQ(mainTorn, std::strcmp(torn, "on") == 0 ? 1 : 0) << torn;
    }
}

TEST_F(Faults, FloodIntoATinyLogIsRecordedWholeNotDroppedNorHung)
{
    // About four 32 KiB chunks for 4 x 200000 events: the writers outrun the session's drain many
    // times over, wait for it (back-pressure), and every event arrives.
    auto session =
        run("torture-flood",
            {{QStringLiteral("threads"), QStringLiteral("4")}, {QStringLiteral("events"), QStringLiteral("200000")}},
            192 * 1024);
    ASSERT_TRUE(session);
    ASSERT_EQ(session->status(), RunStatus::Finished) << session->failure().toStdString();
    EXPECT_EQ(session->model().data().droppedEvents, 0u);
    EXPECT_TRUE(lossText(session->model().data()).isEmpty());
    const QJsonObject summary = runSummary(*session);
    EXPECT_EQ(summary.value(QStringLiteral("dropped_events")).toDouble(), 0.0);
    EXPECT_EQ(summary.value(QStringLiteral("findings")).toObject().value(QStringLiteral("attempted")).toDouble(),
              800000.0);
    size_t recorded = 0;
    for (const auto &[thread, args] : storesByThread(*session)) {
        ASSERT_EQ(args.size(), 200000u) << "thread " << thread;
        for (size_t i = 1; i < args.size(); ++i)
            ASSERT_LT(args[i - 1], args[i]) << "thread " << thread;
        recorded += args.size();
    }
    EXPECT_EQ(recorded, 800000u);
    // The waits are in the picture: "recorder stall" slices on the flooding threads.
    size_t stalls = 0;
    for (const Event &e : session->model().data().events)
        stalls += e.type == EventType::SliceBegin && session->model().data().string(e.object) == "recorder stall";
    EXPECT_GT(stalls, 0u) << "nobody had to wait: the log was not small enough to test anything";
}

TEST_F(Faults, ASessionThatIsNotPolledForLongStillDrainsAndLosesNothing)
{
    // The window is busy for longer than the writers' patience (it polls every 500 ms, they wait
    // 100 ms for a reader): the session's own thread drains the log meanwhile, so nothing is
    // dropped. (Before the drain had its own thread, this run lost most of its events.)
    RunRequest request = floodRequest(2, 200000);
    ASSERT_NE(request.scenario, nullptr);
    request.logBytes = 192 * 1024;
    request.readerSilence = std::chrono::milliseconds(100);
    QString error;
    Session session;
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (session.running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500)); // far longer than 100 ms
        session.poll();
    }
    ASSERT_EQ(session.status(), RunStatus::Finished) << session.failure().toStdString();
    const TraceData &data = session.model().data();
    EXPECT_EQ(data.droppedEvents, 0u);
    EXPECT_TRUE(lossText(data).isEmpty()) << lossText(data).toStdString();
    size_t recorded = 0;
    for (const auto &[thread, args] : storesByThread(session))
        recorded += args.size();
    EXPECT_EQ(recorded, 400000u);
}

TEST_F(Faults, AWindowThatIngestsInSlicesEndsWithTheWholeTrace)
{
    // A tiny ingest budget: each poll takes a slice of what was read, the rest waits (backlog);
    // the run's end takes the rest, and the trace is the same as one ingested at once.
    const RunRequest request = floodRequest(2, 200000);
    ASSERT_NE(request.scenario, nullptr);
    QString error;
    Session session;
    session.setIngestBudget(std::chrono::microseconds(1));
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString();
    size_t sawBacklog = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (std::chrono::steady_clock::now() < deadline) {
        const size_t before = session.model().data().events.size();
        if (!session.poll())
            break;
        // A slice is at most the smallest the budget allows, whatever the backlog.
        EXPECT_LE(session.model().data().events.size() - before, 20000u);
        sawBacklog = std::max(sawBacklog, session.backlog());
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(session.status(), RunStatus::Finished) << session.failure().toStdString();
    EXPECT_EQ(session.backlog(), 0u);
    EXPECT_GT(sawBacklog, 0u) << "every poll took everything: nothing was sliced";
    EXPECT_EQ(session.model().data().droppedEvents, 0u);
    size_t recorded = 0;
    for (const auto &[thread, args] : storesByThread(session)) {
        EXPECT_EQ(args.size(), 200000u) << "thread " << thread;
        recorded += args.size();
    }
    EXPECT_EQ(recorded, 400000u);
}

namespace {

struct CommandResult
{
    int status = -1;
    QString out;
    QString err;
};

CommandResult runFork(const QString &save, const QString &chrome)
{
    CommandResult r;
    QTextStream out(&r.out);
    QTextStream err(&r.err);
    RunOptions options;
    options.scenario = QStringLiteral("fork");
    options.output.save = save;
    options.output.chrome = chrome;
    options.output.json = true;
    r.status = runCommand(options, out, err);
    out.flush();
    err.flush();
    return r;
}

std::vector<std::string> filesIn(const std::string &dir)
{
    std::vector<std::string> names;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, ".."))
                names.emplace_back(e->d_name);
        }
        ::closedir(d);
    }
    return names;
}

/// A private "disk full" device: as root a new node of the kernel's full device (1, 7) in a
/// temporary folder, so a save that wrongly replaced it could never damage the real /dev/full.
std::string fullDevice(const std::string &dir)
{
    if (::geteuid() != 0)
        return "/dev/full";
    const std::string node = dir + "/full";
    return ::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 7)) == 0 ? node : std::string();
}

} // namespace

TEST(SaveFaults, DiskFullGivesOneClearLineExitOneAndKeepsTheDevice)
{
    const std::string folder = interleave::test::makeTempDir("faults");
    ASSERT_FALSE(folder.empty());
    const char *dir = folder.c_str();
    const std::string full = fullDevice(dir);
    ASSERT_FALSE(full.empty()) << "cannot make a full device";
    const QString path = QString::fromStdString(full);
    for (const bool chrome : {false, true}) {
        const CommandResult r = chrome ? runFork(QString(), path) : runFork(path, QString());
        EXPECT_EQ(r.status, ExitEngineFailed) << r.err.toStdString();
        EXPECT_EQ(r.err.count(QLatin1Char('\n')), 1) << r.err.toStdString();
        const QString expected = chrome ? QStringLiteral("interleave: cannot export Chrome trace '%1': ").arg(path)
                                        : QStringLiteral("interleave: cannot save trace '%1': ").arg(path);
        EXPECT_TRUE(r.err.startsWith(expected)) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QString::fromLocal8Bit(std::strerror(ENOSPC)))) << r.err.toStdString();
        // Still the device: not replaced by a regular file.
        struct stat st = {};
        ASSERT_EQ(::stat(full.c_str(), &st), 0);
        EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the save replaced " << full;
        EXPECT_EQ(::major(st.st_rdev), 1u);
        EXPECT_EQ(::minor(st.st_rdev), 7u);
    }
    // Nothing beside the device: no temporary file of a save that failed.
    const auto left = filesIn(dir);
    EXPECT_EQ(left.size(), full.starts_with(dir) ? 1u : 0u);
    if (full.starts_with(dir))
        ::unlink(full.c_str());
    ::rmdir(dir);
}

TEST(SaveFaults, UnwritableOutputPathIsBadInputBeforeTheRun)
{
    for (const char *path : {"/nonexistent-interleave-folder/run.iltrace", "/tmp"}) {
        for (const bool chrome : {false, true}) {
            const QString target = QLatin1String(path);
            const CommandResult r = chrome ? runFork(QString(), target) : runFork(target, QString());
            EXPECT_EQ(r.status, ExitBadInput) << path << ": " << r.err.toStdString();
            EXPECT_EQ(r.err.count(QLatin1Char('\n')), 1) << r.err.toStdString();
            EXPECT_TRUE(r.err.startsWith(QStringLiteral("interleave: cannot write '%1': ").arg(target)))
                << r.err.toStdString();
            EXPECT_TRUE(r.out.isEmpty()) << "the scenario ran: " << r.out.toStdString();
        }
    }
    EXPECT_TRUE(reaper::children().empty());
}

TEST(SaveFaults, FullAndReadOnlyFileSystemsLeaveNoPartialFile)
{
    // A real trace to save, bigger than the small file system below.
    registerTestScenarios();
    const RunRequest request = floodRequest(2, 20000);
    ASSERT_NE(request.scenario, nullptr);
    QString error;
    Session session;
    ASSERT_TRUE(session.start(request, &error)) << error.toStdString(); // the runner finds it too
    const RunStatus ran = session.wait();
    ASSERT_EQ(ran, RunStatus::Finished) << session.failure().toStdString();

    const std::string folder = interleave::test::makeTempDir("faults");
    ASSERT_FALSE(folder.empty());
    const char *dir = folder.c_str();
    int report[2];
    ASSERT_EQ(::pipe(report), 0);
    // The mounts live in a private mount namespace of a child, so nothing outside ever sees them.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(report[0]);
        QString text;
        auto say = [&](const char *key, const QString &value) { text += QLatin1String(key) + u'\t' + value + u'\n'; };
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0)
            ::_exit(77);
        // Fill it: what is left for a trace is nothing.
        const std::string filler = std::string(dir) + "/filler";
        const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        static const char block[4096] = {};
        while (::write(fd, block, sizeof block) > 0) {
        }
        ::close(fd);
        const QString iltrace = QString::fromLocal8Bit(dir) + QStringLiteral("/run.iltrace");
        const QString json = QString::fromLocal8Bit(dir) + QStringLiteral("/run.json");
        QString why;
        say("full-save", saveIltrace(session.model().data(), iltrace, &why) ? QStringLiteral("saved") : why);
        say("full-chrome", exportChromeJson(session.model(), json, &why) ? QStringLiteral("saved") : why);
        say("full-files", QString::number(filesIn(dir).size()));
        ::unlink(filler.c_str());
        if (::mount(nullptr, dir, nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0)
            ::_exit(78);
        say("ro-save", saveIltrace(session.model().data(), iltrace, &why) ? QStringLiteral("saved") : why);
        say("ro-chrome", exportChromeJson(session.model(), json, &why) ? QStringLiteral("saved") : why);
        // The command line finds that out before it runs anything.
        const CommandResult cli = runFork(iltrace, QString());
        say("ro-command", QString::number(cli.status) + u' ' + cli.err.trimmed());
        say("ro-files", QString::number(filesIn(dir).size()));
        const QByteArray bytes = text.toUtf8();
        (void)!::write(report[1], bytes.constData(), size_t(bytes.size()));
        ::_exit(0);
    }
    ::close(report[1]);
    QByteArray bytes;
    char buf[4096];
    for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;)
        bytes.append(buf, n);
    ::close(report[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    const bool entered = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    EXPECT_TRUE(filesIn(dir).empty()); // the mount was private to the child
    ::rmdir(dir);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
        GTEST_SKIP() << "no mount namespace here (needs CAP_SYS_ADMIN)";
    ASSERT_TRUE(entered) << "child status " << status;

    std::map<QString, QString> said;
    for (const QString &line : QString::fromUtf8(bytes).split(u'\n', Qt::SkipEmptyParts))
        said[line.section(u'\t', 0, 0)] = line.section(u'\t', 1);
    const QString name = QString::fromLocal8Bit(dir);
    const QString noSpace = QString::fromLocal8Bit(std::strerror(ENOSPC));
    EXPECT_TRUE(
        said[QStringLiteral("full-save")].startsWith(QStringLiteral("cannot save trace '%1/run.iltrace': ").arg(name)))
        << said[QStringLiteral("full-save")].toStdString();
    EXPECT_TRUE(said[QStringLiteral("full-save")].contains(noSpace)) << said[QStringLiteral("full-save")].toStdString();
    EXPECT_TRUE(said[QStringLiteral("full-chrome")].startsWith(
        QStringLiteral("cannot export Chrome trace '%1/run.json': ").arg(name)))
        << said[QStringLiteral("full-chrome")].toStdString();
    EXPECT_TRUE(said[QStringLiteral("full-chrome")].contains(noSpace))
        << said[QStringLiteral("full-chrome")].toStdString();
    EXPECT_EQ(said[QStringLiteral("full-files")], QStringLiteral("1")); // only the filler: no partial file
    for (const char *key : {"ro-save", "ro-chrome"}) {
        const QString line = said[QLatin1String(key)];
        EXPECT_TRUE(line.startsWith(QStringLiteral("cannot "))) << key << ": " << line.toStdString();
        EXPECT_TRUE(line.contains(QStringLiteral("choose a folder you can write to")))
            << key << ": " << line.toStdString();
        EXPECT_FALSE(line.contains(u'\n'));
    }
    EXPECT_EQ(said[QStringLiteral("ro-files")], QStringLiteral("0"));
    const QString cli = said[QStringLiteral("ro-command")];
    EXPECT_TRUE(cli.startsWith(QStringLiteral("2 interleave: cannot write '%1/run.iltrace': ").arg(name)))
        << cli.toStdString();
    EXPECT_TRUE(cli.contains(QString::fromLocal8Bit(std::strerror(EROFS)))) << cli.toStdString();
}
