// SPDX-License-Identifier: MIT
#include "ui/mainwindow.h"

#include "analysis/waitforgraph.h"
#include "run/analysisexport.h"
#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "trace/chromejson.h"
#include "trace/iltrace.h"
#include "ui/application.h"
#include "ui/charts/chartsview.h"
#include "ui/exportdialog.h"
#include "ui/imageexport.h"
#include "ui/legend.h"
#include "ui/parameterform.h"
#include "ui/timeline/timelineview.h"
#include "ui/traceopener.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <climits>
#include <cmath>
#include <random>

namespace interleave::ui {

using core::RunStatus;
using core::ScenarioRegistry;
using core::ScenarioTr;

namespace {

constexpr int IdRole = Qt::UserRole;
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

QString statusText(RunStatus status)
{
    return status == RunStatus::NotStarted ? QString()
                                           : ImageExport::statusWord(QLatin1String(core::runStatusName(status)));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/interleave.svg")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    // Left: the chapter's scenarios, and the parameters of the selected one.
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(4, 4, 4, 4);
    m_browser = new QTreeWidget(left);
    m_browser->setObjectName(QStringLiteral("ScenarioBrowser"));
    m_browser->setColumnCount(1);
    m_browser->header()->hide();
    m_browser->setRootIsDecorated(true);
    m_browser->setUniformRowHeights(true);
    leftLayout->addWidget(m_browser, 3);
    auto *paramsBox = new QGroupBox(left);
    paramsBox->setObjectName(QStringLiteral("ParametersBox"));
    auto *paramsLayout = new QVBoxLayout(paramsBox);
    m_params = new ParameterForm(paramsBox);
    m_params->setObjectName(QStringLiteral("ParameterForm"));
    paramsLayout->addWidget(m_params);
    m_defaultsButton = new QPushButton(paramsBox);
    paramsLayout->addWidget(m_defaultsButton, 0, Qt::AlignRight);
    leftLayout->addWidget(paramsBox, 2);
    auto *scenarioDock = new QDockWidget(this);
    scenarioDock->setObjectName(QStringLiteral("ScenarioDock"));
    scenarioDock->setWidget(left);
    scenarioDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, scenarioDock);

    // Right: what the student should know before and after pressing Run.
    m_explanation = new QTextBrowser(this);
    m_explanation->setObjectName(QStringLiteral("ScenarioExplanation"));
    m_explanation->setOpenLinks(false);
    m_explanation->document()->setDocumentMargin(12);
    auto *explanationDock = new QDockWidget(this);
    explanationDock->setObjectName(QStringLiteral("ExplanationDock"));
    explanationDock->setWidget(m_explanation);
    explanationDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, explanationDock);

    m_playback = new Playback(this);
    createViews();

    m_statusLabel = new QLabel(this);
    // Permanent, on the right: the run's status stays readable while messages come and go on the left.
    statusBar()->addPermanentWidget(m_statusLabel);

    createActions();
    createToolBar();
    createMenus();

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(kPollInterval); // ingest and redraw 25 times a second while a run goes on
    connect(m_pollTimer, &QTimer::timeout, this, &MainWindow::pollSession);

    connect(m_browser, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const QString id = item ? item->data(0, IdRole).toString() : QString();
        if (!id.isEmpty()) {
            // Another scenario than the trace on show: back to its question, with nothing of the
            // old run left beside the new explanation (a live run stays until it is stopped).
            if (model() && !running() && m_info.scenario != id)
                clearTrace();
            showScenario(id);
            // Kept at once, not only when the window closes: a window that is killed or loses
            // its power still comes back with the teacher's choices.
            QSettings().setValue(QStringLiteral("lastScenario"), id);
        }
    });
    connect(m_browser, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item && !item->data(0, IdRole).toString().isEmpty() && !running())
            runScenario();
    });
    connect(m_defaultsButton, &QPushButton::clicked, m_params, &ParameterForm::resetToDefaults);
    connect(m_params, &ParameterForm::changed, this, &MainWindow::saveParams);
    connect(m_playback, &Playback::positionChanged, this, [this](int64_t t) {
        for (TraceView *view : m_views)
            view->setPlayhead(t);
        updateTimeLabel();
    });
    connect(m_playback, &Playback::modeChanged, this, &MainWindow::updateControls);
    connect(m_playback, &Playback::speedChanged, this, [this](double speed) {
        const auto &speeds = PlaybackMath::speeds();
        const auto it = std::find(speeds.begin(), speeds.end(), speed);
        if (it != speeds.end())
            m_speed->setCurrentIndex(int(it - speeds.begin()));
    });
    for (TraceView *view : m_views)
        connect(view, &TraceView::seekRequested, m_playback, &Playback::seek);

    QSettings settings;
    m_theme = Theme::byName(settings.value(QStringLiteral("theme")).toString())
                  ? Theme::byName(settings.value(QStringLiteral("theme")).toString())->id
                  : Theme::Id::Light;
    retranslate();
    setTheme(m_theme);
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        resize(1440, 900);
        resizeDocks({scenarioDock, explanationDock}, {330, 360}, Qt::Horizontal);
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    const QString last = settings.value(QStringLiteral("lastScenario")).toString();
    if (!selectScenario(last) && !ScenarioRegistry::instance().all().empty())
        selectScenario(QLatin1String(ScenarioRegistry::instance().all().front()->id()));
    updateControls();
}

