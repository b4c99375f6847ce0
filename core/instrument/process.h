// SPDX-License-Identifier: MIT
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace interleave::core {

/// What a spawned program gets and what is collected from it (subprocess.Popen's arguments).
struct SpawnOptions
{
    /// Written to the program's stdin, which is then closed; nullopt: stdin is /dev/null.
    std::optional<std::string> stdinData;
    bool captureStdout = true;  ///< else the program writes to the runner's stdout
    bool captureStderr = false; ///< else the program writes to the runner's stderr
    /// The whole environment as "NAME=value" entries; nullopt: the runner's environment.
    std::optional<std::vector<std::string>> env;
};

/// A real child process: fork()ed running a function (multiprocessing.Process), or
/// posix_spawn()ed running a program without a shell (subprocess.Popen).
///
/// Recording: the parent records ForkCall just before fork() (where the fork arrow starts), the
/// fork records ForkReturn in both processes; the child records ProcessStart
/// (object = name, arg = ppid), names its main thread and records ThreadExit before _exit; a
/// spawn records Exec (object = command line, arg = pid). ProcessExit is written by whoever
/// reaps the child (join(), poll(), communicate() or the destructor), because only the reaper
/// learns the status. Not thread-safe: one thread at a time uses a Process object, like Python's.
///
/// Fork rule: the runner is multi-threaded (sampler, readers), and the child of a
/// multi-threaded process holds a copy of every lock as it was at fork time, with no thread left
/// to release it. Until the body starts, the child therefore does only async-signal-safe work
/// (recorder::afterForkInChild resets the recorder's own state; the name was interned before the
/// fork). The body may use malloc (glibc resets its arena locks in the child) and the recorder,
/// but no lock of the parent's other threads (iostream, a mutex held by another thread, caches).
class Process
{
public:
    /// Forks a child that runs `body` and exits with its return value (an uncaught exception
    /// exits with 1 after a line on stderr). Throws std::system_error if fork() fails.
    static Process fork(std::string_view name, std::function<int()> body,
                        std::source_location where = std::source_location::current());
    /// Starts `argv` (argv[0] searched in PATH when it has no '/') with posix_spawn. A program
    /// that cannot be started gives a Process that is already finished with exit code 127 and
    /// error() saying why; it never throws for that.
    static Process spawn(std::vector<std::string> argv, SpawnOptions options = {},
                         std::source_location where = std::source_location::current());
    /// As spawn(), running the file `program` while argv[0] only names it (in the trace and in
    /// ps): keeps a build directory's path out of the lesson.
    static Process spawnFile(const std::string &program, std::vector<std::string> argv, SpawnOptions options = {},
                             std::source_location where = std::source_location::current());

    Process() = default;
    Process(Process &&other) noexcept;
    Process &operator=(Process &&other) noexcept;
    Process(const Process &) = delete;
    Process &operator=(const Process &) = delete;
    /// A child still running is terminated (SIGTERM, SIGKILL after 200 ms) and reaped.
    ~Process();

    pid_t pid() const { return m_pid; }
    const std::string &name() const { return m_name; }
    /// A pidfd for poll() (readable once the child exited), -1 without pidfd support or once reaped.
    int pidfd() const { return m_pidfd; }

    /// Waits for the child to end (JoinWait / JoinDone on its pid), EINTR-safe. A spawned
    /// program's pipes are served first (see communicate()). Returns false when `timeout`
    /// expired or instrument::stopRequested() cut the wait short; the child then still runs.
    bool join(std::optional<std::chrono::nanoseconds> timeout = std::nullopt,
              std::source_location where = std::source_location::current());
    /// Reaps the child if it has ended, without waiting (Popen.poll()). True once finished.
    bool poll();
    bool finished() const { return m_finished; }

    /// The exit code once the child exited normally (127: the program could not be started).
    std::optional<int> exitCode() const { return m_exitCode; }
    /// The signal that ended the child, if one did.
    std::optional<int> signal() const { return m_signal; }

    /// Sends SIGTERM (records Signal, object = pid, arg = 15). No-op once reaped.
    void terminate(std::source_location where = std::source_location::current());
    /// Sends SIGKILL.
    void kill(std::source_location where = std::source_location::current());
    void sendSignal(int signo, std::source_location where = std::source_location::current());

    /// Spawned programs: feeds stdinData and collects the captured output until the program
    /// closes its output, then reaps it (Popen.communicate()). Each complete output line is also
    /// recorded as an Output event of the calling thread, tagged "[program pid] " because the
    /// program itself is not instrumented (arg = 1 stdout, 2 stderr). A flood keeps its head
    /// and its tail: the first kMaxRecordedLines lines of a stream are recorded as they come, its
    /// last kTailLines when it ends (or the program is ended), after one line saying how many
    /// lines and bytes were skipped in between. Each stream keeps its first kMaxCapturedBytes; more is read
    /// and counted (outputBytes) but not kept, so `yes` cannot eat the machine's memory; a
    /// line longer than kMaxLineBytes is recorded cut. Time blocked is IoWait.
    /// Returns false on timeout or stop; a later call continues where this one left off.
    bool communicate(std::optional<std::chrono::nanoseconds> timeout = std::nullopt,
                     std::source_location where = std::source_location::current());
    /// What was captured: at most the first kMaxCapturedBytes of the stream.
    const std::string &stdoutText() const { return m_stdout; }
    const std::string &stderrText() const { return m_stderr; }
    /// Bytes the program wrote to stdout (1) or stderr (2), kept or not.
    uint64_t outputBytes(int stream) const { return m_outputBytes[stream == 1 ? 0 : 1]; }
    /// Why a spawn failed ("cannot run 'x': No such file or directory (...)"), empty otherwise.
    const std::string &error() const { return m_error; }

    static constexpr int kMaxRecordedLines = 1000;
    static constexpr size_t kTailLines = 20;
    static constexpr size_t kMaxCapturedBytes = size_t(16) << 20;
    static constexpr size_t kMaxLineBytes = size_t(64) << 10;

private:
    void reset() noexcept;
    /// Ends and reaps a program this process started and still owns, closes every descriptor.
    void release() noexcept;
    void closeFds() noexcept;
    bool reap(bool block);
    bool waitExit(int64_t deadline, uint32_t loc);
    bool serveIo(int64_t deadline);
    /// Polls `fds` until one is ready (`ready`: poll's result) while the thread is drawn blocked
    /// on the program's IO; false on a stop request or at the deadline.
    bool waitForIo(pollfd *fds, nfds_t n, int64_t deadline, int &ready);
    void feedStdin();
    /// Reads what is there of stdout (1) or stderr (2); at its end, records its unfinished line.
    void readStream(int stream);
    void recordLine(int stream, std::string_view line);
    /// Records the skipped-lines mark and the kept tail of a stream that had more than
    /// kMaxRecordedLines lines; nothing otherwise.
    void flushTail(int stream);
    void takeOutput(int stream, const char *data, size_t size);

    pid_t m_pid = -1;
    pid_t m_owner = -1; // the process that created (and alone may reap) the child
    int m_pidfd = -1;
    bool m_finished = false;
    std::optional<int> m_exitCode;
    std::optional<int> m_signal;
    std::string m_name;
    std::string m_error;

    // Spawned programs only.
    bool m_spawned = false;
    int m_stdinFd = -1;
    int m_stdoutFd = -1;
    int m_stderrFd = -1;
    std::string m_stdinData;
    size_t m_stdinOffset = 0;
    std::string m_stdout;
    std::string m_stderr;
    std::string m_partial[2];              // an output line not yet ended by '\n', per stream (at most kMaxLineBytes)
    bool m_partialCut[2] = {false, false}; // that line was longer than kMaxLineBytes
    int m_recordedLines[2] = {0, 0};
    std::deque<std::string> m_tail[2]; // the last lines past kMaxRecordedLines (at most kTailLines)
    uint64_t m_skippedLines[2] = {0, 0};
    uint64_t m_skippedBytes[2] = {0, 0};
    uint64_t m_outputBytes[2] = {0, 0};
    std::string m_tag;
};

/// Helpers shared by the cross-process primitives (Process, ProcessQueue, Pipe, ProcessPool).
namespace procdetail {

/// A deadline in clock::monotonicNs() for an optional timeout; -1 means none.
int64_t deadlineFor(std::optional<std::chrono::nanoseconds> timeout) noexcept;

enum class WaitResult
{
    Ready,
    Timeout,
    Stopped
};
/// Polls `fd` for `events` until ready, `deadline` (monotonicNs, -1: none) or a stop request;
/// EINTR-safe; looks at instrument::stopRequested() every kStopPollInterval.
WaitResult waitFd(int fd, short events, int64_t deadline) noexcept;

/// A page of memory shared by a process and every child it forks afterwards (MAP_SHARED |
/// MAP_ANONYMOUS): counters that must be unique or exact across processes.
class SharedPage
{
public:
    SharedPage();
    ~SharedPage();
    SharedPage(const SharedPage &) = delete;
    SharedPage &operator=(const SharedPage &) = delete;
    /// The next id (1, 2, 3, ...), unique across all processes sharing the page.
    int64_t nextId() noexcept;
    /// Adds `delta` to the shared depth counter and returns the new value.
    int64_t addDepth(int64_t delta) noexcept;
    int64_t depth() const noexcept;

private:
    void *m_page = nullptr;
};

/// "errno text" for error messages.
std::string errnoText(int err);

} // namespace procdetail

} // namespace interleave::core
