// SPDX-License-Identifier: MIT
// MainWindow's actions, tool bar and menus, the texts of the window, and the state of its controls.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "run/prediction.h"
#include "scenarios/scenario.h"
#include "ui/application.h"
#include "ui/exportdialog.h"
#include "ui/parameterform.h"
#include "ui/searchpanel.h"
#include "ui/timeline/timelineview.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>

#include <climits>
#include <cmath>

namespace interleave::ui {

using core::ScenarioRegistry;
using core::ScenarioTr;
using windowdetail::statusText;

namespace {

constexpr int kScrubSteps = 10000;

QString formatSeconds(int64_t ns)
{
    const double s = double(ns) / 1e9;
    if (std::abs(s) >= 10)
        return QString::number(s, 'f', 2) + QStringLiteral(" s");
    if (std::abs(s) >= 0.01)
        return QString::number(s, 'f', 3) + QStringLiteral(" s");
    return QString::number(double(ns) / 1e6, 'f', 3) + QStringLiteral(" ms");
}

QString speedLabel(double speed)
{
    if (speed >= 1)
        return QString::number(speed, 'g', 3) + QStringLiteral("×");
    return QStringLiteral("1/") + QString::number(std::lround(1 / speed)) + QStringLiteral("×");
}

} // namespace

void MainWindow::createActions()
{
    createFileActions();
    createRunActions();
    createTraceActions();
    createPresentationActions();
    createThemeAndLanguageActions();

    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Interleave"),
                           tr("<h3>Interleave %1</h3><p>See processes, threads, locks and queues at work: every "
                              "scenario runs real operating-system primitives and shows what they did.</p>")
                               .arg(QStringLiteral(INTERLEAVE_VERSION)));
    });
}

