// SPDX-License-Identifier: MIT
// "Be the scheduler" in the window: a challenge's threads wait at every step, the class picks who
// goes next (a thread's button or its number key), and the goal is checked from the trace.
#include "run/challenge.h"
#include "run/session.h"
#include "run/summary.h"
#include "trace/tracemodel.h"
#include "ui/application.h"
#include "ui/code/codeview.h"
#include "ui/mainwindow.h"
#include "ui/schedulerpanel.h"
#include "ui/timeline/timelineview.h"

#include "uitest.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

using namespace interleave;
using ui::testing::app;
using ui::testing::waitFor;

namespace {

/// The held thread named `name` as the panel shows it (its button's place in `index`), waiting
/// for it at most 10 s; false when it never came (or the run ended).
bool heldNamed(ui::MainWindow &window, const std::string &name, core::ThreadHold *hold, int *index = nullptr)
{
    auto find = [&] {
        const auto &held = window.schedulerPanel()->held();
        for (size_t i = 0; i < held.size(); ++i) {
            if (held[i].name == name) {
                *hold = held[i];
                if (index)
                    *index = int(i);
                return true;
            }
        }
        return false;
    };
    return waitFor([&] { return find() || !window.running(); }, 10000) && find();
}

/// `name` takes one step, chosen as the class chooses: its button is clicked.
bool step(ui::MainWindow &window, const std::string &name)
{
    core::ThreadHold hold;
    if (!heldNamed(window, name, &hold))
        return false;
    return window.stepThread(hold.thread);
}

/// `name` steps until its next step reads `next` (not taken), at most `limit` steps.
bool stepUntilNext(ui::MainWindow &window, const std::string &name, const std::string &next, int limit = 20)
{
    for (int i = 0; i < limit; ++i) {
        core::ThreadHold hold;
        if (!heldNamed(window, name, &hold))
            return false;
        if (hold.nextStep().find(next) != std::string::npos)
            return true;
        if (!window.stepThread(hold.thread))
            return false;
    }
    return false;
}

/// Lets every held thread go on freely, as Pause and then Resume do.
void letGo(ui::MainWindow &window)
{
    window.togglePause();
    window.togglePause();
}

QJsonObject findingsOf(const ui::MainWindow &window)
{
    return core::runSummary(*window.session()).value(QStringLiteral("findings")).toObject();
}

/// The findings without when things happened (the lost updates' times, in ns): what a schedule
/// decides, which is the same every time.
QJsonObject withoutTimes(QJsonObject findings)
{
    QJsonArray examples;
    for (const QJsonValue &value : findings.value(QStringLiteral("examples")).toArray()) {
        QJsonObject example = value.toObject();
        for (const QString &key : example.keys())
            if (key.endsWith(QLatin1String("_ns")))
                example.remove(key);
        examples.append(example);
    }
    findings.insert(QStringLiteral("examples"), examples);
    return findings;
}

bool announced(const ui::MainWindow &window)
{
    return window.challengeMet() && window.schedulerPanel()->statusText().contains(QLatin1String("Done in"));
}

struct Window
{
    // The application (and the language) before the window.
    bool ready = [] {
        app();
        ui::Application::setLanguage(QStringLiteral("en"));
        return true;
    }();
    ui::MainWindow window;
    Window()
    {
        window.resize(1280, 800);
        window.show();
    }
    ~Window() { window.stopRun(); }
};

} // namespace

TEST(Scheduler, EveryScenarioWithChallengesListsThem)
{
    for (const char *id : {"race", "deadlock", "lock", "queue"}) {
        const auto challenges = core::challengesFor(QLatin1String(id));
        EXPECT_FALSE(challenges.empty()) << id;
        for (const core::Challenge &c : challenges) {
            const core::Challenge *found = core::findChallenge(c.id);
            ASSERT_NE(found, nullptr) << c.id.toStdString();
            EXPECT_EQ(found->scenario, QLatin1String(id));
            EXPECT_FALSE(c.title().isEmpty());
            EXPECT_FALSE(c.task().isEmpty());
            EXPECT_FALSE(c.threads.empty());
        }
    }
    EXPECT_TRUE(core::challengesFor(QStringLiteral("fork")).empty());
}

