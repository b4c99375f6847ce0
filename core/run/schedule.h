// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>

namespace interleave::core {

class Session;

/// `--schedule T1,T2,T1`: which thread takes each step, in order, read from the option's comma
/// list or a file's lines (one name a line, or comma lists; blank lines are skipped). Empty, or
/// the line that says what is wrong.
QString parseSchedule(const QString &text, QStringList &threads);
/// The same from `--schedule-file F`.
QString readScheduleFile(const QString &path, QStringList &threads);

/// What driving a schedule did: the steps taken, in order ({thread, event, site} each), and
/// why it could not go on (empty when every step was taken).
struct ScheduleResult
{
    QJsonArray steps;
    QString error;
};

/// Plays `threads` on a session started with those names held (RunRequest::heldThreads): for
/// each entry waits until that thread is held (at most `bound`: it may not have started yet,
/// or be blocked in the kernel), lets exactly its next step through and waits until it is
/// recorded; then lets every thread go on freely. Stops early when the run ends, the bound
/// passes, or `stopRequested` says so.
ScheduleResult playSchedule(Session &session, const QStringList &threads, std::chrono::milliseconds bound,
                            const std::function<bool()> &stopRequested);

} // namespace interleave::core
