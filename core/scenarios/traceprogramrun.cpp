// SPDX-License-Identifier: MIT
// The runner's half of tracing a program: start it with the preloaded recorder, record its output
// lines as its own, wait for it.
#include "scenarios/traceprogram.h"

#include "trace/eventlog.h"
#include "trace/recorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

namespace interleave::core {
namespace {

/// The fd the program finds the event log on (INTERLEAVE_LOG_FD): high, out of the way of the
/// program's own descriptors.
constexpr int kChildLogFd = 1000;

std::string inodeOf(int fd)
{
    struct stat st = {};
    return ::fstat(fd, &st) == 0 ? std::to_string(st.st_ino) : std::string();
}

/// The environment the program gets: ours, with the recorder preloaded and the Python hook first
/// on PYTHONPATH.
std::vector<std::string> tracedEnvironment(const QString &library, const QString &hookDir, int stderrPipe)
{
    std::vector<std::string> env;
    std::string preload = library.toStdString();
    std::string pythonPath = hookDir.toStdString();
    for (char **e = environ; *e; ++e) {
        const std::string_view entry(*e);
        if (entry.starts_with("LD_PRELOAD="))
            preload.append(" ").append(entry.substr(11));
        else if (entry.starts_with("PYTHONPATH="))
            pythonPath.append(":").append(entry.substr(11));
        else if (!entry.starts_with("INTERLEAVE_"))
            env.emplace_back(entry);
    }
    // Built with append: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
    env.push_back(std::string("LD_PRELOAD=").append(preload));
    if (!hookDir.isEmpty())
        env.push_back(std::string("PYTHONPATH=").append(pythonPath));
    env.push_back(std::string(EventLog::kEnvFd).append("=").append(std::to_string(kChildLogFd)));
    env.push_back(std::string("INTERLEAVE_ROOT_PID=").append(std::to_string(::getpid())));
    env.push_back(std::string("INTERLEAVE_QUIET_INODES=").append(inodeOf(stderrPipe)));
    return env;
}

/// Reads the program's stdout (pty master) and stderr (pipe) until both end, recording each line
/// as an Output of the program's main thread. A line longer than 4 KiB is cut into pieces.
void recordOutput(int pid, int ptyMaster, int stderrRead, int stopRead)
{
    recorder::ForeignThread writer(pid, pid);
    struct Stream
    {
        int fd;
        int64_t arg;
        std::string partial;
    };
    Stream streams[2] = {{ptyMaster, 1, {}}, {stderrRead, 2, {}}};
    auto emitLine = [&](Stream &s, std::string_view line) {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        writer.record(recorder::now(), EventType::Output, recorder::intern(line), s.arg);
    };
    char buf[4096];
    for (int open = 2; open > 0;) {
        pollfd fds[3] = {{streams[0].fd, POLLIN, 0}, {streams[1].fd, POLLIN, 0}, {stopRead, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[2].revents != 0)
            break; // the program is gone and what it left behind still holds its output open
        for (int i = 0; i < 2; ++i) {
            Stream &s = streams[i];
            if (s.fd < 0 || fds[i].revents == 0)
                continue;
            const ssize_t n = ::read(s.fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) { // EOF, or EIO from a pty whose last writer is gone
                if (!s.partial.empty())
                    emitLine(s, s.partial);
                s.fd = -1;
                --open;
                continue;
            }
            s.partial.append(buf, size_t(n));
            size_t start = 0;
            for (size_t nl; (nl = s.partial.find('\n', start)) != std::string::npos; start = nl + 1)
                emitLine(s, std::string_view(s.partial).substr(start, nl - start));
            s.partial.erase(0, start);
            if (s.partial.size() >= sizeof buf) {
                emitLine(s, s.partial);
                s.partial.clear();
            }
        }
    }
    writer.close();
}

/// The program's path as execve wants it: as given when it has a slash, else searched on PATH.
std::string resolveProgram(const QString &program, const QString &cwd)
{
    if (program.contains(QLatin1Char('/')))
        return QDir(cwd).absoluteFilePath(program).toStdString();
    const QString found = QStandardPaths::findExecutable(program);
    if (found.isEmpty())
        throw std::runtime_error(
            std::string("cannot find the program '").append(program.toStdString()).append("' on PATH"));
    return found.toStdString();
}

/// The program's stdout (a pseudo-terminal, so C stdio and Python flush each line as at a
/// terminal) and stderr (a pipe), all close-on-exec here: the child dup2s them onto 1 and 2.
void openOutputs(int &ptyMaster, int &ptySlave, int errPipe[2])
{
    termios raw = {};
    ::cfmakeraw(&raw); // no "\r\n" for "\n", no echo: the program's bytes as it wrote them
    raw.c_oflag |= OPOST;
    raw.c_oflag &= ~tcflag_t(ONLCR);
    if (::openpty(&ptyMaster, &ptySlave, nullptr, &raw, nullptr) != 0)
        throw std::runtime_error(std::string("cannot open a pseudo-terminal: ") + std::strerror(errno));
    if (::pipe2(errPipe, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    ::fcntl(ptyMaster, F_SETFD, FD_CLOEXEC);
    ::fcntl(ptySlave, F_SETFD, FD_CLOEXEC);
}

} // namespace

int runTracedProgram(ScenarioContext &ctx, const QStringList &argv, const QString &cwdParam)
{
    if (argv.isEmpty())
        throw std::runtime_error("no program to trace");
    const QString binDir = QCoreApplication::applicationDirPath();
    const QString library = preloadLibraryPath(binDir);
    if (library.isEmpty())
        throw std::runtime_error(std::string("the recorder library ")
                                     .append(kPreloadLibrary)
                                     .append(" is missing beside ")
                                     .append(binDir.toStdString()));
    const int logFd = ctx.eventLogFd();
    if (logFd < 0)
        throw std::runtime_error("no event log to trace into");
    const QString cwd = cwdParam.isEmpty() ? QDir::currentPath() : cwdParam;
    const std::string path = resolveProgram(argv.first(), cwd);

    int ptyMaster = -1;
    int ptySlave = -1;
    int errPipe[2];
    openOutputs(ptyMaster, ptySlave, errPipe);

    const std::vector<std::string> env = tracedEnvironment(library, pythonHookDir(binDir), errPipe[1]);
    std::vector<char *> envp;
    for (const std::string &e : env)
        envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    std::vector<std::string> args;
    for (const QString &a : argv)
        args.push_back(a.toStdString());
    std::vector<char *> argvp;
    for (const std::string &a : args)
        argvp.push_back(const_cast<char *>(a.c_str()));
    argvp.push_back(nullptr);
    const std::string dir = cwd.toStdString();

    // Only async-signal-safe calls between fork and exec: the runner has other threads.
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(std::string("cannot start the program: ") + std::strerror(errno));
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(ptySlave, 1) < 0 || ::dup2(errPipe[1], 2) < 0 ||
            ::dup2(logFd, kChildLogFd) < 0 || ::chdir(dir.c_str()) != 0)
            ::_exit(127);
        ::execve(path.c_str(), argvp.data(), envp.data());
        const char message[] = "interleave: cannot execute the program\n";
        [[maybe_unused]] const ssize_t n = ::write(2, message, sizeof message - 1);
        ::_exit(127);
    }
    ::close(ptySlave);
    ::close(errPipe[1]);
    int stopPipe[2];
    if (::pipe2(stopPipe, O_CLOEXEC) != 0)
        stopPipe[0] = stopPipe[1] = -1;
    std::promise<void> outputEnded;
    std::future<void> ended = outputEnded.get_future();
    std::thread output([&outputEnded, pid, ptyMaster, readEnd = errPipe[0], stopRead = stopPipe[0]] {
        recordOutput(int(pid), ptyMaster, readEnd, stopRead);
        outputEnded.set_value();
    });

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    recorder::recordProcessExit(pid, status);
    // Its output ends when the last process holding the terminal or the pipe is gone. A child the
    // program left running may hold them for ever: the runner kills it after this returns, as it
    // kills what any scenario leaves behind, so wait for the last lines a little, not for it.
    if (ended.wait_for(std::chrono::milliseconds(500)) != std::future_status::ready && stopPipe[1] >= 0) {
        const char stop = 1;
        [[maybe_unused]] const ssize_t n = ::write(stopPipe[1], &stop, 1);
    }
    output.join();
    for (int fd : {ptyMaster, errPipe[0], stopPipe[0], stopPipe[1]})
        if (fd >= 0)
            ::close(fd);
    return status;
}

} // namespace interleave::core
