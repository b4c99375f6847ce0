// SPDX-License-Identifier: MIT
#pragma once

#include "instrument/blocking.h"
#include "selfcount.h"
#include "trace/eventlog.h"
#include "trace/recorder.h"
#include "trace/tracedata.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace interleave::core::test {

/// "prefix" + n (operator+ on a literal trips a GCC 12 -Wrestrict false positive).
inline std::string numbered(std::string_view prefix, int n)
{
    std::string out(prefix);
    out += std::to_string(n);
    return out;
}

/// A real event log attached for the duration of a test: record, then stop() and look at the
/// events, sorted by time (ties keep the read order, which is per-thread order).
class Recording
{
public:
    Recording()
    {
        instrument::setStopRequested(false);
        std::string error;
        m_log = EventLog::create(size_t(64) << 20, &error);
        EXPECT_TRUE(m_log) << error;
        if (m_log)
            recorder::attach(m_log.get());
        m_tasksAtStart = interleave::test::threadCount();
    }
    ~Recording()
    {
        if (m_attached)
            stop();
        instrument::setStopRequested(false);
    }

    EventLog *log() const { return m_log.get(); }

    TraceData &stop()
    {
        if (m_attached) {
            m_attached = false;
            recorder::detach();
            m_log->finish(m_data);
            std::stable_sort(m_data.events.begin(), m_data.events.end(),
                             [](const Event &a, const Event &b) { return a.time < b.time; });
            EXPECT_EQ(interleave::test::threadCountBackTo(m_tasksAtStart), m_tasksAtStart)
                << "a thread was left running";
        }
        return m_data;
    }

    const TraceData &data() const { return m_data; }

    /// While recording: drains the live log until `done` holds for what was recorded so far; false
    /// after a generous bound (20 s), so a test waits on what happened, not on the clock.
    bool waitUntil(const std::function<bool(const TraceData &)> &done)
    {
        for (int i = 0; i < 20000 && m_attached; ++i) {
            m_log->drain(m_data);
            if (done(m_data))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(1)); // not recorded: the poll stays out of the trace
        }
        return false;
    }
    int32_t tid(const Event &e) const { return m_data.threads.at(e.thread).tid; }
    int32_t pid(const Event &e) const { return m_data.threads.at(e.thread).pid; }

    std::vector<Event> events(EventType type, std::function<bool(const Event &)> also = {}) const
    {
        std::vector<Event> out;
        for (const Event &e : m_data.events) {
            if (e.type == type && (!also || also(e)))
                out.push_back(e);
        }
        return out;
    }
    std::vector<Event> of(uint32_t object, std::initializer_list<EventType> types = {}) const
    {
        std::vector<Event> out;
        for (const Event &e : m_data.events) {
            if (e.object == object &&
                (types.size() == 0 || std::find(types.begin(), types.end(), e.type) != types.end()))
                out.push_back(e);
        }
        return out;
    }
    std::vector<Event> byTid(int32_t tid) const
    {
        std::vector<Event> out;
        for (const Event &e : m_data.events) {
            if (m_data.threads.at(e.thread).tid == tid)
                out.push_back(e);
        }
        return out;
    }

    /// The largest number of simultaneously open [begin, end] intervals per thread, from events.
    int maxConcurrent(EventType begin, EventType end, uint32_t object) const
    {
        int open = 0, most = 0;
        for (const Event &e : m_data.events) {
            if (e.object != object)
                continue;
            if (e.type == begin)
                most = std::max(most, ++open);
            else if (e.type == end)
                --open;
        }
        return most;
    }

private:
    std::unique_ptr<EventLog> m_log;
    TraceData m_data;
    bool m_attached = true;
    int m_tasksAtStart = 0;
};

} // namespace interleave::core::test
