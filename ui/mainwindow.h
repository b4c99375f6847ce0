// SPDX-License-Identifier: MIT
#pragma once

#include "ui/playback.h"
#include "ui/theme.h"
#include "ui/traceview.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QMainWindow>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QSlider;
class QSplitter;
class QStackedWidget;
class QProgressBar;
class QTabWidget;
class QTextBrowser;
class QToolBar;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;
class QPushButton;
class QTemporaryDir;

namespace interleave::core {
struct RunRequest;
class Scenario;
struct SearchHit;
class Session;
class TraceModel;
} // namespace interleave::core

namespace interleave::ui {

struct AnimationRequest;
class ParameterForm;
class QuestionOverlay;
class SchedulerPanel;
class SearchPanel;
class TraceOpener;
struct TraceCommand;

/// The main window: the scenario browser with its parameters on the left, the timeline in the
/// middle with the other views in tabs underneath, the explanation on the right, and the run and
/// playback controls in a tool bar. Runs are real: a Session runs the scenario in its own process
/// group while the views grow; afterwards the same trace replays at any speed.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The browser (grouped like the chapter).
    QTreeWidget *scenarioBrowser() const { return m_browser; }
    /// Selects a scenario by id (a test-only one too, which the browser does not list); false if
    /// there is none.
    bool selectScenario(const QString &id);
    QString selectedScenario() const;
    ParameterForm *parameterForm() const { return m_params; }

    /// Starts the selected scenario with the form's parameters; false (and a message) if it cannot.
    bool runScenario();
    /// Runs a program of the user's, unchanged, under the preloaded recorder (the hidden scenario
    /// "trace"); false (and a message) if it cannot start.
    bool traceProgram(const TraceCommand &command);
    /// Run the Original Python: the selected scenario's chapter script, written to a temporary
    /// folder (removed when the run ends or another starts) and traced with python3 there.
    bool runOriginalPython();
    /// The temporary folder of the chapter's script while it is kept ("" when none).
    QString originalPythonFolder() const;
    /// Starts `count` runs one after another (their outcomes go to the charts).
    bool runRepeatedly(int count);
    void stopRun();
    /// Live run: holds every instrumented thread (or lets them go). Replay: pauses (or plays).
    void togglePause();
    /// Live paused run: lets one instrumented event happen. Replay: the playhead goes to the next
    /// event, the timeline zooms so the step is visible, and the status line says what happened.
    void step();
    /// Replay: the playhead goes back to the previous event, shown as step() shows it.
    void stepBack();
    /// Stops the run if any and runs the same scenario again.
    void restart();
    /// Opens a .iltrace or Chrome/Perfetto JSON trace on a worker thread and returns at once; the
    /// window shows the read's progress with a Cancel button and stays usable. traceOpened() tells
    /// the outcome; a failure also shows a message, and the trace on screen stays until a new one
    /// is ready. A second open, a run, or closing the window cancels an open in progress.
    void openTrace(const QString &path);
    /// Stops an open in progress (its traceOpened() follows, with ok false).
    void cancelOpen();
    /// An open is in progress.
    bool opening() const { return m_opener != nullptr; }
    bool saveTrace(const QString &path, QString *error);
    bool exportChrome(const QString &path, QString *error);
    /// Exports a view (by --view name) as PNG/SVG/PDF, with the window's zoom, playhead and theme.
    bool exportImage(const QString &viewName, const QString &path, QSize size, qreal scale, QString *error);
    /// Exports the replay of a view (the window's zoom, in its theme) as GIF/MP4/WebM; `progress`
    /// is told of each frame and may cancel (false, `error` empty, no file written).
    bool exportAnimation(const QString &viewName, const AnimationRequest &request,
                         const std::function<bool(int64_t, int64_t)> &progress, QString *error);

    /// Be the scheduler: the panel of held threads and challenges (View -> Be the Scheduler).
    SchedulerPanel *schedulerPanel() const { return m_scheduler; }
    /// Starts challenge `id` (run/challenge.h): its scenario with the challenge's parameters and
    /// its threads held at every step; false (and a message) if it cannot.
    bool startChallenge(const QString &id);
    /// Lets `thread` (a model index) of the paused or held live run make exactly one step, and
    /// returns once that step is in the trace (or half a second passed); false if it is not held.
    bool stepThread(uint32_t thread);
    /// Runs the last challenge again and lets the same threads take the same steps, one every
    /// half second; false if there is none to replay.
    bool replaySchedule();
    /// The steps taken in the live (or last) run by thread name, as --schedule takes them.
    const QStringList &schedule() const { return m_schedule; }
    /// Writes schedule() one name a line, for --schedule-file.
    bool saveSchedule(const QString &path, QString *error);
    /// The challenge of the live (or last) run was met, as its trace shows.
    bool challengeMet() const { return m_challengeMet; }

