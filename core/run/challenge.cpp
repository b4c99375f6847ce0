// SPDX-License-Identifier: MIT
// The "be the scheduler" challenges and their goals, checked from the trace.
#include "run/challenge.h"

#include "scenarios/balance.h"
#include "trace/tracemodel.h"

#include <QJsonValue>

#include <algorithm>
#include <iterator>

namespace interleave::core {

namespace {

std::vector<Challenge> makeChallenges()
{
    using Goal = Challenge::Goal;
    const std::vector<std::string> two = {"Thread-1", "Thread-2"};
    // One pass each: every step is one the class can follow on the code.
    const QJsonObject oneRace{{QStringLiteral("iterations"), 1}, {QStringLiteral("switch"), QStringLiteral("off")}};
    const QJsonObject oneTransfer{{QStringLiteral("variant"), QStringLiteral("naive")},
                                  {QStringLiteral("hold_ms"), 0},
                                  {QStringLiteral("rounds"), 1}};
    const QJsonObject oneQueue{{QStringLiteral("items"), 1}, {QStringLiteral("max_sleep_s"), 0.0}};
    return {
        {QStringLiteral("race-lose"), QStringLiteral("race"), Goal::LoseUpdate, oneRace, two, {}},
        {QStringLiteral("race-keep"), QStringLiteral("race"), Goal::KeepBalance, oneRace, two, {}},
        {QStringLiteral("deadlock-make"), QStringLiteral("deadlock"), Goal::Deadlock, oneTransfer, two, {}},
        {QStringLiteral("deadlock-avoid"), QStringLiteral("deadlock"), Goal::NoDeadlock, oneTransfer, two, {}},
        {QStringLiteral("lock-wait"), QStringLiteral("lock"), Goal::LockWait, oneRace, two, "Thread-2"},
        {QStringLiteral("queue-wait"), QStringLiteral("queue"), Goal::EmptyQueue, oneQueue, {"write", "read"}, "read"},
    };
}

const std::vector<Challenge> &allChallenges()
{
    static const std::vector<Challenge> all = makeChallenges();
    return all;
}

/// Whether the thread named `name` recorded an event of `type`.
bool threadRecorded(const TraceModel &model, const std::string &name, EventType type)
{
    const auto &data = model.data();
    for (const Event &e : data.events) {
        if (e.type == type && e.thread < model.threadCount() && model.threadName(e.thread) == name)
            return true;
    }
    return false;
}

double lostUpdates(const TraceModel &model, const QJsonObject &params)
{
    return balanceFindings(model, params).value(QStringLiteral("lost_updates")).toDouble();
}

} // namespace

QString Challenge::title() const
{
    switch (goal) {
    case Goal::LoseUpdate:
        return ChallengeTr::tr("Lose an update");
    case Goal::KeepBalance:
        return ChallengeTr::tr("Keep the balance right");
    case Goal::Deadlock:
        return ChallengeTr::tr("Make them deadlock");
    case Goal::NoDeadlock:
        return ChallengeTr::tr("Finish without a deadlock");
    case Goal::LockWait:
        return ChallengeTr::tr("Make %1 wait").arg(QString::fromStdString(waiter));
    case Goal::EmptyQueue:
        return ChallengeTr::tr("Make the reader wait on an empty queue");
    }
    return {};
}

QString Challenge::task() const
{
    switch (goal) {
    case Goal::LoseUpdate:
        return ChallengeTr::tr("Both threads add to the balance and take it back once. Choose who steps next so "
                               "that one thread's store overwrites the other's: the final balance is not 0.");
    case Goal::KeepBalance:
        return ChallengeTr::tr("Choose the steps so that no store overwrites another: the run ends with "
                               "balance = 0, with no lock at all.");
    case Goal::Deadlock:
        return ChallengeTr::tr("Thread-1 takes lock A then lock B, Thread-2 lock B then lock A. Choose the "
                               "steps so that each holds one lock and waits for the other's.");
    case Goal::NoDeadlock:
        return ChallengeTr::tr("Same threads, same locks: choose the steps so that both finish their "
                               "transfer.");
    case Goal::LockWait:
        return ChallengeTr::tr("Both threads take the lock to change the balance. Choose the steps so that "
                               "%1 has to wait for the lock.")
            .arg(QString::fromStdString(waiter));
    case Goal::EmptyQueue:
        return ChallengeTr::tr("The write process puts an item into the queue, the read process gets it. "
                               "Choose the steps so that read asks for an item before there is one.");
    }
    return {};
}

std::vector<Challenge> challengesFor(const QString &scenario)
{
    std::vector<Challenge> found;
    std::copy_if(allChallenges().begin(), allChallenges().end(), std::back_inserter(found),
                 [&](const Challenge &c) { return c.scenario == scenario; });
    return found;
}

const Challenge *findChallenge(const QString &id)
{
    for (const Challenge &c : allChallenges())
        if (c.id == id)
            return &c;
    return nullptr;
}

bool challengeMet(const Challenge &challenge, const TraceModel &model, RunStatus status, const QJsonObject &params)
{
    switch (challenge.goal) {
    case Challenge::Goal::LoseUpdate:
        return lostUpdates(model, params) > 0;
    case Challenge::Goal::KeepBalance:
        return status == RunStatus::Finished && lostUpdates(model, params) == 0;
    case Challenge::Goal::Deadlock:
        return status == RunStatus::Deadlocked;
    case Challenge::Goal::NoDeadlock:
        return status == RunStatus::Finished;
    case Challenge::Goal::LockWait:
        return threadRecorded(model, challenge.waiter, EventType::LockWait);
    case Challenge::Goal::EmptyQueue:
        return threadRecorded(model, challenge.waiter, EventType::QueueGetWait);
    }
    return false;
}

} // namespace interleave::core
