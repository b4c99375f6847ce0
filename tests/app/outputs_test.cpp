// SPDX-License-Identifier: MIT
// The command line's output files: each one written whole or not at all, each failure its own
// line, the others still written, and two outputs into one file refused before anything runs.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

#include <gtest/gtest.h>

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs interleave; with `fileSizeLimit`, a write past that many bytes into any file fails with
/// EFBIG as on a full disk (SIGXFSZ ignored). The run itself needs a big shared-memory log, so
/// only `open` is run under a limit.
Result interleave(const QStringList &args, rlim_t fileSizeLimit = RLIM_INFINITY)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments(args);
    if (fileSizeLimit != RLIM_INFINITY) {
        p.setChildProcessModifier([fileSizeLimit] {
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit limit{};
            ::getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = fileSizeLimit;
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
    }
    p.start();
    EXPECT_TRUE(p.waitForFinished(60000)) << "interleave did not finish";
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

/// Runs interleave with its standard output on `fd` (dup2 after QProcess set up its channels).
Result interleaveWritingTo(int fd, const QStringList &args)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments(args);
    p.setChildProcessModifier([fd] { ::dup2(fd, STDOUT_FILENO); });
    p.start();
    EXPECT_TRUE(p.waitForFinished(60000)) << "interleave did not finish";
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : 128 + p.exitCode(), {}, p.readAllStandardError()};
}

/// The status an `open FILE --json` gives of a saved trace ("" when it cannot be opened).
QString savedStatus(const QString &trace);

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString savedStatus(const QString &trace)
{
    const auto r = interleave({QStringLiteral("open"), trace, QStringLiteral("--json")});
    if (r.exitCode != 0)
        return {};
    return QJsonDocument::fromJson(r.out).object().value(QStringLiteral("status")).toString();
}

} // namespace

// `run … | head -1`: once the reader is gone, the next line printed stops the run as Stop does,
// the trace is still saved, and the reason is one line on stderr. It died of SIGPIPE (141) before,
// with no trace written. Here no process reads the pipe at all, so the first line fails; the
// threads lesson prints a line a second for five seconds, so a run that was not stopped would
// have printed more than one and ended "finished".
TEST(CommandLineOutputs, AClosedPipeStopsTheRunAndTheTraceIsStillSaved)
{
    QTemporaryDir dir;
    const QString trace = dir.filePath(QStringLiteral("t.iltrace"));
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    ::close(fds[0]); // nobody will ever read it
    const auto r = interleaveWritingTo(
        fds[1], {QStringLiteral("run"), QStringLiteral("threads"), QStringLiteral("--save"), trace});
    ::close(fds[1]);
    EXPECT_EQ(r.exitCode, 1) << "exit (128+signal when killed by one): " << r.exitCode << ' ' << r.err.constData();
    // One line that says both why and what happened (it said "run ended: stopped" first too).
    EXPECT_EQ(r.err, QByteArray("interleave: cannot write to standard output: ")
                         .append(std::strerror(EPIPE))
                         .append(" (the run was stopped there)\n"));
    EXPECT_EQ(savedStatus(trace), QStringLiteral("stopped"));
}

// `--json > /dev/full` exited 0 having written nothing. Now: one line naming the cause, exit 1,
// and the trace saved all the same; the same for `open` and for the lines a run prints.
TEST(CommandLineOutputs, AFullStandardOutputIsAnErrorAndTheFilesAreStillWritten)
{
    QTemporaryDir dir;
    const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    ASSERT_GE(full, 0);
    const QString trace = dir.filePath(QStringLiteral("t.iltrace"));
    const QByteArray line = QByteArray("interleave: cannot write to standard output: ") + std::strerror(ENOSPC);

    const auto json = interleaveWritingTo(full, {QStringLiteral("run"), QStringLiteral("fork"),
                                                 QStringLiteral("--json"), QStringLiteral("--save"), trace});
    EXPECT_EQ(json.exitCode, 1) << json.err.constData();
    EXPECT_EQ(json.err, QByteArray(line).append('\n'));
    EXPECT_EQ(savedStatus(trace), QStringLiteral("finished"));

    const QString chrome = dir.filePath(QStringLiteral("t.json"));
    const auto opened = interleaveWritingTo(
        full, {QStringLiteral("open"), trace, QStringLiteral("--json"), QStringLiteral("--chrome"), chrome});
    EXPECT_EQ(opened.exitCode, 1) << opened.err.constData();
    EXPECT_EQ(opened.err, QByteArray(line).append('\n'));
    EXPECT_TRUE(QJsonDocument::fromJson(bytesOf(chrome)).isObject()) << "the Chrome export was not written";

    const QString lines = dir.filePath(QStringLiteral("lines.iltrace"));
    const auto text =
        interleaveWritingTo(full, {QStringLiteral("run"), QStringLiteral("threads"), QStringLiteral("--save"), lines});
    ::close(full);
    EXPECT_EQ(text.exitCode, 1) << text.err.constData();
    EXPECT_EQ(text.err, QByteArray(line).append(" (the run was stopped there)\n"));
    EXPECT_EQ(savedStatus(lines), QStringLiteral("stopped"));
}

