// SPDX-License-Identifier: MIT
#pragma once

#include "run/session.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <string>
#include <vector>

namespace interleave::core {

class TraceModel;

struct ChallengeTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::ChallengeTr)
};

/// A "be the scheduler" challenge: a run of `scenario` whose `threads` are held at every step
/// from their start, and a goal the class reaches by choosing which of them steps next. The
/// goal is checked from the recorded trace, never from what the user clicked.
struct Challenge
{
    enum class Goal
    {
        LoseUpdate,  ///< the balance lost an update (balanceFindings: lost_updates > 0)
        KeepBalance, ///< the run finished with no update lost
        Deadlock,    ///< the run deadlocked
        NoDeadlock,  ///< the run finished
        LockWait,    ///< thread `waiter` waited for a lock (a LockWait of its own)
        EmptyQueue,  ///< thread `waiter` waited on an empty queue (a QueueGetWait of its own)
    };
    QString id;       ///< "race-lose"
    QString scenario; ///< "race"
    Goal goal = Goal::LoseUpdate;
    QJsonObject params;               ///< the scenario's parameters that differ from its defaults
    std::vector<std::string> threads; ///< held, as the trace names them ("Thread-1")
    std::string waiter;               ///< LockWait and EmptyQueue: the thread that must wait
    QString title() const;            ///< translated: "Lose an update"
    QString task() const;             ///< translated: what to do, in one or two sentences
};

/// The challenges of `scenario` (none for most).
std::vector<Challenge> challengesFor(const QString &scenario);
/// The challenge with that id, or nullptr.
const Challenge *findChallenge(const QString &id);

/// Whether a run of `challenge` that shows `model` so far and stands at `status` (Running while it
/// goes on) has reached the goal. `params`: the run's resolved parameters.
bool challengeMet(const Challenge &challenge, const TraceModel &model, RunStatus status, const QJsonObject &params);

} // namespace interleave::core
