// SPDX-License-Identifier: MIT
// Budget (DESIGN.md): window start <= 1 s.
//  * BM_WindowStartProcess (the budget's figure): from posix_spawn of `interleave` until the
//    process has painted its main window and exited (INTERLEAVE_EXIT_AFTER_FIRST_PAINT=1 quits
//    right after the first paint), so it includes loading the program and Qt, the QApplication,
//    settings, translations, building and painting the window, and also the teardown after the
//    paint: an upper bound of "start until the window is there". Offscreen platform (no X server
//    here); settings in a scratch folder, written by an untimed first start as a user's would be.
//  * BM_WindowFirstPaintInProcess (context): in a running QApplication, from constructing
//    MainWindow to the end of its first paint: the window's own share of the start.
// Budget: the GUI thread never stalls > 16 ms (opening a 5 M-event trace, a race run at full speed).
//  * BM_WindowOpenLongestStall (the budget's figure): the longest time between two turns of the
//    window's event loop, from the call to openTrace until 300 ms after the views show the trace
//    (their first paint of it included). A 1 ms precise timer ticks all along; a gap between
//    ticks is the stall. The trace is the model benchmark's 5 M events, saved as .iltrace once.
//    Its counters: stall_median_ms over the iterations (the row's figure) and open_median_s, the
//    whole open, call to traceOpened.
//  * BM_WindowRaceRunLongestStall: the same measure from Run of the race scenario (default
//    parameters: two threads, 800 k events in a few hundred ms) until 300 ms after it ended; the
//    window drains the log and grows the views while it runs.
#include "io/iltrace.h"
#include "synthetic.h"
#include "ui/application.h"
#include "ui/mainwindow.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <csignal>
#include <string>
#include <vector>

extern char **environ;

namespace {

std::string programDir()
{
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return ".";
    std::string path(self, size_t(n));
    return path.substr(0, path.rfind('/'));
}

/// Starts `interleave ARGS` (no ARGS: the window) and waits for it to exit; the wall time in s,
/// or a negative value with `error` set.
double startOnce(const std::vector<std::string> &args, const std::string &configDir, std::string &error)
{
    const std::string program = programDir() + "/interleave";
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e) {
        const std::string kv = *e;
        if (kv.rfind("QT_QPA_PLATFORM=", 0) != 0 && kv.rfind("XDG_CONFIG_HOME=", 0) != 0 &&
            kv.rfind("INTERLEAVE_EXIT_AFTER_FIRST_PAINT=", 0) != 0)
            env.push_back(kv);
    }
    env.push_back("QT_QPA_PLATFORM=offscreen");
    env.push_back("INTERLEAVE_EXIT_AFTER_FIRST_PAINT=1");
    env.push_back("XDG_CONFIG_HOME=" + configDir);
    std::vector<char *> envp;
    for (auto &kv : env)
        envp.push_back(kv.data());
    envp.push_back(nullptr);
    std::vector<std::string> strings = {program, "--lang", "en"};
    strings.insert(strings.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (auto &a : strings)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        error = "cannot start " + program + ": " + strerror(rc);
        return -1;
    }
    // Wait with a way out: a window that never paints (or never quits) is killed after 20 s.
    const int pidfd = int(syscall(SYS_pidfd_open, pid, 0));
    bool exited = true;
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        exited = ::poll(&p, 1, 20'000) == 1;
        ::close(pidfd);
    }
    if (!exited)
        ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!exited) {
        error = "interleave did not exit within 20 s of starting (is INTERLEAVE_EXIT_AFTER_FIRST_PAINT supported?)";
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        error = "interleave exited with status " + std::to_string(status);
        return -1;
    }
    return seconds;
}

void BM_WindowStartProcess(benchmark::State &state)
{
    QTemporaryDir config;
    std::string error;
    const std::string dir = config.path().toStdString();
    if (startOnce({}, dir, error) < 0) { // untimed: settings written, program in the page cache
        state.SkipWithError(error.c_str());
        return;
    }
    for (auto _ : state) {
        const double s = startOnce({}, dir, error);
        if (s < 0) {
            state.SkipWithError(error.c_str());
            return;
        }
        state.SetIterationTime(s);
    }
}
BENCHMARK(BM_WindowStartProcess)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

// Baseline: the same program started headless (`interleave --version`): loading it and its
// libraries (Qt Widgets included) and exiting, without a window.
void BM_ProgramStartHeadless(benchmark::State &state)
{
    QTemporaryDir config;
    std::string error;
    const std::string dir = config.path().toStdString();
    for (auto _ : state) {
        const double s = startOnce({"--version"}, dir, error);
        if (s < 0) {
            state.SkipWithError(error.c_str());
            return;
        }
        state.SetIterationTime(s);
    }
}
BENCHMARK(BM_ProgramStartHeadless)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

