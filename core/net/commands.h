// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QTextStream>

namespace interleave::core::net {

/// `interleave master --listen HOST:PORT --authkey KEY [--tasks N]`: the chapter's task_master.
/// Puts N random tasks (0..10000), prints each result as it arrives, exits 0 once all are in.
int masterCommand(const QString &listen, const QString &authkey, const QString &tasks, QTextStream &out,
                  QTextStream &err);

/// `interleave worker --connect HOST:PORT --authkey KEY [--name NAME]`: the chapter's task_worker.
/// Exits 0 when the queue stayed empty for a while or the master is gone, 1 when the login fails,
/// 2 on bad input. $INTERLEAVE_WORKER_PACE_MS overrides the 1 s per task (tests, demos).
int workerCommand(const QString &connect, const QString &authkey, const QString &name, QTextStream &out,
                  QTextStream &err);

} // namespace interleave::core::net