// A closed standard output (`>&-`): Qt's event fd took its number, and the summary went into it
// ("cannot write to standard output: Invalid argument"), or could go into any file opened next.
// Now the real cause is named, and the trace is saved whole.
TEST(CommandLineOutputs, AClosedStandardOutputIsNamedAndNothingElseIsWrittenInstead)
{
    QTemporaryDir dir;
    const QString trace = dir.filePath(QStringLiteral("t.iltrace"));
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments(
        {QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--json"), QStringLiteral("--save"), trace});
    p.setChildProcessModifier([] { ::close(STDOUT_FILENO); });
    p.start();
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 1);
    EXPECT_EQ(p.readAllStandardError(),
              QByteArray("interleave: cannot write to standard output: ").append(std::strerror(EBADF)).append('\n'));
    EXPECT_EQ(savedStatus(trace), QStringLiteral("finished"));
}

// With --json a failed run's summary said "crashed" and the exit status was 1, but stderr had
// nothing: a script that checks the status had nothing to show. The runner is killed from outside.
TEST(CommandLineOutputs, AFailedRunNamesItsEndOnStderrAlsoWithJson)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments({QStringLiteral("run"), QStringLiteral("threads"), QStringLiteral("--json")});
    p.start();
    ASSERT_TRUE(p.waitForStarted());
    // The runner is the front process's only child; its threads' `children` files list it.
    pid_t runner = 0;
    for (int i = 0; i < 500 && runner == 0; ++i) {
        QDir tasks(QStringLiteral("/proc/%1/task").arg(p.processId()));
        for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QByteArray children = bytesOf(tasks.filePath(task + QStringLiteral("/children"))).trimmed();
            if (!children.isEmpty())
                runner = pid_t(children.split(' ').front().toInt());
        }
        if (runner == 0)
            QThread::msleep(10);
    }
    ASSERT_GT(runner, 0) << "no runner seen";
    ASSERT_EQ(::kill(runner, SIGKILL), 0);
    ASSERT_TRUE(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 1) << err.constData();
    EXPECT_EQ(QJsonDocument::fromJson(p.readAllStandardOutput()).object().value(QStringLiteral("status")).toString(),
              QStringLiteral("crashed"));
    EXPECT_EQ(err.count('\n'), 1) << err.constData();
    EXPECT_TRUE(err.startsWith("interleave: run ended: crashed")) << err.constData();
}

