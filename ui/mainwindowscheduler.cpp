// SPDX-License-Identifier: MIT
// MainWindow's "be the scheduler": the panel, the challenge runs, one chosen thread's step, and
// the replay of a schedule.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "run/challenge.h"
#include "run/session.h"
#include "scenarios/scenario.h"
#include "ui/code/codeview.h"
#include "ui/parameterform.h"
#include "ui/schedulerpanel.h"
#include "ui/timeline/timelineview.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <thread>

namespace interleave::ui {

using core::ScenarioRegistry;

void MainWindow::createScheduler()
{
    m_scheduler = new SchedulerPanel(this);
    auto *dock = new QDockWidget(this);
    dock->setObjectName(QStringLiteral("SchedulerDock"));
    dock->setWidget(m_scheduler);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    dock->hide();
    m_viewMenu->insertAction(m_presentAction, dock->toggleViewAction());
    connect(m_scheduler, &SchedulerPanel::startChallenge, this, &MainWindow::startChallenge);
    connect(m_scheduler, &SchedulerPanel::stepThread, this, &MainWindow::stepThread);
    connect(m_scheduler, &SchedulerPanel::replaySchedule, this, &MainWindow::replaySchedule);
    connect(m_scheduler, &SchedulerPanel::saveSchedule, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Schedule"), QStringLiteral("schedule.txt"),
                                                          tr("Schedules (*.txt)"));
        QString error;
        if (!path.isEmpty() && !saveSchedule(path, &error))
            QMessageBox::warning(this, tr("Save Schedule"), error);
    });
    // 1-9: the n-th held thread steps. A line edit that has the focus keeps its digits (it
    // takes them before a shortcut does).
    for (int n = 0; n < 9; ++n) {
        auto *key = new QAction(this);
        key->setShortcut(QKeySequence(Qt::Key_1 + n));
        connect(key, &QAction::triggered, this, [this, n] {
            if (const uint32_t thread = m_scheduler->heldThread(n); thread != core::kNoEvent)
                stepThread(thread);
        });
        addAction(key);
    }
    m_replayTimer = new QTimer(this);
    m_replayTimer->setInterval(std::chrono::milliseconds(500)); // slow enough for a class to follow
    connect(m_replayTimer, &QTimer::timeout, this, &MainWindow::playNextReplayStep);
    m_scheduler->setScenario(selectedScenario());
}

void MainWindow::retranslateScheduler()
{
    findChild<QDockWidget *>(QStringLiteral("SchedulerDock"))->setWindowTitle(tr("Be the Scheduler"));
}

bool MainWindow::startChallenge(const QString &id)
{
    const core::Challenge *challenge = core::findChallenge(id);
    const core::Scenario *scenario =
        challenge ? ScenarioRegistry::instance().find(challenge->scenario.toStdString()) : nullptr;
    if (!scenario)
        return false;
    selectScenario(challenge->scenario);
    QList<QPair<QString, QString>> given;
    for (auto it = challenge->params.begin(); it != challenge->params.end(); ++it)
        given.append({it.key(), it.value().toVariant().toString()});
    core::ParamValues params;
    QString error;
    if (!ScenarioRegistry::resolveParams(*scenario, given, params, error)) {
        QMessageBox::warning(this, tr("Be the Scheduler"), error);
        return false;
    }
    m_params->setScenario(scenario, params); // the class sees what runs
    m_scriptScenario.clear();
    m_nextHeld = challenge->threads;
    m_nextChallenge = id;
    findChild<QDockWidget *>(QStringLiteral("SchedulerDock"))->show();
    return startRun(*scenario, params);
}

