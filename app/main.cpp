// SPDX-License-Identifier: MIT
// The command line: parse it, pick a mode (window, list, run, open, master, worker, runner).
#include "animationwriter.h"
#include "commandline.h"
#include "help.h"
#include "imagewriter.h"

#include "net/commands.h"
#include "run/commands.h"
#include "run/runner.h"
#include "run/stopsignals.h"
#include "scenarios/scenario.h"
#include "scenarios/traceprogram.h"
#ifndef INTERLEAVE_NO_UI
#include "ui/application.h"
#endif

#ifndef INTERLEAVE_NO_UI
#include <QApplication>
#include <QFile>
#include <QTemporaryDir>
#endif
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QTextStream>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>

using namespace interleave;

namespace {

struct OptionSpec
{
    const char *name;
    bool takesValue;
};

// Options per mode; "--lang" applies to all of them.
const std::map<QString, std::vector<OptionSpec>> &modeOptions()
{
    static const std::map<QString, std::vector<OptionSpec>> options = {
        {QString(), {}},
        {QStringLiteral("list"), {{"--json", false}}},
        {QStringLiteral("run"),
         {{"--set", true},
          {"--seed", true},
          {"--timeout", true},
          {"--save", true},
          {"--chrome", true},
          {"--image", true},
          {"--view", true},
          {"--size", true},
          {"--theme", true},
          {"--json", false},
          {"--schedule", true},
          {"--schedule-file", true},
          {"--repeat", true},
          {"--animation", true},
          {"--fps", true},
          {"--speed", true},
          {"--range", true}}},
        {QStringLiteral("trace"),
         {{"--cwd", true},
          {"--timeout", true},
          {"--save", true},
          {"--chrome", true},
          {"--image", true},
          {"--view", true},
          {"--size", true},
          {"--theme", true},
          {"--animation", true},
          {"--fps", true},
          {"--speed", true},
          {"--range", true},
          {"--json", false}}},
        {QStringLiteral("open"),
         {{"--save", true},
          {"--chrome", true},
          {"--image", true},
          {"--view", true},
          {"--size", true},
          {"--theme", true},
          {"--animation", true},
          {"--fps", true},
          {"--speed", true},
          {"--range", true},
          {"--json", false}}},
        {QStringLiteral("master"),
         {{"--listen", true},
          {"--authkey", true},
          {"--authkey-file", true},
          {"--tasks", true},
          {"--result-timeout", true},
          {"--save", true},
          {"--chrome", true}}},
        {QStringLiteral("worker"),
         {{"--connect", true}, {"--authkey", true}, {"--authkey-file", true}, {"--name", true}, {"--retry", true}}},
    };
    return options;
}

/// A global option at args[at] (--help, --version, --lang, which may take args[at + 1]): 1 taken,
/// 0 not a global option, -1 bad input (`error` says why).
int takeGlobal(const QStringList &args, int &at, QString &language, bool &help, bool &version, QString &error)
{
    const QString a = args[at];
    if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
        help = true;
        return 1;
    }
    if (a == QLatin1String("--version")) {
        version = true;
        return 1;
    }
    if (a == QLatin1String("--lang") || a.startsWith(QLatin1String("--lang="))) {
        QString v;
        if (a.contains(QLatin1Char('='))) {
            v = a.section(QLatin1Char('='), 1);
        } else if (at + 1 < args.size()) {
            v = args[++at];
        } else {
            error = AppTr::tr("option --lang needs a value: zh_CN or en");
            return -1;
        }
        if (v != QLatin1String("zh_CN") && v != QLatin1String("en")) {
            error = AppTr::tr("unknown language '%1' for --lang (use zh_CN or en)").arg(v);
            return -1;
        }
        language = v;
        return 1;
    }
    return 0;
}