TEST(CommandLineOutputs, AFailedOutputKeepsItsOldFileAndDoesNotStopTheOthers)
{
    QTemporaryDir dir;
    const QString trace = dir.filePath(QStringLiteral("threads.iltrace"));
    const auto ran =
        interleave({QStringLiteral("run"), QStringLiteral("threads"), QStringLiteral("--set"),
                    QStringLiteral("count=10"), QStringLiteral("--save"), trace, QStringLiteral("--json")});
    ASSERT_EQ(ran.exitCode, 0) << ran.err.constData();
    // The limit lies between the trace (ten seconds of core samples, which compress less than
    // anything else a run records) and its other outputs, measured on a first, unlimited export
    // (a race's JSON grows with its lost updates; a small image stays well below the trace).
    const QString refJson = dir.filePath(QStringLiteral("ref.json"));
    const QString refPng = dir.filePath(QStringLiteral("ref.png"));
    const auto ref =
        interleave({QStringLiteral("open"), trace, QStringLiteral("--chrome"), refJson, QStringLiteral("--image"),
                    refPng, QStringLiteral("--size"), QStringLiteral("200x150")});
    ASSERT_EQ(ref.exitCode, 0) << ref.err.constData();
    const qint64 limit = std::max(QFileInfo(refJson).size(), QFileInfo(refPng).size()) + (16 << 10);
    ASSERT_GT(QFileInfo(trace).size(), 2 * limit); // the trace cannot fit; its JSON and image can
    ASSERT_TRUE(QFile::remove(refJson) && QFile::remove(refPng));

    const QString saved = dir.filePath(QStringLiteral("again.iltrace"));
    const QString chrome = dir.filePath(QStringLiteral("ok.json"));
    const QString image = dir.filePath(QStringLiteral("ok.png"));
    {
        QFile old(saved);
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("the old trace");
    }
    const auto r =
        interleave({QStringLiteral("open"), trace, QStringLiteral("--save"), saved, QStringLiteral("--chrome"), chrome,
                    QStringLiteral("--image"), image, QStringLiteral("--size"), QStringLiteral("200x150")},
                   rlim_t(limit));
    EXPECT_EQ(r.exitCode, 1) << r.err.constData();
    EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
    const QByteArray line = "interleave: cannot save trace '" + QFile::encodeName(saved) + "': " + std::strerror(EFBIG);
    EXPECT_TRUE(r.err.startsWith(line)) << r.err.constData();
    EXPECT_EQ(bytesOf(saved), QByteArray("the old trace"));

    // The outputs after the failed one are there, and whole.
    const QJsonObject json = QJsonDocument::fromJson(bytesOf(chrome)).object();
    EXPECT_GT(json.value(QStringLiteral("traceEvents")).toArray().size(), 10) << "ok.json missing or cut";
    EXPECT_EQ(json.value(QStringLiteral("otherData")).toObject().value(QStringLiteral("scenario")).toString(),
              QStringLiteral("threads"));
    const QImage png(image);
    EXPECT_FALSE(png.isNull()) << "ok.png missing or cut";
    EXPECT_EQ(png.size(), QSize(200, 150));
    QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    files.sort();
    EXPECT_EQ(files, (QStringList{QStringLiteral("again.iltrace"), QStringLiteral("ok.json"), QStringLiteral("ok.png"),
                                  QStringLiteral("threads.iltrace")}));
}

TEST(CommandLineOutputs, TwoOutputsIntoOneFileAreRefusedBeforeTheRun)
{
    QTemporaryDir dir;
    ASSERT_TRUE(QDir(dir.path()).mkdir(QStringLiteral("sub")));
    const QString x = dir.filePath(QStringLiteral("x.png"));
    const QString sameX = dir.filePath(QStringLiteral("sub/../x.png"));
    const QString save = QStringLiteral("--save");
    const QString chrome = QStringLiteral("--chrome");
    const QString image = QStringLiteral("--image");
    for (const QStringList &outputs :
         {QStringList{save, x, chrome, x}, QStringList{chrome, x, image, sameX}, QStringList{save, sameX, image, x}}) {
        const auto r = interleave(QStringList{QStringLiteral("run"), QStringLiteral("fork")} + outputs);
        const std::string args = outputs.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.exitCode, 2) << args;
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
        const QByteArray expected =
            outputs[0].toUtf8() + " and " + outputs[2].toUtf8() + " both name '" + QFile::encodeName(outputs[3]) + "'";
        EXPECT_TRUE(r.err.contains(expected)) << args << ": " << r.err.constData();
        EXPECT_TRUE(r.out.isEmpty()) << "the scenario ran: " << r.out.constData();
    }
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files).isEmpty());
}

TEST(CommandLineOutputs, AnImageIntoAMissingFolderIsRefusedBeforeTheRun)
{
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("no/such/x.png"));
    const auto r = interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--image"), image});
    EXPECT_EQ(r.exitCode, 2) << r.err.constData();
    EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
    const QByteArray line = "interleave: cannot write '" + QFile::encodeName(image) + "': the folder";
    EXPECT_TRUE(r.err.startsWith(line)) << r.err.constData();
    EXPECT_TRUE(r.out.isEmpty()) << "the scenario ran: " << r.out.constData();
}

