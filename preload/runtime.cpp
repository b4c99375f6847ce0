// SPDX-License-Identifier: MIT
// The preloaded recorder's shared state and tables; the library's constructor is in startup.cpp.
#include "runtime.h"

#include "python.h"
#include "trace/eventlog.h"

#include <cstdio>
#include <cstring>
#include <string>

#include <sched.h>
#include <unistd.h>

namespace interleave::preload {

using namespace detail;

namespace detail {
bool g_ready = false;
SiteEntry g_sites[kSiteSlots];
ObjectEntry g_objects[kObjectSlots];
constinit thread_local int t_inside = 0;

void *lookup(const char *name, const char *version) noexcept
{
    // dlsym may allocate and lock: whatever it calls of ours goes straight through.
    ++t_inside;
    void *f = version ? dlvsym(RTLD_NEXT, name, version) : dlsym(RTLD_NEXT, name);
    --t_inside;
    return f;
}
} // namespace detail

constinit thread_local uint32_t t_threadName = 0;
constinit thread_local PendingSite t_pendingSite;
std::atomic<uint32_t> g_processEpoch{1};

namespace {

// The absolute path of the program, for call sites in it (dladdr names it as it was started).
char g_exePath[4096];

std::string modulePath(const Dl_info &info)
{
    if (info.dli_fname && info.dli_fname[0] == '/')
        return info.dli_fname;
    if (!g_exePath[0]) {
        const ssize_t n = readlink("/proc/self/exe", g_exePath, sizeof g_exePath - 1);
        g_exePath[n > 0 ? n : 0] = '\0';
    }
    return g_exePath;
}

/// "@<kind>:<module>+0x<offset>" for an address inside a loaded module, "" otherwise.
std::string addressName(const char *kind, const void *address)
{
    Dl_info info{};
    if (dladdr(address, &info) == 0 || !info.dli_fbase)
        return {};
    char offset[32];
    std::snprintf(
        offset, sizeof offset, "+0x%lx",
        static_cast<unsigned long>(reinterpret_cast<uintptr_t>(address) - reinterpret_cast<uintptr_t>(info.dli_fbase)));
    return std::string(kind) + modulePath(info) + offset;
}

constexpr uint32_t kThreadSlots = 4096;
struct ThreadEntry
{
    std::atomic<unsigned long> thread{0};
    std::atomic<int32_t> tid{0};
};
ThreadEntry g_threads[kThreadSlots];

/// Announces object `id` at `address`; the name as the contract says.
uint32_t announce(uint32_t id, const void *address, ObjectKind kind, uint32_t site, uint32_t nameId = 0) noexcept
{
    Guard guard;
    if (nameId == 0) {
        const std::string name = addressName("@var:", address);
        // Not in a module's static data (heap, stack): named after the call that made or first used it.
        nameId = name.empty() ? site : core::recorder::intern(name);
    }
    record(EventType::ObjectNew, id, nameId, uint8_t(kind));
    return nameId;
}

} // namespace

uint32_t detail::callSiteSlow(const void *returnAddress) noexcept
{
    const auto pc = reinterpret_cast<uintptr_t>(returnAddress);
    const uint32_t start = hashOf(pc, kSiteSlots);
    for (uint32_t i = 0; i < 16; ++i) {
        SiteEntry &e = g_sites[(start + i) & (kSiteSlots - 1)];
        const uintptr_t have = e.pc.load(std::memory_order_acquire);
        if (have == pc) {
            if (const uint32_t id = e.id.load(std::memory_order_acquire))
                return id;
            break; // being filled in by another thread: compute it too (same id)
        }
        if (have == 0)
            break;
    }
    Guard guard;
    const uint32_t id = core::recorder::intern(addressName("@at:", returnAddress));
    for (uint32_t i = 0; i < 16 && id != 0; ++i) {
        SiteEntry &e = g_sites[(start + i) & (kSiteSlots - 1)];
        uintptr_t expected = 0;
        if (e.pc.compare_exchange_strong(expected, pc, std::memory_order_acq_rel) || expected == pc) {
            e.id.store(id, std::memory_order_release);
            break;
        }
    }
    return id;
}

namespace {

/// The slot of `address`, claimed for it when absent and `create`; null when full or absent.
ObjectEntry *objectSlot(uintptr_t address, bool create) noexcept
{
    const uint32_t start = hashOf(address, kObjectSlots);
    for (uint32_t i = 0; i < 64; ++i) {
        ObjectEntry &e = g_objects[(start + i) & (kObjectSlots - 1)];
        uintptr_t have = e.address.load(std::memory_order_acquire);
        if (have == address)
            return &e;
        if (have != 0)
            continue;
        if (!create)
            return nullptr;
        if (e.address.compare_exchange_strong(have, address, std::memory_order_acq_rel) || have == address)
            return &e;
    }
    return nullptr;
}

} // namespace

uint32_t detail::objectForSlow(const void *address, ObjectKind kind, uint32_t site) noexcept
{
    ObjectEntry *e = objectSlot(reinterpret_cast<uintptr_t>(address), true);
    if (!e)
        return 0;
    uint32_t id = e->id.load(std::memory_order_acquire);
    if (id != 0 && id != kFree)
        return id;
    if (id == kFree || id == 0) {
        // One thread wins the right to announce (kFree -> 0 -> id, or the first 0 -> id).
        core::EventLog *log = attachedLog();
        if (!log)
            return 0;
        const uint32_t fresh = log->newObjectId();
        uint32_t expected = id;
        if (e->id.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) {
            e->kind.store(uint8_t(kind), std::memory_order_relaxed);
            e->name.store(announce(fresh, address, kind, site), std::memory_order_relaxed);
            return fresh;
        }
        return expected != kFree ? expected : objectForSlow(address, kind, site);
    }
    return id;
}

uint32_t newObjectAt(const void *address, ObjectKind kind, uint32_t site, uint32_t name) noexcept
{
    ObjectEntry *e = objectSlot(reinterpret_cast<uintptr_t>(address), true);
    core::EventLog *log = attachedLog();
    if (!e || !log)
        return 0;
    const uint32_t fresh = log->newObjectId();
    e->kind.store(uint8_t(kind), std::memory_order_relaxed);
    e->id.store(fresh, std::memory_order_release);
    e->name.store(announce(fresh, address, kind, site, name), std::memory_order_relaxed);
    return fresh;
}

void renameObject(const void *address, uint32_t name, const ObjectKind *kind) noexcept
{
    ObjectEntry *e = objectSlot(reinterpret_cast<uintptr_t>(address), false);
    if (!e)
        return;
    const uint32_t id = e->id.load(std::memory_order_acquire);
    if (id == 0 || id == kFree)
        return;
    if (kind)
        e->kind.store(uint8_t(*kind), std::memory_order_relaxed);
    if (name)
        e->name.store(name, std::memory_order_relaxed);
    // The same id with a new name or kind: the model takes the newest announcement.
    record(EventType::ObjectNew, id, e->name.load(std::memory_order_relaxed), e->kind.load(std::memory_order_relaxed));
}

uint32_t existingObject(const void *address, ObjectKind *kind) noexcept
{
    ObjectEntry *e = objectSlot(reinterpret_cast<uintptr_t>(address), false);
    if (!e)
        return 0;
    const uint32_t id = e->id.load(std::memory_order_acquire);
    if (kind)
        *kind = ObjectKind(e->kind.load(std::memory_order_relaxed));
    return id == kFree ? 0 : id;
}

void forgetObject(const void *address) noexcept
{
    if (ObjectEntry *e = objectSlot(reinterpret_cast<uintptr_t>(address), false))
        e->id.store(kFree, std::memory_order_release);
}

void rememberThread(unsigned long thread, int32_t tid) noexcept
{
    const uint32_t start = hashOf(thread, kThreadSlots);
    for (uint32_t i = 0; i < kThreadSlots; ++i) {
        ThreadEntry &e = g_threads[(start + i) & (kThreadSlots - 1)];
        unsigned long have = e.thread.load(std::memory_order_acquire);
        if (have == thread || (have == 0 && (e.thread.compare_exchange_strong(have, thread) || have == thread))) {
            e.tid.store(tid, std::memory_order_release);
            return;
        }
    }
}

int32_t tidOf(unsigned long thread) noexcept
{
    const uint32_t start = hashOf(thread, kThreadSlots);
    for (uint32_t i = 0; i < kThreadSlots; ++i) {
        ThreadEntry &e = g_threads[(start + i) & (kThreadSlots - 1)];
        const unsigned long have = e.thread.load(std::memory_order_acquire);
        if (have == thread)
            return e.tid.load(std::memory_order_acquire);
        if (have == 0)
            return 0;
    }
    return 0;
}

void nameThread(std::string_view name) noexcept
{
    Guard guard;
    t_threadName = core::recorder::intern(name);
    record(EventType::ThreadName, t_threadName);
}

void notePythonSite(uint32_t object) noexcept
{
    if (const uint32_t site = python::siteWhileHoldingGil())
        t_pendingSite = {object, site};
}

uint32_t commandLine(const char *path, char *const *argv) noexcept
{
    Guard guard;
    std::string text;
    for (int i = 0; argv && argv[i]; ++i) {
        if (i)
            text += ' ';
        text += argv[i];
    }
    if (text.empty() && path)
        text = path;
    return core::recorder::intern(text);
}

int environmentSize(char *const *envp) noexcept
{
    int n = 0;
    while (envp && envp[n])
        ++n;
    return n;
}

} // namespace interleave::preload