/// The option of the mode at args[i] ("--name", "--name=value" or "--name value", which moves
/// `i` past the value) into `cl`; false with one line in `error` on bad input.
bool takeOption(const QStringList &args, int &i, const std::vector<OptionSpec> &allowed, CommandLine &cl,
                QString &error)
{
    QString a = args[i];
    QString inlineValue;
    bool hasInline = false;
    if (const int eq = a.indexOf(QLatin1Char('=')); eq > 0) {
        inlineValue = a.mid(eq + 1);
        a = a.left(eq);
        hasInline = true;
    }
    const auto spec =
        std::find_if(allowed.begin(), allowed.end(), [&](const OptionSpec &s) { return a == QLatin1String(s.name); });
    if (spec == allowed.end()) {
        error = cl.mode.isEmpty() ? AppTr::tr("unknown option '%1' (see interleave --help)").arg(a)
                                  : AppTr::tr("unknown option '%1' for '%2' (see interleave --help)").arg(a, cl.mode);
        return false;
    }
    if (spec->takesValue) {
        if (!hasInline) {
            if (i + 1 >= args.size()) {
                error = AppTr::tr("option %1 needs a value (see interleave --help)").arg(a);
                return false;
            }
            inlineValue = args[++i];
        }
        // `--save ''` or `--timeout ''` (an unset shell variable) would otherwise mean "absent".
        if (inlineValue.isEmpty()) {
            error = AppTr::tr("option %1 needs a value, not an empty one (see interleave --help)").arg(a);
            return false;
        }
        cl.options.emplace(a, inlineValue);
    } else {
        if (hasInline) {
            error = AppTr::tr("option %1 takes no value").arg(a);
            return false;
        }
        cl.options.emplace(a, QString());
    }
    return true;
}

/// Parses argv; on bad input returns false with one clear line in `error`.
/// The rest of `help [COMMAND]` from args[i]: global options, and at most one known command.
bool parseHelp(const QStringList &args, int i, CommandLine &cl, QString &language, bool &version, QString &error)
{
    bool help = true;
    QStringList commands;
    for (; i < args.size(); ++i) {
        const int r = takeGlobal(args, i, language, help, version, error);
        if (r < 0)
            return false;
        if (r == 0)
            commands << args[i];
    }
    if (commands.size() > 1 || (commands.size() == 1 && !modeOptions().count(commands[0]))) {
        error =
            AppTr::tr("unknown command '%1' (commands: list, run, trace, open, master, worker; see interleave --help)")
                .arg(commands.join(QLatin1Char(' ')));
        return false;
    }
    cl.mode = commands.value(0);
    return true;
}

bool parseModeOptions(const QStringList &args, int i, CommandLine &cl, QString &language, bool &help, bool &version,
                      QString &error);

bool parse(const QStringList &args, CommandLine &cl, QString &language, bool &help, bool &version, QString &error)
{
    int i = 1;
    // Global options may come first.
    for (; i < args.size(); ++i) {
        const int r = takeGlobal(args, i, language, help, version, error);
        if (r < 0)
            return false;
        if (r == 0)
            break;
    }
    if (i < args.size() && args[i] == QLatin1String("help")) {
        help = true; // `help [COMMAND]`: as COMMAND --help
        return parseHelp(args, i + 1, cl, language, version, error);
    }
    if (i < args.size()) {
        const QString mode = args[i];
        if (mode.startsWith(QLatin1Char('-'))) {
            error = AppTr::tr("unknown option '%1' (see interleave --help)").arg(mode);
            return false;
        }
        // `interleave FILE` (a desktop's "open with", a file manager's double click) is `open FILE`.
        if (!modeOptions().count(mode) && !mode.isEmpty() && QFileInfo(mode).isFile()) {
            cl.mode = QStringLiteral("open");
            cl.positional << mode;
            ++i;
            return parseModeOptions(args, i, cl, language, help, version, error);
        }
        if (!modeOptions().count(mode) || mode.isEmpty()) {
            error =
                AppTr::tr(
                    "unknown command '%1' (commands: list, run, trace, open, master, worker; see interleave --help)")
                    .arg(mode);
            return false;
        }
        cl.mode = mode;
        ++i;
    }
    return parseModeOptions(args, i, cl, language, help, version, error);
}