// An image into a folder it cannot be written to, or onto a folder, was found only after the
// run. A read-only folder is a read-only bind mount in a private mount namespace as root (root
// may write into any folder of a writable file system), else a folder without write permission.
TEST(CommandLineOutputs, AnImageIntoAnUnwritableFolderOrOntoAFolderIsRefusedBeforeTheRun)
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("ro"));
    const QString onFolder = dir.filePath(QStringLiteral("folder.png"));
    ASSERT_TRUE(QDir().mkdir(folder) && QDir().mkdir(onFolder));
    const QString image = folder + QStringLiteral("/x.svg");
    const QString bin = QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave");
    QProcess p;
    if (::geteuid() == 0) {
        p.start(QStringLiteral("unshare"),
                {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral(R"(mount --bind -o ro "$1" "$1" || exit 77; shift; exec "$@")"), QStringLiteral("sh"),
                 folder, bin, QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--image"), image});
    } else {
        ASSERT_TRUE(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        p.start(bin, {QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--image"), image});
    }
    ASSERT_TRUE(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    if (p.exitCode() == 77 || (p.exitCode() == 1 && err.startsWith("unshare")))
        GTEST_SKIP() << "no private mount namespace here";
    EXPECT_EQ(p.exitCode(), 2) << err.constData();
    EXPECT_EQ(err.count('\n'), 1) << err.constData();
    const QByteArray reason = std::strerror(::geteuid() == 0 ? EROFS : EACCES);
    EXPECT_TRUE(err.startsWith(QByteArray("interleave: cannot write '" + QFile::encodeName(image) + "': " + reason)))
        << err.constData();
    EXPECT_TRUE(p.readAllStandardOutput().isEmpty()) << "the scenario ran";
    EXPECT_TRUE(QDir(folder).isEmpty());

    const auto r = interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--image"), onFolder});
    EXPECT_EQ(r.exitCode, 2) << r.err.constData();
    EXPECT_EQ(r.err,
              "interleave: cannot write '" + QFile::encodeName(onFolder) + "': it is a folder; give a file name\n");
    EXPECT_TRUE(r.out.isEmpty()) << "the scenario ran: " << r.out.constData();
    QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

TEST(CommandLineOutputs, TheMasterRefusesBadOutputsBeforeItListens)
{
    // Found only after every task was served, or (one file twice) not at all, before.
    QTemporaryDir dir;
    const QString x = dir.filePath(QStringLiteral("x"));
    const QString missing = dir.filePath(QStringLiteral("no/such/m.iltrace"));
    const QString master = QStringLiteral("master");
    const QStringList common{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--authkey"),
                             QStringLiteral("k")};
    const std::pair<QStringList, QByteArray> cases[] = {
        {{QStringLiteral("--save"), x, QStringLiteral("--chrome"), x}, "--save and --chrome both name '"},
        {{QStringLiteral("--save"), missing}, "cannot write '" + QFile::encodeName(missing) + "': the folder"},
    };
    for (const auto &[outputs, expected] : cases) {
        const auto r = interleave(QStringList{master} + common + outputs);
        EXPECT_EQ(r.exitCode, 2) << r.err.constData();
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
        const QByteArray line = "interleave: " + expected;
        EXPECT_TRUE(r.err.startsWith(line)) << r.err.constData();
        EXPECT_FALSE(r.out.contains("listening")) << r.out.constData();
    }
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files).isEmpty());
}

// An export of a run that lost events says so when it is opened again (the Chrome reader read
// nothing of `dropped_events` before), on stderr and in the summary, and the file still opens.
TEST(CommandLineOutputs, OpeningATraceThatLostEventsSaysSo)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("lossy.json"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(R"({"traceEvents":[{"ph":"X","name":"work","pid":1,"tid":1,"ts":0,"dur":10},)"
               R"({"ph":"X","name":"work","pid":1,"tid":1,"ts":20,"dur":10}],)"
               R"("otherData":{"tool":"Interleave","status":"finished","dropped_events":4}})");
    file.close();
    const Result r = interleave({QStringLiteral("open"), path, QStringLiteral("--json")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("interleave: 4 of ")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("events were lost")) << r.err.toStdString();
    const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(summary.value(QStringLiteral("dropped_events")).toDouble(), 4.0);
}

// One flipped byte in a saved run's second event chunk cost every event after it. `open` now
// shows the rest, says where the damage is and how many events it cost, and the summary counts
// them as unreadable.
TEST(CommandLineOutputs, OpeningADamagedTraceShowsTheRestAndSaysWhatWasLost)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("race.iltrace"));
    const Result run = interleave(
        {QStringLiteral("run"), QStringLiteral("race"), QStringLiteral("--json"), QStringLiteral("--save"), path});
    ASSERT_EQ(run.exitCode, 0) << run.err.toStdString();
    const double recorded = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("events")).toDouble();
    QByteArray bytes = bytesOf(path);
    // The chunks: {u32 type, u32 reserved, u64 length, u32 crc} headers after a 16-byte header;
    // the events of one: 32 bytes each (EVTS), or counted before their zstd frame (EVTZ).
    std::vector<std::pair<qsizetype, quint64>> eventChunks;
    for (qsizetype pos = 16; pos + 20 <= bytes.size();) {
        quint64 length = 0;
        std::memcpy(&length, bytes.constData() + pos + 8, 8);
        quint32 count = 0;
        if (bytes.mid(pos, 4) == "EVTZ")
            std::memcpy(&count, bytes.constData() + pos + 20, 4);
        if (bytes.mid(pos, 4) == "EVTS" || bytes.mid(pos, 4) == "EVTZ")
            eventChunks.emplace_back(pos, bytes.mid(pos, 4) == "EVTS" ? length / 32 : count);
        pos += 20 + qsizetype(length);
    }
    ASSERT_GE(eventChunks.size(), 3u) << "race recorded too few events for three chunks";
    const auto [at, events] = eventChunks[1];
    bytes[at + 20 + 1000] = char(bytes[at + 20 + 1000] ^ 0x40);
    QFile damaged(path);
    ASSERT_TRUE(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write(bytes);
    damaged.close();

    const Result r = interleave({QStringLiteral("open"), path, QStringLiteral("--json")});
    const double lost = double(events);
    EXPECT_TRUE(r.err.contains(QStringLiteral("damaged at byte %1").arg(QLocale().toString(qulonglong(at))).toUtf8()))
        << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(
        QStringLiteral("%1 unreadable events were left out").arg(QLocale().toString(qulonglong(lost))).toUtf8()))
        << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("interleave: %1 of %2 events were lost (unreadable in a damaged file)")
                                   .arg(qulonglong(lost))
                                   .arg(qulonglong(recorded))
                                   .toUtf8()))
        << r.err.toStdString();
    const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(summary.value(QStringLiteral("unreadable_events")).toDouble(), lost);
    EXPECT_EQ(summary.value(QStringLiteral("events")).toDouble(), recorded - lost);
}

