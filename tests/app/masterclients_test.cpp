// SPDX-License-Identifier: MIT
// `interleave master` with the clients it meets besides `interleave worker`: the Python worker of
// examples/python/ (written from docs/protocol.md), the chapter's own multiprocessing BaseManager
// worker (told what it is and dropped), nobody at all (--result-timeout), and the key given to each
// side in either way. Real processes, asserted from their output and the master's saved trace.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace {

QString interleaveBinary()
{
    return QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave");
}

/// Debian's Python, where python3-cbor2 puts cbor2 (a `python3` earlier in PATH, pyenv's say, may lack it).
QString python()
{
    return QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                 : QStringLiteral("python3");
}

QString sourceFile(const char *path)
{
    return QStringLiteral(INTERLEAVE_SOURCE_DIR "/") + QLatin1String(path);
}

/// A master on a free port of 127.0.0.1, its key in $INTERLEAVE_AUTHKEY.
class RunningMaster
{
public:
    explicit RunningMaster(const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("INTERLEAVE_AUTHKEY"), QStringLiteral("s3cret-key"));
        m_process.setProcessEnvironment(env);
        m_process.setProgram(interleaveBinary());
        m_process.setArguments(QStringList{QStringLiteral("master"), QStringLiteral("--listen"),
                                           QStringLiteral("127.0.0.1:0"), QStringLiteral("--lang"),
                                           QStringLiteral("en")} +
                               args);
        m_process.start();
        // "Master listening on 127.0.0.1:PORT ..." tells the port.
        static const QRegularExpression listening(QStringLiteral("127\\.0\\.0\\.1:(\\d+)"));
        while (m_port == 0 && m_process.waitForReadyRead(20000)) {
            out += m_process.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(out));
            if (match.hasMatch())
                m_port = match.captured(1).toInt();
        }
    }
    ~RunningMaster()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    int port() const { return m_port; }
    /// Waits for the master to end; its exit status (-1 if it did not end in time).
    int finish(int ms = 60000)
    {
        // waitForFinished() is false for a process that already ended (a refused option).
        if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(ms))
            return -1;
        out += m_process.readAllStandardOutput();
        err += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    void terminate() { m_process.terminate(); }

    QByteArray out;
    QByteArray err;

private:
    QProcess m_process;
    int m_port = 0;
};

/// A client process with the master's key in its environment.
struct Client
{
    int exitCode = -1;
    qint64 pid = 0;
    QByteArray out;
    QByteArray err;
};

Client runClient(const QString &program, const QStringList &args,
                 const QString &keyVariable = QStringLiteral("s3cret-key"))
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("INTERLEAVE_AUTHKEY"), keyVariable);
    env.insert(QStringLiteral("INTERLEAVE_WORKER_PACE_MS"), QStringLiteral("10"));
    p.setProcessEnvironment(env);
    p.setProgram(program);
    p.setArguments(args);
    p.start();
    Client c;
    EXPECT_TRUE(p.waitForStarted(20000));
    c.pid = p.processId();
    EXPECT_TRUE(p.waitForFinished(60000)) << program.toStdString() << " did not finish";
    c.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    c.out = p.readAllStandardOutput();
    c.err = p.readAllStandardError();
    return c;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return QJsonDocument::fromJson(f.readAll()).object();
}

/// "Result: n * n = r" lines: how many, and how many with r = n * n.
std::pair<int, int> resultLines(const QByteArray &out)
{
    static const QRegularExpression line(QStringLiteral("^Result: (\\d+) \\* (\\d+) = (\\d+)$"),
                                         QRegularExpression::MultilineOption);
    int all = 0;
    int correct = 0;
    for (auto it = line.globalMatch(QString::fromUtf8(out)); it.hasNext();) {
        const auto m = it.next();
        const qint64 n = m.captured(1).toLongLong();
        ++all;
        correct += m.captured(2).toLongLong() == n && m.captured(3).toLongLong() == n * n;
    }
    return {all, correct};
}

} // namespace

// docs/protocol.md is enough to write a worker: the Python one of examples/python/ logs in to a
// real master (which records a trace, so it also probes the worker's clock) and does every task.
TEST(MasterClients, ThePythonWorkerOfTheProtocolDocDoesEveryTask)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString chrome = dir.filePath(QStringLiteral("master.json"));
    RunningMaster master({QStringLiteral("--tasks"), QStringLiteral("10"), QStringLiteral("--chrome"), chrome});
    ASSERT_GT(master.port(), 0) << master.out.toStdString();
    const Client worker = runClient(python(), {sourceFile("examples/python/worker.py"), master.address()});
    EXPECT_EQ(worker.exitCode, 0) << worker.out.toStdString() << worker.err.toStdString();
    ASSERT_EQ(master.finish(), 0) << master.err.toStdString();
    EXPECT_EQ(worker.out.count("run task "), 10) << worker.out.toStdString();
    EXPECT_TRUE(worker.out.contains("worker exit.")) << worker.out.toStdString();
    EXPECT_EQ(resultLines(master.out), std::make_pair(10, 10)) << master.out.toStdString();

    const QJsonObject other = readJson(chrome).value(QStringLiteral("otherData")).toObject();
    EXPECT_EQ(other.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    const QJsonObject findings = other.value(QStringLiteral("findings")).toObject();
    EXPECT_EQ(findings.value(QStringLiteral("tasks")).toInt(), 10);
    EXPECT_EQ(findings.value(QStringLiteral("results")).toInt(), 10);
    const QJsonArray workers = findings.value(QStringLiteral("workers")).toArray();
    ASSERT_EQ(workers.size(), 1) << QJsonDocument(findings).toJson().toStdString();
    const QJsonObject w = workers.at(0).toObject();
    EXPECT_EQ(w.value(QStringLiteral("pid")).toInteger(), worker.pid);
    EXPECT_EQ(w.value(QStringLiteral("name")).toString(), QStringLiteral("python-%1").arg(worker.pid));
    EXPECT_GE(w.value(QStringLiteral("clock_rtt_ns")).toDouble(), 0) << "its clock was not probed";
}

