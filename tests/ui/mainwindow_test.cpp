// SPDX-License-Identifier: MIT
#include "scenarios/scenario.h"
#include "ui/application.h"
#include "ui/mainwindow.h"
#include "uitest.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace interleave;

namespace {

using ui::testing::app;

QStringList menuTitles(const QMainWindow &window)
{
    QStringList titles;
    for (auto *action : window.menuBar()->actions())
        titles << action->text();
    return titles;
}

QStringList scenarioIds(QTreeWidget *tree)
{
    QStringList ids;
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        const QString id = (*it)->data(0, Qt::UserRole).toString();
        if (!id.isEmpty())
            ids << id;
    }
    return ids;
}

} // namespace

TEST(MainWindow, ShowsEveryRegisteredScenarioGroupedByChapter)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.show();

    QStringList expected;
    for (const auto &scenario : core::ScenarioRegistry::instance().all())
        expected << QString::fromLatin1(scenario->id());
    EXPECT_EQ(scenarioIds(window.scenarioBrowser()), expected);
    // Top-level items are the chapter's sections, not scenarios.
    ASSERT_GT(window.scenarioBrowser()->topLevelItemCount(), 0);
    EXPECT_TRUE(window.scenarioBrowser()->topLevelItem(0)->data(0, Qt::UserRole).toString().isEmpty());
    EXPECT_EQ(window.scenarioBrowser()->topLevelItem(0)->text(0), QStringLiteral("Multiprocessing"));

    EXPECT_TRUE(window.windowTitle().startsWith(QStringLiteral("Interleave")));
    EXPECT_EQ(menuTitles(window), (QStringList{QStringLiteral("&File"), QStringLiteral("&Run"), QStringLiteral("&View"),
                                               QStringLiteral("&Language"), QStringLiteral("&Help")}));
    const auto labels = window.statusBar()->findChildren<QLabel *>();
    ASSERT_FALSE(labels.isEmpty());
    EXPECT_TRUE(labels.front()->text().contains(QString::number(expected.size())));
}

TEST(MainWindow, SelectingAScenarioShowsItsTitle)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("deadlock")));
    EXPECT_EQ(window.selectedScenario(), QStringLiteral("deadlock"));
    auto *central = window.findChild<QTextBrowser *>(QStringLiteral("ScenarioExplanation"));
    ASSERT_NE(central, nullptr);
    EXPECT_TRUE(central->toPlainText().contains(QStringLiteral("Deadlock"))) << central->toPlainText().toStdString();
    EXPECT_FALSE(window.selectScenario(QStringLiteral("no-such-scenario")));
}

TEST(MainWindow, ShowsTheExplanationInTheStudentsLanguage)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    auto *central = window.findChild<QTextBrowser *>(QStringLiteral("ScenarioExplanation"));
    ASSERT_NE(central, nullptr);
    EXPECT_TRUE(central->toPlainText().contains(QStringLiteral("Ask the class")));
    ui::Application::setLanguage(QStringLiteral("zh_CN"));
    QCoreApplication::processEvents();
    EXPECT_TRUE(central->toPlainText().contains(QStringLiteral("问问大家"))) << central->toPlainText().toStdString();
    ui::Application::setLanguage(QStringLiteral("en"));
}

TEST(MainWindow, WindowIconComesFromTheResources)
{
    app();
    ui::MainWindow window;
    EXPECT_FALSE(window.windowIcon().isNull());
    EXPECT_FALSE(window.windowIcon().pixmap(32, 32).isNull());
}

TEST(MainWindow, SwitchesToChineseWhileOpen)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    ui::Application::setLanguage(QStringLiteral("zh_CN"));
    QCoreApplication::processEvents();
    EXPECT_EQ(menuTitles(window).value(0), QStringLiteral("文件(&F)"));
    EXPECT_EQ(window.scenarioBrowser()->topLevelItem(0)->text(0), QStringLiteral("多进程"));
    ui::Application::setLanguage(QStringLiteral("en"));
    QCoreApplication::processEvents();
    EXPECT_EQ(menuTitles(window).value(0), QStringLiteral("&File"));
}