// `master --save` lost its trace on Ctrl+C or SIGTERM (2 of 2): both now end it as Stop ends a
// run, with the trace written, status "stopped", one line on stderr and exit status 0.
TEST(CommandLineOutputs, AMasterStoppedBySignalStillWritesItsTrace)
{
    for (const int signal : {SIGINT, SIGTERM}) {
        QTemporaryDir dir;
        ASSERT_TRUE(dir.isValid());
        const QString trace = dir.filePath(QStringLiteral("m.iltrace"));
        const QString chrome = dir.filePath(QStringLiteral("m.json"));
        QProcess p;
        p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
        p.setArguments({QStringLiteral("master"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                        QStringLiteral("--authkey"), QStringLiteral("k"), QStringLiteral("--tasks"),
                        QStringLiteral("3"), QStringLiteral("--save"), trace, QStringLiteral("--chrome"), chrome});
        p.start();
        ASSERT_TRUE(p.waitForStarted());
        QByteArray out;
        for (int i = 0; i < 600 && !out.contains("Try get results"); ++i) { // no worker ever comes
            p.waitForReadyRead(100);
            out += p.readAllStandardOutput();
        }
        ASSERT_TRUE(out.contains("Try get results")) << out.constData();
        ::kill(pid_t(p.processId()), signal);
        ASSERT_TRUE(p.waitForFinished(30000)) << "the master did not end on signal " << signal;
        const QByteArray err = p.readAllStandardError();
        EXPECT_EQ(p.exitStatus(), QProcess::NormalExit) << signal;
        EXPECT_EQ(p.exitCode(), 0) << err.constData();
        EXPECT_TRUE(err.contains("interleave: stopped with 0 of 3 results in")) << err.constData();
        EXPECT_EQ(savedStatus(trace), QStringLiteral("stopped")) << signal;
        EXPECT_EQ(savedStatus(chrome), QStringLiteral("stopped")) << signal;
    }
}

// `--image` without XDG_RUNTIME_DIR left $TMPDIR/runtime-root behind (Qt makes one); interleave
// now makes a private one that goes when it ends.
TEST(CommandLineOutputs, AnImageWithoutARuntimeFolderLeavesNothingBehind)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString image = dir.filePath(QStringLiteral("fork.png"));
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--image"), image});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    env.insert(QStringLiteral("TMPDIR"), dir.path());
    p.setProcessEnvironment(env);
    p.start();
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().constData();
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
              QStringList{QStringLiteral("fork.png")});
}

