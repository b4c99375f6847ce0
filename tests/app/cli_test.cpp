// SPDX-License-Identifier: MIT
// The command line, driven the way a user or a script drives it: a real process, its exit
// status, its stdout and stderr.
#include "cliresult.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace {

using cli::Result;

Result interleave(const QStringList &args)
{
    return cli::run(args, 60000);
}

} // namespace

TEST(CommandLine, VersionExitsZero)
{
    const auto r = interleave({QStringLiteral("--version")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.startsWith("interleave ")) << r.out.constData();
}

// DESIGN.md: "interleave help [COMMAND]; COMMAND --help  per-command help". `help run` exited 2
// and `run --help` printed the global help.
TEST(CommandLine, HelpOfOneCommandNamesItsOwnOptions)
{
    const QString en = QStringLiteral("--lang");
    const auto global = interleave({QStringLiteral("help"), en, QStringLiteral("en")});
    EXPECT_EQ(global.exitCode, 0) << global.err.constData();
    EXPECT_TRUE(global.out.contains("interleave master")) << global.out.constData();
    const QByteArray own[][2] = {{"list", "--json"},
                                 {"run", "--timeout S"},
                                 {"open", "Chrome/Perfetto"},
                                 {"master", "--listen HOST:PORT"},
                                 {"worker", "--connect HOST:PORT"}};
    for (const auto &[command, option] : own) {
        const QString name = QString::fromLatin1(command);
        const auto viaHelp = interleave({QStringLiteral("help"), name, en, QStringLiteral("en")});
        const auto viaOption = interleave({name, QStringLiteral("--help"), en, QStringLiteral("en")});
        EXPECT_EQ(viaHelp.exitCode, 0) << command.constData() << ": " << viaHelp.err.constData();
        EXPECT_EQ(viaOption.exitCode, 0) << command.constData() << ": " << viaOption.err.constData();
        EXPECT_EQ(viaHelp.out, viaOption.out) << command.constData();
        EXPECT_TRUE(viaHelp.out.startsWith(QByteArray(QByteArray("usage: interleave ") + command)))
            << viaHelp.out.constData();
        EXPECT_TRUE(viaHelp.out.contains(option)) << command.constData();
        EXPECT_NE(viaHelp.out, global.out) << command.constData();
    }
    const auto unknown = interleave({QStringLiteral("help"), QStringLiteral("fly"), en, QStringLiteral("en")});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_TRUE(unknown.err.contains("unknown command 'fly'")) << unknown.err.constData();
    EXPECT_TRUE(unknown.out.isEmpty());
}

// With no display the window aborted inside Qt (exit 134, several lines about platform plugins).
TEST(CommandLine, WithoutADisplayTheWindowSaysSoInOneLine)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments({QStringLiteral("--lang"), QStringLiteral("en")});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QLatin1String(name));
    p.setProcessEnvironment(env);
    p.start();
    ASSERT_TRUE(p.waitForFinished(60000)) << "a window opened";
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(err.count('\n'), 1) << err.constData();
    EXPECT_TRUE(err.startsWith("interleave: no display to show the window on")) << err.constData();
    EXPECT_TRUE(p.readAllStandardOutput().isEmpty());
}

