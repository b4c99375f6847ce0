// SPDX-License-Identifier: MIT
#include "scenarios/scenario.h"
#include "ui/application.h"
#include "ui/mainwindow.h"
#include "ui/traceview.h"
#include "uitest.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTest>
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

TEST(MainWindow, ChoosingAnotherScenarioAfterARunGoesBackToItsQuestion)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    ASSERT_TRUE(window.runScenario());
    QElapsedTimer timer;
    timer.start();
    while (window.running() && timer.elapsed() < 30000)
        QTest::qWait(20);
    ASSERT_FALSE(window.running());
    ASSERT_NE(window.model(), nullptr);
    auto *center = window.findChild<QStackedWidget *>();
    auto *card = window.findChild<QTextBrowser *>(QStringLiteral("StartCard"));
    ASSERT_NE(center, nullptr);
    ASSERT_NE(card, nullptr);
    EXPECT_NE(center->currentWidget(), card) << "the finished run is on show";

    // The student picks another scenario in the browser: nothing of the fork run stays beside it.
    QTreeWidgetItem *deadlock = nullptr;
    for (QTreeWidgetItemIterator it(window.scenarioBrowser()); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).toString() == QLatin1String("deadlock"))
            deadlock = *it;
    }
    ASSERT_NE(deadlock, nullptr);
    window.scenarioBrowser()->setCurrentItem(deadlock);
    EXPECT_EQ(window.model(), nullptr);
    for (ui::TraceView *view : window.views())
        EXPECT_EQ(view->model(), nullptr) << view->viewName().toStdString();
    EXPECT_EQ(center->currentWidget(), card);
    const auto *scenario = core::ScenarioRegistry::instance().find("deadlock");
    ASSERT_NE(scenario, nullptr);
    const QString question = scenario->question(QStringLiteral("en"));
    ASSERT_FALSE(question.isEmpty());
    EXPECT_TRUE(card->toPlainText().contains(question.left(20))) << card->toPlainText().toStdString();
    auto *explanation = window.findChild<QTextBrowser *>(QStringLiteral("ScenarioExplanation"));
    EXPECT_TRUE(explanation->toPlainText().contains(QStringLiteral("Deadlock")));
}

TEST(MainWindow, SwitchingLanguageBackAndForthRetranslatesTheExplanationAndTheQuestion)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    auto *explanation = window.findChild<QTextBrowser *>(QStringLiteral("ScenarioExplanation"));
    auto *card = window.findChild<QTextBrowser *>(QStringLiteral("StartCard"));
    ASSERT_NE(explanation, nullptr);
    ASSERT_NE(card, nullptr);
    const auto *fork = core::ScenarioRegistry::instance().find("fork");
    const QString zhQuestion = fork->question(QStringLiteral("zh_CN"));
    const QString enQuestion = fork->question(QStringLiteral("en"));
    ASSERT_FALSE(zhQuestion.isEmpty());
    ASSERT_NE(zhQuestion, enQuestion);
    for (int round = 0; round < 2; ++round) {
        ui::Application::setLanguage(QStringLiteral("zh_CN"));
        QCoreApplication::processEvents();
        EXPECT_TRUE(explanation->toPlainText().contains(QStringLiteral("问问大家"))) << round;
        EXPECT_TRUE(card->toPlainText().contains(zhQuestion.left(10))) << card->toPlainText().toStdString();
        ui::Application::setLanguage(QStringLiteral("en"));
        QCoreApplication::processEvents();
        EXPECT_TRUE(explanation->toPlainText().contains(QStringLiteral("Ask the class")))
            << "round " << round << ": " << explanation->toPlainText().left(200).toStdString();
        EXPECT_TRUE(card->toPlainText().contains(enQuestion.left(10))) << card->toPlainText().toStdString();
    }
}
