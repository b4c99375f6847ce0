// SPDX-License-Identifier: MIT
// `interleave trace -- PROGRAM`, end to end: the real binary runs the small C and Python programs
// of tests/preload/programs with the preloaded recorder, and its --json summary is checked.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>

#include <gtest/gtest.h>

#include <signal.h>

namespace {

struct Result
{
    int exitCode = -1;
    QJsonObject summary;
    QByteArray out;
    QByteArray err;
};

Result trace(const QStringList &program, const QStringList &options = {})
{
    QProcess p;
    p.setProgram(QStringLiteral(INTERLEAVE_BINARY));
    p.setArguments(QStringList{QStringLiteral("trace")} + options + QStringList{QStringLiteral("--")} + program);
    p.start();
    EXPECT_TRUE(p.waitForFinished(120000)) << "interleave trace did not finish";
    Result r{p.exitCode(), {}, p.readAllStandardOutput(), p.readAllStandardError()};
    r.summary = QJsonDocument::fromJson(r.out).object();
    return r;
}

QString programPath(const char *name)
{
    return QStringLiteral(INTERLEAVE_PRELOAD_PROGRAMS "/preload_") + QLatin1String(name);
}

QString sourcePath(const char *name)
{
    return QStringLiteral(INTERLEAVE_SOURCE_DIR "/tests/preload/programs/") + QLatin1String(name);
}

/// The 1-based line of `source` holding `text` (0: none).
int lineOf(const QString &source, const QString &text)
{
    QFile f(source);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].contains(text))
            return i + 1;
    return 0;
}

/// No process of the traced program is left once interleave returned.
void expectNothingLeft(const QJsonObject &summary)
{
    for (const QJsonValue &p : summary.value(QStringLiteral("processes")).toArray()) {
        const int pid = p.toObject().value(QStringLiteral("pid")).toInt();
        ASSERT_GT(pid, 0);
        EXPECT_NE(::kill(pid, 0), 0) << "process " << pid << " is still there";
    }
    EXPECT_EQ(summary.value(QStringLiteral("leftover_processes")).toInt(-1), 0);
}

/// A Python 3.11 the GIL and name hooks know, or empty.
QString python311()
{
    for (const QString &candidate : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        QProcess p;
        p.start(candidate, {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.version_info[:2])")});
        if (p.waitForFinished(20000) && p.readAllStandardOutput().trimmed() == "(3, 11)")
            return candidate;
    }
    return {};
}

} // namespace

