// SPDX-License-Identifier: MIT
#include "instrument/enginethread.h"

#include <exception>
#include <memory>
#include <system_error>
#include <utility>

namespace interleave::core {

namespace {

void *trampoline(void *arg)
{
    const std::unique_ptr<std::function<void()>> body(static_cast<std::function<void()> *>(arg));
    (*body)();
    return nullptr;
}

} // namespace

EngineThread::EngineThread(std::function<void()> body)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kStackBytes);
    auto *owned = new std::function<void()>(std::move(body));
    const int error = pthread_create(&m_handle, &attr, trampoline, owned);
    pthread_attr_destroy(&attr);
    if (error != 0) {
        delete owned;
        throw std::system_error(error, std::generic_category(), "cannot start an engine thread");
    }
    m_joinable = true;
}

EngineThread::~EngineThread()
{
    if (m_joinable)
        std::terminate();
}

EngineThread::EngineThread(EngineThread &&other) noexcept
    : m_handle(other.m_handle)
    , m_joinable(std::exchange(other.m_joinable, false))
{}

EngineThread &EngineThread::operator=(EngineThread &&other) noexcept
{
    if (m_joinable)
        std::terminate();
    m_handle = other.m_handle;
    m_joinable = std::exchange(other.m_joinable, false);
    return *this;
}

void EngineThread::join()
{
    if (!m_joinable)
        throw std::system_error(std::make_error_code(std::errc::invalid_argument), "engine thread not joinable");
    const int error = pthread_join(m_handle, nullptr);
    if (error != 0)
        throw std::system_error(error, std::generic_category(), "cannot join an engine thread");
    m_joinable = false;
}

void EngineThread::detach()
{
    if (!m_joinable)
        throw std::system_error(std::make_error_code(std::errc::invalid_argument), "engine thread not joinable");
    pthread_detach(m_handle);
    m_joinable = false;
}

} // namespace interleave::core
