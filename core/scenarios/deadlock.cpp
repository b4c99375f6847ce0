// SPDX-License-Identifier: MIT
// Scenario "deadlock": two threads take two locks in opposite orders, and three ways out.
#include "scenarios/scenario.h"

#include "analysis/waitforgraph.h"
#include "instrument/blocking.h"
#include "instrument/lockguard.h"
#include "instrument/mutex.h"
#include "instrument/thread.h"
#include "scenarios/lessonmap.h"
#include "trace/tracemodel.h"

#include <mutex>
#include <random>

namespace interleave::core {
namespace {

class DeadlockScenario final : public Scenario
{
public:
    const char *id() const override { return "deadlock"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multithreading"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Deadlock: two locks, opposite order");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("variant"), ParamSpec::Kind::Choice, QStringLiteral("naive"), 0, 0,
                 {QStringLiteral("naive"), QStringLiteral("ordered"), QStringLiteral("scoped_lock"),
                  QStringLiteral("try_lock")},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Variant"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "naive deadlocks; ordered, scoped_lock and try_lock are the ways out")},
                {QStringLiteral("hold_ms"), ParamSpec::Kind::Int, 300, 0, 5000, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Hold time (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long a thread holds its first lock before it asks for the second")},
                {QStringLiteral("rounds"), ParamSpec::Kind::Int, 3, 1, 100, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Rounds"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how many transfers each thread makes")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const QString variant = ctx.textParam("variant");
        const auto hold = std::chrono::milliseconds(ctx.intParam("hold_ms"));
        const int rounds = ctx.intParam("rounds");
        TimedMutex lockA("lock A");
        TimedMutex lockB("lock B");

        // Each thread backs off by its own random engine (one engine shared would be a data race),
        // both seeded from the run's seed so a run repeats.
        const uint64_t backoffSeed = ctx.random()();

        // Thread-1 transfers A -> B, Thread-2 transfers B -> A.
        auto transfer = [&](TimedMutex &first, TimedMutex &second, const char *name) {
            std::mt19937_64 backoff(backoffSeed + (&first == &lockA ? 1 : 2));
            for (int round = 0; round < rounds && !ctx.stopRequested(); ++round) {
                if (variant == QLatin1String("naive")) {
                    LockGuard one(first); // py: with first:
                    sleepFor(hold);       // py: time.sleep(0.3)
                    // The other thread holds it and wants ours.
                    LockGuard two(second); // py: with second:
                } else if (variant == QLatin1String("ordered")) {
                    // Everyone takes lock A before lock B: no cycle can form.
                    TimedMutex &low = &first == &lockA ? first : second;
                    TimedMutex &high = &first == &lockA ? second : first;
                    LockGuard one(low);  // py: with first:
                    sleepFor(hold);      // py: time.sleep(0.3)
                    LockGuard two(high); // py: with second:
                } else if (variant == QLatin1String("scoped_lock")) {
                    // ScopedLock (as std::scoped_lock) takes both with a deadlock-avoiding algorithm.
                    ScopedLock both(first, second); // py: with first:
                    sleepFor(hold);                 // py: time.sleep(0.3)
                } else {
                    // try_lock: give up the first lock when the second does not come in time.
                    for (;;) {
                        UniqueLock one(first); // py: with first:
                        sleepFor(hold);        // py: time.sleep(0.3)
                        if (second.try_lock_for(hold / 2 + std::chrono::milliseconds(1))) { // py: with second:
                            second.unlock();
                            break;
                        }
                        one.unlock();
                        sleepFor(std::chrono::milliseconds(1 + backoff() % 20)); // back off
                        if (ctx.stopRequested())
                            return;
                    }
                }
                ctx.print(std::string(name) + " finished transfer " + std::to_string(round + 1));
            }
        };
        Thread t1("Thread-1", transfer, std::ref(lockA), std::ref(lockB), "Thread-1"); // py: t1 = threading.Thread(...
        Thread t2("Thread-2", transfer, std::ref(lockB), std::ref(lockA), "Thread-2"); // py: t2 = threading.Thread(...
        t1.join(); // py: t1.join()
        t2.join(); // py: t2.join()
        ctx.print("both threads finished");
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        const auto deadlock = findFirstDeadlock(model);
        QJsonObject f{{QStringLiteral("variant"), params.value(QStringLiteral("variant"))},
                      {QStringLiteral("deadlocked"), deadlock.has_value()}};
        if (deadlock)
            f.insert(QStringLiteral("cycle"),
                     deadlockToJson(model, *deadlock, pythonLineOf(id())).value(QStringLiteral("cycle")));
        return f;
    }
};

} // namespace

std::unique_ptr<Scenario> makeDeadlockScenario() { return std::make_unique<DeadlockScenario>(); }

} // namespace interleave::core