TEST(TraceCommand, CDeadlockIsFoundWithThreadNamesAndTheLineOfEachBlockedCall)
{
    const Result r = trace({programPath("deadlock")}, {QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_EQ(r.summary.value(QStringLiteral("status")).toString(), QStringLiteral("deadlocked"));
    // The program's "started" goes to stderr with --json: stdout is the summary alone.
    EXPECT_TRUE(r.err.contains("started")) << r.err.constData();
    const QJsonArray cycle =
        r.summary.value(QStringLiteral("deadlock")).toObject().value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(cycle.size(), 2);
    const QString source = sourcePath("deadlock.c");
    QSet<QString> seen;
    for (const QJsonValue &v : cycle) {
        const QJsonObject m = v.toObject();
        const QString thread = m.value(QStringLiteral("thread")).toString();
        seen << thread;
        EXPECT_GT(m.value(QStringLiteral("tid")).toInt(), 0);
        EXPECT_TRUE(m.value(QStringLiteral("file")).toString().endsWith(QStringLiteral("programs/deadlock.c")))
            << m.value(QStringLiteral("file")).toString().toStdString();
        const int line = m.value(QStringLiteral("line")).toInt();
        const QString waits = m.value(QStringLiteral("waits_for")).toString();
        const QString holds = m.value(QStringLiteral("holds")).toArray().first().toString();
        if (thread == QStringLiteral("Thread-A")) {
            EXPECT_EQ(holds, QStringLiteral("lock_a"));
            EXPECT_EQ(waits, QStringLiteral("lock_b"));
        } else {
            EXPECT_EQ(holds, QStringLiteral("lock_b"));
            EXPECT_EQ(waits, QStringLiteral("lock_a"));
        }
        // The blocked call's line holds the lock call on what it waits for, after the barrier.
        QFile f(source);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
        ASSERT_GT(line, 1);
        EXPECT_EQ(lines[line - 1].trimmed(), QStringLiteral("pthread_mutex_lock(&%1);").arg(waits));
        EXPECT_TRUE(lines[line - 2].contains(QStringLiteral("pthread_barrier_wait")));
    }
    EXPECT_EQ(seen, (QSet<QString>{QStringLiteral("Thread-A"), QStringLiteral("Thread-B")}));
    // Killed by Interleave once the deadlock was seen.
    EXPECT_EQ(r.summary.value(QStringLiteral("exit_code")).toInt(), -SIGKILL);
    expectNothingLeft(r.summary);
}

TEST(TraceCommand, BoundedBufferOutputIsUnchangedAndItsCondvarWaitsRecorded)
{
    QProcess plain;
    plain.start(programPath("boundedbuffer"), {});
    ASSERT_TRUE(plain.waitForFinished(60000));
    const QByteArray expected = plain.readAllStandardOutput();
    ASSERT_FALSE(expected.isEmpty());

    const QString saved = QDir::temp().filePath(QStringLiteral("interleave-trace-test-%1.iltrace").arg(getpid()));
    const Result r = trace({programPath("boundedbuffer")}, {QStringLiteral("--save"), saved});
    QFile::remove(saved);
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    // Without --json the program's lines are the console, as it printed them.
    EXPECT_EQ(r.out, expected);

    const Result j = trace({programPath("boundedbuffer")}, {QStringLiteral("--json")});
    ASSERT_EQ(j.exitCode, 0) << j.err.constData();
    EXPECT_EQ(j.summary.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    EXPECT_EQ(j.summary.value(QStringLiteral("exit_code")).toInt(-1), 0);
    EXPECT_EQ(j.err, expected);
    // Contention depends on the machine; the preload tests check the condvar events themselves.
    EXPECT_GE(j.summary.value(QStringLiteral("threads")).toArray().size(), 3);
    EXPECT_GE(j.summary.value(QStringLiteral("locks")).toArray().size(), 1);
    expectNothingLeft(j.summary);
}

TEST(TraceCommand, ForkAndPipeShowEveryProcessWithItsParentAndExitCode)
{
    const Result r = trace({programPath("forkpipe")}, {QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QJsonArray processes = r.summary.value(QStringLiteral("processes")).toArray();
    ASSERT_EQ(processes.size(), 2);
    QJsonObject parent;
    QJsonObject child;
    for (const QJsonValue &v : processes)
        (v.toObject().value(QStringLiteral("ppid")).toInt() == 0 ? parent : child) = v.toObject();
    ASSERT_FALSE(parent.isEmpty());
    ASSERT_FALSE(child.isEmpty());
    EXPECT_EQ(child.value(QStringLiteral("ppid")).toInt(), parent.value(QStringLiteral("pid")).toInt());
    EXPECT_EQ(child.value(QStringLiteral("exit_code")).toInt(), 3);
    EXPECT_EQ(parent.value(QStringLiteral("exit_code")).toInt(), 0);
    EXPECT_EQ(r.summary.value(QStringLiteral("exit_code")).toInt(-1), 0);
    EXPECT_TRUE(r.err.contains("child exit 3")) << r.err.constData();
    expectNothingLeft(r.summary);
}

TEST(TraceCommand, PythonDeadlockHasPythonThreadNamesLockNamesAndLines)
{
    const QString python = python311();
    if (python.isEmpty())
        GTEST_SKIP() << "no CPython 3.11 found (/usr/bin/python3, python3 on PATH)";
    const QString script = sourcePath("python_deadlock.py");
    const Result r = trace({python, script}, {QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_EQ(r.summary.value(QStringLiteral("status")).toString(), QStringLiteral("deadlocked"));
    const QJsonArray cycle =
        r.summary.value(QStringLiteral("deadlock")).toObject().value(QStringLiteral("cycle")).toArray();
    ASSERT_EQ(cycle.size(), 2);
    for (const QJsonValue &v : cycle) {
        const QJsonObject m = v.toObject();
        const QString thread = m.value(QStringLiteral("thread")).toString();
        const bool a = thread == QStringLiteral("Thread-A");
        EXPECT_TRUE(a || thread == QStringLiteral("Thread-B")) << thread.toStdString();
        EXPECT_EQ(m.value(QStringLiteral("waits_for")).toString(),
                  a ? QStringLiteral("lock_b") : QStringLiteral("lock_a"));
        EXPECT_EQ(m.value(QStringLiteral("holds")).toArray().first().toString(),
                  a ? QStringLiteral("lock_a") : QStringLiteral("lock_b"));
        EXPECT_EQ(m.value(QStringLiteral("file")).toString(), QFileInfo(script).canonicalFilePath());
        EXPECT_EQ(m.value(QStringLiteral("line")).toInt(),
                  lineOf(script, a ? QStringLiteral("# WAIT-A") : QStringLiteral("# WAIT-B")));
    }
    // The GIL is listed among the locks, as kind "gil".
    bool gil = false;
    for (const QJsonValue &l : r.summary.value(QStringLiteral("locks")).toArray())
        gil = gil || l.toObject().value(QStringLiteral("kind")).toString() == QStringLiteral("gil");
    EXPECT_TRUE(gil);
    expectNothingLeft(r.summary);
}

TEST(TraceCommand, AProgramThatCannotBeTracedGetsOneLineAndStatusTwo)
{
    const Result missing = trace({QStringLiteral("/nonexistent/program")});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_EQ(missing.err.count('\n'), 1) << missing.err.constData();
    EXPECT_TRUE(missing.out.isEmpty());

    const Result none = trace({});
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_TRUE(none.err.contains("needs a program")) << none.err.constData();
}
