// SPDX-License-Identifier: MIT
// `interleave run --schedule` and `--repeat`, driven as a user drives them: the schedule decides
// the race's outcome every time; repeated runs count their outcomes.
#include "cliresult.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace {

using cli::Result;

Result interleave(const QStringList &args)
{
    return cli::run(QStringList{QStringLiteral("--lang"), QStringLiteral("en")} + args);
}

/// `run race` with one iteration per thread under `schedule`, with --json.
Result scheduledRace(const QStringList &extra)
{
    return interleave(QStringList{QStringLiteral("run"), QStringLiteral("race"), QStringLiteral("--set"),
                                  QStringLiteral("iterations=1"), QStringLiteral("--json")} +
                      extra);
}

const QString kLossy = QStringLiteral("Thread-1,Thread-2,Thread-1,Thread-2,Thread-1,Thread-1,Thread-2,Thread-2");
const QString kSerial = QStringLiteral("Thread-1,Thread-1,Thread-1,Thread-1,Thread-2,Thread-2,Thread-2,Thread-2");

QStringList stepsOf(const QJsonObject &summary)
{
    QStringList steps;
    for (const QJsonValue &step : summary.value(QStringLiteral("schedule")).toArray())
        steps << step.toObject().value(QStringLiteral("thread")).toString() + QLatin1Char(' ') +
                     step.toObject().value(QStringLiteral("event")).toString();
    return steps;
}

} // namespace

TEST(CommandLineSchedule, ALossyScheduleLosesAnUpdateEveryTimeAndASerialOneNever)
{
    const QStringList lossySteps = {QStringLiteral("Thread-1 load balance"),  QStringLiteral("Thread-2 load balance"),
                                    QStringLiteral("Thread-1 store balance"), QStringLiteral("Thread-2 store balance"),
                                    QStringLiteral("Thread-1 load balance"),  QStringLiteral("Thread-1 store balance"),
                                    QStringLiteral("Thread-2 load balance"),  QStringLiteral("Thread-2 store balance")};
    for (int round = 0; round < 3; ++round) {
        const Result lossy = scheduledRace({QStringLiteral("--schedule"), kLossy});
        ASSERT_EQ(lossy.exitCode, 0) << lossy.err.constData();
        const QJsonObject summary = lossy.json();
        EXPECT_EQ(summary.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        const QJsonObject findings = summary.value(QStringLiteral("findings")).toObject();
        EXPECT_EQ(findings.value(QStringLiteral("lost_updates")).toDouble(), 1) << lossy.out.constData();
        EXPECT_EQ(findings.value(QStringLiteral("final_balance")).toDouble(), -5) << lossy.out.constData();
        EXPECT_EQ(stepsOf(summary), lossySteps);
        EXPECT_EQ(summary.value(QStringLiteral("leftover_processes")).toDouble(-1), 0);

        const Result serial = scheduledRace({QStringLiteral("--schedule"), kSerial});
        ASSERT_EQ(serial.exitCode, 0) << serial.err.constData();
        const QJsonObject serialFindings = serial.json().value(QStringLiteral("findings")).toObject();
        EXPECT_EQ(serialFindings.value(QStringLiteral("lost_updates")).toDouble(-1), 0) << serial.out.constData();
        EXPECT_EQ(serialFindings.value(QStringLiteral("final_balance")).toDouble(-1), 0) << serial.out.constData();
        EXPECT_EQ(stepsOf(serial.json()).size(), 8);
    }
}

TEST(CommandLineSchedule, AScheduleFileTakesOneNameALine)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("lossy.txt")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(kLossy.toUtf8().replace(',', '\n') + '\n');
    file.close();
    const Result r = scheduledRace({QStringLiteral("--schedule-file"), file.fileName()});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QJsonObject findings = r.json().value(QStringLiteral("findings")).toObject();
    EXPECT_EQ(findings.value(QStringLiteral("lost_updates")).toDouble(), 1);
    EXPECT_EQ(stepsOf(r.json()).size(), 8);
}

TEST(CommandLineSchedule, AThreadThatNeverComesIsOneLineAndExitTwo)
{
    const Result r = scheduledRace({QStringLiteral("--schedule"), QStringLiteral("Thread-1,Nobody,Thread-2")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.out.isEmpty()) << r.out.constData();
    EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
    EXPECT_TRUE(r.err.contains("'Nobody'")) << r.err.constData();
    EXPECT_TRUE(r.err.contains("schedule step 2")) << r.err.constData();

    const Result both = scheduledRace(
        {QStringLiteral("--schedule"), kLossy, QStringLiteral("--schedule-file"), QStringLiteral("/nonexistent")});
    EXPECT_EQ(both.exitCode, 2);
    EXPECT_EQ(both.err.count('\n'), 1) << both.err.constData();
}

TEST(CommandLineSchedule, RepeatCountsEveryRunsOutcome)
{
    const Result r = interleave({QStringLiteral("run"), QStringLiteral("race"), QStringLiteral("--set"),
                                 QStringLiteral("iterations=1000"), QStringLiteral("--repeat"), QStringLiteral("20"),
                                 QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QJsonObject summary = r.json();
    EXPECT_EQ(summary.value(QStringLiteral("runs")).toInt(), 20);
    const QJsonObject outcomes = summary.value(QStringLiteral("outcomes")).toObject();
    ASSERT_FALSE(outcomes.isEmpty());
    int sum = 0;
    for (auto it = outcomes.begin(); it != outcomes.end(); ++it) {
        bool number = false;
        it.key().toInt(&number);
        EXPECT_TRUE(number) << "a final balance: " << it.key().toStdString();
        sum += it.value().toInt();
    }
    EXPECT_EQ(sum, 20);

    // A schedule makes every repeated run the same.
    const Result same =
        scheduledRace({QStringLiteral("--schedule"), kLossy, QStringLiteral("--repeat"), QStringLiteral("4")});
    ASSERT_EQ(same.exitCode, 0) << same.err.constData();
    EXPECT_EQ(same.json().value(QStringLiteral("outcomes")).toObject(), (QJsonObject{{QStringLiteral("-5"), 4}}));

    const Result bad =
        interleave({QStringLiteral("run"), QStringLiteral("race"), QStringLiteral("--repeat"), QStringLiteral("0")});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_EQ(bad.err.count('\n'), 1) << bad.err.constData();
}