TEST(CommandLine, ListJsonIsAnArrayOfScenarios)
{
    const auto r =
        interleave({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--lang"), QStringLiteral("en")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(r.out, &error);
    ASSERT_EQ(error.error, QJsonParseError::NoError) << r.out.constData();
    ASSERT_TRUE(doc.isArray());
    const QJsonArray all = doc.array();
    ASSERT_GE(all.size(), 4);
    QStringList ids;
    for (const auto &v : all) {
        const QJsonObject o = v.toObject();
        EXPECT_FALSE(o.value(QStringLiteral("title")).toString().isEmpty());
        EXPECT_TRUE(o.value(QStringLiteral("parameters")).isArray());
        ids << o.value(QStringLiteral("id")).toString();
    }
    for (const char *id : {"fork", "pool", "race", "deadlock"})
        EXPECT_TRUE(ids.contains(QLatin1String(id))) << id;
}

TEST(CommandLine, ProductHasNoTestOnlyScenario)
{
    // The torture scenarios live in tests/runner/ and only interleave-test-runner has them: the
    // product neither finds them nor carries a byte of them (their names, code or texts).
    const auto r = interleave({QStringLiteral("run"), QStringLiteral("torture-stubborn")});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_TRUE(r.err.contains("torture-stubborn")) << r.err.constData();
    EXPECT_TRUE(r.out.isEmpty()) << r.out.constData();
    QFile binary(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    ASSERT_TRUE(binary.open(QIODevice::ReadOnly));
    EXPECT_EQ(binary.readAll().toLower().indexOf("torture"), -1) << "the product binary holds a test-only scenario";
}

TEST(CommandLine, ChineseTitles)
{
    const auto r = interleave(
        {QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--lang"), QStringLiteral("zh_CN")});
    ASSERT_EQ(r.exitCode, 0);
    const QJsonArray all = QJsonDocument::fromJson(r.out).array();
    ASSERT_FALSE(all.isEmpty());
    const QString group = all.first().toObject().value(QStringLiteral("group")).toString();
    EXPECT_EQ(group, QStringLiteral("多进程"));
}

// A command speaks the system's language (LANG), whatever the window last chose in its menu; the
// tests themselves run with LC_ALL=C.UTF-8 (cmake/InterleaveHelpers.cmake), so each child here
// gets its locale and settings folder explicitly. The run's end is named in that language too.
TEST(CommandLine, CommandsSpeakTheSystemsLanguageNotTheWindowsSavedOne)
{
    QTemporaryDir config;
    ASSERT_TRUE(config.isValid());
    const auto runDeadlock = [&](const QString &locale, const QString &saved) {
        ASSERT_TRUE(QDir(config.path()).mkpath(QStringLiteral("Interleave")));
        QFile settings(config.filePath(QStringLiteral("Interleave/Interleave.conf")));
        ASSERT_TRUE(settings.open(QIODevice::WriteOnly | QIODevice::Truncate));
        settings.write(QStringLiteral("[General]\nlanguage=%1\n").arg(saved).toUtf8());
        settings.close();
        QProcess p;
        p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
        p.setArguments({QStringLiteral("run"), QStringLiteral("deadlock")});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"LC_ALL", "LC_MESSAGES", "LANGUAGE"})
            env.remove(QLatin1String(name));
        env.insert(QStringLiteral("LANG"), locale);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        p.setProcessEnvironment(env);
        p.start();
        ASSERT_TRUE(p.waitForFinished(60000));
        EXPECT_EQ(p.exitCode(), 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (locale.startsWith(QLatin1String("zh_CN")))
            EXPECT_TRUE(err.contains(QStringLiteral("interleave: 运行结束：死锁"))) << err.toStdString();
        else
            EXPECT_TRUE(err.contains(QStringLiteral("interleave: run ended: deadlocked"))) << err.toStdString();
    };
    runDeadlock(QStringLiteral("zh_CN.UTF-8"), QStringLiteral("en"));
    runDeadlock(QStringLiteral("C.UTF-8"), QStringLiteral("zh_CN"));
}

TEST(CommandLine, UnknownCommandExitsTwoWithOneLine)
{
    const auto r = interleave({QStringLiteral("frobnicate")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.out.isEmpty());
    EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
    EXPECT_TRUE(r.err.contains("frobnicate")) << r.err.constData();
}

TEST(CommandLine, BadOptionsExitTwo)
{
    for (const QStringList &args :
         {QStringList{QStringLiteral("list"), QStringLiteral("--frob")}, QStringList{QStringLiteral("--nope")},
          QStringList{QStringLiteral("--lang"), QStringLiteral("klingon")}, QStringList{QStringLiteral("run")},
          QStringList{QStringLiteral("list"), QStringLiteral("extra")},
          // An empty value (an unset shell variable) is not taken as the option left out, and a
          // timeout below a millisecond is not rounded up to one.
          QStringList{QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--save"), QString()},
          QStringList{QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--timeout=")},
          QStringList{QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--timeout"),
                      QStringLiteral("1e-9")},
          QStringList{QStringLiteral("open"), QString()}}) {
        const auto r = interleave(args);
        EXPECT_EQ(r.exitCode, 2) << args.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
    }
}

TEST(CommandLine, BadImageOptionsExitTwoBeforeAnythingRuns)
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("x.png"));
    const QString fork = QStringLiteral("fork");
    const QString run = QStringLiteral("run");
    for (const QStringList &args :
         {QStringList{run, fork, QStringLiteral("--view"), QStringLiteral("graph")},
          QStringList{run, fork, QStringLiteral("--image"), dir.filePath(QStringLiteral("x.gif"))},
          QStringList{run, fork, QStringLiteral("--image"), png, QStringLiteral("--view"), QStringLiteral("pie")},
          QStringList{run, fork, QStringLiteral("--image"), png, QStringLiteral("--size"), QStringLiteral("10x10")},
          QStringList{run, fork, QStringLiteral("--image"), png, QStringLiteral("--size"), QStringLiteral("wide")},
          QStringList{run, fork, QStringLiteral("--image"), png, QStringLiteral("--theme"), QStringLiteral("neon")}}) {
        const auto r = interleave(args);
        EXPECT_EQ(r.exitCode, 2) << args.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
        EXPECT_TRUE(r.out.isEmpty()) << r.out.constData(); // the scenario never ran
    }
    EXPECT_TRUE(QDir(dir.path()).entryList(QDir::Files).isEmpty());
}

TEST(CommandLine, RunDrawsEachViewHeadlessInEachFormat)
{
    QTemporaryDir dir;
    // One run per format; the views and themes vary across them.
    const struct
    {
        const char *file;
        const char *view;
        const char *theme;
    } cases[] = {{"fork-timeline.png", "timeline", "projector"},
                 {"fork-graph.svg", "graph", "light"},
                 {"fork-cores.pdf", "cores", "dark"}};
    for (const auto &c : cases) {
        const QString path = dir.filePath(QLatin1String(c.file));
        const auto r = interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--image"), path,
                                   QStringLiteral("--view"), QLatin1String(c.view), QStringLiteral("--theme"),
                                   QLatin1String(c.theme), QStringLiteral("--size"), QStringLiteral("1200x700"),
                                   QStringLiteral("--json")});
        ASSERT_EQ(r.exitCode, 0) << c.file << ": " << r.err.constData();
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << c.file;
        const QByteArray bytes = file.readAll();
        if (QByteArray(c.file).endsWith(".png")) {
            const QImage image = QImage::fromData(bytes, "PNG");
            EXPECT_EQ(image.size(), QSize(1200, 700));
            // More than a blank page: many distinct colours (states, text, legend).
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7)
                    colours.insert(image.pixel(x, y));
            EXPECT_GT(colours.size(), 20);
        } else if (QByteArray(c.file).endsWith(".svg")) {
            EXPECT_TRUE(bytes.contains("<svg"));
            EXPECT_TRUE(bytes.contains("fork")); // the title names the scenario
        } else {
            EXPECT_TRUE(bytes.startsWith("%PDF-"));
        }
    }
}

TEST(CommandLine, OpenDrawsASavedTraceLikeTheRun)
{
    QTemporaryDir dir;
    const QString trace = dir.filePath(QStringLiteral("pool.iltrace"));
    auto r = interleave(
        {QStringLiteral("run"), QStringLiteral("pool"), QStringLiteral("--save"), trace, QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QString png = dir.filePath(QStringLiteral("pool.png"));
    r = interleave({QStringLiteral("open"), trace, QStringLiteral("--image"), png});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_EQ(QImage(png).size(), QSize(1600, 900)); // the default size
    r = interleave({QStringLiteral("open"), dir.filePath(QStringLiteral("missing.iltrace"))});
    EXPECT_EQ(r.exitCode, 2); // no window for a file that is not there: one line, exit 2
    EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
}

TEST(CommandLine, MasterAndWorkerTakeTheKeyFromAFileOrTheEnvironmentAndNeverShowIt)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString keyFile = dir.filePath(QStringLiteral("key"));
    {
        QFile f(keyFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("s3cret-key\n"); // as `echo s3cret-key > key` writes it
    }
    const QString bin = QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave");
    const QString chrome = dir.filePath(QStringLiteral("master.json"));
    const QString save = dir.filePath(QStringLiteral("master.iltrace"));
    QProcess master;
    master.setProgram(bin);
    master.setArguments({QStringLiteral("master"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--authkey-file"), keyFile, QStringLiteral("--tasks"), QStringLiteral("2"),
                         QStringLiteral("--chrome"), chrome, QStringLiteral("--save"), save});
    master.start();
    // "Master listening on 127.0.0.1:PORT ..." tells the port.
    QByteArray out;
    int port = 0;
    while (port == 0 && master.waitForReadyRead(20000)) {
        out += master.readAllStandardOutput();
        const int at = out.indexOf("127.0.0.1:");
        if (at >= 0)
            port = out.mid(at + 10).split(' ').front().split('.').front().toInt();
    }
    ASSERT_GT(port, 0) << out.toStdString();
    QProcess worker;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("INTERLEAVE_AUTHKEY"), QStringLiteral("s3cret-key"));
    env.insert(QStringLiteral("INTERLEAVE_WORKER_PACE_MS"), QStringLiteral("10"));
    worker.setProcessEnvironment(env);
    worker.setProgram(bin);
    worker.setArguments({QStringLiteral("worker"), QStringLiteral("--connect"),
                         QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--name"), QStringLiteral("w")});
    worker.start();
    ASSERT_TRUE(worker.waitForFinished(60000));
    ASSERT_TRUE(master.waitForFinished(60000));
    EXPECT_EQ(worker.exitCode(), 0) << worker.readAllStandardError().toStdString();
    EXPECT_EQ(master.exitCode(), 0) << master.readAllStandardError().toStdString();
    out += master.readAllStandardOutput() + master.readAllStandardError() + worker.readAllStandardOutput() +
           worker.readAllStandardError();
    EXPECT_TRUE(out.contains("Result: ")) << out.toStdString();
    for (const QString &path : {chrome, save}) {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
        EXPECT_FALSE(f.readAll().contains("s3cret")) << path.toStdString();
    }
    EXPECT_FALSE(out.contains("s3cret"));

    // A key file that cannot be read is bad input, named.
    const auto r = interleave({QStringLiteral("worker"), QStringLiteral("--connect"), QStringLiteral("127.0.0.1:1"),
                               QStringLiteral("--authkey-file"), dir.filePath(QStringLiteral("missing"))});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("missing")) << r.err.toStdString();
}

TEST(CommandLine, ListShowsEachParametersRangeAndHelp)
{
    const Result r = interleave({QStringLiteral("list"), QStringLiteral("--lang"), QStringLiteral("en")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QString out = QString::fromUtf8(r.out);
    // A number's range as people write it, a choice's values, then the help.
    EXPECT_TRUE(out.contains(QStringLiteral("    --set iterations=")) &&
                out.contains(QStringLiteral("(1 to 10000000)")))
        << r.out.constData();
    EXPECT_TRUE(out.contains(QStringLiteral("(one of off, sometimes, on)  on: each thread gives up the CPU")))
        << r.out.constData();
    EXPECT_FALSE(out.contains(QStringLiteral("e+0"))) << r.out.constData();
}

TEST(CommandLine, ABareTraceFileIsOpenedAsADesktopOpensIt)
{
    // The desktop entry runs `interleave %f`: a file given alone is `open FILE`.
    QTemporaryDir dir;
    const QString trace = dir.filePath(QStringLiteral("fork.iltrace"));
    ASSERT_EQ(interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--save"), trace}).exitCode, 0);
    const Result bare = interleave({trace, QStringLiteral("--json")});
    ASSERT_EQ(bare.exitCode, 0) << bare.err.constData();
    const Result open = interleave({QStringLiteral("open"), trace, QStringLiteral("--json")});
    EXPECT_EQ(QJsonDocument::fromJson(bare.out).object(), QJsonDocument::fromJson(open.out).object());
    EXPECT_EQ(QJsonDocument::fromJson(bare.out).object().value(QStringLiteral("scenario")).toString(),
              QStringLiteral("fork"));
    // A name that is no file is still an unknown command.
    const Result missing =
        interleave({QStringLiteral("--lang"), QStringLiteral("en"), dir.filePath(QStringLiteral("nothing.iltrace"))});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(missing.err.contains("unknown command")) << missing.err.constData();
}
