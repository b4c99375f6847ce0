// SPDX-License-Identifier: MIT
#pragma once
// The preloaded recorder's shared state: whether it records, the re-entrancy guard, the real
// functions behind the interposed ones, and the per-process tables (sync objects by address, call
// sites by return address, pthread_t -> tid, channels by fd).

#include "trace/event.h"
#include "trace/recorder.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <dlfcn.h>

#define INTERLEAVE_EXPORT extern "C" __attribute__((visibility("default")))

namespace interleave::core {
class EventLog;
}

namespace interleave::preload {

namespace core = ::interleave::core;
using core::EventType;
using core::ObjectKind;

namespace detail {
/// Set once the constructor attached to the log; false when the program runs untraced.
extern bool g_ready;
/// Depth of recorder code on this thread: intercepted calls made from inside go straight through.
extern constinit thread_local int t_inside __attribute__((tls_model("initial-exec")));
void *lookup(const char *name, const char *version) noexcept;

inline uint32_t hashOf(uintptr_t v, uint32_t slots) noexcept
{
    return uint32_t((v * 0x9E3779B97F4A7C15ull) >> 40) & (slots - 1);
}

// Lock-free open-addressing tables, probed from hashOf(key). Their first probe is inlined into
// the interceptors (see callSite, objectFor): an intercepted lock + unlock must cost no more than
// the instrumented mutex, and a call into the full lookup costs a frame per table per call.
constexpr uint32_t kSiteSlots = 8192;
struct SiteEntry
{
    std::atomic<uintptr_t> pc{0};
    std::atomic<uint32_t> id{0};
};
extern SiteEntry g_sites[kSiteSlots];

constexpr uint32_t kObjectSlots = 1 << 16;
constexpr uint32_t kFree = UINT32_MAX; // a destroyed object's slot: its address may come back
struct ObjectEntry
{
    std::atomic<uintptr_t> address{0};
    std::atomic<uint32_t> id{0}; ///< 0 while its creator announces it
    std::atomic<uint8_t> kind{0};
    std::atomic<uint32_t> name{0}; ///< the name it was announced with (interned)
};
extern ObjectEntry g_objects[kObjectSlots];

uint32_t callSiteSlow(const void *returnAddress) noexcept;
uint32_t objectForSlow(const void *address, ObjectKind kind, uint32_t site) noexcept;
} // namespace detail

/// True when the calling interceptor should record (traced, initialised, not re-entered).
inline bool active() noexcept
{
    return detail::g_ready && detail::t_inside == 0 && core::recorder::enabled();
}

/// Marks the calling thread as inside the recorder for its lifetime.
class Guard
{
public:
    Guard() noexcept { ++detail::t_inside; }
    ~Guard() { --detail::t_inside; }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;
};

/// Records one event; the recorder's own calls (a mutex, a nanosleep while the reader frees a
/// chunk) pass through the interceptors unrecorded.
inline void record(EventType type, uint32_t object = 0, int64_t arg = 0, uint8_t flags = 0, uint32_t loc = 0) noexcept
{
    const int saved = errno; // the caller's errno is the real call's
    Guard guard;
    core::recorder::record(type, object, arg, flags, loc);
    errno = saved;
}

/// The real `name` (the next definition after this library), resolved once, lazily: an
/// interceptor may run before the constructor. `version` for symbols with several ABIs.
#define INTERLEAVE_REAL_VERSIONED(name, version)                                                                       \
    inline decltype(&::name) real_##name() noexcept                                                                    \
    {                                                                                                                  \
        static constinit std::atomic<void *> fn{nullptr};                                                              \
        void *f = fn.load(std::memory_order_relaxed);                                                                  \
        if (!f) [[unlikely]] {                                                                                         \
            f = ::interleave::preload::detail::lookup(#name, version);                                                 \
            fn.store(f, std::memory_order_relaxed);                                                                    \
        }                                                                                                              \
        return reinterpret_cast<decltype(&::name)>(f);                                                                 \
    }
#define INTERLEAVE_REAL(name) INTERLEAVE_REAL_VERSIONED(name, nullptr)

/// The interned "@at:<module>+0x<off>" of a code address (a call's return address); cached per
/// address in a lock-free table, so dladdr runs once per call site.
inline uint32_t callSite(const void *returnAddress) noexcept
{
    const auto pc = reinterpret_cast<uintptr_t>(returnAddress);
    const detail::SiteEntry &e = detail::g_sites[detail::hashOf(pc, detail::kSiteSlots)];
    if (e.pc.load(std::memory_order_acquire) == pc) [[likely]]
        if (const uint32_t id = e.id.load(std::memory_order_acquire))
            return id;
    return detail::callSiteSlow(returnAddress);
}
#define INTERLEAVE_SITE() ::interleave::preload::callSite(__builtin_return_address(0))

/// The object id of the synchronisation object at `address` in this process, announced with an
/// ObjectNew (kind, name "@var:..." for static data, else "@at:<site>") at first use.
inline uint32_t objectFor(const void *address, ObjectKind kind, uint32_t site) noexcept
{
    const auto key = reinterpret_cast<uintptr_t>(address);
    const detail::ObjectEntry &e = detail::g_objects[detail::hashOf(key, detail::kObjectSlots)];
    if (e.address.load(std::memory_order_acquire) == key) [[likely]] {
        const uint32_t id = e.id.load(std::memory_order_acquire);
        if (id != 0 && id != detail::kFree)
            return id;
    }
    return detail::objectForSlow(address, kind, site);
}
/// A fresh id for `address` (pthread_mutex_init and friends), replacing any earlier one; named
/// `name` (an interned string) when given, else as objectFor names it.
uint32_t newObjectAt(const void *address, ObjectKind kind, uint32_t site, uint32_t name = 0) noexcept;
/// The id at `address` if it has one (0 otherwise) and its kind, without creating it.
uint32_t existingObject(const void *address, ObjectKind *kind = nullptr) noexcept;
/// Announces the object at `address` again (same id) with a new name (0: keep it) and kind (null:
/// keep it). Nothing when `address` has no object yet.
void renameObject(const void *address, uint32_t name, const ObjectKind *kind = nullptr) noexcept;
/// Forgets `address` (destroy): a later object at the same address is a new one.
void forgetObject(const void *address) noexcept;

/// Where glibc's struct pthread keeps the thread's kernel tid (0: unknown).
extern size_t g_tidOffset;
/// pthread_t -> kernel tid of threads created in this process (for joins).
void rememberThread(unsigned long thread, int32_t tid) noexcept;
/// The tid of `thread`, waiting briefly while a thread just created has not stored it yet.
int32_t tidOf(unsigned long thread) noexcept;

/// The calling thread's last name (interned), so a fork child names its thread as the parent's.
extern constinit thread_local uint32_t t_threadName __attribute__((tls_model("initial-exec")));
void nameThread(std::string_view name) noexcept;

/// The Python call site kept after a failed trylock while the GIL was held, for the wait that
/// follows on the same object (see python.h).
struct PendingSite
{
    uint32_t object = 0;
    uint32_t site = 0;
};
extern constinit thread_local PendingSite t_pendingSite __attribute__((tls_model("initial-exec")));
/// Keeps the Python site (if any) of a failed try on `object`.
void notePythonSite(uint32_t object) noexcept;
/// The site to record for a wait/obtain on `object`: the kept Python site, else `site`.
inline uint32_t siteFor(uint32_t object, uint32_t site) noexcept
{
    return t_pendingSite.object == object && t_pendingSite.site != 0 ? t_pendingSite.site : site;
}
inline void clearPythonSite(uint32_t object) noexcept
{
    if (t_pendingSite.object == object)
        t_pendingSite = {};
}

/// This process's name for ProcessStart and the ppid it records (0 under the runner).
uint32_t processNameId() noexcept;
int32_t recordedParent() noexcept;
/// Records ProcessStart with `name` (interned) for the calling process.
void recordProcessStart(uint32_t name) noexcept;

/// Called in a fork child: the recorder's own reset, fresh channel announcements.
void afterForkInChild() noexcept;
/// A counter bumped in every fork child: per-process caches stamped with an older one are stale.
extern std::atomic<uint32_t> g_processEpoch;

/// The log this process records into (null when untraced).
core::EventLog *attachedLog() noexcept;
/// The log fd inherited from the runner (kept open across the program's closes), -1 if none.
int logFd() noexcept;
/// Builds the environment of an exec'd image: `envp` plus what the recorder needs (LD_PRELOAD,
/// the INTERLEAVE_* variables when missing; INTERLEAVE_EXEC_PID=<pid> when `sameProcess`). The
/// result lives in `out` (capacity `cap` pointers) and `buffer` (no allocation: may run after fork).
char *const *execEnvironment(char *const *envp, bool sameProcess, char **out, int cap, char *buffer,
                             int bufferSize) noexcept;
/// Counts the entries of a null-terminated environment.
int environmentSize(char *const *envp) noexcept;

/// The command line of argv, interned ("prog arg1 arg2").
uint32_t commandLine(const char *path, char *const *argv) noexcept;

} // namespace interleave::preload