// The test: a lossy and a serial schedule, each three times, through the window's steps.
TEST(Scheduler, ALossyScheduleLosesTheSameUpdateEveryTimeAndASerialOneNever)
{
    const std::vector<std::string> lossy = {"Thread-1", "Thread-2", "Thread-1", "Thread-2",
                                            "Thread-1", "Thread-1", "Thread-2", "Thread-2"};
    const std::vector<std::string> serial = {"Thread-1", "Thread-1", "Thread-1", "Thread-1",
                                             "Thread-2", "Thread-2", "Thread-2", "Thread-2"};
    for (const auto *schedule : {&lossy, &serial}) {
        QJsonObject first;
        for (int round = 0; round < 3; ++round) {
            Window w;
            QSignalSpy finished(&w.window, &ui::MainWindow::runFinished);
            // "Keep the balance right" holds both threads until the run ends, whatever the steps.
            ASSERT_TRUE(w.window.startChallenge(QStringLiteral("race-keep")));
            for (const std::string &name : *schedule)
                ASSERT_TRUE(step(w.window, name)) << name;
            // What is left (each thread's exit) goes freely: the balance is settled.
            letGo(w.window);
            ASSERT_TRUE(waitFor([&] { return !finished.isEmpty(); }, 20000));
            EXPECT_EQ(w.window.session()->status(), core::RunStatus::Finished);
            const QJsonObject findings = withoutTimes(findingsOf(w.window));
            const bool isLossy = schedule == &lossy;
            EXPECT_EQ(findings.value(QStringLiteral("lost_updates")).toDouble(-1), isLossy ? 1 : 0);
            EXPECT_EQ(findings.value(QStringLiteral("final_balance")).toDouble(-1), isLossy ? -5 : 0);
            EXPECT_EQ(w.window.challengeMet(), !isLossy);
            if (round == 0)
                first = findings;
            EXPECT_EQ(findings, first) << "round " << round;
            QStringList expected;
            for (const std::string &name : *schedule)
                expected << QString::fromStdString(name);
            EXPECT_EQ(w.window.schedule(), expected);
            EXPECT_TRUE(w.window.session()->leftoverProcesses().empty());
        }
    }
}

TEST(Scheduler, LoseAnUpdateWithTheNumberKeysIsAnnounced)
{
    Window w;
    ASSERT_TRUE(w.window.startChallenge(QStringLiteral("race-lose")));
    // Keys 1-9 step the panel's n-th thread.
    auto press = [&](const std::string &name) {
        core::ThreadHold hold;
        int index = -1;
        if (!heldNamed(w.window, name, &hold, &index))
            return false;
        const size_t before = w.window.schedule().size();
        for (QAction *action : w.window.actions())
            if (action->shortcut() == QKeySequence(Qt::Key_1 + index))
                action->trigger();
        return size_t(w.window.schedule().size()) == before + 1 &&
               w.window.schedule().back() == QString::fromStdString(name);
    };
    // Before the first step each thread's lane says what it does next, with its key.
    auto *timeline = qobject_cast<ui::TimelineView *>(w.window.view(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    ASSERT_TRUE(waitFor([&] { return timeline->nextSteps().size() == 2; }, 10000));
    for (const ui::TimelineView::NextStep &next : timeline->nextSteps())
        EXPECT_TRUE(next.text.endsWith(QLatin1String("load balance"))) << next.text.toStdString();
    EXPECT_TRUE(timeline->nextSteps()[0].text.startsWith(QLatin1String("1 ")));
    EXPECT_TRUE(timeline->nextSteps()[1].text.startsWith(QLatin1String("2 ")));
    // The code panel marks the line each waits at, tagged with its key.
    auto *code = qobject_cast<ui::CodeView *>(w.window.view(QStringLiteral("code")));
    ASSERT_NE(code, nullptr);
    auto *tabs = w.window.findChild<QTabWidget *>();
    ASSERT_NE(tabs, nullptr);
    tabs->setCurrentWidget(code);
    for (const char *name : {"Thread-1", "Thread-2"}) {
        core::ThreadHold hold;
        int index = -1;
        ASSERT_TRUE(heldNamed(w.window, name, &hold, &index)) << name;
        const std::optional<ui::SourceLocation> site = ui::SourceLocation::parse(hold.site);
        ASSERT_TRUE(site) << hold.site;
        const QString key = QString::number(index + 1);
        const auto marked = [&]() -> const ui::CodeMark * {
            for (const ui::CodeMark &m : code->marks())
                if (m.thread == hold.thread && m.key == key)
                    return &m;
            return nullptr;
        };
        ASSERT_TRUE(waitFor([&] { return marked() != nullptr; }, 10000)) << name;
        EXPECT_EQ(marked()->file, site->file);
        EXPECT_EQ(marked()->line, site->line);
        EXPECT_EQ(marked()->next, QStringLiteral("load balance"));
        ui::CodeEditor *editor = code->cppEditor(site->file);
        ASSERT_NE(editor, nullptr);
        const auto &tags = editor->marks();
        EXPECT_NE(std::find_if(tags.begin(), tags.end(),
                               [&](const ui::LineMark &m) {
                                   return m.line == site->line && m.key == key && m.name == QLatin1String(name);
                               }),
                  tags.end())
            << name;
        EXPECT_TRUE(code->note().contains(
            QStringLiteral("%1 waits at %2:%3 to load balance").arg(QLatin1String(name), site->file).arg(site->line)))
            << code->note().toStdString();
    }
    // INTERLEAVE_SHOTS=DIR: the window as the class sees it, for the documentation.
    if (const QString shots = QString::fromLocal8Bit(qgetenv("INTERLEAVE_SHOTS")); !shots.isEmpty()) {
        w.window.resize(1600, 1000);
        QTest::qWait(300); // laid out anew
        w.window.grab().save(QDir(shots).filePath(QStringLiteral("scheduler-code.png")));
    }
    tabs->setCurrentIndex(0);
    for (const char *name : {"Thread-1", "Thread-2", "Thread-1", "Thread-2"})
        ASSERT_TRUE(press(name)) << name;
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 10000))
        << w.window.schedulerPanel()->statusText().toStdString();
    EXPECT_TRUE(w.window.schedulerPanel()->statusText().contains(QLatin1String("Done in 4 step")));
    // Met: the rest of the run goes on by itself and ends with the update lost.
    ASSERT_TRUE(waitFor([&] { return !w.window.running(); }, 20000));
    EXPECT_GT(findingsOf(w.window).value(QStringLiteral("lost_updates")).toDouble(), 0);

    // The schedule saved is one --schedule-file takes.
    QTemporaryDir dir;
    QString error;
    ASSERT_TRUE(w.window.saveSchedule(dir.filePath(QStringLiteral("s.txt")), &error)) << error.toStdString();
    QFile saved(dir.filePath(QStringLiteral("s.txt")));
    ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
    EXPECT_EQ(saved.readAll(), QByteArray("Thread-1\nThread-2\nThread-1\nThread-2\n"));

    // Replay my schedule: the same steps again, by themselves, and the same success.
    ASSERT_TRUE(w.window.replaySchedule());
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 20000));
    EXPECT_EQ(w.window.schedule(), (QStringList{QStringLiteral("Thread-1"), QStringLiteral("Thread-2"),
                                                QStringLiteral("Thread-1"), QStringLiteral("Thread-2")}));
}

