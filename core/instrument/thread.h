// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <source_location>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

namespace interleave::core {

/// The kernel thread id of the calling thread (what /proc and the event log call tid).
int32_t currentTid() noexcept;

/// A named, recorded std::thread. The new thread records ThreadStart (arg = creator tid) and its
/// name, runs the function, then records ThreadExit and closes its chunk of the log, also when the
/// function throws. Like std::jthread, destroying a joinable Thread joins it (recorded), so a
/// scenario can never leave a thread running behind its back.
class Thread
{
public:
    Thread() noexcept = default;
    /// Starts `fn(args...)` on a new thread called `name` ("Thread-N" when empty, as Python does).
    template<class F, class... Args>
    explicit Thread(std::string name, F &&fn, Args &&...args)
        : m_state(std::make_shared<State>())
    {
        m_state->name = std::move(name);
        start([f = std::forward<F>(fn), tup = std::make_tuple(std::forward<Args>(args)...)]() mutable {
            std::apply(f, std::move(tup));
        });
    }
    ~Thread();
    Thread(Thread &&other) noexcept = default;
    /// Joins the thread this one held (if any) before taking over `other`, as std::jthread does.
    Thread &operator=(Thread &&other) noexcept;
    Thread(const Thread &) = delete;
    Thread &operator=(const Thread &) = delete;

    /// Waits for the thread (JoinWait / JoinDone, object = its tid). Rethrows an exception that
    /// escaped its function, so a crash of the task is not lost.
    void join(std::source_location where = std::source_location::current());
    bool joinable() const noexcept { return m_thread.joinable(); }
    /// Kernel tid; waits (briefly) until the new thread has published it.
    int32_t tid() const noexcept;
    const std::string &name() const noexcept;

private:
    struct State
    {
        std::string name;
        std::atomic<int32_t> tid{0};
        std::exception_ptr error;
    };
    void start(std::function<void()> body);
    void joinQuietly() noexcept;

    std::shared_ptr<State> m_state;
    std::thread m_thread;
};

} // namespace interleave::core
