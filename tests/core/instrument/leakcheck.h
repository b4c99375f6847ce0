// SPDX-License-Identifier: MIT
#pragma once

#include <gtest/gtest.h>

namespace interleave::core::test {

/// Live child processes of the test process (zombies count), from /proc. In process_test.cpp.
int childProcessCount();
/// Open descriptors of the test process. In process_test.cpp.
int openFdCount();

/// A fixture for tests that start processes: each must leave no child and no descriptor behind.
class LeakCheckedTest : public ::testing::Test
{
protected:
    void SetUp() override { m_fds = openFdCount(); }
    void TearDown() override
    {
        EXPECT_EQ(childProcessCount(), 0) << "a child process outlived its test";
        EXPECT_EQ(openFdCount(), m_fds) << "a descriptor leaked";
    }
    int m_fds = 0;
};

} // namespace interleave::core::test
