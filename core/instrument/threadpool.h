// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/thread.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <source_location>
#include <string_view>
#include <type_traits>
#include <vector>

namespace interleave::core {

/// The result of ThreadPool::submit: a task id (as in TaskSubmit/TaskStart/TaskEnd) and a future.
template<class R> class TaskHandle
{
public:
    TaskHandle() = default;
    TaskHandle(uint64_t id, std::future<R> future)
        : m_id(id)
        , m_future(std::move(future))
    {}

    uint64_t id() const noexcept { return m_id; }
    bool valid() const noexcept { return m_future.valid(); }
    /// Waits for the result; rethrows what the task threw (std::future_error broken_promise if the
    /// pool was stopped before the task ran).
    R get() { return m_future.get(); }
    void wait() const { m_future.wait(); }
    template<class Rep, class Period> bool waitFor(const std::chrono::duration<Rep, Period> &timeout) const
    {
        return m_future.wait_for(timeout) == std::future_status::ready;
    }

private:
    uint64_t m_id = 0;
    std::future<R> m_future;
};

/// A recorded pool of n worker Threads ("Worker-1" ... "Worker-n") running submitted tasks in
/// order (Python's multiprocessing.pool.ThreadPool). The submitter records TaskSubmit (object =
/// pool, arg = task id, from 1), the worker TaskStart and TaskEnd, or TaskFailed if the task threw.
/// Workers also leave when instrument::stopRequested(); tasks not yet started are then dropped.
class ThreadPool
{
public:
    explicit ThreadPool(int workers, std::string_view name = "ThreadPool");
    /// close() and join(): a pool never leaves workers running.
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    template<class F>
    auto submit(F &&fn, std::source_location where = std::source_location::current())
        -> TaskHandle<std::invoke_result_t<std::decay_t<F>>>
    {
        using R = std::invoke_result_t<std::decay_t<F>>;
        auto promise = std::make_shared<std::promise<R>>();
        auto future = promise->get_future();
        auto body = [promise, fn = std::forward<F>(fn)]() mutable -> bool {
            try {
                if constexpr (std::is_void_v<R>) {
                    fn();
                    promise->set_value();
                } else {
                    promise->set_value(fn());
                }
                return true;
            } catch (...) {
                promise->set_exception(std::current_exception());
                return false;
            }
        };
        const uint64_t id = enqueue(std::move(body), where);
        return TaskHandle<R>(id, std::move(future));
    }

    /// No more tasks are accepted (submit then returns a handle whose id is 0 and whose future
    /// reports broken_promise); queued tasks still run.
    void close();
    /// Waits until every queued task ran and every worker ended (JoinWait/JoinDone per worker).
    /// Call close() first, as with Python's Pool; join() closes the pool itself if not.
    void join(std::source_location where = std::source_location::current());

    int size() const noexcept { return int(m_workers.size()); }
    uint32_t id() const noexcept { return m_id; }
    const std::vector<Thread> &workers() const noexcept { return m_workers; }

private:
    struct Task
    {
        uint64_t id;
        std::function<bool()> body; ///< false when the task threw
    };
    uint64_t enqueue(std::function<bool()> body, std::source_location where);
    void workerLoop();

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Task> m_tasks;
    uint64_t m_lastTask = 0;
    bool m_closed = false;
    uint32_t m_id;
    std::vector<Thread> m_workers;
};

} // namespace interleave::core
