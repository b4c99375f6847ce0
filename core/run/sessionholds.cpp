// SPDX-License-Identifier: MIT
// Session: the hold point as the session sees it (which thread waits there, for what) and the
// step of one chosen thread ("be the scheduler").
#include "run/runner.h"
#include "run/session.h"
#include "trace/eventlog.h"

#include <atomic>
#include <cstring>
#include <string>
#include <sys/socket.h>

namespace interleave::core {

namespace {

/// A string the run stored in the log (its id is its offset in the string area), read straight
/// from the shared memory: a held thread's call site or name may not have reached the model yet.
std::string loggedString(const logformat::Header &h, uint32_t id)
{
    if (id < logformat::kFirstStringOffset || uint64_t(id) + sizeof(logformat::StringRecord) > h.stringBytes)
        return {};
    const char *area = reinterpret_cast<const char *>(&h) + h.stringOffset;
    auto *record = reinterpret_cast<logformat::StringRecord *>(const_cast<char *>(area) + id);
    if (std::atomic_ref<uint32_t>(record->committed).load(std::memory_order_acquire) == 0)
        return {};
    const uint32_t length = std::atomic_ref<uint32_t>(record->length).load(std::memory_order_relaxed);
    if (uint64_t(id) + sizeof(logformat::StringRecord) + length > h.stringBytes)
        return {};
    return std::string(area + id + sizeof(logformat::StringRecord), length);
}

/// Event types whose object is a variable, lock, condition, semaphore, queue or pipe (announced
/// by ObjectNew), not a tid or a string.
bool objectIsNamed(EventType type)
{
    const auto t = uint8_t(type);
    return (t >= uint8_t(EventType::LockWait) && t <= uint8_t(EventType::PipeRecv) && type != EventType::QueueDepth) ||
           type == EventType::VarLoad || type == EventType::VarStore;
}

} // namespace

std::string ThreadHold::nextStep() const
{
    // "lock A", not "lock lock A": an object named for what is done to it keeps its name.
    auto with = [&](const char *verb) {
        const std::string prefix = verb + std::string(" ");
        if (object.empty())
            return std::string(verb);
        return object.compare(0, prefix.size(), prefix) == 0 ? object : prefix + object;
    };
    switch (next) {
    case EventType::VarLoad:
        return with("load");
    case EventType::VarStore:
        return with("store");
    case EventType::LockWait:
    case EventType::LockObtain:
        return with("lock");
    case EventType::LockRelease:
        return with("unlock");
    case EventType::CondWait:
        return with("wait");
    case EventType::CondNotify:
        return with("notify");
    case EventType::SemWait:
    case EventType::SemAcquire:
        return with("acquire");
    case EventType::SemRelease:
        return with("release");
    case EventType::QueuePut:
        return with("put");
    case EventType::QueueGetWait:
    case EventType::QueueGet:
        return with("get");
    case EventType::JoinWait:
        return "join";
    case EventType::SleepBegin:
        return "sleep";
    case EventType::ThreadExit:
        return "exit";
    case EventType::Output:
        return "print";
    default:
        return with(eventTypeName(next));
    }
}

std::vector<ThreadHold> Session::holds()
{
    std::vector<ThreadHold> found;
    if (m_status != RunStatus::Running || !m_log)
        return found;
    drain(); // the names of threads that were just named
    for (const logformat::HeldThread &entry : m_log->header()->held) {
        ThreadHold hold;
        hold.tid = entry.tid.load(std::memory_order_acquire);
        if (hold.tid == 0)
            continue;
        hold.held = entry.waiting.load(std::memory_order_acquire) != 0;
        hold.stepsDone = entry.done.load(std::memory_order_acquire);
        hold.pid = entry.pid.load(std::memory_order_relaxed);
        hold.next = EventType(entry.type.load(std::memory_order_relaxed));
        const uint32_t object = entry.object.load(std::memory_order_relaxed);
        hold.thread = m_model.threadByTid(hold.tid, hold.pid);
        hold.name = hold.thread != kNoEvent
                        ? m_model.threadName(hold.thread)
                        : loggedString(*m_log->header(), entry.name.load(std::memory_order_relaxed));
        if (objectIsNamed(hold.next) && object != 0) {
            if (m_model.object(object))
                hold.object = m_model.objectName(object);
            else
                hold.held = false; // said held once the model can name what it waits to do
        }
        if (hold.thread == kNoEvent)
            hold.held = false; // nor can it be stepped before the model knows it
        hold.site = loggedString(*m_log->header(), entry.loc.load(std::memory_order_relaxed));
        found.push_back(std::move(hold));
    }
    return found;
}

bool Session::step(uint32_t thread)
{
    if (m_status != RunStatus::Running || thread >= m_model.threadCount())
        return false;
    const std::string message = control::kStepThread + std::to_string(m_model.thread(thread).tid);
    return ::send(m_control, message.data(), message.size(), MSG_NOSIGNAL) == ssize_t(message.size());
}

void Session::releaseHolds()
{
    // The runner's resume clears every hold, a pause's as a schedule's.
    if (m_status == RunStatus::Running && !m_paused)
        ::send(m_control, control::kResume, std::strlen(control::kResume), MSG_NOSIGNAL);
}

} // namespace interleave::core
