// SPDX-License-Identifier: MIT
// A schedule played on a session: which thread takes each step, in order.
#include "run/schedule.h"

#include "run/commands.h"
#include "run/session.h"

#include <QFile>
#include <QJsonObject>

#include <optional>
#include <thread>

namespace interleave::core {

namespace {

using Clock = std::chrono::steady_clock;

/// The names of the run's own threads so far, for an error that says which names there are.
QString threadNames(const Session &session)
{
    QStringList names;
    const TraceModel &model = session.model();
    for (const ThreadRecord &thread : model.threads()) {
        const QString name = QString::fromStdString(model.threadName(thread.index));
        if (!thread.recorder && !names.contains(name))
            names << name;
    }
    return names.join(QStringLiteral(", "));
}

std::optional<ThreadHold> heldThread(Session &session, const std::string &name)
{
    for (ThreadHold &hold : session.holds())
        if (hold.held && hold.name == name)
            return std::move(hold);
    return std::nullopt;
}

/// Whether the thread `waited` let through has recorded its step (or has gone from the hold point).
bool stepDone(Session &session, const ThreadHold &waited)
{
    for (const ThreadHold &hold : session.holds())
        if (hold.tid == waited.tid)
            return hold.stepsDone != waited.stepsDone;
    return true;
}

QString seconds(std::chrono::milliseconds bound)
{
    return QString::number(double(bound.count()) / 1000.0);
}

} // namespace

QString parseSchedule(const QString &text, QStringList &threads)
{
    threads.clear();
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        for (const QString &part : line.split(QLatin1Char(','))) {
            if (const QString name = part.trimmed(); !name.isEmpty())
                threads << name;
        }
    }
    if (threads.isEmpty())
        return CommandTr::tr("the schedule names no thread: give thread names as the trace shows them, "
                             "for example Thread-1,Thread-2,Thread-1");
    return {};
}

QString readScheduleFile(const QString &path, QStringList &threads)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return CommandTr::tr("cannot read schedule file '%1': %2").arg(path, file.errorString());
    constexpr qint64 kMaxBytes = qint64(1) << 20;
    const QByteArray bytes = file.read(kMaxBytes + 1);
    if (bytes.size() > kMaxBytes)
        return CommandTr::tr("schedule file '%1' is larger than 1 MiB").arg(path);
    return parseSchedule(QString::fromUtf8(bytes), threads);
}

ScheduleResult playSchedule(Session &session, const QStringList &threads, std::chrono::milliseconds bound,
                            const std::function<bool()> &stopRequested)
{
    ScheduleResult result;
    const auto nap = std::chrono::microseconds(200);
    for (qsizetype i = 0; i < threads.size(); ++i) {
        const std::string name = threads[i].toStdString();
        const QString entry = QString::number(i + 1);
        // Wait for the thread at its next step: it may not have started yet, or be blocked.
        auto deadline = Clock::now() + bound;
        std::optional<ThreadHold> ready;
        while (!(ready = heldThread(session, name))) {
            if (stopRequested && stopRequested())
                return result;
            if (!session.poll()) {
                result.error = CommandTr::tr("schedule step %1: no thread '%2' took a step before the run ended "
                                             "(its threads: %3)")
                                   .arg(entry, threads[i], threadNames(session));
                return result;
            }
            if (Clock::now() > deadline) {
                result.error = CommandTr::tr("schedule step %1: thread '%2' was not held within %3 s (not started, "
                                             "blocked, or not a thread of this run; its threads: %4)")
                                   .arg(entry, threads[i], seconds(bound), threadNames(session));
                return result;
            }
            std::this_thread::sleep_for(nap);
        }
        session.step(ready->thread);
        // The next step may only start once this one is in the log: that is what makes the order.
        deadline = Clock::now() + bound;
        while (session.running() && !stepDone(session, *ready)) {
            if (Clock::now() > deadline) {
                result.error = CommandTr::tr("schedule step %1: thread '%2' did not finish its step within %3 s")
                                   .arg(entry, threads[i], seconds(bound));
                return result;
            }
            session.poll();
            std::this_thread::sleep_for(nap);
        }
        result.steps.append(QJsonObject{{QStringLiteral("thread"), threads[i]},
                                        {QStringLiteral("event"), QString::fromStdString(ready->nextStep())},
                                        {QStringLiteral("site"), QString::fromStdString(ready->site)}});
    }
    session.releaseHolds();
    return result;
}

} // namespace interleave::core
