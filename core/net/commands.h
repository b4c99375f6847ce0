// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QTextStream>

#include <cstdint>
#include <functional>
#include <optional>

namespace interleave::core::net {

/// What `interleave master` was given.
struct MasterCommandOptions
{
    QString listen;  ///< --listen HOST:PORT
    QString authkey; ///< --authkey KEY
    QString tasks;   ///< --tasks N (default 10)
    /// --result-timeout S (default 60; 0: wait for ever): a master that receives no result for
    /// S seconds ends, says so, still writes its trace and exits 1.
    QString resultTimeout;
    /// --save FILE.iltrace / --chrome FILE.json: record a trace while serving (the master, and
    /// every worker's own events as processes of it) and write it when all results are in.
    QString save;
    QString chrome;
    /// Tests: called once the master listens, with its port (e.g. for port 0).
    std::function<void(uint16_t)> listening;
    /// Polled while the master waits for results: true ends it as Stop ends a run (Ctrl+C,
    /// SIGTERM): the workers are told goodbye and the trace asked for is still written.
    std::function<bool()> stopRequested;
};

/// The key of `master` / `worker`: --authkey KEY, else the first line of --authkey-file F, else
/// $INTERLEAVE_AUTHKEY (a key kept out of argv stays out of ps). False and `error` when the file
/// cannot be read; an empty key is the commands' own error.
bool resolveAuthkey(const QString &option, const QString &file, QString &key, QString &error);

/// `interleave master --listen HOST:PORT --authkey KEY [--tasks N] [--result-timeout S] [--save F]
/// [--chrome F]`: the chapter's task_master. Puts N random tasks (0..10000), prints each result as
/// it arrives, exits 0 once all are in (1 when no result came for S seconds).
int masterCommand(const MasterCommandOptions &options, QTextStream &out, QTextStream &err);

/// `interleave worker --connect HOST:PORT --authkey KEY [--name NAME] [--retry S]`: the chapter's
/// task_worker. Exits 0 when the queue stayed empty for a while or the master said goodbye, 1 when
/// the login fails or the master vanished without a goodbye (one line each), 2 on bad input (a
/// malformed address at once). A master that is not there yet, too busy to say hello or closes
/// the connection before the login is tried again with a backoff for --retry seconds (default 60).
/// $INTERLEAVE_WORKER_PACE_MS overrides the 1 s per task (tests, demos); $INTERLEAVE_WORKER_QUIET=1 prints nothing on
/// stdout (a master that records shows the lines); $INTERLEAVE_WORKER_CLOCK_SKEW_MS (tests) adds that much to every
/// time the worker reports.
int workerCommand(const QString &connect, const QString &authkey, const QString &name, QTextStream &out,
                  QTextStream &err, const std::optional<QString> &retry = std::nullopt);

} // namespace interleave::core::net
