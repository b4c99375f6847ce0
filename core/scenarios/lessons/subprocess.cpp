// SPDX-License-Identifier: MIT
// The lesson of scenario "subprocess" (findings in ../subprocess.cpp): run an external program,
// feed its stdin, capture its stdout (subprocess.Popen(..., stdin=PIPE, stdout=PIPE) and communicate()).
#include "scenarios/lessons/lessons.h"

#include "instrument/process.h"

#include <string>
#include <vector>

namespace interleave::core {

// The argv as typed, split on spaces. Never given to a shell: no quoting, globbing or pipes,
// so whatever is typed runs as exactly one program with these arguments.
std::vector<std::string> splitArgv(const QString &text)
{
    std::vector<std::string> argv;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        argv.push_back(word.toStdString());
    return argv;
}

namespace {

// Python writes the input as b'...\n'; the parameter is one line of text, so "\n" stands for a newline.
std::string inputBytes(const QString &text)
{
    QString input = text;
    input.replace(QStringLiteral("\\n"), QStringLiteral("\n"));
    return input.toStdString();
}

std::string commandLine(const std::vector<std::string> &argv)
{
    std::string line = "$";
    for (const std::string &arg : argv)
        line += " " + arg;
    return line;
}

// Popen.returncode: the exit code, or -N when signal N ended the program.
int returncode(const Process &p)
{
    return p.exitCode() ? *p.exitCode() : -p.signal().value_or(0);
}

} // namespace

void subprocessLesson(ScenarioContext &ctx)
{
    const std::vector<std::string> argv = splitArgv(ctx.textParam("argv"));
    if (argv.empty()) {
        ctx.print("No program given: type one into 'Program and arguments', e.g. sort");
        ctx.print("Exit code: 127");
        return;
    }
    ctx.print(commandLine(argv)); // py: print('$ nslookup')
    // Popen(argv, stdin=PIPE, stdout=PIPE, stderr=PIPE): a real program with its own pid.
    // A program that cannot start comes back finished with exit code 127 and the reason.
    Process p = Process::spawn(argv, {.stdinData = inputBytes(ctx.textParam("input")), // py: p = subprocess.Popen(...
                                      .captureStdout = true,
                                      .captureStderr = true,
                                      .env = std::nullopt});
    // communicate(input): write stdin, read stdout and stderr until the program closes them,
    // then wait for it to exit. Each output line lands in the trace, tagged with the program.
    if (!p.communicate()) // py: output, err = p.communicate(b'set q=mx\npython.org\nexit\n')
        return;           // stopped: the Process destructor ends the program
    // The trace keeps the output as lines; the exact byte count (a last line without a
    // newline, lines beyond the recorded ones) only this process knows.
    ctx.note(QStringLiteral("stdout_bytes"), double(p.outputBytes(1)));
    ctx.print("Exit code: " + std::to_string(returncode(p))); // py: print('Exit code:', p.returncode)
}

} // namespace interleave::core