/// The options and arguments of `cl.mode` from args[i] on.
bool parseModeOptions(const QStringList &args, int i, CommandLine &cl, QString &language, bool &help, bool &version,
                      QString &error)
{
    const auto &allowed = modeOptions().at(cl.mode);
    const bool tracing = cl.mode == QLatin1String("trace");
    for (; i < args.size(); ++i) {
        // `trace [OPTIONS] -- PROGRAM ARGS`: from "--" or the program's name on, all is the program's.
        if (tracing && (args[i] == QLatin1String("--") || !args[i].startsWith(QLatin1Char('-')))) {
            cl.positional = args.mid(args[i] == QLatin1String("--") ? i + 1 : i);
            break;
        }
        const int r = takeGlobal(args, i, language, help, version, error);
        if (r < 0)
            return false;
        if (r == 1)
            continue;
        if (!args[i].startsWith(QLatin1String("--"))) {
            cl.positional << args[i];
            continue;
        }
        if (!takeOption(args, i, allowed, cl, error))
            return false;
    }
    if (tracing) {
        if (!help && !version && cl.positional.isEmpty()) {
            error = AppTr::tr("'trace' needs a program: interleave trace -- PROGRAM [ARGS]...");
            return false;
        }
        return true;
    }
    const int expected = (cl.mode == QLatin1String("run") || cl.mode == QLatin1String("open")) ? 1 : 0;
    if (!help && !version && cl.positional.size() != expected) {
        if (expected == 1 && cl.positional.isEmpty())
            error = cl.mode == QLatin1String("run") ? AppTr::tr("'run' needs a scenario id (see interleave list)")
                                                    : AppTr::tr("'open' needs a trace file");
        else
            error = AppTr::tr("unexpected argument '%1' (see interleave --help)").arg(cl.positional.value(expected));
        return false;
    }
    return true;
}

/// `open FILE` with no output option shows the trace in the window.
[[maybe_unused]] bool opensWindow(const CommandLine &cl) // unused without the window
{
    return cl.mode == QLatin1String("open") && !cl.has("--save") && !cl.has("--chrome") && !cl.has("--image") &&
           !cl.has("--json") && !cl.has("--view") && !cl.has("--size") && !cl.has("--theme") && !wantsAnimation(cl);
}

int fail(const QString &line, int status)
{
    QTextStream(stderr) << "interleave: " << line << '\n';
    return status;
}

/// The window was asked for with no display to show it on.
int failNoDisplay()
{
    return fail(AppTr::tr("no display to show the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); start it "
                          "in a desktop session, or use a command without the window (see interleave --help)"),
                core::ExitEngineFailed);
}

/// The application the mode needs: a QApplication for the window and for images (drawn offscreen
/// when there is no window), else a QCoreApplication; set up with the translators of `language`.
/// Whether Qt has somewhere to show a window: a platform chosen by hand, an X or a Wayland display.
[[maybe_unused]] bool hasDisplay() // unused without the window
{
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

/// The application object for the mode; `noDisplay` is set when the window was asked for but
/// there is no display to show it on (Qt would abort with lines of its own: exit 134).
std::unique_ptr<QCoreApplication> makeApplication(int &argc, char **argv, [[maybe_unused]] bool parsed,
                                                  [[maybe_unused]] const CommandLine &cl, [[maybe_unused]] bool help,
                                                  [[maybe_unused]] bool version,
                                                  [[maybe_unused]] const QString &language, bool &noDisplay)
{
    std::unique_ptr<QCoreApplication> app;
    noDisplay = false;
#ifndef INTERLEAVE_NO_UI
    bool window = parsed && !help && !version &&
                  (cl.mode.isEmpty() || (opensWindow(cl) && QFileInfo(cl.positional.value(0)).isReadable()));
    if (window && !hasDisplay()) {
        noDisplay = true;
        window = false;
    }
    const bool drawsImages = parsed && !help && !version && (cl.has("--image") || cl.has("--animation"));
    if (drawsImages && !window) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        // Headless output is the summary and one line per problem: Qt's own notes about the
        // offscreen platform would break scripts that read stderr.
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
            if (type == QtCriticalMsg || type == QtFatalMsg)
                QTextStream(stderr) << message << '\n';
        });
    }
    // Without XDG_RUNTIME_DIR (a bare container, a cron job) Qt makes $TMPDIR/runtime-$USER and
    // leaves it behind; a private one of our own goes when interleave ends (or, headless, below).
    static std::optional<QTemporaryDir> runtimeDir;
    if ((window || drawsImages) && qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        runtimeDir.emplace(QDir::tempPath() + QStringLiteral("/interleave-runtime-XXXXXX"));
        if (runtimeDir->isValid())
            qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtimeDir->path()));
    }
    if (window || drawsImages)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    // Headless, Qt looks into it only while the application starts: removed now, a SIGKILL or a
    // second Ctrl+C during a long run cannot leave it behind.
    if (!window)
        runtimeDir.reset();
    ui::Application::setup(*app, language, window ? ui::Application::Front::Window : ui::Application::Front::Command);
