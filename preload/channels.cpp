// SPDX-License-Identifier: MIT
#include "channels.h"

#include "runtime.h"
#include "trace/eventlog.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>

namespace interleave::preload {

namespace {

constexpr int kFdSlots = 4096;
constexpr uint64_t kKindOther = 1;
constexpr uint64_t kKindChannel = 2;
// Entry: process epoch (16 bits) << 40 | kind << 32 | object id; 0 = unknown.
std::atomic<uint64_t> g_fds[kFdSlots];

constexpr int kQuietMax = 8;
uint64_t g_quiet[kQuietMax];
int g_quietCount = 0;

constexpr uint32_t kChannelSlots = 1024;
struct ChannelEntry
{
    std::atomic<uint64_t> key{0};   ///< inode << 1 | socket
    std::atomic<uint64_t> value{0}; ///< epoch << 32 | object id
};
ChannelEntry g_channels[kChannelSlots];

uint64_t epoch() noexcept
{
    return g_processEpoch.load(std::memory_order_relaxed) & 0xffff;
}

uint32_t announceChannel(uint64_t inode, bool socket) noexcept
{
    const uint64_t key = inode << 1 | (socket ? 1 : 0);
    const uint32_t start = uint32_t((key * 0x9E3779B97F4A7C15ull) >> 40) & (kChannelSlots - 1);
    ChannelEntry *slot = nullptr;
    for (uint32_t i = 0; i < 32; ++i) {
        ChannelEntry &e = g_channels[(start + i) & (kChannelSlots - 1)];
        uint64_t have = e.key.load(std::memory_order_acquire);
        if (have == key || (have == 0 && (e.key.compare_exchange_strong(have, key) || have == key))) {
            slot = &e;
            break;
        }
    }
    if (slot) {
        const uint64_t value = slot->value.load(std::memory_order_acquire);
        if (value >> 32 == epoch() && uint32_t(value) != 0)
            return uint32_t(value);
    }
    core::EventLog *log = attachedLog();
    if (!log)
        return 0;
    const uint32_t id = log->newObjectId();
    char name[64];
    std::snprintf(name, sizeof name, "%s:[%llu]", socket ? "socket" : "pipe", static_cast<unsigned long long>(inode));
    uint32_t nameId = 0;
    {
        Guard guard;
        nameId = core::recorder::intern(name);
    }
    record(EventType::ObjectNew, id, nameId, uint8_t(ObjectKind::Pipe));
    if (slot)
        slot->value.store(epoch() << 32 | id, std::memory_order_release);
    return id;
}

} // namespace

void readQuietInodes() noexcept
{
    const char *value = getenv("INTERLEAVE_QUIET_INODES");
    for (const char *p = value; p && *p && g_quietCount < kQuietMax;) {
        char *end = nullptr;
        const unsigned long long inode = strtoull(p, &end, 10);
        if (end == p)
            break;
        g_quiet[g_quietCount++] = inode;
        p = *end == ',' ? end + 1 : end;
    }
}

Channel channelOf(int fd) noexcept
{
    if (fd < 0)
        return {};
    if (fd < kFdSlots) {
        const uint64_t entry = g_fds[fd].load(std::memory_order_acquire);
        if (entry != 0 && entry >> 40 == epoch())
            return {((entry >> 32) & 0xff) == kKindChannel ? uint32_t(entry) : 0};
    }
    struct stat st
    {};
    Channel channel;
    if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
        bool quiet = false;
        for (int i = 0; i < g_quietCount; ++i)
            quiet = quiet || g_quiet[i] == uint64_t(st.st_ino);
        if (!quiet)
            channel.object = announceChannel(uint64_t(st.st_ino), S_ISSOCK(st.st_mode));
    }
    if (fd < kFdSlots)
        g_fds[fd].store(epoch() << 40 | (channel.object ? kKindChannel : kKindOther) << 32 | channel.object,
                        std::memory_order_release);
    return channel;
}

void forgetFd(int fd) noexcept
{
    if (fd >= 0 && fd < kFdSlots)
        g_fds[fd].store(0, std::memory_order_release);
}

bool nonBlocking(int fd) noexcept
{
    const int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && (flags & O_NONBLOCK) != 0;
}

void announceSocketPair(int a, int b) noexcept
{
    struct stat sa
    {
    }, sb{};
    core::EventLog *log = attachedLog();
    if (!log || fstat(a, &sa) != 0 || fstat(b, &sb) != 0)
        return;
    char name[96];
    std::snprintf(name, sizeof name, "socketpair:[%llu]:[%llu]", static_cast<unsigned long long>(sa.st_ino),
                  static_cast<unsigned long long>(sb.st_ino));
    uint32_t nameId = 0;
    {
        Guard guard;
        nameId = core::recorder::intern(name);
    }
    record(EventType::ObjectNew, log->newObjectId(), nameId, uint8_t(ObjectKind::Pipe));
}

uint32_t waitName(const char *name) noexcept
{
    Guard guard;
    return core::recorder::intern(name);
}

} // namespace interleave::preload
