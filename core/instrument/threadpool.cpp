// SPDX-License-Identifier: MIT
#include "instrument/threadpool.h"

#include "instrument/blocking.h"
#include "trace/recorder.h"

#include <string>

namespace interleave::core {

ThreadPool::ThreadPool(int workers, std::string_view name)
    : m_id(recorder::newObject(ObjectKind::ThreadPool, name))
{
    m_workers.reserve(size_t(std::max(workers, 0)));
    for (int i = 0; i < workers; ++i) {
        std::string name = "Worker-";
        name += std::to_string(i + 1);
        m_workers.emplace_back(std::move(name), [this] { workerLoop(); });
    }
}

ThreadPool::~ThreadPool()
{
    close();
    for (auto &worker : m_workers) {
        if (worker.joinable())
            worker.join();
    }
}

uint64_t ThreadPool::enqueue(std::function<bool()> body, std::source_location where)
{
    uint64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return 0; // the body (and its promise) dies here: the handle reports broken_promise
        id = ++m_lastTask;
        // Recorded before a worker can see the task, so TaskSubmit always precedes its TaskStart.
        if (recorder::enabled())
            recorder::record(EventType::TaskSubmit, m_id, int64_t(id), 0, recorder::location(where));
        m_tasks.push_back({id, std::move(body)});
    }
    m_cv.notify_one();
    return id;
}

void ThreadPool::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_cv.notify_all();
}

void ThreadPool::join(std::source_location where)
{
    close();
    for (auto &worker : m_workers) {
        if (worker.joinable())
            worker.join(where);
    }
}

void ThreadPool::workerLoop()
{
    for (;;) {
        Task task;
        {
            std::unique_lock lock(m_mutex);
            // Slices so that a stop request reaches idle workers within kStopPollInterval.
            while (m_tasks.empty() && !m_closed && !instrument::stopRequested())
                m_cv.wait_for(lock, instrument::kStopPollInterval);
            if (instrument::stopRequested() || m_tasks.empty())
                return;
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        recorder::record(EventType::TaskStart, m_id, int64_t(task.id));
        const bool ok = task.body();
        recorder::record(ok ? EventType::TaskEnd : EventType::TaskFailed, m_id, int64_t(task.id));
    }
}

} // namespace interleave::core
