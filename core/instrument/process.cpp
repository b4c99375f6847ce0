// SPDX-License-Identifier: MIT
#include "instrument/process.h"

#include "instrument/blocking.h"
#include "instrument/forkgate.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
// glibc 2.36 declares pidfd_open without extern "C" (fixed in 2.37).
extern "C" {
#include <sys/pidfd.h>
}
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <new>
#include <stdexcept>
#include <system_error>

extern char **environ;

namespace interleave::core {

namespace procdetail {

int64_t deadlineFor(std::optional<std::chrono::nanoseconds> timeout) noexcept
{
    if (!timeout)
        return -1;
    return clock::monotonicNs() + std::max<int64_t>(0, timeout->count());
}

WaitResult waitFd(int fd, short events, int64_t deadline) noexcept
{
    const int sliceMs = int(instrument::kStopPollInterval.count());
    for (;;) {
        if (instrument::stopRequested())
            return WaitResult::Stopped;
        int timeoutMs = sliceMs;
        if (deadline >= 0) {
            const int64_t left = deadline - clock::monotonicNs();
            timeoutMs = left <= 0 ? 0 : int(std::min<int64_t>(sliceMs, (left + 999'999) / 1'000'000));
        }
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, timeoutMs);
        // POLLHUP / POLLERR / POLLNVAL count as ready: the caller's read or write reports them.
        if (r > 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
            return WaitResult::Ready;
        if (deadline >= 0 && clock::monotonicNs() >= deadline)
            return WaitResult::Timeout;
    }
}

namespace {
struct PageLayout
{
    std::atomic<int64_t> nextId{1};
    std::atomic<int64_t> depth{0};
};
// Across processes an atomic in shared memory works only if it never falls back to a lock.
static_assert(std::atomic<int64_t>::is_always_lock_free, "shared counters need lock-free 64-bit atomics");
} // namespace

SharedPage::SharedPage()
{
    m_page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m_page == MAP_FAILED) {
        m_page = nullptr;
        throw std::system_error(errno, std::generic_category(),
                                "cannot map a shared page for cross-process counters (out of memory?)");
    }
    new (m_page) PageLayout();
}

SharedPage::~SharedPage()
{
    if (m_page)
        munmap(m_page, 4096);
}

int64_t SharedPage::nextId() noexcept
{
    return static_cast<PageLayout *>(m_page)->nextId.fetch_add(1);
}

int64_t SharedPage::addDepth(int64_t delta) noexcept
{
    return static_cast<PageLayout *>(m_page)->depth.fetch_add(delta) + delta;
}

int64_t SharedPage::depth() const noexcept
{
    return static_cast<PageLayout *>(m_page)->depth.load();
}

std::string errnoText(int err)
{
    char buf[256];
    // GNU strerror_r returns the message (maybe not in buf).
    return strerror_r(err, buf, sizeof buf);
}

} // namespace procdetail

namespace {

uint32_t locationOf(const std::source_location &where)
{
    return recorder::enabled() ? recorder::location(where) : 0;
}

int openPidfd(pid_t pid)
{
    // Linux >= 5.3; pidfds are close-on-exec. Without one, waits fall back to WNOHANG polling.
    const int fd = pidfd_open(pid, 0);
    return fd >= 0 ? fd : -1;
}

void closeFd(int &fd) noexcept
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

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

Process Process::fork(std::string_view name, std::function<int()> body, std::source_location where)
{
    Process p;
    p.m_name = std::string(name);
    // Everything that may allocate or lock is done here, before the fork.
    const uint32_t nameId = recorder::enabled() ? recorder::intern(name) : 0;
    const uint32_t loc = locationOf(where);
    // Buffered output would otherwise be printed twice, once by each process.
    std::fflush(stdout);
    std::fflush(stderr);

    // Before the call: the child may record its first event before fork() returns here.
    recorder::record(EventType::ForkCall, 0, 0, 0, loc);
    const pid_t pid = [] {
        ForkingSection forking; // none of the engine's own threads is inside the allocator now
        const pid_t pid = ::fork();
        if (pid == 0)
            forking.forkedChild();
        return pid;
    }();
    if (pid < 0) {
        const int err = errno;
        throw std::system_error(err, std::generic_category(),
                                "cannot fork process '" + p.m_name + "' (too many processes? see ulimit -u)");
    }
    if (pid == 0) {
        // Child: async-signal-safe only until the body runs (see the class comment).
        recorder::afterForkInChild();
        recorder::record(EventType::ForkReturn, 0, 0, 0, loc);
        recorder::record(EventType::ProcessStart, nameId, getppid());
        // From here on the child runs ordinary code, as the body will.
        recorder::nameThread(p.m_name);
        int code = 1;
        try {
            code = body();
        } catch (const std::exception &e) {
            std::fprintf(stderr, "process '%s' (%d): uncaught exception: %s\n", p.m_name.c_str(), int(getpid()),
                         e.what());
        } catch (...) {
            std::fprintf(stderr, "process '%s' (%d): uncaught exception\n", p.m_name.c_str(), int(getpid()));
        }
        recorder::record(EventType::ThreadExit);
        recorder::closeThread();
        std::cout.flush();
        std::fflush(nullptr);
        // _exit: the parent's atexit handlers and static destructors belong to the parent.
        _exit(code & 0xff);
    }
    recorder::record(EventType::ForkReturn, 0, pid, 0, loc);
    p.m_pid = pid;
    p.m_owner = getpid();
    p.m_pidfd = openPidfd(pid);
    return p;
}

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

Process::Process(Process &&other) noexcept
{
    *this = std::move(other);
}

Process &Process::operator=(Process &&other) noexcept
{
    if (this == &other)
        return *this;
    this->~Process();
    m_pid = other.m_pid;
    m_owner = other.m_owner;
    m_pidfd = other.m_pidfd;
    m_finished = other.m_finished;
    m_exitCode = other.m_exitCode;
    m_signal = other.m_signal;
    m_name = std::move(other.m_name);
    m_error = std::move(other.m_error);
    m_spawned = other.m_spawned;
    m_stdinFd = other.m_stdinFd;
    m_stdoutFd = other.m_stdoutFd;
    m_stderrFd = other.m_stderrFd;
    m_stdinData = std::move(other.m_stdinData);
    m_stdinOffset = other.m_stdinOffset;
    m_stdout = std::move(other.m_stdout);
    m_stderr = std::move(other.m_stderr);
    m_partial[0] = std::move(other.m_partial[0]);
    m_partial[1] = std::move(other.m_partial[1]);
    for (int i = 0; i < 2; ++i) {
        m_partialCut[i] = other.m_partialCut[i];
        m_outputBytes[i] = other.m_outputBytes[i];
    }
    m_recordedLines[0] = other.m_recordedLines[0];
    m_recordedLines[1] = other.m_recordedLines[1];
    m_tag = std::move(other.m_tag);
    other.reset();
    return *this;
}

void Process::reset() noexcept
{
    m_pid = -1;
    m_owner = -1;
    m_pidfd = m_stdinFd = m_stdoutFd = m_stderrFd = -1;
    m_finished = false;
    m_spawned = false;
}

Process::~Process()
{
    // A copy inherited by a forked child is not the child's to reap (and the child _exits anyway).
    if (m_pid > 0 && !m_finished && m_owner == getpid()) {
        closeFd(m_stdinFd);
        closeFd(m_stdoutFd);
        closeFd(m_stderrFd);
        sendSignal(SIGTERM);
        const int64_t deadline = clock::monotonicNs() + 200'000'000;
        while (!reap(false) && clock::monotonicNs() < deadline) {
            if (m_pidfd >= 0) {
                pollfd p{m_pidfd, POLLIN, 0};
                ::poll(&p, 1, 20);
            } else {
                usleep(2000);
            }
        }
        if (!m_finished) {
            sendSignal(SIGKILL);
            reap(true);
        }
    }
    closeFds();
}

void Process::closeFds() noexcept
{
    closeFd(m_pidfd);
    closeFd(m_stdinFd);
    closeFd(m_stdoutFd);
    closeFd(m_stderrFd);
}

bool Process::reap(bool block)
{
    if (m_finished || m_pid <= 0)
        return true;
    int status = 0;
    pid_t r;
    do
        r = waitpid(m_pid, &status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return false;
    m_finished = true;
    closeFd(m_pidfd);
    if (r < 0) {
        // ECHILD: something else (a waitpid(-1) elsewhere) reaped it and kept the status.
        m_error = "process " + std::to_string(m_pid) + " was reaped elsewhere; its exit status is unknown";
        return true;
    }
    if (WIFSIGNALED(status)) {
        m_signal = WTERMSIG(status);
        recorder::record(EventType::ProcessExit, uint32_t(m_pid), *m_signal, ExitSignal);
    } else {
        m_exitCode = WEXITSTATUS(status);
        recorder::record(EventType::ProcessExit, uint32_t(m_pid), *m_exitCode);
    }
    return true;
}

bool Process::poll()
{
    if (m_owner != getpid() && m_pid > 0)
        return m_finished;
    return reap(false);
}

void Process::sendSignal(int signo, std::source_location where)
{
    // Once reaped the pid may belong to another process: never signal it then.
    if (m_pid <= 0 || m_finished)
        return;
    recorder::record(EventType::Signal, uint32_t(m_pid), signo, 0, locationOf(where));
    ::kill(m_pid, signo);
}

void Process::terminate(std::source_location where)
{
    sendSignal(SIGTERM, where);
}

void Process::kill(std::source_location where)
{
    sendSignal(SIGKILL, where);
}

bool Process::waitExit(int64_t deadline, uint32_t loc)
{
    if (m_finished || m_pid <= 0)
        return true;
    const uint8_t flags = OnProcess | (deadline >= 0 ? Timed : 0);
    recorder::record(EventType::JoinWait, uint32_t(m_pid), 0, flags, loc);
    bool done = false;
    for (;;) {
        if (reap(false)) {
            done = true;
            break;
        }
        if (m_pidfd >= 0) {
            if (procdetail::waitFd(m_pidfd, POLLIN, deadline) != procdetail::WaitResult::Ready) {
                done = reap(false);
                break;
            }
        } else {
            if (instrument::stopRequested() || (deadline >= 0 && clock::monotonicNs() >= deadline))
                break;
            usleep(2000);
        }
    }
    recorder::record(EventType::JoinDone, uint32_t(m_pid), 0, flags, loc);
    return done;
}

bool Process::join(std::optional<std::chrono::nanoseconds> timeout, std::source_location where)
{
    if (m_owner != getpid())
        return m_finished;
    const int64_t deadline = procdetail::deadlineFor(timeout);
    const uint32_t loc = locationOf(where);
    // A program writing more than a pipe holds would never exit while nobody reads it.
    if (!serveIo(deadline))
        return false;
    return waitExit(deadline, loc);
}

bool Process::communicate(std::optional<std::chrono::nanoseconds> timeout, std::source_location where)
{
    return join(timeout, where);
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
