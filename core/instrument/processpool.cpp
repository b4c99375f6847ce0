// SPDX-License-Identifier: MIT
#include "instrument/processpool.h"

#include "instrument/blocking.h"
#include "trace/clock.h"
#include "trace/recorder.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace interleave::core {

namespace procdetail {

struct TaskState
{
    std::mutex mutex;
    std::condition_variable done;
    int64_t id = 0;
    bool finished = false;
    bool failed = false;
    int64_t value = 0;
    pid_t pid = 0;
    TaskFailureInfo failure;
};

} // namespace procdetail

namespace {

using procdetail::TaskState;

// Fixed-size messages on a SOCK_SEQPACKET socket: each arrives whole or not at all.
struct ToWorker
{
    enum Kind : uint32_t
    {
        Task = 1,
        Stop = 2
    };
    uint32_t kind;
    uint32_t reserved;
    int64_t taskId;
    int64_t arg;
};

struct FromWorker
{
    enum Kind : uint32_t
    {
        Done = 1,
        Error = 2
    };
    uint32_t kind;
    uint32_t textLength;
    int64_t taskId;
    int64_t value;
    char text[488];
};

void finish(TaskState &state, bool failed, int64_t value, TaskFailureInfo failure = {})
{
    {
        std::lock_guard lock(state.mutex);
        if (state.finished)
            return;
        state.finished = true;
        state.failed = failed;
        state.value = value;
        state.failure = std::move(failure);
    }
    state.done.notify_all();
}

void wake(int fd) noexcept
{
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
}

// The loop of a worker process. Only its own socket, the task function and the pool id are used:
// the pool object in this process is a frozen copy whose locks may be held by other threads.
int workerMain(int fd, TaskFn fn, uint32_t pool, int number)
{
    const pid_t parent = getppid();
    TaskContext context{0, number, getpid(), pool};
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        const int r = ::poll(&p, 1, 100);
        if (r == 0) {
            // Reparented: the pool's process is gone, so nobody will send work or reap us.
            if (getppid() != parent)
                return 0;
            continue;
        }
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        ToWorker message{};
        const ssize_t n = ::recv(fd, &message, sizeof message, MSG_DONTWAIT);
        if (n == 0)
            return 0; // the pool closed its end
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return 1;
        }
        if (message.kind != ToWorker::Task)
            return 0;
        context.taskId = message.taskId;
        FromWorker reply{};
        reply.taskId = message.taskId;
        recorder::record(EventType::TaskStart, pool, message.taskId);
        std::string error;
        try {
            reply.value = fn(message.arg, context);
            reply.kind = FromWorker::Done;
        } catch (const std::exception &e) {
            error = e.what();
        } catch (...) {
            error = "unknown exception";
        }
        if (error.empty()) {
            recorder::record(EventType::TaskEnd, pool, message.taskId);
        } else {
            reply.kind = FromWorker::Error;
            reply.textLength = uint32_t(std::min(error.size(), sizeof reply.text));
            std::memcpy(reply.text, error.data(), reply.textLength);
            recorder::record(EventType::TaskFailed, pool, message.taskId);
        }
        // Recorded before the reply: the parent hands out the next task only after reading it.
        if (::send(fd, &reply, sizeof reply, MSG_NOSIGNAL) < 0)
            return 1;
    }
}

std::string statusText(const Process &process)
{
    if (process.signal()) {
        const char *abbrev = sigabbrev_np(*process.signal());
        return "killed by signal " + std::to_string(*process.signal()) +
               (abbrev ? std::string(" (SIG") + abbrev + ")" : std::string());
    }
    if (process.exitCode())
        return "exited with code " + std::to_string(*process.exitCode());
    return "ended with an unknown status";
}

} // namespace

struct ProcessPool::Worker
{
    int number = 0;
    Process process;
    int fd = -1; // the pool's end of the worker's socket
    bool fdEof = false;
    int64_t task = 0; // task id being run, 0 when idle
    std::shared_ptr<TaskState> state;
    bool stopSent = false;
    bool reaped = false;
    bool joinable = true; // false: ended before join() began
};

// --- AsyncResult ---------------------------------------------------------------------------

int64_t AsyncResult::taskId() const
{
    return m_state->id;
}

