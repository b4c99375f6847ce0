// SPDX-License-Identifier: MIT
#include "instrument/thread.h"

#include "trace/recorder.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>

namespace interleave::core {

int32_t currentTid() noexcept
{
    return int32_t(::gettid());
}

namespace {

std::atomic<int> g_threadCounter{0};

std::string defaultName()
{
    return "Thread-" + std::to_string(g_threadCounter.fetch_add(1) + 1);
}

} // namespace

void Thread::start(std::function<void()> body)
{
    if (m_state->name.empty())
        m_state->name = defaultName();
    const int32_t creator = currentTid();
    m_thread = std::thread([state = m_state, creator, body = std::move(body)]() mutable {
        state->tid.store(currentTid(), std::memory_order_release);
        state->tid.notify_all();
        // The kernel keeps 15 bytes of a thread name; top and /proc show that much.
        pthread_setname_np(pthread_self(), state->name.substr(0, 15).c_str());
        recorder::record(EventType::ThreadStart, 0, creator);
        recorder::nameThread(state->name);
        try {
            body();
        } catch (const std::exception &e) {
            // As Python prints "Exception in thread ...": the failure is visible even if nobody joins.
            std::fprintf(stderr, "Exception in thread %s: %s\n", state->name.c_str(), e.what());
            state->error = std::current_exception();
        } catch (...) {
            std::fprintf(stderr, "Exception in thread %s\n", state->name.c_str());
            state->error = std::current_exception();
        }
        recorder::record(EventType::ThreadExit);
        recorder::closeThread();
    });
}

Thread::~Thread()
{
    joinQuietly();
}

Thread &Thread::operator=(Thread &&other) noexcept
{
    if (this != &other) {
        joinQuietly();
        m_state = std::move(other.m_state);
        m_thread = std::move(other.m_thread);
    }
    return *this;
}

void Thread::join(std::source_location where)
{
    const int32_t target = tid();
    const uint32_t loc = recorder::enabled() ? recorder::location(where) : 0;
    recorder::record(EventType::JoinWait, uint32_t(target), 0, 0, loc);
    m_thread.join();
    recorder::record(EventType::JoinDone, uint32_t(target), 0, 0, loc);
    if (m_state->error)
        std::rethrow_exception(std::exchange(m_state->error, nullptr));
}

void Thread::joinQuietly() noexcept
{
    if (!m_thread.joinable())
        return;
    try {
        join();
    } catch (...) {
        // Already reported on stderr by the thread itself; a destructor must not throw.
    }
}

int32_t Thread::tid() const noexcept
{
    if (!m_state)
        return 0;
    m_state->tid.wait(0, std::memory_order_acquire);
    return m_state->tid.load(std::memory_order_acquire);
}

const std::string &Thread::name() const noexcept
{
    static const std::string none;
    return m_state ? m_state->name : none;
}

} // namespace interleave::core
