// SPDX-License-Identifier: MIT
#pragma once
// A small single-threaded event loop for C++20 coroutines (the "async" scenario): what asyncio
// does for Python, on epoll. A coroutine that awaits a socket gives the thread back to the loop,
// which runs the other coroutines and sleeps in epoll_wait only when every one of them waits.

#include <coroutine>
#include <cstdint>
#include <deque>
#include <exception>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interleave::core {

/// Records one wait of a request as an async span (AsyncBegin now, AsyncEnd when it dies), so
/// overlapping waits of one thread show as separate bars on the timeline.
class WaitSpan
{
public:
    explicit WaitSpan(std::string_view name);
    ~WaitSpan();
    WaitSpan(const WaitSpan &) = delete;
    WaitSpan &operator=(const WaitSpan &) = delete;

private:
    uint32_t m_name = 0;
    int64_t m_id = 0;
};

/// A coroutine run by an EventLoop. It starts suspended; EventLoop::spawn takes it over.
class Task
{
public:
    struct promise_type
    {
        std::exception_ptr error;
        Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };
    using Handle = std::coroutine_handle<promise_type>;

    Task(Task &&other) noexcept
        : m_handle(std::exchange(other.m_handle, {}))
    {}
    Task &operator=(Task &&) = delete;
    ~Task()
    {
        if (m_handle)
            m_handle.destroy();
    }
    Handle release() { return std::exchange(m_handle, {}); }

private:
    explicit Task(Handle handle)
        : m_handle(handle)
    {}
    Handle m_handle;
};

/// Runs coroutines on the calling thread: resumes the ready ones, then waits in one epoll_wait
/// for every socket they wait on. Not thread-safe, by design: one thread is the point.
class EventLoop
{
public:
    EventLoop();
    /// Destroys every coroutine, finished or not (a stopped run leaves some waiting).
    ~EventLoop();
    EventLoop(const EventLoop &) = delete;
    EventLoop &operator=(const EventLoop &) = delete;

    /// Adds a coroutine; it starts when run() runs.
    void spawn(Task task);
    /// Runs until every coroutine has finished, or a stop request. Rethrows the first exception
    /// that escaped a coroutine.
    void run();

    /// `co_await loop.readable(fd, "request 3")`: suspends the coroutine until `fd` can be read,
    /// recording the wait as a WaitSpan called `what`.
    struct Readable
    {
        EventLoop &loop;
        int fd;
        std::string_view what;
        std::optional<WaitSpan> span;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> waiter)
        {
            span.emplace(what);
            loop.watch(fd, waiter);
        }
        void await_resume() noexcept { span.reset(); }
    };
    Readable readable(int fd, std::string_view what) { return Readable{*this, fd, what, std::nullopt}; }

private:
    void watch(int fd, std::coroutine_handle<> waiter);

    int m_epoll = -1;
    std::vector<Task::Handle> m_tasks;
    std::deque<std::coroutine_handle<>> m_ready;
    std::unordered_map<int, std::coroutine_handle<>> m_waiting; // fd -> the coroutine waiting on it
};

} // namespace interleave::core