bool AsyncResult::ready() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->finished;
}

bool AsyncResult::successful() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->finished && !m_state->failed;
}

bool AsyncResult::failed() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->finished && m_state->failed;
}

bool AsyncResult::wait(std::optional<std::chrono::nanoseconds> timeout) const
{
    const int64_t deadline = procdetail::deadlineFor(timeout);
    std::unique_lock lock(m_state->mutex);
    while (!m_state->finished) {
        if (instrument::stopRequested())
            return false;
        auto slice = std::chrono::nanoseconds(instrument::kStopPollInterval);
        if (deadline >= 0) {
            const int64_t left = deadline - clock::monotonicNs();
            if (left <= 0)
                return false;
            slice = std::min(slice, std::chrono::nanoseconds(left));
        }
        m_state->done.wait_for(lock, slice);
    }
    return true;
}

std::optional<int64_t> AsyncResult::get(std::optional<std::chrono::nanoseconds> timeout) const
{
    if (!wait(timeout))
        return std::nullopt;
    std::lock_guard lock(m_state->mutex);
    if (m_state->failed)
        return std::nullopt;
    return m_state->value;
}

pid_t AsyncResult::workerPid() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->pid;
}

TaskFailureInfo AsyncResult::failure() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->failure;
}

// --- ProcessPool ---------------------------------------------------------------------------

ProcessPool::ProcessPool(int workers, TaskFn fn, std::string_view name)
    : m_fn(fn)
    , m_name(name)
    , m_size(std::max(1, workers))
    , m_owner(getpid())
{
    if (!fn)
        throw std::invalid_argument("cannot create pool '" + m_name + "': no task function given");
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wakeFd < 0)
        throw std::system_error(errno, std::generic_category(),
                                "cannot create pool '" + m_name + "': eventfd failed (too many open files?)");
    m_id = recorder::enabled() ? recorder::newObject(ObjectKind::ProcessPool, m_name) : 0;
    try {
        std::lock_guard lock(m_mutex);
        for (int i = 0; i < m_size; ++i)
            forkWorker();
    } catch (...) {
        m_workers.clear(); // their destructors terminate and reap them
        ::close(m_wakeFd);
        throw;
    }
    m_handler = Thread("Pool-handler", [this] { handlerLoop(); });
}

ProcessPool::~ProcessPool()
{
    if (m_owner != getpid())
        return;
    if (!m_joined) {
        {
            std::lock_guard lock(m_mutex);
            if (m_phase == Phase::Running)
                terminateLocked(0);
        }
        join();
    }
    ::close(m_wakeFd);
}

void ProcessPool::forkWorker()
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::system_error(errno, std::generic_category(),
                                "cannot start a worker for pool '" + m_name + "': socketpair failed");
    // The worker closes the pool's fds it inherited, so each worker's socket has exactly two
    // holders (pool, worker) and closing either end is seen by the other.
    std::vector<int> inherited{sv[0], m_wakeFd};
    for (const auto &w : m_workers) {
        if (w->fd >= 0)
            inherited.push_back(w->fd);
        if (w->process.pidfd() >= 0)
            inherited.push_back(w->process.pidfd());
    }
    auto worker = std::make_unique<Worker>();
    worker->number = m_nextWorkerNumber++;
    const TaskFn fn = m_fn;
    const uint32_t pool = m_id;
    const int fd = sv[1];
    const int number = worker->number;
    try {
        worker->process = Process::fork("PoolWorker-" + std::to_string(number), [=] {
            for (int f : inherited)
                ::close(f);
            return workerMain(fd, fn, pool, number);
        });
    } catch (...) {
        ::close(sv[0]);
        ::close(sv[1]);
        throw;
    }
    ::close(sv[1]);
    worker->fd = sv[0];
    m_workers.push_back(std::move(worker));
}

AsyncResult ProcessPool::applyAsync(int64_t arg, std::source_location where)
{
    std::lock_guard lock(m_mutex);
    if (m_phase != Phase::Running)
        throw std::logic_error("cannot submit a task to pool '" + m_name +
                               "': it is closed or terminated (submit every task before close())");
    auto state = std::make_shared<TaskState>();
    state->id = m_nextTask++;
    recorder::record(EventType::TaskSubmit, m_id, state->id, 0, recorder::enabled() ? recorder::location(where) : 0);
    m_pending.push_back({state->id, arg, state});
    wake(m_wakeFd);
    return AsyncResult(state);
}

