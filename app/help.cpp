// SPDX-License-Identifier: MIT
// The command line's help texts (translated: context interleave::AppTr).
#include "help.h"

namespace interleave {

namespace {

/// The usage lines of every command.
QString usageText()
{
    return AppTr::tr("Interleave %1 - see processes, threads, locks and queues at work.\n"
                     "\n"
                     "usage:\n"
                     "  interleave                                   open the window\n"
                     "  interleave list [--json]                     the scenarios and their parameters\n"
                     "  interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]\n"
                     "                 [--save FILE.iltrace] [--chrome FILE.json]\n"
                     "                 [--image FILE.png|.svg|.pdf [--view timeline|graph|cores|chart|code|console]\n"
                     "                  [--size WxH] [--theme light|dark|projector]] [--json]\n"
                     "                                               run a scenario without the window\n"
                     "  interleave trace [--cwd DIR] [--timeout S] [--save F] [--chrome F] [--image F ...] [--json]\n"
                     "                   -- PROGRAM [ARGS]...         run any program unchanged, traced\n"
                     "  interleave open FILE [--save F] [--chrome F] [--image F ...] [--json]\n"
                     "                                               a saved .iltrace or a Chrome/Perfetto JSON trace\n"
                     "  interleave master --listen HOST:PORT (--authkey-file F | $INTERLEAVE_AUTHKEY | --authkey KEY)\n"
                     "                    [--tasks N] [--save FILE.iltrace] [--chrome FILE.json]\n"
                     "  interleave worker --connect HOST:PORT (same key options) [--name NAME]\n"
                     "                    a key given with --authkey shows in ps; the file or the variable do not\n"
                     "\n"
                     "options for every mode:\n"
                     "  --lang zh_CN|en    language of the window and of all messages\n"
                     "  --help, --version\n"
                     "  interleave help COMMAND, or COMMAND --help: the options of one command\n"
                     "\n"
                     "exit status: 0 the scenario ran, 1 the engine failed, 2 bad input.\n")
        .arg(QStringLiteral(INTERLEAVE_VERSION));
}

/// The options of `run` that schedule its threads and repeat it.
QString scheduleHelpText()
{
    return AppTr::tr(
        "\n"
        "Be the scheduler, and run it again:\n"
        "  --schedule T1,T2,...  hold the threads named (as the trace names them: Thread-1) at every\n"
        "                        step, and let exactly one step of each name through, in this order;\n"
        "                        then the run goes on freely. The same schedule gives the same run.\n"
        "  --schedule-file F     the same from a file: one name a line, or comma lists\n"
        "  --repeat N            run it N times, fresh each time; prints how often each outcome came\n"
        "                        (race: the final balance); --json adds \"runs\" and \"outcomes\"\n"
        "Example: interleave run race --set iterations=1 --schedule Thread-1,Thread-2,Thread-1,Thread-2\n");
}

/// What one command does and its options, without the animation's.
QString commandOptionsText(const QString &mode)
{
    if (mode == QLatin1String("list"))
        return AppTr::tr("usage: interleave list [--json]\n"
                         "\n"
                         "The scenarios of the chapter with their parameters: name, default and range.\n"
                         "  --json    one JSON array instead of the text\n");
    if (mode == QLatin1String("run"))
        return AppTr::tr("usage: interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]\n"
                         "                      [--save FILE.iltrace] [--chrome FILE.json] [--image FILE [--view V]\n"
                         "                      [--size WxH] [--theme T]] [--json]\n"
                         "\n"
                         "Runs scenario ID (see interleave list) without the window and prints what its processes\n"
                         "print.\n"
                         "  --set NAME=VALUE   a parameter of the scenario (repeat for more)\n"
                         "  --seed N           the seed of the scenario's random choices (the summary gives it)\n"
                         "  --timeout S        stop the run after S seconds\n"
                         "  --save FILE        the trace as .iltrace\n"
                         "  --chrome FILE      the trace as Chrome/Perfetto JSON\n"
                         "  --image FILE       a picture of a view: .png, .svg or .pdf\n"
                         "  --view V           timeline, graph, cores, chart, code or console (default timeline)\n"
                         "  --size WxH         the picture's size (default 1600x900)\n"
                         "  --theme T          light, dark or projector\n"
                         "  --json             print one summary object instead of the run's output\n"
                         "An output path - is standard output; a name ending in .gz is written gzip-compressed.\n") +
               scheduleHelpText();
    if (mode == QLatin1String("trace"))
        return AppTr::tr(
            "usage: interleave trace [--cwd DIR] [--timeout S] [--save FILE.iltrace] [--chrome FILE.json]\n"
            "                        [--image FILE [--view V] [--size WxH] [--theme T]] [--json]\n"
            "                        -- PROGRAM [ARGS]...\n"
            "\n"
            "Runs PROGRAM unchanged with Interleave's recorder preloaded and shows what it did as the\n"
            "scenarios show theirs: its processes, threads, locks, condition variables, semaphores,\n"
            "pipes, sleeps and deadlocks, with the file:line of each blocking call when the program\n"
            "has debug information (compile C with -g). `python3 script.py` shows Python's thread,\n"
            "process and lock names, Python lines, and who holds CPython's GIL.\n"
            "The program's standard output is a terminal; its input is empty. It must be dynamically\n"
            "linked against glibc, and not setuid.\n"
            "  --cwd DIR          the folder the program starts in (default: the current one)\n"
            "  --json             print one summary object; the program's output goes to stderr\n"
            "The other options are those of run. The exit status is that of run; the summary's\n"
            "exit_code is the program's.\n");
    if (mode == QLatin1String("open"))
        return AppTr::tr("usage: interleave open FILE [--save F] [--chrome F] [--image F [--view V] [--size WxH]\n"
                         "                       [--theme T]] [--json]\n"
                         "\n"
                         "Opens a saved .iltrace or a Chrome/Perfetto JSON trace (also .gz): in the window, or\n"
                         "without it when an output option is given. The options are those of run.\n");
    if (mode == QLatin1String("master"))
        return AppTr::tr("usage: interleave master --listen HOST:PORT (--authkey-file F | $INTERLEAVE_AUTHKEY |\n"
                         "                         --authkey KEY) [--tasks N] [--result-timeout S] [--save F]\n"
                         "                         [--chrome F]\n"
                         "\n"
                         "Serves tasks to workers over TCP and collects their results.\n"
                         "  --listen HOST:PORT   where workers connect\n"
                         "  --authkey-file F     the shared key, read from a file (or $INTERLEAVE_AUTHKEY, or\n"
                         "                       --authkey KEY, which shows in ps)\n"
                         "  --tasks N            how many tasks to serve\n"
                         "  --result-timeout S   end (exit status 1) when no result came for S seconds\n"
                         "                       (default 60; 0 waits for ever)\n"
                         "  --save F, --chrome F the master's trace\n");
    if (mode == QLatin1String("worker"))
        return AppTr::tr("usage: interleave worker --connect HOST:PORT (same key options as master) [--name NAME]\n"
                         "\n"
                         "Takes tasks from a master, computes them and sends the results back.\n"
                         "  --connect HOST:PORT  the master\n"
                         "  --name NAME          how the master calls this worker\n"
                         "  --retry S            keep trying a master that is not there yet or too busy for\n"
                         "                       S seconds (default 60)\n");
    return helpText();
}

} // namespace

QString helpText()
{
    return usageText() + AppTr::tr("\nrun, trace and open also draw the replay of a view as an animation:\n"
                                   "  [--animation FILE.gif|.mp4|.webm [--fps N] [--speed X] [--range A-B]]\n");
}

QString animationHelpText()
{
    return AppTr::tr("  --animation FILE   the replay of a view, frame by frame: .gif, .mp4 or .webm, with the\n"
                     "                     --view, --size (default 1280x720) and --theme of --image\n"
                     "  --fps N            frames per second of the animation (default 15)\n"
                     "  --speed X          trace time per second of animation (default 1, real time; 0.1 is\n"
                     "                     ten times slower)\n"
                     "  --range A-B        replay only that part of the trace, such as 200ms-1.5s\n");
}

QString commandHelpText(const QString &mode)
{
    const bool animates =
        mode == QLatin1String("run") || mode == QLatin1String("trace") || mode == QLatin1String("open");
    return animates ? commandOptionsText(mode) + animationHelpText() : commandOptionsText(mode);
}

} // namespace interleave
