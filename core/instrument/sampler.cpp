// SPDX-License-Identifier: MIT
// Note for the event-log owner: a Sample's Event::cpu must be the *sampled* thread's core, which
// recorder::record() cannot express (it stamps the writer's core). Until the recorder offers
// `recordWithCpu(type, object, arg, flags, loc, cpu)`, the sampler writes its Samples through a
// WriterCursor of its own on the EventLog it is given (Options::log), using the log's public
// writer API (takeChunk / closeChunk, slot commit protocol of logformat::Slot).
#include "instrument/sampler.h"

#include "instrument/forkgate.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

namespace interleave::core {

/// Writes Sample events with an explicit cpu. Owned and used by the sampler thread only.
struct Sampler::Writer
{
    EventLog *log = nullptr;
    WriterCursor cursor;

    void write(uint32_t object, int64_t arg, uint32_t loc, uint16_t cpu, EventType type = EventType::Sample) noexcept
    {
        if (!log) {
            recorder::record(type, object, arg, 0, loc);
            return;
        }
        uint64_t stalledSince = 0;
        if (cursor.index >= cursor.limit && !log->takeChunkWaiting(cursor, int32_t(gettid()), stalledSince)) {
            log->countDropped();
            return;
        }
        writeSlot(cursor, clock::readTicks(log->clock().kind), type, object, arg, 0, loc, cpu);
    }