void ProcessPool::close()
{
    std::lock_guard lock(m_mutex);
    if (m_phase == Phase::Running)
        m_phase = Phase::Closed;
    wake(m_wakeFd);
}

void ProcessPool::terminate(std::source_location where)
{
    std::lock_guard lock(m_mutex);
    terminateLocked(recorder::enabled() ? recorder::location(where) : 0);
}

void ProcessPool::terminateLocked(uint32_t loc)
{
    if (m_phase == Phase::Terminated)
        return;
    m_phase = Phase::Terminated;
    for (Pending &task : m_pending) {
        recorder::record(EventType::TaskFailed, m_id, task.id, 0, loc);
        finish(
            *task.state, true, 0,
            {0, std::nullopt, std::nullopt,
             "task " + std::to_string(task.id) + " was cancelled: pool '" + m_name + "' was terminated before it ran"});
    }
    m_pending.clear();
    for (auto &w : m_workers)
        if (!w->reaped)
            w->process.terminate();
    m_killDeadline = clock::monotonicNs() + 1'000'000'000;
    wake(m_wakeFd);
}

void ProcessPool::readResults(Worker &worker)
{
    while (worker.fd >= 0 && !worker.fdEof) {
        FromWorker reply{};
        const ssize_t n = ::recv(worker.fd, &reply, sizeof reply, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
            worker.fdEof = true; // the worker is exiting; its reaping follows
            break;
        }
        if (n < 0)
            break;
        if (reply.taskId != worker.task || !worker.state)
            continue;
        if (reply.kind == FromWorker::Done) {
            finish(*worker.state, false, reply.value);
        } else {
            TaskFailureInfo info;
            info.pid = worker.process.pid();
            info.message = "task " + std::to_string(reply.taskId) +
                           " raised: " + std::string(reply.text, std::min<size_t>(reply.textLength, sizeof reply.text));
            finish(*worker.state, true, 0, std::move(info));
        }
        worker.task = 0;
        worker.state.reset();
    }
}

void ProcessPool::workerDied(Worker &worker)
{
    readResults(worker); // a result sent just before the exit is still in the socket
    worker.reaped = true;
    ::close(worker.fd);
    worker.fd = -1;
    const pid_t pid = worker.process.pid();
    if (worker.task != 0) {
        const bool bySignal = worker.process.signal().has_value();
        const int status = bySignal ? *worker.process.signal() : worker.process.exitCode().value_or(-1);
        recorder::record(EventType::TaskFailed, m_id, worker.task);
        recorder::record(EventType::TaskFailure, uint32_t(pid), status, bySignal ? ExitSignal : 0);
        TaskFailureInfo info{pid, worker.process.exitCode(), worker.process.signal(),
                             "worker PoolWorker-" + std::to_string(worker.number) + " (pid " + std::to_string(pid) +
                                 ") died while running task " + std::to_string(worker.task) + ": " +
                                 statusText(worker.process)};
        finish(*worker.state, true, 0, std::move(info));
        worker.task = 0;
        worker.state.reset();
    }
    // Python's Pool keeps its size: a lost worker is replaced while there is work to do.
    if (m_phase == Phase::Running || (m_phase == Phase::Closed && !m_pending.empty())) {
        try {
            forkWorker();
        } catch (const std::exception &e) {
            const bool anyAlive = std::any_of(m_workers.begin(), m_workers.end(), [](auto &w) { return !w->reaped; });
            if (!anyAlive) {
                for (Pending &task : m_pending) {
                    recorder::record(EventType::TaskFailed, m_id, task.id);
                    finish(*task.state, true, 0, {0, std::nullopt, std::nullopt, e.what()});
                }
                m_pending.clear();
            }
        }
    }
}

