// SPDX-License-Identifier: MIT
#include "instrument/thread.h"
#include "instrument/threadlocal.h"

#include "recording.h"

#include <string>

using namespace interleave::core;
using interleave::core::test::Recording;

TEST(ThreadLocal, EachThreadSeesOnlyItsOwnValue)
{
    Recording rec;
    ThreadLocal<std::string> student("local_school.student");
    std::string seenA, seenB, seenMain;
    {
        Thread a("Thread-A", [&] {
            student.set("Alice");
            seenA = student.get();
        });
        Thread b("Thread-B", [&] {
            student.set("Bob");
            seenB = student.get();
        });
    }
    seenMain = student.get();
    rec.stop();
    EXPECT_EQ(seenA, "Alice");
    EXPECT_EQ(seenB, "Bob");
    EXPECT_EQ(seenMain, "");
    const auto stores = rec.of(student.id(), {EventType::VarStore});
    ASSERT_EQ(stores.size(), 2u);
    std::set<std::string> stored;
    for (const Event &e : stores)
        stored.insert(rec.data().string(uint32_t(e.arg)));
    EXPECT_EQ(stored, (std::set<std::string>{"Alice", "Bob"}));
    EXPECT_EQ(rec.events(EventType::ObjectNew, [&](const Event &e) { return e.object == student.id(); }).size(), 1u);
}