#else
    app = std::make_unique<QCoreApplication>(argc, argv);
#endif
    return app;
}

/// --save, --chrome, --image (with --view, --size, --theme), --animation and --json; nullopt when they are
/// good, else the exit status after one line on stderr.
std::optional<int> readOutputs(const CommandLine &cl, core::OutputOptions &output)
{
    output.save = cl.value("--save");
    output.chrome = cl.value("--chrome");
    output.imagePath = cl.value("--image");
    output.json = cl.has("--json");
    // --view, --size and --theme serve an animation too.
    const bool picture = cl.has("--view") || cl.has("--size") || cl.has("--theme");
    if (cl.has("--image") || (picture && !cl.has("--animation"))) {
#ifndef INTERLEAVE_NO_UI
        QString imageError;
        output.image = imageWriter(cl, imageError);
        if (!output.image)
            return fail(imageError, core::ExitBadInput);
#else
        return fail(AppTr::tr("this build has no window, so it cannot draw images (--image)"), core::ExitEngineFailed);
#endif
    }
    output.animationPath = cl.value("--animation");
    if (wantsAnimation(cl)) {
#ifndef INTERLEAVE_NO_UI
        QString animationError;
        output.animation = animationWriter(cl, animationError);
        if (!output.animation)
            return fail(animationError, core::ExitBadInput);
#else
        return fail(AppTr::tr("this build has no window, so it cannot draw animations (--animation)"),
                    core::ExitEngineFailed);
#endif
    }
    return std::nullopt;
}

/// `run ID ...`: the scenario with its --set parameters, seed and timeout.
int runScenario(const CommandLine &cl, const core::OutputOptions &output, QTextStream &out, QTextStream &err)
{
    core::RunOptions options;
    options.scenario = cl.positional.value(0);
    for (auto [it, end] = cl.options.equal_range(QStringLiteral("--set")); it != end; ++it) {
        const qsizetype eq = it->second.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(AppTr::tr("--set takes NAME=VALUE, not '%1'").arg(it->second), core::ExitBadInput);
        options.sets.append({it->second.left(eq), it->second.mid(eq + 1)});
    }
    options.seed = cl.value("--seed");
    options.timeout = cl.value("--timeout");
    options.schedule = cl.value("--schedule");
    options.scheduleFile = cl.value("--schedule-file");
    options.repeat = cl.value("--repeat");
    options.output = output;
    return core::runCommand(options, out, err);
}

/// `trace [--cwd DIR] -- PROGRAM ARGS`: the hidden scenario "trace" with the program as parameters.
int traceProgram(const CommandLine &cl, const core::OutputOptions &output, QTextStream &out, QTextStream &err)
{
    core::RunOptions options;
    options.scenario = QLatin1String(core::kTraceScenarioId);
    options.program = cl.positional;
    options.cwd = cl.has("--cwd") ? cl.value("--cwd") : QDir::currentPath();
    options.timeout = cl.value("--timeout");
    options.output = output;
    return core::runCommand(options, out, err);
}

/// `open FILE`: in the window, or with output options, without it.
int openTrace(const CommandLine &cl, const core::OutputOptions &output, QTextStream &out, QTextStream &err)
{
#ifndef INTERLEAVE_NO_UI
    if (opensWindow(cl)) {
        const QFileInfo file(cl.positional.value(0));
        if (!file.isFile() || !file.isReadable())
            return fail(AppTr::tr("cannot open trace '%1': no such readable file").arg(cl.positional.value(0)),
                        core::ExitBadInput);
        return ui::Application::runWindow(file.filePath());
    }
#endif
    return core::openCommand(cl.positional.value(0), output, out, err);
}