/// Notes the end of a widget's first paint (the filter sees the event before the widget paints,
/// so the time is taken on the next turn of the event loop).
class FirstPaint : public QObject
{
public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            m_seen = true;
        return QObject::eventFilter(watched, event);
    }
    bool seen() const { return m_seen; }

private:
    bool m_seen = false;
};

void BM_WindowFirstPaintInProcess(benchmark::State &state)
{
    for (auto _ : state) {
        QElapsedTimer timer;
        timer.start();
        FirstPaint watch;
        {
            interleave::ui::MainWindow window;
            window.installEventFilter(&watch);
            window.show();
            while (!watch.seen() && timer.elapsed() < 20'000)
                QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
            QApplication::processEvents(); // the paint itself has now finished
            state.SetIterationTime(double(timer.nsecsElapsed()) / 1e9);
        }
        if (!watch.seen()) {
            state.SkipWithError("the window never painted");
            return;
        }
    }
}
BENCHMARK(BM_WindowFirstPaintInProcess)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

/// The GUI thread's longest stall while `start` runs and until 300 ms after `done` fires: the
/// longest time between two ticks of a 1 ms precise timer. `start` itself counts (the first gap
/// runs from its call to the first tick). Returns the stall and when `done` came (ns since start;
/// -1 if it did not within two minutes).
template<typename Signal, typename Start>
std::pair<qint64, qint64> longestStall(interleave::ui::MainWindow &window, Signal done, Start start)
{
    QEventLoop loop;
    QElapsedTimer clock;
    qint64 last = 0, worst = 0, doneAt = -1;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        worst = std::max(worst, now - last);
        last = now;
    });
    const QMetaObject::Connection connection = QObject::connect(&window, done, &loop, [&] {
        if (doneAt < 0) {
            doneAt = clock.nsecsElapsed();
            QTimer::singleShot(300, &loop, &QEventLoop::quit);
        }
    });
    QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
    clock.start();
    tick.start();
    start();
    loop.exec();
    QObject::disconnect(connection);
    return {worst, doneAt};
}

/// A window as a classroom projector shows it, painted once.
void showAtClassroomSize(interleave::ui::MainWindow &window)
{
    window.resize(1280, 800);
    window.show();
    QApplication::processEvents();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

void BM_WindowOpenLongestStall(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("five-million.iltrace"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) ||
            !interleave::core::writeIltrace(interleave::bench::syntheticTrace(), file)) {
            state.SkipWithError("cannot write the trace");
            return;
        }
    }
    std::vector<double> stalls, opens; // ms, s
    for (auto _ : state) {
        interleave::ui::MainWindow window;
        showAtClassroomSize(window);
        bool ok = false;
        QObject::connect(&window, &interleave::ui::MainWindow::traceOpened, [&](bool opened) { ok = opened; });
        const auto [worst, openedAt] =
            longestStall(window, &interleave::ui::MainWindow::traceOpened, [&] { window.openTrace(path); });
        state.SetIterationTime(double(worst) / 1e9);
        stalls.push_back(double(worst) / 1e6);
        opens.push_back(double(openedAt) / 1e9);
        if (!ok) {
            state.SkipWithError("the trace did not open");
            return;
        }
    }
    state.counters["stall_median_ms"] = median(stalls);
    state.counters["open_median_s"] = median(opens);
}
BENCHMARK(BM_WindowOpenLongestStall)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_WindowRaceRunLongestStall(benchmark::State &state)
{
    std::vector<double> stalls, runs; // ms, s
    for (auto _ : state) {
        interleave::ui::MainWindow window;
        showAtClassroomSize(window);
        if (!window.selectScenario(QStringLiteral("race"))) {
            state.SkipWithError("no race scenario");
            return;
        }
        bool started = false;
        const auto [worst, endedAt] =
            longestStall(window, &interleave::ui::MainWindow::runFinished, [&] { started = window.runScenario(); });
        state.SetIterationTime(double(worst) / 1e9);
        stalls.push_back(double(worst) / 1e6);
        runs.push_back(double(endedAt) / 1e9);
        if (!started || endedAt < 0) {
            state.SkipWithError("the race run did not start or end");
            return;
        }
    }
    state.counters["stall_median_ms"] = median(stalls);
    state.counters["run_median_s"] = median(runs);
}
BENCHMARK(BM_WindowRaceRunLongestStall)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

} // namespace

// The QApplication lives in main, not in a static: it must be gone before Qt's own statics are.
int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    QTemporaryDir config; // the in-process window's settings
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    QApplication app(argc, argv);
    interleave::ui::Application::setup(app, QStringLiteral("en"), interleave::ui::Application::Front::Window);
    QApplication::setStyle(QStringLiteral("Fusion"));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
