// SPDX-License-Identifier: MIT
// "threadlocal": one global ThreadLocal, and each thread only ever reads back what it stored itself.
#include "scenariorun.h"

#include <map>
#include <string>

using namespace interleave::core;
using namespace interleave::core::testing;

TEST(ThreadLocalScenario, EachThreadOnlyLoadsWhatItStoredItself)
{
    const ScenarioRun run = runScenario("threadlocal", {{QStringLiteral("pause_ms"), QStringLiteral("200")}});
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();
    const auto &data = model.data();

    uint32_t local = 0;
    for (uint32_t id : model.objectIds()) {
        if (model.object(id)->kind == ObjectKind::ThreadLocal)
            local = id;
    }
    ASSERT_NE(local, 0u) << "no ThreadLocal object in the trace";

    std::map<std::string, std::string> stored;
    std::map<std::string, std::string> loaded;
    int64_t lastStore = kTimeMin;
    int64_t firstLoad = kTimeMax;
    for (uint32_t index : model.varAccesses(local)) {
        const Event &e = data.events[index];
        const std::string thread = model.threadName(e.thread);
        const std::string value = data.string(uint32_t(e.arg));
        if (e.type == EventType::VarStore) {
            EXPECT_FALSE(stored.contains(thread)) << thread << " stored twice";
            stored[thread] = value;
            lastStore = std::max(lastStore, e.time);
        } else if (e.type == EventType::VarLoad) {
            ASSERT_TRUE(stored.contains(thread)) << thread << " loaded before it stored";
            EXPECT_EQ(value, stored[thread]) << thread << " read another thread's copy";
            loaded[thread] = value;
            firstLoad = std::min(firstLoad, e.time);
        }
    }
    const std::map<std::string, std::string> expected{{"Thread-A", "Alice"}, {"Thread-B", "Bob"}};
    EXPECT_EQ(stored, expected);
    EXPECT_EQ(loaded, expected);
    // Both threads had stored before either loaded: a single shared variable would have shown the
    // first reader the other thread's student.
    EXPECT_LT(lastStore, firstLoad);

    // The greetings the chapter prints, each from its own thread.
    std::map<std::string, std::string> greetings;
    for (uint32_t index : model.outputs()) {
        const Event &e = data.events[index];
        greetings[model.threadName(e.thread)] = data.string(e.object);
    }
    EXPECT_EQ(greetings["Thread-A"], "Hello, Alice (in Thread-A)");
    EXPECT_EQ(greetings["Thread-B"], "Hello, Bob (in Thread-B)");

    const QJsonObject seen = run.findings().value(QStringLiteral("seen")).toObject();
    EXPECT_EQ(seen.value(QStringLiteral("Thread-A")).toString(), QStringLiteral("Alice"));
    EXPECT_EQ(seen.value(QStringLiteral("Thread-B")).toString(), QStringLiteral("Bob"));
    expectNothingLeft(run);
}