void ProcessPool::dispatch()
{
    for (auto &w : m_workers) {
        if (w->reaped || w->fd < 0 || w->fdEof || w->task != 0 || w->stopSent)
            continue;
        if (!m_pending.empty() && m_phase != Phase::Terminated) {
            const Pending &task = m_pending.front();
            const ToWorker message{ToWorker::Task, 0, task.id, task.arg};
            // A failed send means the worker is dying; the task stays queued for another one.
            if (::send(w->fd, &message, sizeof message, MSG_DONTWAIT | MSG_NOSIGNAL) != ssize_t(sizeof message))
                continue;
            w->task = task.id;
            w->state = task.state;
            {
                std::lock_guard lock(task.state->mutex);
                task.state->pid = w->process.pid();
            }
            m_pending.pop_front();
        } else if (m_phase == Phase::Closed && m_pending.empty()) {
            const ToWorker message{ToWorker::Stop, 0, 0, 0};
            if (::send(w->fd, &message, sizeof message, MSG_DONTWAIT | MSG_NOSIGNAL) == ssize_t(sizeof message))
                w->stopSent = true;
        }
    }
}

void ProcessPool::handlerLoop()
{
    std::unique_lock lock(m_mutex);
    std::vector<pollfd> fds;
    for (;;) {
        const bool allReaped = std::all_of(m_workers.begin(), m_workers.end(), [](auto &w) { return w->reaped; });
        if (m_phase != Phase::Running && allReaped && m_pending.empty())
            break;
        if (instrument::stopRequested())
            terminateLocked(0);
        if (m_killDeadline >= 0 && clock::monotonicNs() >= m_killDeadline) {
            // A worker that ignores SIGTERM (or is stuck) must not hold join() forever.
            for (auto &w : m_workers)
                if (!w->reaped)
                    w->process.kill();
            m_killDeadline = -1;
        }
        fds.clear();
        fds.push_back({m_wakeFd, POLLIN, 0});
        for (auto &w : m_workers) {
            if (w->reaped)
                continue;
            if (w->fd >= 0 && !w->fdEof)
                fds.push_back({w->fd, POLLIN, 0});
            if (w->process.pidfd() >= 0)
                fds.push_back({w->process.pidfd(), POLLIN, 0});
        }
        lock.unlock();
        {
            // Recorded as a wait: the handler sleeps here, and its lane must not look busy.
            IoWait wait("results and exits of the pool's workers");
            ::poll(fds.data(), fds.size(), int(instrument::kStopPollInterval.count()));
        }
        lock.lock();
        uint64_t count;
        while (::read(m_wakeFd, &count, sizeof count) > 0) {
        }
        // Index loop: workerDied() may append a replacement.
        for (size_t i = 0; i < m_workers.size(); ++i) {
            Worker &w = *m_workers[i];
            if (w.reaped)
                continue;
            readResults(w);
            if (w.process.poll())
                workerDied(w);
        }
        dispatch();
        m_changed.notify_all();
    }
    m_handlerDone = true;
    m_changed.notify_all();
}

void ProcessPool::join(std::source_location where)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_phase == Phase::Running)
            throw std::logic_error("cannot join pool '" + m_name +
                                   "' while it accepts tasks: call close() or terminate() first");
        if (m_joined)
            return;
    }
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    std::unique_lock lock(m_mutex);
    // Like Python, join each current worker in turn (a worker already ended gives an instant
    // join); workers that died and were replaced before join() are no longer in the pool.
    size_t next = 0;
    for (const auto &w : m_workers)
        w->joinable = !w->reaped;
    for (;;) {
        if (next == m_workers.size()) {
            if (m_handlerDone)
                break;
            m_changed.wait_for(lock, instrument::kStopPollInterval);
            continue;
        }
        Worker &w = *m_workers[next++];
        if (!w.joinable)
            continue;
        const pid_t pid = w.process.pid();
        recorder::record(EventType::JoinWait, uint32_t(pid), 0, OnProcess, loc);
        while (!w.reaped) {
            m_changed.wait_for(lock, instrument::kStopPollInterval);
            if (instrument::stopRequested())
                terminateLocked(loc);
        }
        recorder::record(EventType::JoinDone, uint32_t(pid), 0, OnProcess, loc);
    }
    lock.unlock();
    m_handler.join(where);
    lock.lock();
    m_joined = true;
}

std::vector<pid_t> ProcessPool::workerPids() const
{
    std::lock_guard lock(m_mutex);
    std::vector<pid_t> pids;
    for (const auto &w : m_workers)
        pids.push_back(w->process.pid());
    return pids;
}

} // namespace interleave::core