void MainWindow::createFileActions()
{
    QStyle *s = style();
    m_openAction = new QAction(s->standardIcon(QStyle::SP_DialogOpenButton), QString(), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open Trace"), QString(), tr("Traces (*.iltrace *.json *.iltrace.gz *.json.gz);;All files (*)"));
        if (!path.isEmpty())
            openTrace(path);
    });
    m_saveAction = new QAction(s->standardIcon(QStyle::SP_DialogSaveButton), QString(), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, [this] {
        QString path = QFileDialog::getSaveFileName(
            this, tr("Save Trace"), m_info.scenario + QStringLiteral(".iltrace"), tr("Interleave traces (*.iltrace)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".iltrace");
        QString error;
        if (!saveTrace(path, &error))
            QMessageBox::warning(this, tr("Save Trace"), error);
    });
    m_chromeAction = new QAction(this);
    connect(m_chromeAction, &QAction::triggered, this, [this] {
        QString path =
            QFileDialog::getSaveFileName(this, tr("Export Chrome JSON"), m_info.scenario + QStringLiteral(".json"),
                                         tr("Chrome / Perfetto JSON (*.json)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!exportChrome(path, &error))
            QMessageBox::warning(this, tr("Export Chrome JSON"), error);
    });
    m_imageAction = new QAction(this);
    m_imageAction->setShortcut(Qt::CTRL | Qt::Key_E);
    connect(m_imageAction, &QAction::triggered, this, [this] {
        const auto *current = qobject_cast<TraceView *>(m_tabs->currentWidget());
        ExportDialog dialog(ImageExport::viewNames(), current ? current->viewName() : QStringLiteral("timeline"),
                            m_info.scenario, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        QString error;
        if (!exportImage(dialog.viewName(), dialog.path(), dialog.imageSize(), dialog.scale(), &error))
            QMessageBox::warning(this, tr("Export Image"), error);
        else
            statusBar()->showMessage(tr("Saved %1").arg(dialog.path()), 5000);
    });
    createAnimationAction();
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createRunActions()
{
    QStyle *s = style();
    m_runAction = new QAction(s->standardIcon(QStyle::SP_MediaPlay), QString(), this);
    m_runAction->setShortcut(Qt::Key_F9);
    connect(m_runAction, &QAction::triggered, this, [this] { runScenario(); });
    m_repeatAction = new QAction(this);
    connect(m_repeatAction, &QAction::triggered, this, [this] { runRepeatedly(10); });
    m_stopAction = new QAction(s->standardIcon(QStyle::SP_MediaStop), QString(), this);
    m_stopAction->setShortcut(Qt::SHIFT | Qt::Key_F9);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopRun);
    m_pauseAction = new QAction(s->standardIcon(QStyle::SP_MediaPause), QString(), this);
    m_pauseAction->setShortcut(Qt::Key_Space);
    connect(m_pauseAction, &QAction::triggered, this, &MainWindow::togglePause);
    m_stepAction = new QAction(s->standardIcon(QStyle::SP_MediaSkipForward), QString(), this);
    m_stepAction->setShortcut(Qt::Key_F10);
    connect(m_stepAction, &QAction::triggered, this, &MainWindow::step);
    m_stepBackAction = new QAction(s->standardIcon(QStyle::SP_MediaSkipBackward), QString(), this);
    m_stepBackAction->setShortcut(Qt::SHIFT | Qt::Key_F10);
    connect(m_stepBackAction, &QAction::triggered, this, &MainWindow::stepBack);
    m_restartAction = new QAction(s->standardIcon(QStyle::SP_BrowserReload), QString(), this);
    m_restartAction->setShortcut(Qt::CTRL | Qt::Key_F9);
    connect(m_restartAction, &QAction::triggered, this, &MainWindow::restart);
    m_fasterAction = new QAction(this);
    m_fasterAction->setShortcut(Qt::Key_BracketRight);
    connect(m_fasterAction, &QAction::triggered, m_playback, &Playback::faster);
    m_slowerAction = new QAction(this);
    m_slowerAction->setShortcut(Qt::Key_BracketLeft);
    connect(m_slowerAction, &QAction::triggered, m_playback, &Playback::slower);
}

void MainWindow::createPresentationActions()
{
    // In presentation mode the arrows step and +/- change speed; elsewhere they belong to the
    // focused view (panning, zooming).
    auto addKey = [this](QKeySequence key, auto slot) {
        auto *action = new QAction(this);
        action->setShortcut(key);
        action->setEnabled(false);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        m_presentationKeys.push_back(action);
    };
    addKey(Qt::Key_Right, [this] { step(); });
    addKey(Qt::Key_Left, [this] { stepBack(); });
    addKey(Qt::Key_Plus, [this] { m_playback->faster(); });
    addKey(Qt::Key_Equal, [this] { m_playback->faster(); });
    addKey(Qt::Key_Minus, [this] { m_playback->slower(); });
    addKey(Qt::Key_Q, [this] { toggleQuestion(); });
    addKey(Qt::Key_E, [this] { toggleExplanation(); });

    m_presentAction = new QAction(this);
    m_presentAction->setShortcut(Qt::Key_F5);
    m_presentAction->setCheckable(true);
    connect(m_presentAction, &QAction::toggled, this, &MainWindow::setPresentationMode);
    m_leavePresentAction = new QAction(this);
    m_leavePresentAction->setShortcut(Qt::Key_Escape);
    m_leavePresentAction->setEnabled(false);
    connect(m_leavePresentAction, &QAction::triggered, this, &MainWindow::escapePressed);
    addAction(m_leavePresentAction);
}

void MainWindow::createThemeAndLanguageActions()
{
    m_themeGroup = new QActionGroup(this);
    for (Theme::Id id : {Theme::Id::Light, Theme::Id::Dark, Theme::Id::Projector}) {
        auto *action = new QAction(m_themeGroup);
        action->setCheckable(true);
        action->setData(int(id));
        connect(action, &QAction::triggered, this, [this, id] {
            setTheme(id);
            QSettings().setValue(QStringLiteral("theme"), Theme::name(id));
        });
    }

    m_languageGroup = new QActionGroup(this);
    m_englishAction = new QAction(QStringLiteral("English"), m_languageGroup);
    m_chineseAction = new QAction(QStringLiteral("中文（简体）"), m_languageGroup);
    for (auto *action : {m_englishAction, m_chineseAction})
        action->setCheckable(true);
    (Application::language() == QLatin1String("zh_CN") ? m_chineseAction : m_englishAction)->setChecked(true);
    for (QAction *action : {m_englishAction, m_chineseAction}) {
        const QString language = action == m_chineseAction ? QStringLiteral("zh_CN") : QStringLiteral("en");
        connect(action, &QAction::triggered, this, [language] {
            Application::setLanguage(language);
            QSettings().setValue(QStringLiteral("language"), language);
        });
    }
}

void MainWindow::createToolBar()
{
    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(QStringLiteral("ControlBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_runAction);
    m_toolBar->addAction(m_pythonAction);
    m_toolBar->addAction(m_stopAction);
    m_toolBar->addAction(m_pauseAction);
    m_toolBar->addAction(m_stepBackAction);
    m_toolBar->addAction(m_stepAction);
    m_toolBar->addAction(m_restartAction);
    m_toolBar->addSeparator();
    m_speed = new QComboBox(m_toolBar);
    m_speed->setObjectName(QStringLiteral("SpeedBox"));
    for (double speed : PlaybackMath::speeds())
        m_speed->addItem(speedLabel(speed), speed);
    m_speed->setCurrentIndex(int(std::find(PlaybackMath::speeds().begin(), PlaybackMath::speeds().end(), 1.0) -
                                 PlaybackMath::speeds().begin()));
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_playback->setSpeed(m_speed->itemData(index).toDouble()); });
    m_toolBar->addWidget(m_speed);
    m_scrub = new QSlider(Qt::Horizontal, m_toolBar);
    m_scrub->setObjectName(QStringLiteral("ScrubSlider"));
    m_scrub->setRange(0, kScrubSteps);
    m_scrub->setMinimumWidth(240);
    connect(m_scrub, &QSlider::sliderMoved, this, [this](int value) {
        if (const auto *m = model())
            m_playback->seek(m->startTime() + int64_t(double(m->endTime() - m->startTime()) * value / kScrubSteps));
    });
    m_toolBar->addWidget(m_scrub);
    m_timeLabel = new QLabel(m_toolBar);
    m_timeLabel->setObjectName(QStringLiteral("TimeLabel"));
    m_timeLabel->setMinimumWidth(170);
    m_timeLabel->setAlignment(Qt::AlignCenter);
    m_toolBar->addWidget(m_timeLabel);
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAction);
    m_fileMenu->addAction(m_traceAction);
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_chromeAction);
    m_fileMenu->addAction(m_imageAction);
    m_fileMenu->addAction(m_animationAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_runMenu = menuBar()->addMenu(QString());
    m_runMenu->addAction(m_runAction);
    m_runMenu->addAction(m_pythonAction);
    m_runMenu->addAction(m_repeatAction);
    m_runMenu->addAction(m_stopAction);
    m_runMenu->addAction(m_pauseAction);
    m_runMenu->addAction(m_stepAction);
    m_runMenu->addAction(m_stepBackAction);
    m_runMenu->addAction(m_restartAction);
    m_runMenu->addSeparator();
    m_runMenu->addAction(m_fasterAction);
    m_runMenu->addAction(m_slowerAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(findChild<QDockWidget *>(QStringLiteral("ScenarioDock"))->toggleViewAction());
    m_viewMenu->addAction(findChild<QDockWidget *>(QStringLiteral("ExplanationDock"))->toggleViewAction());
    m_viewMenu->addAction(findChild<QDockWidget *>(QStringLiteral("DetailsDock"))->toggleViewAction());
    m_viewMenu->addAction(m_toolBar->toggleViewAction());
    m_themeMenu = m_viewMenu->addMenu(QString());
    m_themeMenu->addActions(m_themeGroup->actions());
    m_viewMenu->addSeparator();
    for (TraceView *view : m_views) {
        if (auto *timeline = qobject_cast<TimelineView *>(view))
            m_viewMenu->addActions(timeline->lostUpdateActions());
    }
    m_viewMenu->addAction(m_presentAction);
    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->addActions(m_languageGroup->actions());
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Interleave - processes and threads, seen at work"));
    findChild<QDockWidget *>(QStringLiteral("ScenarioDock"))->setWindowTitle(tr("Scenarios"));
    findChild<QDockWidget *>(QStringLiteral("ExplanationDock"))->setWindowTitle(tr("Explanation"));
    findChild<QGroupBox *>(QStringLiteral("ParametersBox"))->setTitle(tr("Parameters"));
    m_defaultsButton->setText(tr("Defaults"));
    m_toolBar->setWindowTitle(tr("Run and playback"));
    m_fileMenu->setTitle(tr("&File"));
    m_runMenu->setTitle(tr("&Run"));
    m_viewMenu->setTitle(tr("&View"));
    if (m_findAction)
        retranslateSearch();
    if (m_scheduler)
        retranslateScheduler();
    if (m_predictAction)
        retranslatePrediction();
    retranslateTrace();
    m_themeMenu->setTitle(tr("&Theme"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("&Open Trace..."));
    m_saveAction->setText(tr("&Save Trace..."));
    m_chromeAction->setText(tr("Export &Chrome JSON..."));
    m_imageAction->setText(tr("Export &Image..."));
    m_animationAction->setText(tr("Export &Animation..."));
    m_quitAction->setText(tr("&Quit"));
    m_runAction->setText(tr("&Run"));
    m_runAction->setToolTip(tr("Run the scenario for real (F9)"));
    m_repeatAction->setText(tr("Run &10 Times"));
    m_stopAction->setText(tr("&Stop"));
    m_stopAction->setToolTip(tr("End the run: every process of it is killed (Shift+F9)"));
    m_pauseAction->setToolTip(tr("Pause or play (Space): a live run holds every thread at its next step"));
    m_stepAction->setText(tr("S&tep"));
    m_stepAction->setToolTip(
        tr("One step (F10): a paused live run lets one event happen; a replay moves to the next event"));
    m_stepBackAction->setText(tr("Step &Back"));
    m_stepBackAction->setToolTip(tr("Back to the previous event (Shift+F10)"));
    m_restartAction->setText(tr("R&estart"));
    m_restartAction->setToolTip(tr("Stop and run again with the same parameters (Ctrl+F9)"));
    m_fasterAction->setText(tr("&Faster Replay"));
    m_slowerAction->setText(tr("S&lower Replay"));
    m_presentAction->setText(tr("&Presentation Mode"));
    m_aboutAction->setText(tr("&About Interleave"));
    m_speed->setToolTip(tr("Replay speed: 1/1000× shows a microsecond race"));
    m_scrub->setToolTip(tr("Drag to move through the trace"));
    for (QAction *action : m_themeGroup->actions())
        action->setText(Theme::displayName(Theme::Id(action->data().toInt())));
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *view = qobject_cast<TraceView *>(m_tabs->widget(i)))
            m_tabs->setTabText(i, view->title());
    fillBrowser();
    // The scenario on show, also one not in the browser (a test-only scenario): its explanation,
    // question and parameters are texts of the language too.
    QString id = selectedScenario();
    if (id.isEmpty() && m_params->scenario())
        id = QString::fromLatin1(m_params->scenario()->id());
    if (!id.isEmpty())
        showScenario(id);
    if (m_info.scenario.isEmpty() && !m_loadedPath.isEmpty())
        m_info.title = QFileInfo(m_loadedPath).fileName();
    else if (m_session && m_info.scenario == QLatin1String(m_session->request().scenario->id()))
        m_info.title = runTitle(m_session->request()); // a traced program's command line too
    else if (const auto *scenario = ScenarioRegistry::instance().find(m_info.scenario.toStdString()))
        m_info.title = ScenarioTr::tr(scenario->title());
    updateControls();
}

void MainWindow::updateControls()
{
    const bool live = running();
    const bool paused = live && m_session->paused();
    const bool haveTrace = model() != nullptr;
    const bool playing = m_playback->mode() == Playback::Mode::Playing;
    m_runAction->setEnabled(!live && m_params->scenario());
    m_repeatAction->setEnabled(!live && m_params->scenario());
    if (m_predictAction)
        m_predictAction->setEnabled(!live && m_params->scenario() && core::predictionFor(selectedScenario()));
    m_stopAction->setEnabled(live);
    m_restartAction->setEnabled(m_session != nullptr); // restarts the last run: only after one
    if (m_search)
        m_search->setModel(model());
    m_pauseAction->setEnabled(live || haveTrace);
    m_stepAction->setEnabled(live || haveTrace);
    m_stepBackAction->setEnabled(!live && haveTrace);
    m_saveAction->setEnabled(!live && haveTrace);
    m_chromeAction->setEnabled(!live && haveTrace);
    m_imageAction->setEnabled(haveTrace);
    m_animationAction->setEnabled(!live && haveTrace);
    updateTraceControls(live);
    m_scrub->setEnabled(haveTrace);
    const bool showPause = live ? !paused : playing;
    m_pauseAction->setIcon(style()->standardIcon(showPause ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_pauseAction->setText(live ? (paused ? tr("Resume") : tr("Pause")) : (playing ? tr("Pause") : tr("Play")));

    QString status;
    if (m_session) {
        const QString title = runTitle(m_session->request());
        status =
            live ? (paused ? tr("%1: paused - Step lets one event happen").arg(title) : tr("%1: running").arg(title))
                 : tr("%1: %2 in %3 ms").arg(title, statusText(m_session->status())).arg(m_session->wallMs());
        if (m_session->pausedMs() > 0)
            status += QStringLiteral(" ") + tr("(paused %1 ms of it)").arg(m_session->pausedMs());
        if (m_repeatLeft > 0)
            status += QStringLiteral("  ") + tr("(%n more run(s) to go)", nullptr, m_repeatLeft);
    } else if (m_loaded) {
        status = tr("%1: %n event(s)", nullptr, int(std::min<size_t>(m_loaded->ingestedEvents(), INT_MAX)))
                     .arg(QFileInfo(m_loadedPath).fileName());
    } else {
        status = tr("%n scenario(s) from the chapter \"Processes and threads\"", nullptr,
                    int(ScenarioRegistry::instance().all().size()));
    }
    m_statusLabel->setText(status);
    updateTimeLabel();
}

void MainWindow::updateTimeLabel()
{
    const auto *m = model();
    if (!m) {
        m_timeLabel->clear();
        m_scrub->setValue(0);
        return;
    }
    const int64_t start = m->startTime();
    const int64_t span = std::max<int64_t>(0, m->endTime() - start);
    const int64_t at = std::clamp<int64_t>(m_playback->position() - start, 0, span);
    m_timeLabel->setText(formatSeconds(at) + QStringLiteral(" / ") + formatSeconds(span));
    if (!m_scrub->isSliderDown())
        m_scrub->setValue(span > 0 ? int(double(at) * kScrubSteps / double(span)) : 0);
}

} // namespace interleave::ui
