// SPDX-License-Identifier: MIT
#include "scenarios/eventloop.h"

#include "instrument/blocking.h"
#include "trace/recorder.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <system_error>

namespace interleave::core {

namespace {
std::atomic<int64_t> g_nextSpanId{1};
} // namespace

WaitSpan::WaitSpan(std::string_view name)
    : m_id(g_nextSpanId.fetch_add(1, std::memory_order_relaxed))
{
    if (recorder::enabled())
        m_name = recorder::intern(name);
    recorder::record(EventType::AsyncBegin, m_name, m_id);
}

WaitSpan::~WaitSpan()
{
    recorder::record(EventType::AsyncEnd, m_name, m_id);
}

EventLoop::EventLoop()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0)
        throw std::system_error(errno, std::generic_category(), "cannot create the event loop's epoll instance");
}

EventLoop::~EventLoop()
{
    for (Task::Handle task : m_tasks)
        task.destroy();
    ::close(m_epoll);
}

void EventLoop::spawn(Task task)
{
    Task::Handle handle = task.release();
    m_tasks.push_back(handle);
    m_ready.push_back(handle);
}

void EventLoop::watch(int fd, std::coroutine_handle<> waiter)
{
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0)
        throw std::system_error(errno, std::generic_category(), "cannot watch a socket in the event loop");
    m_waiting[fd] = waiter;
}

void EventLoop::run()
{
    for (;;) {
        // Run every coroutine that can go on; each runs until it awaits again or finishes.
        while (!m_ready.empty()) {
            const std::coroutine_handle<> next = m_ready.front();
            m_ready.pop_front();
            next.resume();
        }
        if (m_waiting.empty() || instrument::stopRequested())
            break;
        // Everyone waits: the one place where this thread blocks. The timeout only lets a stop in.
        epoll_event events[64];
        int n;
        {
            IoWait wait("epoll_wait");
            n = epoll_wait(m_epoll, events, 64, int(instrument::kStopPollInterval.count()));
        }
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
            const auto it = m_waiting.find(fd);
            if (it != m_waiting.end()) {
                m_ready.push_back(it->second);
                m_waiting.erase(it);
            }
        }
    }
    for (Task::Handle task : m_tasks) {
        if (task.done() && task.promise().error)
            std::rethrow_exception(task.promise().error);
    }
}

} // namespace interleave::core
