// SPDX-License-Identifier: MIT
#include "../trace/tracebuilder.h"
#include "analysis/lostupdates.h"

#include <gtest/gtest.h>

using namespace interleave::core;
using interleave::core::testing::TraceBuilder;

namespace {

struct Race
{
    TraceBuilder b;
    uint32_t t1 = b.thread(1, 1);
    uint32_t t2 = b.thread(1, 2);
    int64_t time = 0;
    void load(uint32_t th, int64_t v) { b.ev(th, ++time, EventType::VarLoad, 5, v); }
    void store(uint32_t th, int64_t v) { b.ev(th, ++time, EventType::VarStore, 5, v); }
};

} // namespace

TEST(LostUpdates, TutorialInterleavingEndsAtMinusEight)
{
    // The tutorial's walk-through: change_it(5) in t1, change_it(8) in t2, each
    // `balance = balance + n; balance = balance - n` as load then store.
    Race r;
    r.load(r.t1, 0);   // t1: x1 = balance + 5  -> 5
    r.load(r.t2, 0);   // t2: x2 = balance + 8  -> 8
    r.store(r.t2, 8);  // t2: balance = x2      -> 8
    r.store(r.t1, 5);  // t1: balance = x1      -> 5   (t2's +8 is lost)
    r.load(r.t1, 5);   // t1: x1 = balance - 5  -> 0
    r.store(r.t1, 0);  // t1: balance = x1      -> 0
    r.load(r.t2, 0);   // t2: x2 = balance - 8  -> -8
    r.store(r.t2, -8); // t2: balance = x2      -> -8
    TraceModel m(std::move(r.b.data));
    const LostUpdates lu = LostUpdates::find(m);
    EXPECT_EQ(lu.count(), 1u);
    ASSERT_EQ(lu.examples().size(), 1u);
    const LostUpdate &e = lu.examples()[0];
    EXPECT_EQ(e.thread, 0u);
    EXPECT_EQ(e.seenValue, 0);
    EXPECT_EQ(e.storeValue, 5);
    EXPECT_EQ(e.otherThread, 1u);
    EXPECT_EQ(e.otherValue, 8);
    EXPECT_EQ(e.overwritten, 1u);
    ASSERT_EQ(lu.finalValues().size(), 1u);
    EXPECT_EQ(lu.finalValues()[0].second, -8);
}

TEST(LostUpdates, BothRmwsInterleavedLoseTwo)
{
    // x1 = b + 5, x2 = b + 8, b = x1, b = x2 (t1's +5 lost), then the same for the minus half.
    Race r;
    r.load(r.t1, 0);
    r.load(r.t2, 0);
    r.store(r.t1, 5);
    r.store(r.t2, 8); // lost t1's 5
    r.load(r.t1, 8);
    r.load(r.t2, 8);
    r.store(r.t1, 3);
    r.store(r.t2, 0); // lost t1's 3
    TraceModel m(std::move(r.b.data));
    const LostUpdates lu = LostUpdates::find(m);
    EXPECT_EQ(lu.count(), 2u);
    ASSERT_EQ(lu.examples().size(), 2u);
    EXPECT_EQ(lu.examples()[0].thread, 1u);
    EXPECT_EQ(lu.examples()[0].otherValue, 5);
    EXPECT_EQ(lu.finalValues()[0].second, 0); // the final value alone would hide both
}

TEST(LostUpdates, SerializedRmwsLoseNothing)
{
    Race r;
    int64_t balance = 0;
    for (int i = 0; i < 50; ++i) {
        for (auto [th, n] : {std::pair{r.t1, 5}, std::pair{r.t2, 8}}) {
            r.load(th, balance);
            r.store(th, balance += n);
            r.load(th, balance);
            r.store(th, balance -= n);
        }
    }
    TraceModel m(std::move(r.b.data));
    const LostUpdates lu = LostUpdates::find(m);
    EXPECT_EQ(lu.count(), 0u);
    EXPECT_TRUE(lu.examples().empty());
    EXPECT_EQ(lu.finalValues()[0].second, 0);
}