// The chapter's own task_worker.py speaks multiprocessing's protocol: the master answers its
// opening, sees what it is, says so in one line and drops it, then serves the next worker.
TEST(MasterClients, APythonBaseManagerWorkerIsToldWhatItIsAndDropped)
{
    RunningMaster master({QStringLiteral("--tasks"), QStringLiteral("1")});
    ASSERT_GT(master.port(), 0) << master.out.toStdString();
    const Client manager = runClient(python(), {sourceFile("tests/data/basemanager_worker.py"), master.address()});
    EXPECT_EQ(manager.exitCode, 3) << manager.out.toStdString() << manager.err.toStdString();
    EXPECT_TRUE(manager.out.startsWith("login failed: ")) << manager.out.toStdString();
    // The master goes on: an interleave worker still gets the task.
    const Client worker =
        runClient(interleaveBinary(), {QStringLiteral("worker"), QStringLiteral("--connect"), master.address(),
                                       QStringLiteral("--retry"), QStringLiteral("0")});
    EXPECT_EQ(worker.exitCode, 0) << worker.err.toStdString();
    ASSERT_EQ(master.finish(), 0) << master.err.toStdString();
    EXPECT_EQ(resultLines(master.out), std::make_pair(1, 1)) << master.out.toStdString();
    const QByteArray line = "this looks like a Python BaseManager worker; Interleave's master speaks its own "
                            "protocol, see docs/protocol.md";
    EXPECT_EQ(master.err.count(line), 1) << master.err.toStdString();
    EXPECT_EQ(master.err.count('\n'), 1) << master.err.toStdString();
}

// A master nobody serves ends after --result-timeout with one line, its trace (status timed_out)
// and exit status 1.
TEST(MasterClients, NoResultForTheResultTimeoutEndsTheMasterWithItsTrace)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString chrome = dir.filePath(QStringLiteral("master.json"));
    const QString save = dir.filePath(QStringLiteral("master.iltrace"));
    RunningMaster master({QStringLiteral("--tasks"), QStringLiteral("3"), QStringLiteral("--result-timeout"),
                          QStringLiteral("1"), QStringLiteral("--chrome"), chrome, QStringLiteral("--save"), save});
    ASSERT_GT(master.port(), 0) << master.out.toStdString();
    EXPECT_EQ(master.finish(), 1) << master.err.toStdString();
    EXPECT_EQ(master.err.count('\n'), 1) << master.err.toStdString();
    EXPECT_TRUE(master.err.contains("no result for 1 s (--result-timeout): the master ends with 0 of 3 results in"))
        << master.err.toStdString();
    EXPECT_TRUE(master.out.contains("master exit.")) << master.out.toStdString();
    const QJsonObject other = readJson(chrome).value(QStringLiteral("otherData")).toObject();
    EXPECT_EQ(other.value(QStringLiteral("status")).toString(), QStringLiteral("timed_out"));
    EXPECT_EQ(other.value(QStringLiteral("findings")).toObject().value(QStringLiteral("results")).toInt(), 0);
    EXPECT_GT(QFileInfo(save).size(), 0);

    // Bad values are bad input, named.
    for (const QString &bad : {QStringLiteral("soon"), QStringLiteral("-1"), QStringLiteral("86401")}) {
        RunningMaster refused({QStringLiteral("--result-timeout"), bad});
        EXPECT_EQ(refused.finish(), 2) << bad.toStdString();
        EXPECT_TRUE(refused.err.contains("--result-timeout")) << refused.err.toStdString();
    }
}

// The key reaches either side either way: the master from $INTERLEAVE_AUTHKEY, a worker from
// --authkey-file (the reverse is in CommandLine.MasterAndWorkerTakeTheKeyFromAFileOrTheEnvironment...);
// a worker with another key is refused and the master counts nothing from it.
TEST(MasterClients, TheKeyFromTheEnvironmentOrAFileWorksForBothSides)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString keyFile = dir.filePath(QStringLiteral("key"));
    {
        QFile f(keyFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("s3cret-key\n");
    }
    RunningMaster master({QStringLiteral("--tasks"), QStringLiteral("2")});
    ASSERT_GT(master.port(), 0) << master.out.toStdString();
    const Client stranger = runClient(interleaveBinary(),
                                      {QStringLiteral("worker"), QStringLiteral("--connect"), master.address(),
                                       QStringLiteral("--retry"), QStringLiteral("0")},
                                      QStringLiteral("wrong-key"));
    EXPECT_EQ(stranger.exitCode, 1) << stranger.err.toStdString();
    EXPECT_TRUE(stranger.err.contains("wrong authkey")) << stranger.err.toStdString();
    const Client worker =
        runClient(interleaveBinary(),
                  {QStringLiteral("worker"), QStringLiteral("--connect"), master.address(),
                   QStringLiteral("--authkey-file"), keyFile, QStringLiteral("--retry"), QStringLiteral("0")},
                  QStringLiteral("wrong-key")); // the file wins over the variable
    EXPECT_EQ(worker.exitCode, 0) << worker.err.toStdString();
    ASSERT_EQ(master.finish(), 0) << master.err.toStdString();
    EXPECT_EQ(resultLines(master.out), std::make_pair(2, 2)) << master.out.toStdString();
}
