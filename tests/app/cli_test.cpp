// SPDX-License-Identifier: MIT
// The command line, driven the way a user or a script drives it: a real process, its exit
// status, its stdout and stderr.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <gtest/gtest.h>

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result interleave(const QStringList &args)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave"));
    p.setArguments(args);
    p.start();
    EXPECT_TRUE(p.waitForFinished(60000)) << "interleave did not finish";
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

TEST(CommandLine, VersionExitsZero)
{
    const auto r = interleave({QStringLiteral("--version")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.startsWith("interleave ")) << r.out.constData();
}

TEST(CommandLine, ListJsonIsAnArrayOfScenarios)
{
    const auto r = interleave({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--lang"),
                               QStringLiteral("en")});
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

TEST(CommandLine, ChineseTitles)
{
    const auto r = interleave({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--lang"),
                               QStringLiteral("zh_CN")});
    ASSERT_EQ(r.exitCode, 0);
    const QJsonArray all = QJsonDocument::fromJson(r.out).array();
    ASSERT_FALSE(all.isEmpty());
    const QString group = all.first().toObject().value(QStringLiteral("group")).toString();
    EXPECT_EQ(group, QStringLiteral("多进程"));
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
          QStringList{QStringLiteral("list"), QStringLiteral("extra")}}) {
        const auto r = interleave(args);
        EXPECT_EQ(r.exitCode, 2) << args.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
    }
}