TEST(Scheduler, KeepTheBalanceRightIsAnnounced)
{
    Window w;
    ASSERT_TRUE(w.window.startChallenge(QStringLiteral("race-keep")));
    for (const char *name :
         {"Thread-1", "Thread-1", "Thread-1", "Thread-1", "Thread-2", "Thread-2", "Thread-2", "Thread-2"})
        ASSERT_TRUE(step(w.window, name)) << name;
    EXPECT_FALSE(w.window.challengeMet()); // not before the run ends with the balance right
    letGo(w.window);
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 20000))
        << w.window.schedulerPanel()->statusText().toStdString();
    EXPECT_EQ(findingsOf(w.window).value(QStringLiteral("lost_updates")).toDouble(-1), 0);
}

TEST(Scheduler, MakeThemDeadlockIsAnnounced)
{
    Window w;
    ASSERT_TRUE(w.window.startChallenge(QStringLiteral("deadlock-make")));
    // Each takes its first lock and stops before its second: then each asks for the other's.
    ASSERT_TRUE(stepUntilNext(w.window, "Thread-1", "lock B"));
    ASSERT_TRUE(stepUntilNext(w.window, "Thread-2", "lock A"));
    ASSERT_TRUE(step(w.window, "Thread-1"));
    ASSERT_TRUE(step(w.window, "Thread-2"));
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 20000))
        << w.window.schedulerPanel()->statusText().toStdString();
    EXPECT_EQ(w.window.session()->status(), core::RunStatus::Deadlocked);
}

TEST(Scheduler, FinishWithoutADeadlockIsAnnounced)
{
    Window w;
    ASSERT_TRUE(w.window.startChallenge(QStringLiteral("deadlock-avoid")));
    // Thread-1 takes both locks and gives them back before Thread-2 takes any.
    ASSERT_TRUE(stepUntilNext(w.window, "Thread-1", "print"));
    letGo(w.window);
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 20000))
        << w.window.schedulerPanel()->statusText().toStdString();
    EXPECT_EQ(w.window.session()->status(), core::RunStatus::Finished);
}

TEST(Scheduler, MakeThread2WaitIsAnnounced)
{
    Window w;
    ASSERT_TRUE(w.window.startChallenge(QStringLiteral("lock-wait")));
    ASSERT_TRUE(stepUntilNext(w.window, "Thread-1", "load")); // it holds the lock now
    ASSERT_TRUE(stepUntilNext(w.window, "Thread-2", "lock"));
    ASSERT_TRUE(step(w.window, "Thread-2"));
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 20000))
        << w.window.schedulerPanel()->statusText().toStdString();
}

TEST(Scheduler, MakeTheReaderWaitOnAnEmptyQueueIsAnnounced)
{
    Window w;
    ASSERT_TRUE(w.window.startChallenge(QStringLiteral("queue-wait")));
    ASSERT_TRUE(stepUntilNext(w.window, "read", "get"));
    ASSERT_TRUE(step(w.window, "read"));
    ASSERT_TRUE(waitFor([&] { return announced(w.window); }, 20000))
        << w.window.schedulerPanel()->statusText().toStdString();
}
