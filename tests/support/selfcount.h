// SPDX-License-Identifier: MIT
#pragma once

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/wait.h>

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

/// Threads of this process. ThreadSanitizer starts a thread of its own at the process's first
/// pthread_create, which would show as a thread left running by the first test that starts
/// one; a short thread started and joined before the first count has it counted every time.
inline int threadCount()
{
    static const bool runtimeStarted = [] {
        std::thread([] {}).join();
        return true;
    }();
    (void)runtimeStarted;
    return countEntries("/proc/self/task");
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
        EXPECT_EQ(threadCount(), m_threads) << "threads left running";
        int status = 0;
        EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1) << "a child process is left";
    }

private:
    int m_fds = 0;
    int m_threads = 0;
};

} // namespace interleave::test