    void close() noexcept
    {
        if (log && cursor.chunk)
            log->closeChunk(cursor);
    }
};

namespace {

/// Reads a whole small /proc file through a kept-open descriptor (pread at 0 re-generates it).
ssize_t readAt0(int fd, char *buf, size_t size) noexcept
{
    const ssize_t n = pread(fd, buf, size - 1, 0);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

int openProc(const std::string &path) noexcept
{
    return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
}

/// Calls fn(number) for every numeric entry of a /proc directory.
template<class F> void forEachNumericEntry(const std::string &dir, F fn)
{
    DIR *d = opendir(dir.c_str());
    if (!d)
        return;
    while (const dirent *entry = readdir(d)) {
        pid_t value = 0;
        const char *end = entry->d_name + std::strlen(entry->d_name);
        const auto [ptr, ec] = std::from_chars(entry->d_name, end, value);
        if (ec == std::errc() && ptr == end && value > 0)
            fn(value);
    }
    closedir(d);
}

} // namespace

Sampler::Sampler(Options options)
    : m_options(std::move(options))
    , m_writer(std::make_unique<Writer>())
{
    m_writer->log = m_options.log;
}

Sampler::~Sampler()
{
    stop();
}

void Sampler::start()
{
    if (m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = false;
    }
    m_thread = EngineThread([this] { run(); });
}

void Sampler::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Sampler::run()
{
    m_selfTid = ::gettid();
    m_writer->cursor.pid = ::getpid();
    m_writer->cursor.tid = m_selfTid;
    // The observer stays out of the picture: its first event marks it as the recorder's thread, so
    // the trace model gives it no lane, list entry or export (its Samples still tell about others).
    // The name is for ps and debuggers only.
    pthread_setname_np(pthread_self(), "sampler");
    m_writer->write(0, 0, 0, 0, EventType::RecorderThread);
    auto next = std::chrono::steady_clock::now();
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        lock.unlock();
        {
            const NoForkSection noFork; // it allocates: a child forked meanwhile could inherit a held lock
            tick();
        }
        lock.lock();
        // An absolute schedule keeps the rate even when a tick is slow; a tick that overran by
        // more than an interval is not caught up (that would only burst).
        next += m_options.interval;
        const auto now = std::chrono::steady_clock::now();
        if (next < now)
            next = now;
        m_cv.wait_until(lock, next, [this] { return m_stop; });
    }
    lock.unlock();
    for (auto &[tid, task] : m_tasks)
        closeTask(task);
    m_tasks.clear();
    m_writer->close();
    if (!m_options.log)
        recorder::closeThread();
}

void Sampler::refreshProcesses()
{
    m_processes = m_options.pids;
    if (m_options.root > 0) {
        m_processes.push_back(m_options.root);
        addDescendants(m_options.root, m_processes);
    }
    std::sort(m_processes.begin(), m_processes.end());
    m_processes.erase(std::unique(m_processes.begin(), m_processes.end()), m_processes.end());
}

void Sampler::addDescendants(pid_t root, std::vector<pid_t> &out) const
{
    // Fast path: /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN), walked breadth first.
    std::vector<pid_t> frontier{root};
    bool childrenFiles = true;
    while (!frontier.empty() && childrenFiles) {
        const pid_t pid = frontier.back();
        frontier.pop_back();
        const std::string taskDir = "/proc/" + std::to_string(pid) + "/task";
        forEachNumericEntry(taskDir, [&](pid_t tid) {
            const int fd = openProc(taskDir + "/" + std::to_string(tid) + "/children");
            if (fd < 0) {
                childrenFiles = childrenFiles && errno != ENOENT;
                return;
            }
            char buf[4096];
            if (readAt0(fd, buf, sizeof buf) > 0) {
                char *p = buf;
                while (*p) {
                    char *end = nullptr;
                    const long child = std::strtol(p, &end, 10);
                    if (end == p)
                        break;
                    out.push_back(pid_t(child));
                    frontier.push_back(pid_t(child));
                    p = end;
                }
            }
            ::close(fd);
        });
    }
    if (childrenFiles)
        return;
    // Fallback: one scan of /proc for parent links, then the transitive closure from root.
    std::unordered_map<pid_t, std::vector<pid_t>> children;
    forEachNumericEntry("/proc", [&](pid_t pid) {
        const int fd = openProc("/proc/" + std::to_string(pid) + "/stat");
        if (fd < 0)
            return;
        char buf[1024];
        if (readAt0(fd, buf, sizeof buf) > 0) {
            if (const char *paren = std::strrchr(buf, ')'); paren && paren[1] && paren[2]) {
                // ") S 1234 ..." : state, then ppid.
                const pid_t ppid = pid_t(std::strtol(paren + 4, nullptr, 10));
                children[ppid].push_back(pid);
            }
        }
        ::close(fd);
    });
    std::vector<pid_t> todo{root};
    while (!todo.empty()) {
        const pid_t pid = todo.back();
        todo.pop_back();
        for (const pid_t child : children[pid]) {
            out.push_back(child);
            todo.push_back(child);
        }
    }
}

void Sampler::closeTask(Task &task)
{
    if (task.statFd >= 0)
        ::close(task.statFd);
    if (task.schedstatFd >= 0)
        ::close(task.schedstatFd);
    task.statFd = task.schedstatFd = -1;
}

void Sampler::tick()
{
    ++m_tick;
    // Processes come and go at fork speed, threads faster: rescan processes every 10 ticks and
    // the thread lists every tick (a directory read, no per-thread open for known threads).
    if (m_tick == 1 || m_tick % 10 == 0)
        refreshProcesses();
    for (const pid_t pid : m_processes) {
        const std::string taskDir = "/proc/" + std::to_string(pid) + "/task/";
        forEachNumericEntry(taskDir, [&](pid_t tid) {
            if (tid == m_selfTid)
                return; // the sampler does not watch itself
            auto [it, added] = m_tasks.try_emplace(tid);
            Task &task = it->second;
            task.lastTick = m_tick;
            if (added) {
                task.pid = pid;
                const std::string dir = taskDir + std::to_string(tid);
                task.statFd = openProc(dir + "/stat");
                task.schedstatFd = openProc(dir + "/schedstat");
            }
        });
    }
    for (auto it = m_tasks.begin(); it != m_tasks.end();) {
        Task &task = it->second;
        const pid_t tid = it->first;
        char stat[1024];
        char schedstat[128];
        bool alive = task.lastTick == m_tick && task.statFd >= 0 && readAt0(task.statFd, stat, sizeof stat) > 0;
        const char *paren = alive ? std::strrchr(stat, ')') : nullptr;
        alive = alive && paren && paren[1] == ' ' && paren[2];
        if (!alive) {
            closeTask(task);
            it = m_tasks.erase(it);
            continue;
        }
        // Fields after "comm)": field 3 is the state; field 39 ("processor") is the 37th after it.
        const char state = paren[2];
        int processor = -1;
        const char *p = paren + 2;
        for (int field = 3; *p && field < 39; ++p) {
            if (*p == ' ')
                ++field;
        }
        if (*p)
            processor = int(std::strtol(p, nullptr, 10));
        uint64_t runDelay = task.runDelay;
        if (task.schedstatFd >= 0 && readAt0(task.schedstatFd, schedstat, sizeof schedstat) > 0) {
            // "<ns on cpu> <ns waiting on a run queue> <timeslices>"
            char *end = nullptr;
            std::strtoull(schedstat, &end, 10);
            runDelay = std::strtoull(end, nullptr, 10);
        }
        const uint64_t delta = task.seen && runDelay >= task.runDelay ? runDelay - task.runDelay : 0;
        task.runDelay = runDelay;
        task.seen = true;
        m_writer->write(uint32_t(tid), SampleArg::pack(state, delta), uint32_t(task.pid),
                        processor < 0 ? uint16_t(0xffff) : uint16_t(processor));
        m_samples.fetch_add(1, std::memory_order_relaxed);
        ++it;
    }
}

} // namespace interleave::core