MainWindow::~MainWindow()
{
    m_opener.reset(); // cancels and waits for an open in progress
    if (m_summarizer.joinable())
        m_summarizer.join(); // its showSummary goes with the window
    // Views point into the model: detach them before the session or the loaded trace goes.
    for (TraceView *view : m_views)
        view->setModel(nullptr);
    if (m_session && m_session->running())
        m_session->stop();
}

void MainWindow::createViews()
{
    m_center = new QStackedWidget(this);
    m_startCard = new QTextBrowser(m_center);
    m_startCard->setObjectName(QStringLiteral("StartCard"));
    m_startCard->setOpenLinks(false);
    m_startCard->document()->setDocumentMargin(40);
    m_center->addWidget(m_startCard);

    m_splitter = new QSplitter(Qt::Vertical, m_center);
    m_splitter->setObjectName(QStringLiteral("ViewSplitter"));
    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(QStringLiteral("ViewTabs"));
    for (const QString &name : ImageExport::viewNames()) {
        std::unique_ptr<TraceView> view = ImageExport::createView(name);
        if (!view)
            continue;
        view->setObjectName(name);
        TraceView *raw = view.release();
        m_views.push_back(raw);
        if (name == QLatin1String("timeline")) {
            // The timeline carries its legend underneath: what each colour and pattern means.
            auto *box = new QWidget(m_splitter);
            auto *layout = new QVBoxLayout(box);
            layout->setContentsMargins(0, 0, 0, 0);
            layout->setSpacing(0);
            m_lossBanner = new QLabel(box);
            m_lossBanner->setObjectName(QStringLiteral("LossBanner"));
            m_lossBanner->setWordWrap(true);
            m_lossBanner->setMargin(8);
            // Black on amber reads in every theme, the projector's included.
            m_lossBanner->setStyleSheet(
                QStringLiteral("QLabel { background: #ffc107; color: #000000; font-weight: bold; }"));
            m_lossBanner->hide();
            layout->addWidget(m_lossBanner);
            layout->addWidget(raw, 1);
            auto *legend = new LegendStrip(raw, box);
            legend->setObjectName(QStringLiteral("TimelineLegend"));
            layout->addWidget(legend);
            m_splitter->insertWidget(0, box);
        } else
            m_tabs->addTab(raw, QString());
    }
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_center->addWidget(m_splitter);
    createOpenPanel();
    setCentralWidget(m_center);
    // A tab that was hidden during a live run catches up when it is shown.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (auto *view = qobject_cast<TraceView *>(m_tabs->widget(index)))
            view->refresh();
    });
}

