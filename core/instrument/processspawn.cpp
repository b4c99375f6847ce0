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
#include <utility>
#include <vector>

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

/// The command line as a shell would take it, for the trace.
std::string commandLineOf(const std::vector<std::string> &argv)
{
    std::string commandLine;
    for (const std::string &a : argv) {
        if (!commandLine.empty())
            commandLine += ' ';
        commandLine += quoteArg(a);
    }
    return commandLine;
}

/// One posix_spawn's pipes, descriptor plan and signal setup. The child's ends are closed once
/// it is started; whatever is still open when the plan goes is closed then.
class SpawnPlan
{
public:
    /// Throws std::system_error when a pipe cannot be made (named after `name`).
    SpawnPlan(const SpawnOptions &options, const std::string &name)
    {
        posix_spawn_file_actions_init(&m_actions);
        posix_spawnattr_init(&m_attr);
        if (options.stdinData) {
            makePipe(m_in, name);
            posix_spawn_file_actions_adddup2(&m_actions, m_in[0], 0);
        } else {
            posix_spawn_file_actions_addopen(&m_actions, 0, "/dev/null", O_RDONLY, 0);
        }
        if (options.captureStdout) {
            makePipe(m_out, name);
            posix_spawn_file_actions_adddup2(&m_actions, m_out[1], 1);
        }
        if (options.captureStderr) {
            makePipe(m_err, name);
            posix_spawn_file_actions_adddup2(&m_actions, m_err[1], 2);
        }
        // The runner's threads may block or ignore signals; a program starts with the defaults.
        sigset_t none, defaults;
        sigemptyset(&none);
        sigemptyset(&defaults);
        for (int s : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM})
            sigaddset(&defaults, s);
        posix_spawnattr_setsigmask(&m_attr, &none);
        posix_spawnattr_setsigdefault(&m_attr, &defaults);
        posix_spawnattr_setflags(&m_attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~SpawnPlan()
    {
        posix_spawn_file_actions_destroy(&m_actions);
        posix_spawnattr_destroy(&m_attr);
        closeAll();
    }
    SpawnPlan(const SpawnPlan &) = delete;
    SpawnPlan &operator=(const SpawnPlan &) = delete;

    /// posix_spawn's result (glibc reports exec failures such as ENOENT here, so a missing program
    /// is an error and not a child that exits with 127). The child's ends are closed after it.
    int spawn(const std::string &program, std::vector<std::string> &argv, SpawnOptions &options, pid_t &pid)
    {
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
        const int rc = program.find('/') == std::string::npos
                           ? posix_spawnp(&pid, program.c_str(), &m_actions, &m_attr, args.data(), envp)
                           : posix_spawn(&pid, program.c_str(), &m_actions, &m_attr, args.data(), envp);
        closeFd(m_in[0]);
        closeFd(m_out[1]);
        closeFd(m_err[1]);
        return rc;
    }
    /// Hands over this process's end of stdin (0), stdout (1) or stderr (2): -1 when not piped.
    int takeParentEnd(int stream)
    {
        int &fd = stream == 0 ? m_in[1] : stream == 1 ? m_out[0] : m_err[0];
        return std::exchange(fd, -1);
    }

private:
    // In the constructor: a throw here skips the destructor, so it cleans up itself.
    void makePipe(int fds[2], const std::string &name)
    {
        if (pipe2(fds, O_CLOEXEC) == 0)
            return;
        const int e = errno;
        closeAll();
        posix_spawn_file_actions_destroy(&m_actions);
        posix_spawnattr_destroy(&m_attr);
        throw std::system_error(e, std::generic_category(),
                                "cannot create a pipe for '" + name + "' (too many open files?)");
    }
    void closeAll()
    {
        for (int *pair : {m_in, m_out, m_err}) {
            closeFd(pair[0]);
            closeFd(pair[1]);
        }
    }

    int m_in[2] = {-1, -1};
    int m_out[2] = {-1, -1};
    int m_err[2] = {-1, -1};
    posix_spawn_file_actions_t m_actions;
    posix_spawnattr_t m_attr;
};

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
    const std::string commandLine = commandLineOf(argv);

