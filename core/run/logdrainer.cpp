// SPDX-License-Identifier: MIT
#include "run/logdrainer.h"

#include "trace/eventlog.h"

#include <algorithm>
#include <chrono>
#include <iterator>

namespace interleave::core {

namespace {

// Often enough that a full-speed run's chunks come back long before the log fills (64 MiB hold
// two million events), rarely enough that an idle run costs nothing to speak of.
constexpr auto kDrainPeriod = std::chrono::milliseconds(4);

} // namespace

LogDrainer::LogDrainer(EventLog &log)
    : m_log(log)
{
    m_thread = std::thread([this] { loop(); });
}

LogDrainer::~LogDrainer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void LogDrainer::loop()
{
    m_log.populate(); // here, not on the thread that made the log: 64 MiB of pages take a while
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        const bool final = m_finishing;
        lock.unlock();
        drainOnce(final);
        lock.lock();
        if (final) {
            m_finished = true;
            return;
        }
        m_wake.wait_for(lock, kDrainPeriod, [this] { return m_stop || m_finishing; });
    }
}

void LogDrainer::drainOnce(bool final)
{
    // Read without the lock (the long part), publish under it (a few moves).
    m_log.drain(m_read);
    if (final)
        m_log.finish(m_read);
    std::lock_guard lock(m_mutex);
    if (m_events.empty()) {
        m_events.swap(m_read.events);
    } else {
        m_events.insert(m_events.end(), m_read.events.begin(), m_read.events.end());
        m_read.events.clear();
    }
    m_threads.insert(m_threads.end(), m_read.threads.begin() + ptrdiff_t(m_threadsPublished), m_read.threads.end());
    m_threadsPublished = m_read.threads.size();
    std::move(m_read.strings.begin(), m_read.strings.end(), std::back_inserter(m_strings));
    m_read.strings.clear();
    m_dropped = m_read.droppedEvents;
    m_torn = m_read.tornEvents;
}

size_t LogDrainer::take(TraceData &into, size_t maxEvents)
{
    std::lock_guard lock(m_mutex);
    into.threads.insert(into.threads.end(), m_threads.begin(), m_threads.end());
    m_threads.clear();
    for (auto &[id, text] : m_strings)
        into.setString(id, std::move(text));
    m_strings.clear();
    into.droppedEvents = m_dropped;
    into.tornEvents = m_torn;

    const size_t waiting = m_events.size() - m_eventsTaken;
    const size_t n = maxEvents == 0 ? waiting : std::min(waiting, maxEvents);
    const auto first = m_events.begin() + ptrdiff_t(m_eventsTaken);
    into.events.insert(into.events.end(), first, first + ptrdiff_t(n));
    m_eventsTaken += n;
    if (m_eventsTaken == m_events.size()) {
        m_events.clear();
        m_eventsTaken = 0;
    } else if (m_eventsTaken > m_events.size() / 2) {
        // Give the taken front back now and then; each event moves at most once more on average.
        m_events.erase(m_events.begin(), m_events.begin() + ptrdiff_t(m_eventsTaken));
        m_eventsTaken = 0;
    }
    return n;
}

size_t LogDrainer::backlog() const
{
    std::lock_guard lock(m_mutex);
    return m_events.size() - m_eventsTaken;
}

void LogDrainer::finishSoon()
{
    {
        std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_wake.notify_all();
}

bool LogDrainer::finished() const
{
    std::lock_guard lock(m_mutex);
    return m_finished;
}

void LogDrainer::finish()
{
    finishSoon();
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace interleave::core
