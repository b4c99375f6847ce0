// SPDX-License-Identifier: MIT
// The command line: parse it, pick a mode (window, list, run, open, master, worker, runner).
#include "net/commands.h"
#include "run/commands.h"
#include "run/runner.h"
#ifndef INTERLEAVE_NO_UI
#include "ui/application.h"
#endif

#ifndef INTERLEAVE_NO_UI
#include <QApplication>
#endif
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <map>
#include <memory>

using namespace interleave;

namespace {

struct AppTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::AppTr)
};

/// What the user typed, split into mode, positional arguments and options.
struct CommandLine
{
    QString mode; ///< empty: the window
    QStringList positional;
    std::multimap<QString, QString> options; ///< "--set" may repeat
    bool has(const char *name) const { return options.count(QLatin1String(name)) > 0; }
    QString value(const char *name) const
    {
        const auto it = options.find(QLatin1String(name));
        return it == options.end() ? QString() : it->second;
    }
};

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
         {{"--set", true}, {"--seed", true}, {"--timeout", true}, {"--save", true}, {"--chrome", true},
          {"--image", true}, {"--view", true}, {"--size", true}, {"--theme", true}, {"--json", false}}},
        {QStringLiteral("open"),
         {{"--save", true}, {"--chrome", true}, {"--image", true}, {"--view", true}, {"--size", true},
          {"--theme", true}, {"--json", false}}},
        {QStringLiteral("master"), {{"--listen", true}, {"--authkey", true}, {"--tasks", true}}},
        {QStringLiteral("worker"), {{"--connect", true}, {"--authkey", true}, {"--name", true}}},
    };
    return options;
}

QString helpText()
{
    return AppTr::tr(
        "Interleave %1 - see processes, threads, locks and queues at work.\n"
        "\n"
        "usage:\n"
        "  interleave                                   open the window\n"
        "  interleave list [--json]                     the scenarios and their parameters\n"
        "  interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]\n"
        "                 [--save FILE.iltrace] [--chrome FILE.json]\n"
        "                 [--image FILE.png|.svg|.pdf [--view timeline|cores|graph|chart]\n"
        "                  [--size WxH] [--theme light|dark|projector]] [--json]\n"
        "                                               run a scenario without the window\n"
        "  interleave open FILE [--save F] [--chrome F] [--image F ...] [--json]\n"
        "                                               a saved .iltrace or a Chrome/Perfetto JSON trace\n"
        "  interleave master --listen HOST:PORT --authkey KEY [--tasks N]\n"
        "  interleave worker --connect HOST:PORT --authkey KEY [--name NAME]\n"
        "\n"
        "options for every mode:\n"
        "  --lang zh_CN|en    language of the window and of all messages\n"
        "  --help, --version\n"
        "\n"
        "exit status: 0 the scenario ran, 1 the engine failed, 2 bad input.\n")
        .arg(QStringLiteral(INTERLEAVE_VERSION));
}

/// Parses argv; on bad input returns false with one clear line in `error`.
bool parse(const QStringList &args, CommandLine &cl, QString &language, bool &help, bool &version, QString &error)
{
    int i = 1;
    // Global options may come first.
    auto takeGlobal = [&](int &at) -> int { // 1 consumed, 0 not global, -1 error
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
    };

    for (; i < args.size(); ++i) {
        const int r = takeGlobal(i);
        if (r < 0)
            return false;
        if (r == 0)
            break;
    }
    if (i < args.size()) {
        const QString mode = args[i];
        if (mode.startsWith(QLatin1Char('-'))) {
            error = AppTr::tr("unknown option '%1' (see interleave --help)").arg(mode);
            return false;
        }
        if (!modeOptions().count(mode) || mode.isEmpty()) {
            error = AppTr::tr("unknown command '%1' (commands: list, run, open, master, worker; see interleave --help)")
                        .arg(mode);
            return false;
        }
        cl.mode = mode;
        ++i;
    }
    const auto &allowed = modeOptions().at(cl.mode);
    for (; i < args.size(); ++i) {
        const int r = takeGlobal(i);
        if (r < 0)
            return false;
        if (r == 1)
            continue;
        QString a = args[i];
        if (!a.startsWith(QLatin1String("--"))) {
            cl.positional << a;
            continue;
        }
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
            error = cl.mode.isEmpty()
                        ? AppTr::tr("unknown option '%1' (see interleave --help)").arg(a)
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
            cl.options.emplace(a, inlineValue);
        } else {
            if (hasInline) {
                error = AppTr::tr("option %1 takes no value").arg(a);
                return false;
            }
            cl.options.emplace(a, QString());
        }
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

int fail(const QString &line, int status)
{
    QTextStream(stderr) << "interleave: " << line << '\n';
    return status;
}

} // namespace

int main(int argc, char **argv)
{
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

    // The window needs a QApplication; every other mode stays headless.
    std::unique_ptr<QCoreApplication> app;
#ifndef INTERLEAVE_NO_UI
    if (parsed && cl.mode.isEmpty() && !help && !version)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    ui::Application::setup(*app, language);
#else
    app = std::make_unique<QCoreApplication>(argc, argv);
#endif

    if (!parsed) {
        // Parse again now that the translators are installed, so the error is in the user's language.
        cl = {};
        parsed = parse(args, cl, language, help, version, error);
        return fail(error, core::ExitBadInput);
    }
    QTextStream out(stdout);
    if (help) {
        out << helpText();
        return core::ExitOk;
    }
    if (version) {
        out << "interleave " << INTERLEAVE_VERSION << '\n';
        return core::ExitOk;
    }
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

    QTextStream err(stderr);
    core::OutputOptions output;
    output.save = cl.value("--save");
    output.chrome = cl.value("--chrome");
    output.json = cl.has("--json");
    if (cl.has("--image") || cl.has("--view") || cl.has("--size") || cl.has("--theme"))
        return fail(AppTr::tr("image export (--image, --view, --size, --theme) is not available in this build yet"),
                    core::ExitEngineFailed);
    if (cl.mode == QLatin1String("run")) {
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
        options.output = output;
        return core::runCommand(options, out, err);
    }
    if (cl.mode == QLatin1String("open"))
        return core::openCommand(cl.positional.value(0), output, out, err);
    if (cl.mode == QLatin1String("master"))
        return core::net::masterCommand(cl.value("--listen"), cl.value("--authkey"), cl.value("--tasks"), out, err);
    if (cl.mode == QLatin1String("worker"))
        return core::net::workerCommand(cl.value("--connect"), cl.value("--authkey"), cl.value("--name"), out, err);
    return fail(AppTr::tr("'%1' is not available in this build yet").arg(cl.mode), core::ExitEngineFailed);
}