    SpawnPlan plan(options, p.m_name);
    pid_t pid = -1;
    if (const int rc = plan.spawn(program, argv, options, pid); rc != 0) {
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
    p.m_stdinFd = plan.takeParentEnd(0);
    p.m_stdoutFd = plan.takeParentEnd(1);
    p.m_stderrFd = plan.takeParentEnd(2);
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
    if (count < kMaxRecordedLines) {
        recorder::record(EventType::Output, recorder::intern(m_tag + std::string(line)), stream);
        ++count;
        return;
    }
    std::deque<std::string> &tail = m_tail[stream - 1];
    tail.emplace_back(line);
    if (tail.size() > kTailLines) {
        ++m_skippedLines[stream - 1];
        m_skippedBytes[stream - 1] += tail.front().size() + 1;
        tail.pop_front();
    }
}

void Process::flushTail(int stream)
{
    std::deque<std::string> &tail = m_tail[stream - 1];
    uint64_t &lines = m_skippedLines[stream - 1];
    uint64_t &bytes = m_skippedBytes[stream - 1];
    if (recorder::enabled() && lines > 0)
        recorder::record(EventType::Output,
                         recorder::intern(m_tag + "... (" + std::to_string(lines) + " lines, " + std::to_string(bytes) +
                                          " bytes skipped)"),
                         stream);
    for (const std::string &line : tail)
        if (recorder::enabled())
            recorder::record(EventType::Output, recorder::intern(m_tag + line), stream);
    tail.clear();
    lines = bytes = 0;
}

void Process::takeOutput(int stream, const char *data, size_t size)
{
    std::string &kept = stream == 1 ? m_stdout : m_stderr;
    m_outputBytes[stream - 1] += size;
    if (kept.size() < kMaxCapturedBytes)
        kept.append(data, std::min(size, kMaxCapturedBytes - kept.size()));
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
        if (r == 0 && !waitForIo(fds, n, deadline, r))
            return false;
        if (r < 0)
            return false;
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents)
                continue;
            if (owners[i] == &m_stdinFd)
                feedStdin();
            else
                readStream(owners[i] == &m_stdoutFd ? 1 : 2);
        }
    }
    return true;
}

bool Process::waitForIo(pollfd *fds, nfds_t n, int64_t deadline, int &ready)
{
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
        ready = ::poll(fds, n, timeoutMs);
        if (ready != 0 && !(ready < 0 && errno == EINTR))
            return true;
    }
}

void Process::feedStdin()
{
    // A program that exits without reading all its input must not kill the runner with SIGPIPE:
    // block it for this thread and discard the one the write raises.
    sigset_t pipeSet, old;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
    const ssize_t w = ::write(m_stdinFd, m_stdinData.data() + m_stdinOffset, m_stdinData.size() - m_stdinOffset);
    const int e = errno;
    if (w < 0 && e == EPIPE) {
        const timespec zero{0, 0};
        sigtimedwait(&pipeSet, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (w > 0)
        m_stdinOffset += size_t(w);
    if ((w < 0 && e != EAGAIN && e != EINTR) || m_stdinOffset >= m_stdinData.size())
        closeFd(m_stdinFd);
}

void Process::readStream(int stream)
{
    int &fd = stream == 1 ? m_stdoutFd : m_stderrFd;
    char buf[65536];
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got > 0) {
        takeOutput(stream, buf, size_t(got));
    } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        closeFd(fd);
        if (!m_partial[stream - 1].empty()) {
            recordLine(stream,
                       m_partialCut[stream - 1] ? m_partial[stream - 1] + " ... (line cut)" : m_partial[stream - 1]);
            m_partial[stream - 1].clear();
        }
        flushTail(stream);
    }
}

} // namespace interleave::core