    /// "Predict, then run": asks the class the scenario's question (PredictDialog), then makes the
    /// runs one after another; the Prediction chart shows the hands beside what the runs gave.
    /// False if the scenario asks none or the class cancelled.
    bool predictThenRun();
    /// The same with the show of hands given: `hands` per choice of core::predictionFor(), then `runs` runs.
    bool startPrediction(const std::vector<int> &hands, int runs);

    /// The trace shown (a run's or an opened file's), or nullptr.
    const core::TraceModel *model() const;
    /// The run in progress or the last one (nullptr before the first).
    const core::Session *session() const { return m_session.get(); }
    bool running() const;
    Playback *playback() const { return m_playback; }
    /// Every view, by --view name; the timeline first.
    const std::vector<TraceView *> &views() const { return m_views; }
    TraceView *view(const QString &name) const;
    void setTheme(Theme::Id id);
    Theme::Id theme() const { return m_theme; }
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presentation; }

Q_SIGNALS:
    /// A run ended (any status); the views show its whole trace.
    void runFinished();
    /// An openTrace() ended: ok when its trace is on screen (perhaps partial: then `error` says what
    /// is missing); otherwise `error` says why not (a cancelled open too).
    void traceOpened(bool ok, const QString &error);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    /// After a replay step: reveal the playhead's time in the views and say what happened there.
    void showStep();
    /// The scenario browser and the parameters on the left, the explanation on the right.
    void createDocks();
    /// Connects the browser, the parameters and the playback to the window and the views.
    void connectControls();
    /// The theme, window layout and scenario of the last session (and the texts of the language).
    void restoreSettings();
    void createViews();
    void createOpenPanel();
    void showOpenProgress();
    void adoptOpenedTrace();
    /// Drops the open in progress (cancelled, left to end on its thread); traceOpened(false, why).
    void abandonOpen(const QString &why);
    void createActions();
    void createFileActions();
    void createAnimationAction(); ///< File -> Export Animation... with its progress dialog
    void createRunActions();
    /// File > Trace a Program… and Run the Original Python (mainwindowtrace.cpp).
    void createTraceActions();
    void retranslateTrace();
    void updateTraceControls(bool live);
    /// Starts `scenario` with resolved `params`; `script`: the temporary folder the run needs
    /// (Run the Original Python), kept until the run ends.
    bool startRun(const core::Scenario &scenario, const QJsonObject &params,
                  std::unique_ptr<QTemporaryDir> script = {});
    /// Restart of a traced program: the same command again (true), or false for a scenario's run.
    bool restartTrace();
    /// The run's heading: the command line of a traced program ("python3 deadlock.py"), else
    /// the scenario's title.
    static QString runTitle(const core::RunRequest &request);
    /// A run ended: the code panel reads the sources it names, then the script's folder goes.
    void releaseScript();
    /// The keys of presentation mode, and the actions that enter and leave it.
    void createPresentationActions();
    void createThemeAndLanguageActions();
    void createMenus();
    void createToolBar();
    void fillBrowser();
    void retranslate();
    void showScenario(const QString &id);
    /// `prepared`: by view, what its preparer made of `model` on the opening thread (or nothing).
    void showModel(const core::TraceModel *model, const RunInfo &info, std::vector<TraceView::Prepared> prepared = {});
    /// Shows the banner over the timeline when the trace on screen lost events, else hides it.
    void updateLossBanner();
    /// Drops the trace on show (a finished run or an opened file) from every view.
    void clearTrace();
    void pollSession();
    /// A run ended: its summary is worked out on a thread of its own (it reads the whole trace),
    /// then showSummary() shows it.
    void finishRun();
    void showSummary(const QJsonObject &summary);
    /// Waits for a summary being worked out and shows it now (before the session goes).
    void settleSummary();
    /// Moves the playhead to the trace's deadlock, if it has one.
    void seekToDeadlock();
    void refreshViews(bool all);
    void updateControls();
    void updateTimeLabel();
    void showStartCard();
    /// The hint under the start card's question: only what is on screen.
    QString startCardHint() const;
    void createQuestionOverlay();
    void createSearch();
    void retranslateSearch();
    /// The "be the scheduler" dock and its keys 1-9 (mainwindowscheduler.cpp).
    void createScheduler();
    void retranslateScheduler();
    /// The held threads and the challenge's state, after a poll or a step.
    void updateScheduler();
    /// Each held thread's next step on its timeline lane and at its line in the code panel.
    void showHeldSteps();
    /// Replay: the next step of the schedule, once its thread is held.
    void playNextReplayStep();
    /// Run -> Predict, Then Run... (mainwindowpredict.cpp).
    void createPrediction();
    void retranslatePrediction();
    /// A predicted series' run ended with `findings`: its answer goes to the Prediction chart.
    void countPrediction(const QJsonObject &findings);
    /// Shows what Find found: the playhead at its start, the views over its time range.
    void jumpTo(const core::SearchHit &hit);
    /// Shows the question over the views in presentation mode until the teacher hides it.
    void updateQuestionOverlay();
    void toggleQuestion();
    void toggleExplanation();
    /// Esc: hides the question if it shows, else leaves presentation mode.
    void escapePressed();
    /// Presentation mode was entered or left: the question and the hints follow.
    void presentationChanged();
    void saveParams();
    /// What the views show of the run; `summary` (runSummary) once it ended, worked out if null.
    RunInfo liveRunInfo(const QJsonObject *summary = nullptr) const;

    QTreeWidget *m_browser = nullptr;
    ParameterForm *m_params = nullptr;
    QPushButton *m_defaultsButton = nullptr;
    QTextBrowser *m_explanation = nullptr;
    QStackedWidget *m_center = nullptr;
    QTextBrowser *m_startCard = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_tabs = nullptr;
    std::vector<TraceView *> m_views;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_timeLabel = nullptr;
    QLabel *m_lossBanner = nullptr; ///< "N of M events were lost": nothing on screen can be trusted whole
    QSlider *m_scrub = nullptr;
    QComboBox *m_speed = nullptr;
    QToolBar *m_toolBar = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_runMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_themeMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_chromeAction = nullptr;
    QAction *m_imageAction = nullptr;
    QAction *m_animationAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_repeatAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_stepAction = nullptr;
    QAction *m_stepBackAction = nullptr;
    QAction *m_restartAction = nullptr;
    QAction *m_traceAction = nullptr;
    QAction *m_pythonAction = nullptr; ///< Run the Original Python
    QAction *m_fasterAction = nullptr;
    QAction *m_slowerAction = nullptr;
    QAction *m_presentAction = nullptr;
    QAction *m_leavePresentAction = nullptr;
    QAction *m_englishAction = nullptr;
    QAction *m_chineseAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    std::vector<QAction *> m_presentationKeys; ///< arrows and +/-: only in presentation mode

    std::unique_ptr<core::Session> m_session;
    std::thread m_summarizer;                   ///< works out the ended run's summary (see finishRun)
    uint64_t m_summaryJob = 0;                  ///< the summary to show: an older one arriving late is dropped
    std::unique_ptr<core::TraceModel> m_loaded; ///< an opened trace file
    QString m_loadedPath;
    std::unique_ptr<TraceOpener> m_opener;   ///< the open in progress
    std::unique_ptr<QTemporaryDir> m_script; ///< the chapter's script of Run the Original Python
    QString m_scriptScenario;                ///< whose script the last trace run ran ("" for another program)
    QWidget *m_openReturnTo = nullptr;       ///< what the centre showed before the open's panel
    QWidget *m_openPanel = nullptr;
    QLabel *m_openLabel = nullptr;
    QProgressBar *m_openBar = nullptr;
    QPushButton *m_openCancel = nullptr;
    QTimer *m_openTimer = nullptr;
    int m_openTicks = 0; ///< of m_openTimer since the open began
    RunInfo m_info;
    Playback *m_playback = nullptr;
    QTimer *m_pollTimer = nullptr;
    QElapsedTimer m_sinceRefresh; ///< since the views last followed a live run
    static constexpr std::chrono::milliseconds kPollInterval{40};
    static constexpr std::chrono::microseconds kIngestBudget{6000};
    int m_repeatLeft = 0;
    QString m_outcomeKey; ///< scenario + parameters the charts' outcomes belong to
    Theme::Id m_theme = Theme::Id::Light;
    Theme::Id m_themeBeforePresentation = Theme::Id::Light;
    bool m_presentation = false;
    QuestionOverlay *m_questionOverlay = nullptr;
    SearchPanel *m_search = nullptr;
    QAction *m_findAction = nullptr;
    bool m_questionPending = false; ///< presentation mode shows the question until it is hidden
    QByteArray m_stateBeforePresentation;
    SchedulerPanel *m_scheduler = nullptr;
    QTimer *m_replayTimer = nullptr;
    std::vector<std::string> m_nextHeld; ///< the threads the next run holds (a challenge's)
    QString m_nextChallenge;             ///< the challenge the next run is
    QString m_challenge;                 ///< of the live (or last) run; "" for none
    QStringList m_schedule;              ///< the steps taken in it, by thread name
    QStringList m_replay;                ///< the steps still to replay
    bool m_challengeMet = false;
    size_t m_challengeEvents = 0; ///< events of the trace when the goal was last checked
    QAction *m_predictAction = nullptr;
    QString m_predictionKey; ///< scenario + parameters of the predicted runs; "" when none goes on
};

} // namespace interleave::ui