// The private runtime folder that replaced Qt's $TMPDIR/runtime-$USER was itself left behind
// when interleave was killed (SIGKILL, or a second Ctrl+C) during a run with --image.
TEST(CommandLineOutputs, AnImageRunKilledLeavesNoRuntimeFolderBehind)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments({QStringLiteral("run"), QStringLiteral("threads"), QStringLiteral("--image"),
                    dir.filePath(QStringLiteral("threads.png"))});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    env.insert(QStringLiteral("TMPDIR"), dir.path());
    p.setProcessEnvironment(env);
    p.start();
    // The run's first line: the application and its runtime folder are made, the run is going.
    ASSERT_TRUE(p.waitForReadyRead(30000)) << p.readAllStandardError().constData();
    pid_t runner = 0;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(p.processId()));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (const QByteArray children = bytesOf(tasks.filePath(task + QStringLiteral("/children"))).trimmed();
            !children.isEmpty())
            runner = pid_t(children.split(' ').front().toInt());
    ASSERT_EQ(::kill(pid_t(p.processId()), SIGKILL), 0);
    ASSERT_TRUE(p.waitForFinished(30000));
    // The runner goes with its parent (parent-death signal); wait for it, so nothing outlives the test.
    for (int i = 0; i < 500 && runner > 0 && ::kill(runner, 0) == 0; ++i)
        QThread::msleep(10);
    EXPECT_TRUE(runner <= 0 || ::kill(runner, 0) != 0) << "runner " << runner << " outlived its parent";
    const QStringList left = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    EXPECT_TRUE(left.isEmpty()) << "left behind: " << left.join(QLatin1Char(' ')).toStdString();
}

