// SPDX-License-Identifier: MIT
// Every scenario carries what the window and the classroom need: texts in both languages with
// their four sections, the Python it re-enacts, and the C++ that runs.
#include "scenarios/scenario.h"

#include <QFile>

#include <gtest/gtest.h>

using namespace interleave::core;

TEST(ScenarioRegistry, EveryScenarioHasItsTextsInBothLanguages)
{
    for (const auto &scenario : ScenarioRegistry::instance().all()) {
        SCOPED_TRACE(scenario->id());
        const QString en = scenario->explanation(QStringLiteral("en"));
        QFile zhFile(QStringLiteral(":/scenarios/") + QLatin1String(scenario->id()) + QStringLiteral(".zh_CN.md"));
        ASSERT_TRUE(zhFile.open(QIODevice::ReadOnly)) << "no Chinese explanation";
        const QString zh = QString::fromUtf8(zhFile.readAll());
        for (const char *section : {"## What runs", "## What to look at", "## Why", "## Ask the class"})
            EXPECT_TRUE(en.contains(QLatin1String(section))) << section;
        for (const char *section : {"## 运行了什么", "## 看什么", "## 为什么", "## 问问大家"})
            EXPECT_TRUE(zh.contains(QString::fromUtf8(section))) << section;
        EXPECT_TRUE(scenario->question(QStringLiteral("en")).endsWith(QLatin1Char('?')));
        EXPECT_TRUE(scenario->question(QStringLiteral("zh_CN")).endsWith(QStringLiteral("？")));
        EXPECT_FALSE(scenario->python().trimmed().isEmpty()) << "no Python";
        QFile source(scenario->sourcePath());
        ASSERT_TRUE(source.open(QIODevice::ReadOnly)) << scenario->sourcePath().toStdString();
        const QByteArray code = source.readAll();
        if (scenario->sourceFile().startsWith(QStringLiteral("core/scenarios/lessons/"))) {
            // The code panel shows the lesson alone: the scenario's class and findings live beside it.
            EXPECT_FALSE(code.contains("findings(")) << scenario->sourceFile().toStdString();
            EXPECT_FALSE(code.contains("public Scenario")) << scenario->sourceFile().toStdString();
            EXPECT_TRUE(code.contains("// py: ")) << "a lesson without a line mapped to the Python";
        } else {
            EXPECT_TRUE(code.contains(QByteArray(QByteArray("\"") + scenario->id() + "\"")));
        }
    }
}

TEST(ScenarioRegistry, ParametersAreValidatedWithClearErrors)
{
    const Scenario *pool = ScenarioRegistry::instance().find("pool");
    ASSERT_NE(pool, nullptr);
    ParamValues values;
    QString error;
    EXPECT_TRUE(ScenarioRegistry::resolveParams(*pool, {}, values, error));
    EXPECT_EQ(values.value(QStringLiteral("workers")).toInt(), 4);
    EXPECT_EQ(values.value(QStringLiteral("tasks")).toInt(), 5);
    EXPECT_FALSE(
        ScenarioRegistry::resolveParams(*pool, {{QStringLiteral("workers"), QStringLiteral("0")}}, values, error));
    EXPECT_TRUE(error.contains(QStringLiteral("workers")) && error.contains(QStringLiteral("1 to 16")))
        << error.toStdString();
    EXPECT_FALSE(
        ScenarioRegistry::resolveParams(*pool, {{QStringLiteral("workers"), QStringLiteral("four")}}, values, error));
    EXPECT_FALSE(
        ScenarioRegistry::resolveParams(*pool, {{QStringLiteral("nope"), QStringLiteral("1")}}, values, error));
    EXPECT_TRUE(error.contains(QStringLiteral("nope")) && error.contains(QStringLiteral("workers")))
        << error.toStdString();
}

// "it takes 1 to 1e+07": a bound is written as people write it.
TEST(ScenarioRegistry, ARangeIsWrittenWithPlainNumbers)
{
    const Scenario *race = ScenarioRegistry::instance().find("race");
    ASSERT_NE(race, nullptr);
    ParamValues values;
    QString error;
    EXPECT_FALSE(
        ScenarioRegistry::resolveParams(*race, {{QStringLiteral("iterations"), QStringLiteral("0")}}, values, error));
    EXPECT_TRUE(error.contains(QStringLiteral("1 to 10000000"))) << error.toStdString();
    EXPECT_FALSE(error.contains(QStringLiteral("e+"))) << error.toStdString();
    const Scenario *gil = ScenarioRegistry::instance().find("gil");
    ASSERT_NE(gil, nullptr);
    EXPECT_FALSE(
        ScenarioRegistry::resolveParams(*gil, {{QStringLiteral("duration"), QStringLiteral("0")}}, values, error));
    EXPECT_TRUE(error.contains(QStringLiteral("0.1 to 60"))) << error.toStdString();
}

// A 100 KB text was echoed whole in the refusal, over many lines; now it is cut short with its
// length, the limit is named, and the line stays one line.
TEST(ScenarioRegistry, ALongValueIsQuotedShortWithItsLength)
{
    const Scenario *subprocess = ScenarioRegistry::instance().find("subprocess");
    ASSERT_NE(subprocess, nullptr);
    ParamValues values;
    QString error;
    const QString huge = QString(100 * 1024, QLatin1Char('x')).replace(100, 1, QLatin1Char('\n'));
    EXPECT_FALSE(ScenarioRegistry::resolveParams(*subprocess, {{QStringLiteral("input"), huge}}, values, error));
    EXPECT_LT(error.size(), 300) << error.size();
    EXPECT_FALSE(error.contains(QLatin1Char('\n')));
    EXPECT_TRUE(error.contains(QStringLiteral("102400 characters"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QString::number(kMaxTextParam))) << error.toStdString();
    EXPECT_FALSE(ScenarioRegistry::resolveParams(*subprocess, {{huge, QStringLiteral("1")}}, values, error));
    EXPECT_LT(error.size(), 300) << error.size();
    EXPECT_TRUE(ScenarioRegistry::resolveParams(*subprocess, {{QStringLiteral("input"), huge.left(kMaxTextParam)}},
                                                values, error))
        << error.toStdString();
}
