// SPDX-License-Identifier: MIT
#include "run/logdrainer.h"

#include "trace/eventlog.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <iterator>
#include <utility>

namespace interleave::core {

namespace {

// Often enough that a full-speed run's chunks come back long before the log fills (64 MiB hold
// two million events), rarely enough that an idle run costs nothing to speak of.
constexpr auto kDrainPeriod = std::chrono::milliseconds(4);

} // namespace

LogDrainer::LogDrainer(EventLog &log, size_t maxWaiting)
    : m_log(log)
    , m_maxWaiting(maxWaiting)
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
        if (final || m_waiting < m_maxWaiting) {
            lock.unlock();
            drainOnce(final);
            lock.lock();
        }
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
    // A traced program's code and data addresses ("@at:", "@var:") become file:line and names
    // here, off the window's thread and before the model sees them. m_read holds only new strings.
    symbolizeNewStrings(m_read, 0, m_symbolizer);
    std::lock_guard lock(m_mutex);
    if (!m_read.events.empty()) {
        m_waiting += m_read.events.size();
        m_batches.push_back(std::exchange(m_read.events, {}));
    }
    m_threads.insert(m_threads.end(), m_read.threads.begin() + ptrdiff_t(m_threadsPublished), m_read.threads.end());
    m_threadsPublished = m_read.threads.size();
    std::move(m_read.strings.begin(), m_read.strings.end(), std::back_inserter(m_strings));
    m_read.strings.clear();
    m_dropped = m_read.droppedEvents;
    m_torn = m_read.tornEvents;
    m_tornThreads = m_read.tornThreads;
}

size_t LogDrainer::take(TraceData &into, size_t maxEvents)
{
    std::vector<std::vector<Event>> whole; // batches taken whole, and a first one taken from
    size_t firstFrom = 0;
    std::vector<Event> part; // the start of a batch the slice ends in
    size_t n = 0;
    {
        std::lock_guard lock(m_mutex);
        into.threads.insert(into.threads.end(), m_threads.begin(), m_threads.end());
        m_threads.clear();
        for (auto &[id, text] : m_strings)
            into.setString(id, std::move(text));
        m_strings.clear();
        into.droppedEvents = m_dropped;
        into.tornEvents = m_torn;
        into.tornThreads = m_tornThreads;

        const size_t limit = maxEvents == 0 ? m_waiting : std::min(m_waiting, maxEvents);
        while (n < limit) {
            std::vector<Event> &front = m_batches.front();
            const size_t left = front.size() - m_frontTaken;
            if (left <= limit - n) {
                if (whole.empty())
                    firstFrom = m_frontTaken;
                else
                    assert(m_frontTaken == 0);
                whole.push_back(std::move(front));
                m_batches.pop_front();
                m_frontTaken = 0;
                n += left;
            } else {
                const auto from = front.begin() + ptrdiff_t(m_frontTaken);
                part.assign(from, from + ptrdiff_t(limit - n));
                m_frontTaken += limit - n;
                n = limit;
            }
        }
        m_waiting -= n;
    }
    // The copying, reallocation included, with the lock free: the drain goes on meanwhile.
    if (into.events.capacity() < into.events.size() + n)
        into.events.reserve(std::max(into.events.size() + n, into.events.capacity() * 2));
    for (size_t k = 0; k < whole.size(); ++k)
        into.events.insert(into.events.end(), whole[k].begin() + ptrdiff_t(k == 0 ? firstFrom : 0), whole[k].end());
    into.events.insert(into.events.end(), part.begin(), part.end());
    return n;
}

size_t LogDrainer::backlog() const
{
    std::lock_guard lock(m_mutex);
    return m_waiting;
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
