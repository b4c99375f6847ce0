// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/enginethread.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace interleave::core {

class EventLog;

/// Scheduling truth from /proc: a thread that every `interval` reads, for every thread of the
/// watched processes, /proc/<pid>/task/<tid>/stat (state, core) and .../schedstat (run-queue
/// delay), and records one Sample per thread: object = sampled tid, arg = SampleArg(state, run
/// delay since that thread's previous sample), loc = sampled pid, cpu = the sampled thread's core.
class Sampler
{
public:
    struct Options
    {
        std::chrono::nanoseconds interval = std::chrono::milliseconds(1);
        std::vector<pid_t> pids; ///< processes to watch (all their threads)
        pid_t root = 0;          ///< also watch every descendant of this process (0: none)
        /// The log to write Samples into with the *sampled* core in Event::cpu. Without it,
        /// Samples go through recorder::record and carry the sampler's own core (see sampler.cpp).
        EventLog *log = nullptr;
    };

    explicit Sampler(Options options);
    /// stop(): the sampler never outlives its owner.
    ~Sampler();
    Sampler(const Sampler &) = delete;
    Sampler &operator=(const Sampler &) = delete;

    void start();
    /// Returns within about one interval (the wait is interruptible, not a sleep).
    void stop();
    /// Samples recorded so far (for tests and the run summary).
    uint64_t samples() const noexcept { return m_samples; }

private:
    struct Task
    {
        pid_t pid = 0;
        int statFd = -1;
        int schedstatFd = -1;
        uint64_t runDelay = 0;
        bool seen = false;
        uint32_t lastTick = 0;
    };
    void run();
    void tick();
    void refreshProcesses();
    void addDescendants(pid_t pid, std::vector<pid_t> &out) const;
    void closeTask(Task &task);

    Options m_options;
    EngineThread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    pid_t m_selfTid = 0;
    uint32_t m_tick = 0;
    std::atomic<uint64_t> m_samples{0};
    std::vector<pid_t> m_processes; ///< pids watched now (options.pids + descendants of root)
    std::unordered_map<pid_t, Task> m_tasks;
    struct Writer;
    std::unique_ptr<Writer> m_writer;
};

} // namespace interleave::core
