// SPDX-License-Identifier: MIT
#pragma once

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

/// What a test process holds right now, counted from /proc, to prove a test left nothing behind.
namespace interleave::test {

/// Entries of a /proc directory, "." and ".." not counted.
inline int countEntries(const char *dir)
{
    int n = 0;
    if (DIR *d = opendir(dir)) {
        while (const dirent *e = readdir(d))
            n += e->d_name[0] != '.';
        closedir(d);
    }
    return n;
}

/// Threads of this process, read once the count holds still. ThreadSanitizer starts a thread of
/// its own at the process's first pthread_create, which would show as a thread left running by
/// the first test that starts one; a short thread started and joined before the first count has
/// it counted every time. A thread just joined can stay listed in /proc/self/task for a moment
/// after pthread_join returned (the kernel lists it until its exit is complete), so the count is
/// read until five reads a millisecond apart agree (at most 200 ms).
inline int threadCount()
{
    static const bool runtimeStarted = [] {
        std::thread([] {}).join();
        return true;
    }();
    (void)runtimeStarted;
    int last = countEntries("/proc/self/task");
    for (int same = 0, i = 0; same < 5 && i < 200; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const int now = countEntries("/proc/self/task");
        same = now == last ? same + 1 : 0;
        last = now;
    }
    return last;
}

/// The thread count once it is back to `expected`, or whatever it is after `limit`: threads a
/// test joined leave /proc/self/task shortly after; a thread left running stays and is counted.
inline int threadCountBackTo(int expected, std::chrono::milliseconds limit = std::chrono::seconds(2))
{
    const auto until = std::chrono::steady_clock::now() + limit;
    int now = threadCount();
    while (now != expected && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        now = threadCount();
    }
    return now;
}

/// Open descriptors of this process (the directory stream that counts them not included).
inline int descriptorCount()
{
    return countEntries("/proc/self/fd") - 1;
}

/// A fixture for tests that start threads, open descriptors or start child processes: each test
/// must end with as many threads and descriptors as it began with, and no child left.
class NothingLeftBehindTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_fds = descriptorCount();
        m_threads = threadCount();
    }
    void TearDown() override
    {
        EXPECT_EQ(descriptorCount(), m_fds) << "descriptors left open";
        EXPECT_EQ(threadCountBackTo(m_threads), m_threads) << "threads left running";
        int status = 0;
        EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1) << "a child process is left";
    }

private:
    int m_fds = 0;
    int m_threads = 0;
};

} // namespace interleave::test
