// SPDX-License-Identifier: MIT
// Process: forking, reaping, signals and waits; the spawned program and its pipes are in processspawn.cpp.
#include "instrument/process.h"
#include "instrument/processimpl.h"

#include "instrument/blocking.h"
#include "instrument/forkgate.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <poll.h>
#include <signal.h>
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
#include <iostream>
#include <new>
#include <system_error>

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

namespace procdetail {

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

} // namespace procdetail

using procdetail::closeFd;
using procdetail::locationOf;
using procdetail::openPidfd;

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

Process::Process(Process &&other) noexcept
{
    *this = std::move(other);
}

Process &Process::operator=(Process &&other) noexcept
{
    if (this == &other)
        return *this;
    release(); // what the destructor does, leaving the members alive to be assigned
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
        m_tail[i] = std::move(other.m_tail[i]);
        m_skippedLines[i] = other.m_skippedLines[i];
        m_skippedBytes[i] = other.m_skippedBytes[i];
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
    release();
}

void Process::release() noexcept
{
    // A copy inherited by a forked child is not the child's to reap (and the child _exits anyway).
    if (m_pid > 0 && !m_finished && m_owner == getpid()) {
        // Ended before its output did (stop, timeout): the flood's tail is recorded all the same.
        try {
            if (m_spawned)
                for (int stream : {1, 2})
                    flushTail(stream);
        } catch (...) { // out of memory for the strings: the tail is lost, the program still ends
        }
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

} // namespace interleave::core