/// `master ...` and `worker ...`, with the key from --authkey, --authkey-file or $INTERLEAVE_AUTHKEY.
int runNetMode(const CommandLine &cl, QTextStream &out, QTextStream &err)
{
    QString authkey;
    if (cl.mode == QLatin1String("master") || cl.mode == QLatin1String("worker")) {
        QString error;
        if (!core::net::resolveAuthkey(cl.value("--authkey"), cl.value("--authkey-file"), authkey, error))
            return fail(error, core::ExitBadInput);
    }
    if (cl.mode == QLatin1String("master")) {
        core::net::MasterCommandOptions options;
        options.listen = cl.value("--listen");
        options.authkey = authkey;
        options.tasks = cl.value("--tasks");
        options.resultTimeout = cl.value("--result-timeout");
        options.save = cl.value("--save");
        options.chrome = cl.value("--chrome");
        // Ctrl+C, SIGTERM or SIGHUP end the master as Stop ends a run: its trace is still written.
        core::StopSignals stopSignals;
        options.stopRequested = [] { return core::StopSignals::requested() != 0; };
        return core::net::masterCommand(options, out, err);
    }
    if (cl.mode == QLatin1String("worker"))
        return core::net::workerCommand(cl.value("--connect"), authkey, cl.value("--name"), out, err,
                                        cl.has("--retry") ? std::optional(cl.value("--retry")) : std::nullopt);
    return fail(AppTr::tr("'%1' is not available in this build yet").arg(cl.mode), core::ExitEngineFailed);
}

/// Standard input, output or error closed by the caller (`interleave run … >&-`) is opened again
/// on /dev/null, read-only: otherwise the next descriptor opened (Qt's event fd, a file being
/// saved) takes its number and the summary or console lines are written into it. A write to the
/// read-only stand-in fails with EBADF, so a closed stdout is still reported, by its real cause.
void keepStandardDescriptorsTaken()
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        const int stand = ::open("/dev/null", O_RDONLY); // the lowest free number: `fd` itself
        if (stand >= 0 && stand != fd) {
            ::dup2(stand, fd);
            ::close(stand);
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    keepStandardDescriptorsTaken();
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    // The runner a session starts: no translations, no window, nothing but the scenario.
    if (argc > 1 && args[1] == QLatin1String(core::kRunnerMode)) {
        QCoreApplication runner(argc, argv);
        return core::runnerMain(args.mid(2));
    }

    CommandLine cl;
    QString language;
    bool help = false;
    bool version = false;
    QString error;
    bool parsed = parse(args, cl, language, help, version, error);

    // The window and image export need a QApplication; every other mode stays headless. Images
    // are drawn offscreen: they need no display.
    bool noDisplay = false;
    const std::unique_ptr<QCoreApplication> app =
        makeApplication(argc, argv, parsed, cl, help, version, language, noDisplay);

    if (!parsed) {
        // Parse again now that the translators are installed, so the error is in the user's language.
        cl = {};
        parsed = parse(args, cl, language, help, version, error);
        return fail(error, core::ExitBadInput);
    }
    QTextStream out(stdout);
    if (help) {
        out << commandHelpText(cl.mode);
        return core::ExitOk;
    }
    if (version) {
        out << "interleave " << INTERLEAVE_VERSION << '\n';
        return core::ExitOk;
    }
    if (noDisplay)
        return failNoDisplay();
#ifndef INTERLEAVE_NO_UI
    if (cl.mode.isEmpty())
        return ui::Application::runWindow();
#else
    if (cl.mode.isEmpty())
        return fail(AppTr::tr("this build has no window; see interleave --help for the headless commands"),
                    core::ExitEngineFailed);
#endif
    if (cl.mode == QLatin1String("list"))
        return core::listCommand(cl.has("--json"), out);

    // A closed standard output (`interleave run … | head -1`) must not kill this process by SIGPIPE
    // before it has saved the trace: the write fails with EPIPE instead, and the run stops as Stop
    // stops it. A handler, not SIG_IGN: the programs a scenario starts get the default back at exec.
    struct sigaction onPipe = {};
    onPipe.sa_handler = [](int) {};
    ::sigaction(SIGPIPE, &onPipe, nullptr);

    QTextStream err(stderr);
    core::OutputOptions output;
    if (const std::optional<int> bad = readOutputs(cl, output))
        return *bad;
    if (cl.mode == QLatin1String("run"))
        return runScenario(cl, output, out, err);
    if (cl.mode == QLatin1String("trace"))
        return traceProgram(cl, output, out, err);
    if (cl.mode == QLatin1String("open"))
        return openTrace(cl, output, out, err);
    return runNetMode(cl, out, err);
}
