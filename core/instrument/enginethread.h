// SPDX-License-Identifier: MIT
#pragma once

#include <pthread.h>

#include <functional>

namespace interleave::core {

/// A thread of the engine's own (the runner's control thread, the sampler), never a lesson's: as
/// std::thread, on a small stack. Every child a scenario forks from the runner holds the stacks of
/// the runner's threads without the threads, and glibc hands such a stack to the child's next new
/// thread of the same size; ThreadSanitizer (gcc 12), which still counts the parent's threads as
/// live in the child, then takes that thread for a duplicate and aborts. A stack too small for a
/// default-sized thread is never handed on that way (and 512 KiB is also all these loops need).
class EngineThread
{
public:
    static constexpr size_t kStackBytes = size_t(512) << 10;

    EngineThread() = default;
    /// Starts `body` at once; throws std::system_error when the thread cannot be created.
    explicit EngineThread(std::function<void()> body);
    /// As std::thread: a thread still joinable here is a bug (std::terminate).
    ~EngineThread();
    EngineThread(EngineThread &&other) noexcept;
    EngineThread &operator=(EngineThread &&other) noexcept;
    EngineThread(const EngineThread &) = delete;
    EngineThread &operator=(const EngineThread &) = delete;

    bool joinable() const noexcept { return m_joinable; }
    void join();
    /// It ends with the process.
    void detach();

private:
    pthread_t m_handle{};
    bool m_joinable = false;
};

} // namespace interleave::core