// DESIGN.md's command line: "An output path of - means stdout; a name ending in .gz is gzip."
// Before, `--chrome -` wrote a file named "-" and `--chrome x.json.gz` plain JSON.
TEST(CommandLineOutputs, DashIsStandardOutputAndAGzNameIsCompressed)
{
    QTemporaryDir dir;
    QDir::setCurrent(dir.path()); // a file named "-" would appear here

    // The trace on stdout, whole; the run's own lines on stderr.
    const auto toStdout =
        interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--chrome"), QStringLiteral("-")});
    EXPECT_EQ(toStdout.exitCode, 0) << toStdout.err.constData();
    const QJsonObject trace = QJsonDocument::fromJson(toStdout.out).object();
    EXPECT_EQ(trace.value(QStringLiteral("otherData")).toObject().value(QStringLiteral("scenario")).toString(),
              QStringLiteral("fork"))
        << toStdout.out.left(200).constData();
    EXPECT_GT(trace.value(QStringLiteral("traceEvents")).toArray().size(), 5);
    EXPECT_TRUE(toStdout.err.contains("I am child process")) << toStdout.err.constData();
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("-"))));

    // gzip, as gzip itself reads it; the .iltrace inside opens as the trace it is.
    const QString json = dir.filePath(QStringLiteral("t.json.gz"));
    const QString saved = dir.filePath(QStringLiteral("t.iltrace.gz"));
    const auto zipped = interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--chrome"), json,
                                    QStringLiteral("--save"), saved});
    EXPECT_EQ(zipped.exitCode, 0) << zipped.err.constData();
    for (const QString &path : {json, saved}) {
        const QByteArray bytes = bytesOf(path);
        ASSERT_GE(bytes.size(), 18) << path.toStdString();
        EXPECT_EQ(uint8_t(bytes[0]), 0x1f);
        EXPECT_EQ(uint8_t(bytes[1]), 0x8b);
    }
    QProcess gunzip;
    gunzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), json});
    ASSERT_TRUE(gunzip.waitForFinished(30000));
    EXPECT_EQ(gunzip.exitCode(), 0) << gunzip.readAllStandardError().constData();
    const QJsonObject unzipped = QJsonDocument::fromJson(gunzip.readAllStandardOutput()).object();
    EXPECT_GT(unzipped.value(QStringLiteral("traceEvents")).toArray().size(), 5);
    gunzip.setStandardOutputFile(dir.filePath(QStringLiteral("t.iltrace")));
    gunzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), saved});
    ASSERT_TRUE(gunzip.waitForFinished(30000));
    EXPECT_EQ(savedStatus(dir.filePath(QStringLiteral("t.iltrace"))), QStringLiteral("finished"));

    // Standard output cannot carry two things: two outputs on it, or one and --json.
    for (const QStringList &outputs :
         {QStringList{QStringLiteral("--chrome"), QStringLiteral("-"), QStringLiteral("--json")},
          QStringList{QStringLiteral("--save"), QStringLiteral("-"), QStringLiteral("--chrome"),
                      QStringLiteral("-")}}) {
        const auto r = interleave(QStringList{QStringLiteral("run"), QStringLiteral("fork")} + outputs);
        EXPECT_EQ(r.exitCode, 2) << outputs.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
        EXPECT_TRUE(r.out.isEmpty()) << "the scenario ran: " << r.out.constData();
    }
    QDir::setCurrent(QDir::tempPath());
}

TEST(CommandLineOutputs, OpenJsonCountsWhatAnImportedTraceHolds)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("node.json"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    // Stamped since boot (about 1437 s), its names at ts 0: the span is 218 ms, not 1437 s.
    file.write(R"({"traceEvents":[
      {"ph":"M","pid":7,"tid":7,"ts":0,"name":"thread_name","args":{"name":"main"}},
      {"ph":"X","pid":7,"tid":7,"ts":1437000000,"dur":150000,"name":"RunTask"},
      {"ph":"X","pid":7,"tid":7,"ts":1437010000,"dur":50000,"name":"Parse"},
      {"ph":"b","pid":7,"tid":7,"ts":1437020000,"id":"0x1","cat":"net","name":"fetch"},
      {"ph":"e","pid":7,"tid":7,"ts":1437040000,"id":"0x1","cat":"net","name":"fetch"},
      {"ph":"i","pid":7,"tid":7,"ts":1437100000,"name":"mark","s":"t"},
      {"ph":"C","pid":7,"tid":7,"ts":1437100000,"name":"heap","args":{"used":1,"total":2}},
      {"ph":"X","pid":7,"tid":8,"ts":1437200000,"dur":18000,"name":"GC"}
    ]})");
    file.close();
    const auto r = interleave({QStringLiteral("open"), path, QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    EXPECT_DOUBLE_EQ(summary.value(QStringLiteral("span_ms")).toDouble(), 218.0) << r.out.constData();
    EXPECT_EQ(summary.value(QStringLiteral("slices")).toInt(), 3);
    EXPECT_EQ(summary.value(QStringLiteral("async_spans")).toInt(), 1);
    EXPECT_EQ(summary.value(QStringLiteral("instants")).toInt(), 1);
    EXPECT_EQ(summary.value(QStringLiteral("counters")).toInt(), 2); // "heap used" and "heap total"
}
