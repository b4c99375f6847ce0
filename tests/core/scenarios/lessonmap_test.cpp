// SPDX-License-Identifier: MIT
// The map from a lesson's C++ lines to the chapter's Python lines.
#include "scenarios/lessonmap.h"
#include "scenarios/scenario.h"

#include <gtest/gtest.h>

using namespace interleave::core;

TEST(LessonMap, MarkerNamesThePythonLineByItsCodeWithoutComment)
{
    const QString python = QStringLiteral("def f(a, b):\n"
                                          "    with a:\n"
                                          "        with b:   # the second\n"
                                          "            pass\n"
                                          "t1 = threading.Thread(target=f, args=(x, y))\n");
    const QString cpp = QStringLiteral("void f() {\n"
                                       "    LockGuard one(a); // py: with a:\n"
                                       "    LockGuard two(b); // py: with b:\n"
                                       "    work();\n"
                                       "    LockGuard three(c); // py: with c:\n"
                                       "    Thread t1(f); // py: t1 = threading.Thread(...\n"
                                       "}\n");
    const LessonMap map = LessonMap::build(cpp, python);
    ASSERT_EQ(map.markers().size(), 4u);
    EXPECT_EQ(map.pythonLine(2), 2);
    EXPECT_EQ(map.pythonLine(3), 3);
    EXPECT_EQ(map.pythonLine(4), 0); // no marker
    EXPECT_EQ(map.pythonLine(5), 0); // a marker naming no Python line
    EXPECT_EQ(map.markers()[2].pythonLine, 0);
    EXPECT_EQ(map.pythonLine(6), 5);
}

TEST(LessonMap, EveryMarkerOfEveryScenarioResolves)
{
    int markers = 0;
    for (const auto &scenario : ScenarioRegistry::instance().all()) {
        const LessonMap map = LessonMap::of(*scenario);
        for (const LessonMap::Marker &m : map.markers()) {
            ++markers;
            EXPECT_GT(m.pythonLine, 0) << scenario->id() << ".cpp:" << m.cppLine << ": no Python line is '"
                                       << m.code.toStdString() << "'";
        }
    }
    EXPECT_GT(markers, 0);
}

TEST(LessonMap, RecordedPathsMatchTheLessonFile)
{
    EXPECT_TRUE(sameSourceFile("core/scenarios/lessons/deadlock.cpp", "core/scenarios/lessons/deadlock.cpp"));
    EXPECT_TRUE(sameSourceFile("deadlock.cpp", "core/scenarios/lessons/deadlock.cpp")); // traces that kept base names
    EXPECT_FALSE(sameSourceFile("core/instrument/process.cpp", "core/scenarios/lessons/process.cpp"));
    EXPECT_FALSE(sameSourceFile("core/scenarios/deadlock.cpp", "core/scenarios/lessons/deadlock.cpp")); // findings
    EXPECT_FALSE(sameSourceFile("lock.cpp", "core/scenarios/lessons/deadlock.cpp"));
}

TEST(LessonMap, DeadlockLockLinesMapToTheirPython)
{
    const auto lineOf = pythonLineOf("deadlock");
    ASSERT_TRUE(lineOf);
    const Scenario *scenario = ScenarioRegistry::instance().find("deadlock");
    const QStringList python = scenario->python().split(QLatin1Char('\n'));
    int found = 0;
    const LessonMap map = LessonMap::of(*scenario);
    for (const LessonMap::Marker &m : map.markers()) {
        if (m.code != QStringLiteral("with second:"))
            continue;
        ++found;
        EXPECT_EQ(lineOf("core/scenarios/lessons/deadlock.cpp", m.cppLine), m.pythonLine);
        EXPECT_EQ(lineOf("core/scenarios/deadlock.cpp", m.cppLine), 0); // the findings' file is not the lesson
        EXPECT_EQ(python.value(m.pythonLine - 1).trimmed(),
                  QStringLiteral("with second:          # ...then ask for the "
                                 "lock the other thread holds"));
        EXPECT_EQ(lineOf("core/instrument/mutex.h", m.cppLine), 0); // only the lesson's file maps
    }
    EXPECT_GE(found, 2);
}
