// SPDX-License-Identifier: MIT
// Ctrl+F in the window: type, see what is found, Enter goes there, Esc closes.
#include "analysis/tracesearch.h"
#include "ui/mainwindow.h"
#include "ui/playback.h"
#include "ui/searchpanel.h"
#include "ui/traceview.h"
#include "uitest.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

#include <gtest/gtest.h>

using namespace interleave;
using ui::testing::app;

TEST(Search, CtrlFFindsALockAndEnterShowsItsUse)
{
    app();
    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("deadlock")));
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(finished.wait(60000));
    const core::TraceModel &model = *window.model();

    QAction *find = nullptr;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->shortcut() == QKeySequence(QKeySequence::Find))
            find = action;
    ASSERT_NE(find, nullptr);
    find->trigger();
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("SearchDock"));
    auto *panel = window.findChild<ui::SearchPanel *>(QStringLiteral("SearchPanel"));
    ASSERT_NE(panel, nullptr);
    EXPECT_TRUE(dock->isVisible());
    QApplication::setActiveWindow(&window);
    QTest::keyClicks(panel->queryEdit(), QStringLiteral("lock b"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel->hits().empty(), 5000); // searched after a pause in typing
    // The list shows what core::searchTrace finds, in its order, first row current.
    const std::vector<core::SearchHit> expected = core::searchTrace(model, "lock b");
    ASSERT_EQ(panel->hits().size(), expected.size());
    ASSERT_EQ(panel->hitList()->count(), int(expected.size()));
    EXPECT_EQ(panel->hitList()->currentRow(), 0);
    const core::SearchHit &lock = panel->hits().front();
    EXPECT_EQ(lock.kind, core::SearchHit::Kind::Object);
    EXPECT_EQ(lock.text, "lock B");

    // Enter: the playhead goes to its first use and the timeline shows all of its use.
    QTest::keyClick(panel->queryEdit(), Qt::Key_Return);
    EXPECT_EQ(window.playback()->position(), lock.start);
    const auto [t0, t1] = window.view(QStringLiteral("timeline"))->visibleRange();
    EXPECT_LT(t0, lock.start);
    EXPECT_GE(t1, lock.end); // the view stops at the end of the trace
    EXPECT_LT(t1 - t0, (lock.end - lock.start) * 12 / 10);
    EXPECT_EQ(window.statusBar()->currentMessage(), ui::SearchPanel::hitText(model, lock));

    // Down then Enter chooses the next hit; Esc closes the panel.
    if (panel->hits().size() > 1) {
        QTest::keyClick(panel->queryEdit(), Qt::Key_Down);
        QTest::keyClick(panel->queryEdit(), Qt::Key_Return);
        EXPECT_EQ(window.playback()->position(), panel->hits()[1].start);
    }
    QTest::keyClick(panel->queryEdit(), Qt::Key_Escape);
    EXPECT_FALSE(dock->isVisible());
}
