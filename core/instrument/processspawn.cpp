// SPDX-License-Identifier: MIT
// Process::spawn: a program started with posix_spawn, and its pipes served while it runs (its
// output kept, and recorded line by line).
#include "instrument/process.h"
#include "instrument/processimpl.h"

#include "instrument/blocking.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <system_error>

extern char **environ;

namespace interleave::core {

using procdetail::closeFd;
using procdetail::locationOf;
using procdetail::openPidfd;

namespace {

std::string quoteArg(const std::string &arg)
{
    if (!arg.empty() && arg.find_first_of(" \t\n'\"\\") == std::string::npos)
        return arg;
    std::string out = "'";
    for (char c : arg) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

} // namespace

Process Process::spawn(std::vector<std::string> argv, SpawnOptions options, std::source_location where)
{
    const std::string program = argv.empty() ? std::string() : argv[0];
    return spawnFile(program, std::move(argv), std::move(options), where);
}

Process Process::spawnFile(const std::string &program, std::vector<std::string> argv, SpawnOptions options,
                           std::source_location where)
{
    if (argv.empty() || argv[0].empty() || program.empty())
        throw std::invalid_argument("Process::spawn: no program given (argv is empty; pass at least the program name)");
    Process p;
    p.m_spawned = true;
    p.m_name = argv[0].substr(argv[0].rfind('/') == std::string::npos ? 0 : argv[0].rfind('/') + 1);
    std::string commandLine;
    for (const std::string &a : argv) {
        if (!commandLine.empty())
            commandLine += ' ';
        commandLine += quoteArg(a);
    }

    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    auto closeAll = [&] {
        for (int *pair : {in, out, err}) {
            closeFd(pair[0]);
            closeFd(pair[1]);
        }
    };
    auto makePipe = [&](int fds[2]) {
        if (pipe2(fds, O_CLOEXEC) != 0) {
            const int e = errno;
            closeAll();
            throw std::system_error(e, std::generic_category(),
                                    "cannot create a pipe for '" + p.m_name + "' (too many open files?)");
        }
    };

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (options.stdinData) {
        makePipe(in);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    }
    if (options.captureStdout) {
        makePipe(out);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    }
    if (options.captureStderr) {
        makePipe(err);
        posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    }
    // The runner's threads may block or ignore signals; a program starts with the defaults.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM})
        sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char *> args;
    for (std::string &a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<char *> envs;
    if (options.env) {
        for (std::string &e : *options.env)
            envs.push_back(e.data());
        envs.push_back(nullptr);
    }
    char **envp = options.env ? envs.data() : environ;

    pid_t pid = -1;
    // glibc reports exec failures (ENOENT, EACCES) as posix_spawn's result, so a missing
    // program is an error here and not a child that exits with 127.
    const int rc = program.find('/') == std::string::npos
                       ? posix_spawnp(&pid, program.c_str(), &actions, &attr, args.data(), envp)
                       : posix_spawn(&pid, program.c_str(), &actions, &attr, args.data(), envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    closeFd(in[0]);
    closeFd(out[1]);
    closeFd(err[1]);

    if (rc != 0) {
        closeAll();
        p.m_finished = true;
        p.m_exitCode = 127; // what a shell reports for "command not found"
        p.m_error = "cannot run '" + program + "': " + procdetail::errnoText(rc) +
                    (rc == ENOENT ? " (check the program name, or give its full path)" : "");
        if (recorder::enabled())
            recorder::record(EventType::Output, recorder::intern(p.m_error), 2, 0, locationOf(where));
        return p;
    }
    if (recorder::enabled())
        recorder::record(EventType::Exec, recorder::intern(commandLine), pid, 0, locationOf(where));
    p.m_pid = pid;
    p.m_owner = getpid();
    p.m_pidfd = openPidfd(pid);
    p.m_stdinFd = in[1];
    p.m_stdoutFd = out[0];
    p.m_stderrFd = err[0];
    // Only this process reads and writes these ends; non-blocking lets one thread serve all three.
    for (int fd : {p.m_stdinFd, p.m_stdoutFd, p.m_stderrFd})
        if (fd >= 0)
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (options.stdinData)
        p.m_stdinData = std::move(*options.stdinData);
    if (p.m_stdinFd >= 0 && p.m_stdinData.empty())
        closeFd(p.m_stdinFd);
    // Built with append: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
    p.m_tag.append("[").append(p.m_name).append(" ").append(std::to_string(pid)).append("] ");
    return p;
}

void Process::recordLine(int stream, std::string_view line)
{
    if (!recorder::enabled())
        return;
    int &count = m_recordedLines[stream - 1];
    if (count < kMaxRecordedLines)
        recorder::record(EventType::Output, recorder::intern(m_tag + std::string(line)), stream);
    else if (count == kMaxRecordedLines)
        recorder::record(EventType::Output, recorder::intern(m_tag + "... (more lines not recorded)"), stream);
    ++count;
}

void Process::takeOutput(int stream, const char *data, size_t size)
{
    std::string &kept = stream == 1 ? m_stdout : m_stderr;
    m_outputBytes[stream - 1] += size;
    if (kept.size() < kMaxCapturedBytes)
        kept.append(data, std::min(size, kMaxCapturedBytes - kept.size()));
    if (m_recordedLines[stream - 1] > kMaxRecordedLines)
        return; // no more lines are recorded: nothing to split
    std::string &partial = m_partial[stream - 1];
    bool &cut = m_partialCut[stream - 1];
    // Appends to the unfinished line, at most kMaxLineBytes of it.
    auto keep = [&](const char *from, size_t n) {
        const size_t room = kMaxLineBytes - std::min(kMaxLineBytes, partial.size());
        partial.append(from, std::min(n, room));
        cut = cut || n > room;
    };
    size_t start = 0;
    for (size_t i = 0; i < size; ++i) {
        if (data[i] != '\n')
            continue;
        if (partial.empty() && i - start <= kMaxLineBytes) {
            recordLine(stream, std::string_view(data + start, i - start));
        } else {
            keep(data + start, i - start);
            recordLine(stream, cut ? partial + " ... (line cut)" : partial);
            partial.clear();
            cut = false;
        }
        start = i + 1;
    }
    keep(data + start, size - start);
}

bool Process::serveIo(int64_t deadline)
{
    if (m_stdinFd >= 0 && m_stdinOffset >= m_stdinData.size())
        closeFd(m_stdinFd);
    char buf[65536];
    while (m_stdinFd >= 0 || m_stdoutFd >= 0 || m_stderrFd >= 0) {
        pollfd fds[3];
        int *owners[3];
        nfds_t n = 0;
        if (m_stdinFd >= 0) {
            fds[n] = {m_stdinFd, POLLOUT, 0};
            owners[n++] = &m_stdinFd;
        }
        if (m_stdoutFd >= 0) {
            fds[n] = {m_stdoutFd, POLLIN, 0};
            owners[n++] = &m_stdoutFd;
        }
        if (m_stderrFd >= 0) {
            fds[n] = {m_stderrFd, POLLIN, 0};
            owners[n++] = &m_stderrFd;
        }
        int r = ::poll(fds, n, 0);
        if (r == 0) {
            // Nothing to do now: the thread is blocked on the program's input/output.
            IoWait wait("output of " + m_name);
            for (;;) {
                if (instrument::stopRequested())
                    return false;
                int timeoutMs = int(instrument::kStopPollInterval.count());
                if (deadline >= 0) {
                    const int64_t left = deadline - clock::monotonicNs();
                    if (left <= 0)
                        return false;
                    timeoutMs = int(std::min<int64_t>(timeoutMs, (left + 999'999) / 1'000'000));
                }
                r = ::poll(fds, n, timeoutMs);
                if (r != 0 && !(r < 0 && errno == EINTR))
                    break;
            }
        }
        if (r < 0)
            return false;
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents)
                continue;
            int &fd = *owners[i];
            if (&fd == &m_stdinFd) {
                // A program that exits without reading all its input must not kill the runner
                // with SIGPIPE: block it for this thread and discard the one the write raises.
                sigset_t pipeSet, old;
                sigemptyset(&pipeSet);
                sigaddset(&pipeSet, SIGPIPE);
                pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
                const ssize_t w = ::write(fd, m_stdinData.data() + m_stdinOffset, m_stdinData.size() - m_stdinOffset);
                const int e = errno;
                if (w < 0 && e == EPIPE) {
                    const timespec zero{0, 0};
                    sigtimedwait(&pipeSet, nullptr, &zero);
                }
                pthread_sigmask(SIG_SETMASK, &old, nullptr);
                if (w > 0)
                    m_stdinOffset += size_t(w);
                if ((w < 0 && e != EAGAIN && e != EINTR) || m_stdinOffset >= m_stdinData.size())
                    closeFd(fd);
            } else {
                const int stream = &fd == &m_stdoutFd ? 1 : 2;
                const ssize_t got = ::read(fd, buf, sizeof buf);
                if (got > 0) {
                    takeOutput(stream, buf, size_t(got));
                } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                    closeFd(fd);
                    if (!m_partial[stream - 1].empty()) {
                        recordLine(stream, m_partialCut[stream - 1] ? m_partial[stream - 1] + " ... (line cut)"
                                                                    : m_partial[stream - 1]);
                        m_partial[stream - 1].clear();
                    }
                }
            }
        }
    }
    return true;
}

} // namespace interleave::core
