// SPDX-License-Identifier: MIT
#include "run/summary.h"

#include "analysis/lockorder.h"
#include "analysis/lockstats.h"
#include "analysis/waitforgraph.h"
#include "run/commands.h"
#include "run/session.h"
#include "scenarios/lessonmap.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

namespace interleave::core {

QString lossText(const TraceData &data)
{
    if (data.droppedEvents == 0 && data.unreadableEvents == 0)
        return {};
    const uint64_t lost = data.droppedEvents + data.unreadableEvents;
    const uint64_t all = lost + data.events.size();
    if (data.unreadableEvents == 0)
        return CommandTr::tr("%1 of %2 events were lost (the recorder could not hand them to the reader): the "
                             "trace is incomplete, and what it shows may be wrong")
            .arg(lost)
            .arg(all);
    if (data.droppedEvents == 0)
        return CommandTr::tr("%1 of %2 events were lost (unreadable in a damaged file): the trace is incomplete, "
                             "and what it shows may be wrong")
            .arg(lost)
            .arg(all);
    return CommandTr::tr("%1 of %2 events were lost (%3 unreadable in a damaged file, %4 never handed to the "
                         "reader): the trace is incomplete, and what it shows may be wrong")
        .arg(lost)
        .arg(all)
        .arg(data.unreadableEvents)
        .arg(data.droppedEvents);
}

QString statusWord(const QString &statusName)
{
    static const std::pair<const char *, const char *> words[] = {
        {"running", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "running")},
        {"finished", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "finished")},
        {"deadlocked", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "deadlocked")},
        {"timed_out", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "timed out")},
        {"crashed", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "crashed")},
        {"stopped", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "stopped")},
        {"failed", QT_TRANSLATE_NOOP("interleave::core::CommandTr", "failed")},
    };
    for (const auto &[name, word] : words)
        if (statusName == QLatin1String(name))
            return CommandTr::tr(word);
    return statusName;
}

QJsonObject traceSummary(const TraceModel &model)
{
    const auto &meta = model.data().meta;
    QJsonArray processes;
    for (const ProcessInfo &p : model.processes()) {
        if (!p.traced())
            continue;
        QJsonObject o{{QStringLiteral("pid"), p.pid},
                      {QStringLiteral("ppid"), p.ppid},
                      {QStringLiteral("name"), QString::fromStdString(p.name)}};
        if (!p.exited)
            o.insert(QStringLiteral("exit_code"), QJsonValue());
        else if (p.signaled)
            o.insert(QStringLiteral("signal"), double(p.exitStatus));
        else
            o.insert(QStringLiteral("exit_code"), double(p.exitStatus));
        processes.append(o);
    }
    QJsonArray threads;
    for (const ThreadRecord &t : model.threads()) {
        if (t.recorder)
            continue; // the program's threads only, never the recorder's
        threads.append(QJsonObject{{QStringLiteral("pid"), t.pid},
                                   {QStringLiteral("tid"), t.tid},
                                   {QStringLiteral("name"), QString::fromStdString(model.threadName(t.index))}});
    }
    const auto pythonLine = pythonLineOf(meta.value(QStringLiteral("scenario")).toString().toStdString());
    QJsonValue deadlock;
    if (const auto found = theDeadlock(model))
        deadlock = deadlockToJson(model, *found, pythonLine);
    return {
        {QStringLiteral("scenario"), meta.value(QStringLiteral("scenario"))},
        {QStringLiteral("params"), meta.value(QStringLiteral("params"))},
        {QStringLiteral("status"), meta.value(QStringLiteral("status"))},
        {QStringLiteral("wall_ms"), meta.value(QStringLiteral("wall_ms"))},
        {QStringLiteral("events"), double(model.data().events.size())},
        {QStringLiteral("dropped_events"), double(model.data().droppedEvents)},
        {QStringLiteral("torn_events"), double(model.data().tornEvents)},
        {QStringLiteral("unreadable_events"), double(model.data().unreadableEvents)},
        {QStringLiteral("processes"), processes},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("deadlock"), deadlock},
        {QStringLiteral("potential_deadlocks"), potentialDeadlocksToJson(model, potentialDeadlocks(model), pythonLine)},
        {QStringLiteral("locks"), LockStats::compute(model).toJson()}};
}

QJsonObject runSummary(const Session &session)
{
    QJsonObject summary = traceSummary(session.model());
    const Scenario *scenario = session.request().scenario;
    summary.insert(QStringLiteral("seed"), QString::number(session.request().seed));
    summary.insert(QStringLiteral("leftover_processes"), double(session.leftoverProcesses().size()));
    if (!session.failure().isEmpty())
        summary.insert(QStringLiteral("failure"), session.failure());
    QJsonObject findings = scenario->findings(session.model(), session.request().params);
    for (auto it = session.notes().begin(); it != session.notes().end(); ++it)
        findings.insert(it.key(), it.value());
    summary.insert(QStringLiteral("findings"), findings);
    // A traced program's own exit status, beside the run's (null: it never ended by itself).
    if (scenario->tracesProgram())
        summary.insert(QStringLiteral("exit_code"), findings.value(QStringLiteral("exit_code")));
    return summary;
}

} // namespace interleave::core
