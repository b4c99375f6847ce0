// SPDX-License-Identifier: MIT
#include "tracedprogram.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace interleave::test {

using core::Event;
using core::EventType;
using core::TraceData;

std::string programPath(const std::string &name)
{
    if (!name.empty() && name[0] == '/')
        return name;
    return std::string(INTERLEAVE_PRELOAD_PROGRAMS) + "/preload_" + name;
}

TracedProgram::TracedProgram(std::string program, std::vector<std::string> args)
    : m_program(programPath(program))
    , m_args(std::move(args))
{}

TracedProgram::~TracedProgram()
{
    kill();
    finish();
    if (m_outputFd >= 0)
        close(m_outputFd);
}

bool TracedProgram::start(bool preload)
{
    std::string error;
    m_log = core::EventLog::create(32u << 20, &error);
    if (!m_log) {
        m_error = error;
        return false;
    }
    // The log fd as the runner passes it: inherited, so not close-on-exec.
    const int logFd = fcntl(m_log->fd(), F_DUPFD, 10);
    int out[2];
    if (logFd < 0 || pipe2(out, O_CLOEXEC) != 0) {
        m_error = std::string("cannot set up descriptors: ") + strerror(errno);
        return false;
    }
    struct stat st
    {};
    fstat(out[1], &st);
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        if (strncmp(*e, "LD_PRELOAD=", 11) != 0 && strncmp(*e, "INTERLEAVE_", 11) != 0)
            env.emplace_back(*e);
    if (preload) {
        env.push_back(std::string("LD_PRELOAD=") + INTERLEAVE_PRELOAD_LIBRARY);
        env.push_back("INTERLEAVE_LOG_FD=" + std::to_string(logFd));
        env.push_back("INTERLEAVE_ROOT_PID=" + std::to_string(getpid()));
        env.push_back("INTERLEAVE_QUIET_INODES=" + std::to_string(st.st_ino));
    }
    std::vector<char *> envp, argv;
    for (std::string &e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    argv.push_back(m_program.data());
    for (std::string &a : m_args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    const int rc = posix_spawn(&m_pid, m_program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(logFd);
    m_outputFd = out[0];
    if (rc != 0) {
        m_error = "cannot start " + m_program + ": " + strerror(rc);
        m_pid = -1;
        return false;
    }
    return true;
}

bool TracedProgram::waitFor(const std::function<bool(const TraceData &)> &done, int seconds)
{
    for (int i = 0; i < seconds * 100; ++i) {
        m_log->drain(m_data);
        if (done(m_data))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

void TracedProgram::kill()
{
    if (m_pid > 0 && !m_finished)
        ::kill(m_pid, SIGKILL);
}

int TracedProgram::finish()
{
    if (m_pid <= 0 || m_finished)
        return m_status;
    // Drain while it runs (the pipe too, so a talkative program never blocks on it).
    for (;;) {
        m_log->drain(m_data);
        pollfd p{m_outputFd, POLLIN, 0};
        if (poll(&p, 1, 10) > 0) {
            char buf[4096];
            const ssize_t n = read(m_outputFd, buf, sizeof buf);
            if (n > 0)
                m_output.append(buf, size_t(n));
        }
        const pid_t r = waitpid(m_pid, &m_status, WNOHANG);
        if (r == m_pid || (r < 0 && errno != EINTR))
            break;
    }
    m_finished = true;
    for (char buf[4096];;) {
        const ssize_t n = read(m_outputFd, buf, sizeof buf);
        if (n <= 0)
            break;
        m_output.append(buf, size_t(n));
    }
    m_log->finish(m_data);
    return m_status;
}

const core::TraceModel &TracedProgram::model()
{
    if (!m_model)
        m_model = std::make_unique<core::TraceModel>(m_data);
    return *m_model;
}

std::vector<Event> eventsOf(const TraceData &data, EventType type)
{
    std::vector<Event> out;
    for (const Event &e : data.events)
        if (e.type == type)
            out.push_back(e);
    return out;
}

size_t countOf(const TraceData &data, EventType type)
{
    return eventsOf(data, type).size();
}

std::string objectName(const TraceData &data, uint32_t object)
{
    std::string name;
    for (const Event &e : data.events)
        if (e.type == EventType::ObjectNew && e.object == object)
            name = data.string(uint32_t(e.arg));
    return name;
}

std::vector<Event> eventsOfThread(const TraceData &data, EventType type, const std::string &name)
{
    std::vector<uint32_t> threads;
    for (const Event &e : data.events)
        if (e.type == EventType::ThreadName && data.string(e.object) == name)
            threads.push_back(e.thread);
    std::vector<Event> out;
    for (const Event &e : data.events)
        if (e.type == type && std::find(threads.begin(), threads.end(), e.thread) != threads.end())
            out.push_back(e);
    return out;
}

} // namespace interleave::test