void MainWindow::createActions()
{
    QStyle *s = style();
    m_openAction = new QAction(s->standardIcon(QStyle::SP_DialogOpenButton), QString(), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Trace"), QString(),
                                                          tr("Traces (*.iltrace *.json);;All files (*)"));
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
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

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
    connect(m_stepBackAction, &QAction::triggered, m_playback, &Playback::stepBackward);
    m_restartAction = new QAction(s->standardIcon(QStyle::SP_BrowserReload), QString(), this);
    m_restartAction->setShortcut(Qt::CTRL | Qt::Key_F9);
    connect(m_restartAction, &QAction::triggered, this, &MainWindow::restart);
    m_fasterAction = new QAction(this);
    m_fasterAction->setShortcut(Qt::Key_BracketRight);
    connect(m_fasterAction, &QAction::triggered, m_playback, &Playback::faster);
    m_slowerAction = new QAction(this);
    m_slowerAction->setShortcut(Qt::Key_BracketLeft);
    connect(m_slowerAction, &QAction::triggered, m_playback, &Playback::slower);

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
    addKey(Qt::Key_Left, [this] { m_playback->stepBackward(); });
    addKey(Qt::Key_Plus, [this] { m_playback->faster(); });
    addKey(Qt::Key_Equal, [this] { m_playback->faster(); });
    addKey(Qt::Key_Minus, [this] { m_playback->slower(); });

    m_presentAction = new QAction(this);
    m_presentAction->setShortcut(Qt::Key_F5);
    m_presentAction->setCheckable(true);
    connect(m_presentAction, &QAction::toggled, this, &MainWindow::setPresentationMode);
    m_leavePresentAction = new QAction(this);
    m_leavePresentAction->setShortcut(Qt::Key_Escape);
    m_leavePresentAction->setEnabled(false);
    connect(m_leavePresentAction, &QAction::triggered, this, [this] { m_presentAction->setChecked(false); });
    addAction(m_leavePresentAction);

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

    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Interleave"),
                           tr("<h3>Interleave %1</h3><p>See processes, threads, locks and queues at work: every "
                              "scenario runs real operating-system primitives and shows what they did.</p>")
                               .arg(QStringLiteral(INTERLEAVE_VERSION)));
    });
}

