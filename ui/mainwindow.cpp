// SPDX-License-Identifier: MIT
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "run/session.h"
#include "run/summary.h"
#include "scenarios/scenario.h"
#include "ui/application.h"
#include "ui/charts/chartsview.h"
#include "ui/detailspanel.h"
#include "ui/imageexport.h"
#include "ui/legend.h"
#include "ui/parameterform.h"
#include "ui/stepsentence.h"
#include "ui/timeline/laneview.h"
#include "ui/timeline/timelineview.h"
#include "ui/traceopener.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDockWidget>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <random>

namespace interleave::ui {

using core::RunStatus;
using core::ScenarioRegistry;
using core::ScenarioTr;
using windowdetail::IdRole;
using windowdetail::statusText;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/interleave.svg")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    createDocks();

    m_playback = new Playback(this);
    createViews();
    createQuestionOverlay();

    m_statusLabel = new QLabel(this);
    // Permanent, on the right: the run's status stays readable while messages come and go on the left.
    statusBar()->addPermanentWidget(m_statusLabel);

    createActions();
    createToolBar();
    createMenus();
    createSearch();
    createScheduler();
    createPrediction();

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(kPollInterval); // ingest and redraw 25 times a second while a run goes on
    connect(m_pollTimer, &QTimer::timeout, this, &MainWindow::pollSession);

    connectControls();
    restoreSettings();
}

void MainWindow::connectControls()
{
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
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    m_theme = Theme::byName(settings.value(QStringLiteral("theme")).toString())
                  ? Theme::byName(settings.value(QStringLiteral("theme")).toString())->id
                  : Theme::Id::Light;
    retranslate();
    setTheme(m_theme);
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        resize(1440, 900);
        resizeDocks({findChild<QDockWidget *>(QStringLiteral("ScenarioDock")),
                     findChild<QDockWidget *>(QStringLiteral("ExplanationDock"))},
                    {330, 360}, Qt::Horizontal);
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    findChild<QDockWidget *>(QStringLiteral("SearchDock"))->hide(); // Find opens on Ctrl+F, not by itself
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
    // The cores view shares the timeline's time axis: a time sits at the same x in both.
    if (auto *cores = qobject_cast<LaneView *>(view(QStringLiteral("cores"))))
        cores->followAxisOf(qobject_cast<LaneView *>(view(QStringLiteral("timeline"))));
    m_splitter->addWidget(m_tabs);
    if (auto *timeline = findChild<TimelineView *>(QStringLiteral("timeline")))
        addDockWidget(Qt::RightDockWidgetArea, new DetailsPanel(timeline, this));
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

RunInfo MainWindow::liveRunInfo(const QJsonObject *summary) const
{
    RunInfo info;
    if (!m_session)
        return info;
    const auto *scenario = m_session->request().scenario;
    info.scenario = QLatin1String(scenario->id());
    info.title = runTitle(m_session->request());
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
    core::ParamValues params;
    QString error;
    if (!ScenarioRegistry::resolveParams(*scenario, m_params->settings(), params, error)) {
        QMessageBox::warning(this, tr("Run"), error);
        return false;
    }
    m_scriptScenario.clear();
    return startRun(*scenario, params);
}

bool MainWindow::startRun(const core::Scenario &scenario, const QJsonObject &params,
                          std::unique_ptr<QTemporaryDir> script)
{
    if (m_opener) // the run is what the user wants to see now
        abandonOpen(tr("Opening was cancelled: a run started."));
    if (running())
        stopRun();
    settleSummary();              // of a run that just ended: shown before the next run replaces it
    m_script = std::move(script); // the last run's script goes now, this run's stays while it runs
    core::RunRequest request;
    request.scenario = &scenario;
    request.seed = std::random_device{}();
    request.params = params;
    request.heldThreads = std::exchange(m_nextHeld, {}); // a challenge's threads (startChallenge)
    const QString challenge = std::exchange(m_nextChallenge, {});
    QString error;
    // Outcomes of repeated runs belong together only while scenario and parameters stay the same.
    const QString key =
        QLatin1String(scenario.id()) + QString::fromUtf8(QJsonDocument(request.params).toJson(QJsonDocument::Compact));
    if (key != m_outcomeKey) {
        m_outcomeKey = key;
        if (auto *chart = qobject_cast<ChartsView *>(view(QStringLiteral("chart")))) {
            chart->clearOutcomes();
            chart->setPrediction({}); // the class predicted other runs
        }
        m_predictionKey.clear();
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
        m_script.reset();
        QMessageBox::critical(this, tr("Run"), tr("Cannot run '%1': %2").arg(runTitle(request), error));
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
    m_challenge = challenge;
    m_schedule.clear();
    m_replay.clear();
    m_challengeMet = false;
    m_challengeEvents = 0;
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
    updateScheduler();
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
    releaseScript();
    m_playback->finishLive();
    if (m_session->status() == RunStatus::Deadlocked)
        seekToDeadlock();
    if (m_session->status() == RunStatus::Finished || m_session->status() == RunStatus::Deadlocked) {
        if (auto *chart = qobject_cast<ChartsView *>(view(QStringLiteral("chart"))))
            chart->addOutcome(m_info.findings);
        countPrediction(m_info.findings);
    }
    if (!m_session->failure().isEmpty())
        statusBar()->showMessage(m_session->failure(), 15000);
    updateLossBanner();
    updateControls();
    updateScheduler();
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
    showStep();
}

void MainWindow::stepBack()
{
    if (running())
        return;
    m_playback->stepBackward();
    showStep();
}

void MainWindow::showStep()
{
    const core::TraceModel *m = model();
    if (!m)
        return;
    const int64_t t = m_playback->position();
    const int64_t previous = PlaybackMath::previousEventTime(*m, t);
    const int64_t next = PlaybackMath::nextEventTime(*m, t);
    for (TraceView *view : m_views) {
        const auto visible = view->visibleRange();
        const auto revealed = PlaybackMath::revealRange(visible, t, previous, next);
        if (revealed != visible)
            view->setVisibleRange(revealed.first, revealed.second);
    }
    statusBar()->showMessage(StepSentence::at(*m, t));
}

void MainWindow::restart()
{
    if (running())
        stopRun();
    if (restartTrace())
        return;
    if (m_session)
        selectScenario(QLatin1String(m_session->request().scenario->id()));
    runScenario();
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