bool MainWindow::stepThread(uint32_t thread)
{
    if (!running())
        return false;
    // The step before must be in the trace first: that is what makes the order the one chosen.
    const std::vector<core::ThreadHold> before = m_session->holds();
    auto it = std::find_if(before.begin(), before.end(), [&](const core::ThreadHold &h) { return h.thread == thread; });
    if (it == before.end() || !it->held || !m_session->step(thread))
        return false;
    const core::ThreadHold stepped = *it;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    for (bool done = false; !done && std::chrono::steady_clock::now() < deadline;) {
        done = true;
        for (const core::ThreadHold &h : m_session->holds())
            if (h.tid == stepped.tid && h.stepsDone == stepped.stepsDone)
                done = false;
        if (!done)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    m_schedule << QString::fromStdString(stepped.name);
    statusBar()->showMessage(QString::fromStdString(stepped.name + ": " + stepped.nextStep()), 5000);
    m_playback->modelGrew();
    updateScheduler();
    return true;
}

bool MainWindow::replaySchedule()
{
    const QStringList steps = m_schedule;
    const QString id = m_challenge;
    if (steps.isEmpty() || id.isEmpty() || !startChallenge(id))
        return false;
    m_replay = steps;
    m_replayTimer->start();
    return true;
}

void MainWindow::playNextReplayStep()
{
    if (!running() || m_replay.isEmpty()) {
        m_replayTimer->stop();
        return;
    }
    // The next name steps once it is held (it may not have started yet).
    for (const core::ThreadHold &hold : m_session->holds()) {
        if (hold.held && QString::fromStdString(hold.name) == m_replay.front()) {
            m_replay.removeFirst();
            stepThread(hold.thread);
            return;
        }
    }
}

bool MainWindow::saveSchedule(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write((m_schedule.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    if (!file.flush()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void MainWindow::showHeldSteps()
{
    const std::vector<core::ThreadHold> &held = m_scheduler->held();
    auto key = [](size_t i) { return i < 9 ? QString::number(i + 1) : QString(); };
    // Each held thread's lane says what it does next, and which key lets it.
    if (auto *timeline = qobject_cast<TimelineView *>(view(QStringLiteral("timeline")))) {
        std::vector<TimelineView::NextStep> steps;
        for (size_t i = 0; i < held.size(); ++i) {
            const QString prefix = i < 9 ? key(i) + QStringLiteral(" \u25B6 ") : QString();
            steps.push_back({held[i].thread, prefix + QString::fromStdString(held[i].nextStep())});
        }
        timeline->setNextSteps(std::move(steps));
    }
    // The code panel marks the line each one waits at.
    if (auto *code = qobject_cast<CodeView *>(view(QStringLiteral("code")))) {
        std::vector<HeldStep> steps;
        for (size_t i = 0; i < held.size(); ++i)
            steps.push_back({held[i].thread, key(i), QString::fromStdString(held[i].nextStep()),
                             QString::fromStdString(held[i].site)});
        code->setHeldSteps(std::move(steps));
    }
}

void MainWindow::updateScheduler()
{
    if (!m_scheduler)
        return;
    m_scheduler->setScenario(selectedScenario());
    const bool live = running();
    // Only a paused run, or one whose threads a challenge holds, has anyone waiting to be chosen.
    const bool holding = live && (m_session->paused() || !m_session->request().heldThreads.empty());
    m_scheduler->setHolds(holding ? m_session->holds() : std::vector<core::ThreadHold>(), live);
    showHeldSteps();
    const core::Challenge *challenge = core::findChallenge(m_challenge);
    if (challenge && m_session && !m_challengeMet) {
        const size_t events = m_session->model().data().events.size();
        if (events != m_challengeEvents || !live) {
            m_challengeEvents = events;
            m_challengeMet =
                core::challengeMet(*challenge, m_session->model(), m_session->status(), m_session->request().params);
            if (m_challengeMet) {
                m_scheduler->setProgress(m_challenge, m_schedule, true, !live);
                statusBar()->showMessage(m_scheduler->statusText(), 15000);
                m_replay.clear();
                if (live)
                    m_session->releaseHolds(); // the rest of the run goes on freely, to its end
            }
        }
    }
    m_scheduler->setProgress(m_challenge, m_schedule, m_challengeMet, !live && m_session != nullptr);
}

} // namespace interleave::ui
