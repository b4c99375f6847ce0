// SPDX-License-Identifier: MIT
// Presentation mode (F5) in a hall: the question stays over the views until the teacher hides it,
// the explanation comes on demand, the hints name only what is on screen; Restart needs a run.
#include "scenarios/scenario.h"
#include "ui/mainwindow.h"
#include "ui/questionoverlay.h"
#include "ui/timeline/timelineview.h"
#include "uitest.h"

#include <QAction>
#include <QDockWidget>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QTextBrowser>

#include <gtest/gtest.h>

using namespace interleave;
using ui::testing::app;

namespace {

QAction *actionWithKey(ui::MainWindow &window, const QKeySequence &key)
{
    for (QAction *action : window.findChildren<QAction *>())
        if (action->shortcut() == key)
            return action;
    return nullptr;
}

} // namespace

TEST(Presentation, TheQuestionStaysOverTheRunUntilTheTeacherHidesIt)
{
    app();
    ui::MainWindow window;
    window.resize(1600, 900);
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    const QString question = core::ScenarioRegistry::instance().find("fork")->question(QStringLiteral("en"));
    ASSERT_FALSE(question.isEmpty());
    auto *overlay = window.findChild<ui::QuestionOverlay *>(QStringLiteral("QuestionOverlay"));
    ASSERT_NE(overlay, nullptr);
    auto *startCard = window.findChild<QTextBrowser *>(QStringLiteral("StartCard"));
    ASSERT_NE(startCard, nullptr);
    EXPECT_FALSE(overlay->isVisible()); // not outside presentation mode

    window.setPresentationMode(true);
    // Before Run the start card asks the question itself, and its hint names no hidden panel.
    EXPECT_FALSE(overlay->isVisible());
    EXPECT_TRUE(startCard->toPlainText().contains(question));
    EXPECT_FALSE(startCard->toPlainText().contains(QStringLiteral("on the left")));
    EXPECT_TRUE(startCard->toPlainText().contains(QStringLiteral("E shows the explanation")));

    // Run: the views replace the card, and the question floats over them, in large type.
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    EXPECT_TRUE(overlay->isVisible());
    EXPECT_EQ(overlay->question(), question);
    EXPECT_GE(overlay->findChild<QWidget *>(QStringLiteral("QuestionText"))->font().pixelSize(), 28);
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_TRUE(overlay->isVisible()); // the end of the run does not take it away

    // The first Esc hides the question and keeps presentation mode; Q brings it back.
    QAction *escape = actionWithKey(window, QKeySequence(Qt::Key_Escape));
    ASSERT_NE(escape, nullptr);
    escape->trigger();
    EXPECT_FALSE(overlay->isVisible());
    EXPECT_TRUE(window.presentationMode());
    actionWithKey(window, QKeySequence(Qt::Key_Q))->trigger();
    EXPECT_TRUE(overlay->isVisible());
    // A click hides it too.
    QTest::mouseClick(overlay, Qt::LeftButton);
    EXPECT_FALSE(overlay->isVisible());

    // The Details panel is hidden too, until something on the timeline is selected.
    auto *details = window.findChild<QDockWidget *>(QStringLiteral("DetailsDock"));
    ASSERT_NE(details, nullptr);
    EXPECT_FALSE(details->isVisible());
    auto *timeline = qobject_cast<ui::TimelineView *>(window.view(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    const core::TraceModel &model = *window.model();
    for (uint32_t t = 0; t < model.threadCount() && timeline->selection().kind == ui::TimelineSelection::Kind::None;
         ++t)
        if (!model.thread(t).recorder && model.thread(t).start < model.endTime())
            timeline->selectSpan(t, model.thread(t).start);
    ASSERT_EQ(timeline->selection().kind, ui::TimelineSelection::Kind::Span);
    EXPECT_TRUE(details->isVisible());

    // E shows the explanation the mode hid, and hides it again.
    auto *explanation = window.findChild<QDockWidget *>(QStringLiteral("ExplanationDock"));
    EXPECT_FALSE(explanation->isVisible());
    actionWithKey(window, QKeySequence(Qt::Key_E))->trigger();
    EXPECT_TRUE(explanation->isVisible());
    actionWithKey(window, QKeySequence(Qt::Key_E))->trigger();
    EXPECT_FALSE(explanation->isVisible());

    // With the question hidden, Esc leaves presentation mode; outside it Q and E do nothing.
    escape->trigger();
    EXPECT_FALSE(window.presentationMode());
    EXPECT_FALSE(actionWithKey(window, QKeySequence(Qt::Key_Q))->isEnabled());
}

TEST(Presentation, RestartIsOfferedOnlyOnceThereIsARunToRestart)
{
    app();
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    QAction *restart = actionWithKey(window, QKeySequence(Qt::CTRL | Qt::Key_F9));
    ASSERT_NE(restart, nullptr);
    EXPECT_FALSE(restart->isEnabled());
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_TRUE(restart->isEnabled());
}