void MainWindow::createToolBar()
{
    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(QStringLiteral("ControlBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_runAction);
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
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_chromeAction);
    m_fileMenu->addAction(m_imageAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_runMenu = menuBar()->addMenu(QString());
    m_runMenu->addAction(m_runAction);
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

void MainWindow::fillBrowser()
{
    const QString current = selectedScenario();
    const QSignalBlocker blocker(m_browser);
    m_browser->clear();
    QTreeWidgetItem *group = nullptr;
    QString groupName;
    for (const auto &scenario : ScenarioRegistry::instance().all()) {
        const QString name = ScenarioTr::tr(scenario->group());
        if (!group || name != groupName) {
            group = new QTreeWidgetItem(m_browser, {name});
            group->setFlags(Qt::ItemIsEnabled);
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
            groupName = name;
        }
        auto *item = new QTreeWidgetItem(group, {ScenarioTr::tr(scenario->title())});
        item->setData(0, IdRole, QString::fromLatin1(scenario->id()));
        item->setToolTip(0, ScenarioTr::tr(scenario->title()) + QStringLiteral(" (") +
                                QString::fromLatin1(scenario->id()) + QLatin1Char(')'));
    }
    m_browser->expandAll();
    if (!current.isEmpty()) {
        for (QTreeWidgetItemIterator it(m_browser); *it; ++it)
            if ((*it)->data(0, IdRole).toString() == current)
                m_browser->setCurrentItem(*it);
    }
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
    m_themeMenu->setTitle(tr("&Theme"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("&Open Trace..."));
    m_saveAction->setText(tr("&Save Trace..."));
    m_chromeAction->setText(tr("Export &Chrome JSON..."));
    m_imageAction->setText(tr("Export &Image..."));
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
    else if (const auto *scenario = ScenarioRegistry::instance().find(m_info.scenario.toStdString()))
        m_info.title = ScenarioTr::tr(scenario->title());
    updateControls();
}

void MainWindow::showScenario(const QString &id)
{
    const auto *scenario = ScenarioRegistry::instance().find(id.toStdString());
    if (!scenario)
        return;
    QString text = scenario->explanation(Application::language());
    if (text.isEmpty())
        text = QStringLiteral("# ") + ScenarioTr::tr(scenario->title());
    m_explanation->setMarkdown(text);
    if (m_params->scenario() != scenario) {
        const QJsonObject saved =
            QJsonDocument::fromJson(QSettings().value(QStringLiteral("params/") + id).toByteArray()).object();
        m_params->setScenario(scenario, saved);
    }
    if (m_center->currentWidget() == m_startCard || !model())
        showStartCard();
}

void MainWindow::clearTrace()
{
    for (TraceView *view : m_views) {
        view->setModel(nullptr);
        view->setRunInfo({});
    }
    m_playback->setModel(nullptr);
    settleSummary();
    m_session.reset();
    m_loaded.reset();
    m_loadedPath.clear();
    m_info = {};
    updateControls();
}

void MainWindow::showStartCard()
{
    const auto *scenario = ScenarioRegistry::instance().find(selectedScenario().toStdString());
    if (!scenario)
        return;
    // Before Run, the middle asks the class the scenario's question, in large type.
    const QString question = scenario->question(Application::language());
    QString html = QStringLiteral("<h1>") + ScenarioTr::tr(scenario->title()).toHtmlEscaped() + QStringLiteral("</h1>");
    if (!question.isEmpty())
        html += QStringLiteral("<p style='font-size:x-large'>") + question.toHtmlEscaped() + QStringLiteral("</p>");
    html += QStringLiteral("<p style='color:gray'>") +
            tr("Press Run (F9) to start it for real, with the parameters on the left.").toHtmlEscaped() +
            QStringLiteral("</p>");
    m_startCard->setHtml(html);
    m_center->setCurrentWidget(m_startCard);
}

bool MainWindow::selectScenario(const QString &id)
{
    if (id.isEmpty())
        return false;
    for (QTreeWidgetItemIterator it(m_browser); *it; ++it) {
        if ((*it)->data(0, IdRole).toString() == id) {
            m_browser->setCurrentItem(*it);
            showScenario(id);
            return true;
        }
    }
    // Test-only scenarios are not in the browser but can still be run (tests/app/kill_test.cpp).
    if (!ScenarioRegistry::instance().find(id.toStdString()))
        return false;
    m_browser->setCurrentItem(nullptr);
    showScenario(id);
    return true;
}

QString MainWindow::selectedScenario() const
{
    const auto *item = m_browser->currentItem();
    return item ? item->data(0, IdRole).toString() : QString();
}

const core::TraceModel *MainWindow::model() const
{
    if (m_session && m_session->status() != RunStatus::NotStarted)
        return &m_session->model();
    return m_loaded.get();
}

bool MainWindow::running() const
{
    return m_session && m_session->running();
}

TraceView *MainWindow::view(const QString &name) const
{
    for (TraceView *view : m_views)
        if (view->viewName() == name)
            return view;
    return nullptr;
}

void MainWindow::saveParams()
{
    if (const auto *scenario = m_params->scenario()) {
        core::ParamValues resolved;
        QString error;
        if (ScenarioRegistry::resolveParams(*scenario, m_params->settings(), resolved, error))
            QSettings().setValue(QStringLiteral("params/") + QLatin1String(scenario->id()),
                                 QJsonDocument(resolved).toJson(QJsonDocument::Compact));
    }
}

RunInfo MainWindow::liveRunInfo(const QJsonObject *summary) const
{
    RunInfo info;
    if (!m_session)
        return info;
    const auto *scenario = m_session->request().scenario;
    info.scenario = QLatin1String(scenario->id());
    info.title = ScenarioTr::tr(scenario->title());
    info.params = m_session->request().params;
    if (!m_session->running()) {
        const QJsonObject worked = summary ? QJsonObject() : core::runSummary(*m_session);
        info.findings = (summary ? *summary : worked).value(QStringLiteral("findings")).toObject();
        info.status = statusText(m_session->status());
    }
    return info;
}

bool MainWindow::runScenario()
{
    const auto *scenario = m_params->scenario();
    if (!scenario)
        return false;
    if (m_opener) // the run is what the user wants to see now
        abandonOpen(tr("Opening was cancelled: a run started."));
    if (running())
        stopRun();
    settleSummary(); // of a run that just ended: shown before the next run replaces it
    core::RunRequest request;
    request.scenario = scenario;
    request.seed = std::random_device{}();
    QString error;
    if (!ScenarioRegistry::resolveParams(*scenario, m_params->settings(), request.params, error)) {
        QMessageBox::warning(this, tr("Run"), error);
        return false;
    }
    // Outcomes of repeated runs belong together only while scenario and parameters stay the same.
    const QString key =
        QLatin1String(scenario->id()) + QString::fromUtf8(QJsonDocument(request.params).toJson(QJsonDocument::Compact));
    if (key != m_outcomeKey) {
        m_outcomeKey = key;
        if (auto *chart = qobject_cast<ChartsView *>(view(QStringLiteral("chart"))))
            chart->clearOutcomes();
    }

    for (TraceView *view : m_views)
        view->setModel(nullptr);
    m_playback->setModel(nullptr);
    m_loaded.reset();
    m_loadedPath.clear();
    m_session = std::make_unique<core::Session>();
    // A poll ingests what fits in half a frame; more waiting brings the next poll forward.
    m_session->setIngestBudget(kIngestBudget);
    if (!m_session->start(request, &error)) {
        m_session.reset();
        m_repeatLeft = 0;
        QMessageBox::critical(this, tr("Run"), tr("Cannot run '%1': %2").arg(ScenarioTr::tr(scenario->title()), error));
        updateControls();
        return false;
    }
    m_info = liveRunInfo();
    m_center->setCurrentWidget(m_splitter);
    for (TraceView *view : m_views) {
        view->setRunInfo(m_info);
        view->setModel(&m_session->model());
    }
    m_playback->setModel(&m_session->model());
    m_playback->startLive();
    m_pollTimer->start(kPollInterval);
    m_sinceRefresh.start();
    updateControls();
    return true;
}

bool MainWindow::runRepeatedly(int count)
{
    m_repeatLeft = std::max(0, count - 1);
    if (!runScenario()) {
        m_repeatLeft = 0;
        return false;
    }
    return true;
}

void MainWindow::pollSession()
{
    if (!m_session) {
        m_pollTimer->stop();
        return;
    }
    // A paused run still grows by its Steps: a playhead left at the end stays there.
    const bool atEnd = m_playback->position() >= m_session->model().endTime();
    const bool goesOn = m_session->poll();
    m_playback->modelGrew();
    if (goesOn && atEnd && m_session->paused())
        m_playback->seek(m_session->model().endTime());
    if (!goesOn) {
        finishRun();
        return;
    }
    // Behind the log: poll again as soon as the events queued meanwhile are handled, and redraw
    // at the usual rate only, so the window keeps answering while it catches up.
    const size_t behind = m_session->backlog();
    m_pollTimer->setInterval(behind > 0 ? std::chrono::milliseconds(0) : kPollInterval);
    if (behind >= 100000)
        statusBar()->showMessage(tr("Drawing the run as it comes in: %L1 events still to draw").arg(behind), 1000);
    if (m_sinceRefresh.elapsed() >= kPollInterval.count()) {
        m_sinceRefresh.start();
        refreshViews(false);
    }
    updateTimeLabel();
}

void MainWindow::refreshViews(bool all)
{
    // The timeline and the tab in front follow the run; hidden tabs catch up when shown.
    for (TraceView *view : m_views)
        if (all || view->isVisible())
            view->refresh();
}

void MainWindow::finishRun()
{
    m_pollTimer->stop();
    // The session and its model do not change any more: the thread only reads them, as the
    // views do meanwhile. Whatever would drop the session first waits for it (settleSummary).
    if (m_summarizer.joinable())
        m_summarizer.join();
    const uint64_t job = ++m_summaryJob;
    m_summarizer = std::thread([this, job, session = m_session.get()] {
        QJsonObject summary = core::runSummary(*session);
        QMetaObject::invokeMethod(
            this,
            [this, job, summary = std::move(summary)] {
                if (job == m_summaryJob)
                    showSummary(summary);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::settleSummary()
{
    if (!m_summarizer.joinable())
        return;
    m_summarizer.join();
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall); // its showSummary, now
}

void MainWindow::showSummary(const QJsonObject &summary)
{
    ++m_summaryJob; // shown: nothing else may show it again
    m_info = liveRunInfo(&summary);
    for (TraceView *view : m_views)
        view->setRunInfo(m_info);
    refreshViews(true);
    m_playback->finishLive();
    if (m_session->status() == RunStatus::Deadlocked)
        seekToDeadlock();
    if (m_session->status() == RunStatus::Finished || m_session->status() == RunStatus::Deadlocked) {
        if (auto *chart = qobject_cast<ChartsView *>(view(QStringLiteral("chart"))))
            chart->addOutcome(m_info.findings);
    }
    if (!m_session->failure().isEmpty())
        statusBar()->showMessage(m_session->failure(), 15000);
    updateLossBanner();
    updateControls();
    Q_EMIT runFinished();
    if (m_repeatLeft > 0 && m_session->status() == RunStatus::Finished) {
        --m_repeatLeft;
        QTimer::singleShot(0, this, [this] { runScenario(); });
    } else {
        m_repeatLeft = 0;
    }
}

void MainWindow::stopRun()
{
    m_repeatLeft = 0;
    if (running()) {
        m_session->stop();
        m_session->poll();
        finishRun();
    }
    settleSummary(); // the caller may drop the session next
}

void MainWindow::togglePause()
{
    if (running()) {
        m_session->setPaused(!m_session->paused());
        if (m_session->paused())
            m_playback->pause();
        else
            m_playback->startLive(); // Resume follows the end again, even after scrubbing back
        updateControls();
        return;
    }
    m_playback->togglePlay();
}

void MainWindow::step()
{
    if (running()) {
        if (!m_session->paused()) {
            m_session->setPaused(true);
            m_playback->pause();
        } else {
            m_session->step();
        }
        updateControls();
        return;
    }
    m_playback->stepForward();
}

void MainWindow::restart()
{
    if (running())
        stopRun();
    if (m_session)
        selectScenario(QLatin1String(m_session->request().scenario->id()));
    runScenario();
}

void MainWindow::createOpenPanel()
{
    // Shown in place of the views while a slow open reads its file: big enough to read on a projector.
    m_openPanel = new QWidget(m_center);
    m_openPanel->setObjectName(QStringLiteral("OpenPanel"));
    auto *layout = new QVBoxLayout(m_openPanel);
    layout->addStretch(1);
    m_openLabel = new QLabel(m_openPanel);
    m_openLabel->setAlignment(Qt::AlignCenter);
    m_openLabel->setWordWrap(true);
    QFont big = m_openLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    m_openLabel->setFont(big);
    layout->addWidget(m_openLabel);
    m_openBar = new QProgressBar(m_openPanel);
    m_openBar->setObjectName(QStringLiteral("OpenProgress"));
    m_openBar->setRange(0, 1000);
    m_openBar->setMinimumWidth(420);
    m_openBar->setMinimumHeight(m_openLabel->fontMetrics().height());
    layout->addWidget(m_openBar, 0, Qt::AlignHCenter);
    m_openCancel = new QPushButton(m_openPanel);
    m_openCancel->setObjectName(QStringLiteral("OpenCancel"));
    m_openCancel->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_openCancel, &QPushButton::clicked, this, &MainWindow::cancelOpen);
    layout->addWidget(m_openCancel, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    m_center->addWidget(m_openPanel);
    m_openTimer = new QTimer(this);
    m_openTimer->setInterval(50);
    connect(m_openTimer, &QTimer::timeout, this, &MainWindow::showOpenProgress);
}

void MainWindow::openTrace(const QString &path)
{
    if (m_opener) {
        QWidget *returnTo = m_openReturnTo;
        abandonOpen(tr("Opening was cancelled: another trace was opened."));
        m_openReturnTo = returnTo;
    } else {
        m_openReturnTo = m_center->currentWidget();
    }
    std::vector<TraceView::Prepare> preparers;
    for (TraceView *view : m_views)
        preparers.push_back(view->preparer());
    m_opener = std::make_unique<TraceOpener>(path, std::move(preparers));
    connect(m_opener.get(), &TraceOpener::finished, this, &MainWindow::adoptOpenedTrace);
    m_openTicks = 0;
    m_openLabel->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    m_openBar->setRange(0, 1000);
    m_openBar->setValue(0);
    m_openCancel->setText(tr("Cancel"));
    m_openCancel->setEnabled(true);
    m_openTimer->start();
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::abandonOpen(const QString &why)
{
    // Cancelled, and not waited for: its thread may be building a model, which takes a moment.
    // It deletes itself when it is done; as the window's child it cannot outlive the window.
    TraceOpener *opener = m_opener.release();
    disconnect(opener, nullptr, this, nullptr);
    opener->cancel();
    opener->setParent(this);
    connect(opener, &TraceOpener::finished, opener, &QObject::deleteLater);
    m_openTimer->stop();
    if (m_center->currentWidget() == m_openPanel)
        m_center->setCurrentWidget(m_openReturnTo ? m_openReturnTo : m_startCard);
    Q_EMIT traceOpened(false, why);
}

void MainWindow::cancelOpen()
{
    if (!m_opener)
        return;
    m_opener->cancel();
    m_openCancel->setEnabled(false);
    m_openLabel->setText(tr("Cancelling…"));
}

void MainWindow::showOpenProgress()
{
    if (!m_opener)
        return;
    // A quick open never shows the panel: it would only flash.
    if (++m_openTicks == 3)
        m_center->setCurrentWidget(m_openPanel);
    const double fraction = m_opener->fraction();
    if (fraction < 0) {
        m_openBar->setRange(0, 0); // busy: building the views' model has no fraction to show
        if (!m_opener->cancelled())
            m_openLabel->setText(tr("Preparing %1 for the views…").arg(QFileInfo(m_opener->path()).fileName()));
    } else {
        m_openBar->setValue(int(fraction * 1000));
    }
}

void MainWindow::adoptOpenedTrace()
{
    // Not deleted here: this runs inside its signal. Its thread has ended or is about to.
    TraceOpener *opener = m_opener.release();
    opener->deleteLater();
    m_openTimer->stop();
    OpenedTrace opened = opener->takeResult();
    if (m_center->currentWidget() == m_openPanel)
        m_center->setCurrentWidget(m_openReturnTo ? m_openReturnTo : m_startCard);
    const QString path = opened.path;
    if (opened.problem == core::LoadResult::Problem::Cancelled) {
        const QString message = tr("Opening %1 was cancelled.").arg(QFileInfo(path).fileName());
        statusBar()->showMessage(message, 5000);
        Q_EMIT traceOpened(false, message);
        return;
    }
    if (!opened.shown) {
        statusBar()->clearMessage();
        // Not modal: the window stays usable, and nothing waits for the box to close.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Open Trace"), opened.error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("OpenError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        Q_EMIT traceOpened(false, opened.error);
        return;
    }
    if (running())
        stopRun();
    settleSummary();
    for (TraceView *view : m_views)
        view->setModel(nullptr);
    m_playback->setModel(nullptr);
    m_session.reset();
    m_loaded = std::move(opened.model);
    m_loadedPath = path;

    const QJsonObject &summary = opened.summary;
    m_info = {};
    m_info.scenario = summary.value(QStringLiteral("scenario")).toString();
    const auto *scenario = ScenarioRegistry::instance().find(m_info.scenario.toStdString());
    m_info.title = scenario ? ScenarioTr::tr(scenario->title()) : QFileInfo(path).fileName();
    m_info.params = summary.value(QStringLiteral("params")).toObject();
    m_info.status = summary.value(QStringLiteral("status")).toString();
    if (scenario)
        selectScenario(m_info.scenario);
    showModel(m_loaded.get(), m_info, std::move(opened.prepared));
    seekToDeadlock();
    if (!opened.error.isEmpty())
        statusBar()->showMessage(opened.error, 30000);
    else
        statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 5000);
    Q_EMIT traceOpened(true, opened.error);
}

void MainWindow::updateLossBanner()
{
    const core::TraceModel *m = model();
    const QString loss = m ? core::lossText(m->data()) : QString();
    m_lossBanner->setText(loss);
    m_lossBanner->setVisible(!loss.isEmpty());
}

void MainWindow::showModel(const core::TraceModel *model, const RunInfo &info,
                           std::vector<TraceView::Prepared> prepared)
{
    m_center->setCurrentWidget(m_splitter);
    prepared.resize(m_views.size());
    for (size_t i = 0; i < m_views.size(); ++i) {
        m_views[i]->setRunInfo(info);
        m_views[i]->setModel(model, std::move(prepared[i]));
    }
    m_playback->setModel(model);
    updateLossBanner();
    refreshViews(true);
    updateControls();
}

void MainWindow::seekToDeadlock()
{
    // By its end every thread of a deadlocked run has been killed, so the end shows nothing of the
    // lesson: the views open at the moment the cycle formed (graph: the cycle; code: each blocked line).
    if (model())
        if (const auto t = core::recordedDeadlockTime(*model()))
            m_playback->seek(*t);
}

bool MainWindow::saveTrace(const QString &path, QString *error)
{
    if (!model() || running()) {
        *error = tr("There is no finished trace to save yet.");
        return false;
    }
    return core::saveIltrace(model()->data(), path, error);
}

bool MainWindow::exportChrome(const QString &path, QString *error)
{
    if (!model() || running()) {
        *error = tr("There is no finished trace to export yet.");
        return false;
    }
    return core::exportChromeJson(*model(), path, error, core::chromeExtras(*model(), m_info.findings));
}

bool MainWindow::exportImage(const QString &viewName, const QString &path, QSize size, qreal scale, QString *error)
{
    if (!model()) {
        *error = tr("There is no trace to draw yet: run a scenario or open a trace first.");
        return false;
    }
    ImageRequest request;
    request.path = path;
    request.size = size;
    request.scale = scale;
    request.theme = m_theme;
    request.playhead = m_playback->position();
    if (const TraceView *source = view(viewName)) {
        const auto [t0, t1] = source->visibleRange();
        request.rangeStart = t0;
        request.rangeEnd = t1;
    }
    return ImageExport::write(viewName, *model(), m_info, request, error);
}

void MainWindow::setTheme(Theme::Id id)
{
    m_theme = id;
    const Theme &theme = Theme::get(id);
    for (TraceView *view : m_views)
        view->setTheme(theme);
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(Theme::Id(action->data().toInt()) == id);
    // The window around the views follows: a dark palette for the dark theme.
    QPalette palette = QApplication::style()->standardPalette();
    if (id == Theme::Id::Dark) {
        palette.setColor(QPalette::Window, QColor(0x2b, 0x2c, 0x30));
        palette.setColor(QPalette::WindowText, theme.foreground);
        palette.setColor(QPalette::Base, theme.background);
        palette.setColor(QPalette::AlternateBase, theme.laneAlternate);
        palette.setColor(QPalette::Text, theme.foreground);
        palette.setColor(QPalette::Button, QColor(0x36, 0x37, 0x3b));
        palette.setColor(QPalette::ButtonText, theme.foreground);
        palette.setColor(QPalette::Highlight, QColor(0x00, 0x72, 0xb2));
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::ToolTipBase, QColor(0x36, 0x37, 0x3b));
        palette.setColor(QPalette::ToolTipText, theme.foreground);
        palette.setColor(QPalette::PlaceholderText, theme.muted);
        palette.setColor(QPalette::Link, QColor(0x56, 0xb4, 0xe9));
    }
    QApplication::setPalette(palette);
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation)
        return;
    m_presentation = on;
    m_presentAction->setChecked(on);
    m_leavePresentAction->setEnabled(on);
    for (QAction *action : m_presentationKeys)
        action->setEnabled(on);
    if (on) {
        m_stateBeforePresentation = saveState();
        m_themeBeforePresentation = m_theme;
        m_fontBeforePresentation = QApplication::font();
        QFont big = m_fontBeforePresentation;
        big.setPointSizeF((big.pointSizeF() > 0 ? big.pointSizeF() : 10.0) * 1.5);
        QApplication::setFont(big);
        findChild<QDockWidget *>(QStringLiteral("ScenarioDock"))->hide();
        findChild<QDockWidget *>(QStringLiteral("ExplanationDock"))->hide();
        m_toolBar->setIconSize(QSize(40, 40));
        setTheme(Theme::Id::Projector);
        showFullScreen();
    } else {
        QApplication::setFont(m_fontBeforePresentation);
        m_toolBar->setIconSize(QSize(24, 24));
        setTheme(m_themeBeforePresentation);
        restoreState(m_stateBeforePresentation);
        showNormal();
    }
}

void MainWindow::updateControls()
{
    const bool live = running();
    const bool paused = live && m_session->paused();
    const bool haveTrace = model() != nullptr;
    const bool playing = m_playback->mode() == Playback::Mode::Playing;
    m_runAction->setEnabled(!live && m_params->scenario());
    m_repeatAction->setEnabled(!live && m_params->scenario());
    m_stopAction->setEnabled(live);
    m_restartAction->setEnabled(m_params->scenario() != nullptr);
    m_pauseAction->setEnabled(live || haveTrace);
    m_stepAction->setEnabled(live || haveTrace);
    m_stepBackAction->setEnabled(!live && haveTrace);
    m_saveAction->setEnabled(!live && haveTrace);
    m_chromeAction->setEnabled(!live && haveTrace);
    m_imageAction->setEnabled(haveTrace);
    m_scrub->setEnabled(haveTrace);
    const bool showPause = live ? !paused : playing;
    m_pauseAction->setIcon(style()->standardIcon(showPause ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_pauseAction->setText(live ? (paused ? tr("Resume") : tr("Pause")) : (playing ? tr("Pause") : tr("Play")));

    QString status;
    if (m_session) {
        const QString title = ScenarioTr::tr(m_session->request().scenario->title());
        status =
            live ? (paused ? tr("%1: paused - Step lets one event happen").arg(title) : tr("%1: running").arg(title))
                 : tr("%1: %2 in %3 ms").arg(title, statusText(m_session->status())).arg(m_session->wallMs());
        if (m_session->pausedMs() > 0)
            status += QStringLiteral(" ") + tr("(paused %1 ms of it)").arg(m_session->pausedMs());
        if (m_repeatLeft > 0)
            status += QStringLiteral("  ") + tr("(%n more run(s) to go)", nullptr, m_repeatLeft);
    } else if (m_loaded) {
        status = tr("%1: %n event(s)", nullptr, int(std::min<size_t>(m_loaded->data().events.size(), INT_MAX)))
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

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_presentation)
        setPresentationMode(false);
    stopRun();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("lastScenario"), selectedScenario());
    settings.setValue(QStringLiteral("language"), Application::language());
    settings.setValue(QStringLiteral("theme"), Theme::name(m_theme));
    QMainWindow::closeEvent(event);
}

} // namespace interleave::ui
