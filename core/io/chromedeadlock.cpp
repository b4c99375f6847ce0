// SPDX-License-Identifier: MIT
// A recorded deadlock cycle as the Chrome export carries it, and back.
#include "io/chromedeadlock.h"

#include "trace/tracemodel.h"

#include <QJsonArray>
#include <QString>

#include <algorithm>
#include <cmath>

namespace interleave::core {

namespace {

/// A time in ns from a JSON number; false for anything a trace cannot hold (see kTimeLimit).
bool timeOf(const QJsonValue &v, int64_t &out)
{
    const double d = v.toDouble(std::nan(""));
    if (!(std::abs(d) < double(kTimeLimit)))
        return false;
    out = std::llround(d);
    return true;
}

} // namespace

QJsonObject deadlockToChrome(const TraceModel &model, const RecordedDeadlock &deadlock)
{
    QJsonArray cycle;
    const size_t n = deadlock.members.size();
    for (size_t i = 0; i < n; ++i) {
        const DeadlockMember &m = deadlock.members[i];
        QJsonArray holds;
        for (const std::string &lock : m.holds)
            holds.append(QString::fromStdString(lock));
        const ThreadRecord &t = model.thread(m.thread);
        cycle.append(QJsonObject{
            {QStringLiteral("thread"), QString::fromStdString(model.threadName(m.thread))},
            {QStringLiteral("pid"), t.pid},
            {QStringLiteral("tid"), t.tid},
            {QStringLiteral("holds"), holds},
            {QStringLiteral("waits_for"), QString::fromStdString(m.waitsFor)},
            {QStringLiteral("held_by"), QString::fromStdString(model.threadName(deadlock.members[(i + 1) % n].thread))},
            {QStringLiteral("loc"), QString::fromStdString(m.loc)},
            {QStringLiteral("since_ns"), double(m.since)}});
    }
    return QJsonObject{{QStringLiteral("time_ns"), double(deadlock.time)},
                       {QStringLiteral("seen_ns"), double(deadlock.seen)},
                       {QStringLiteral("cycle"), cycle}};
}

std::optional<RecordedDeadlock> deadlockFromChrome(const QJsonObject &o,
                                                   const std::function<uint32_t(int32_t, int32_t)> &threadOf)
{
    const QJsonArray cycle = o.value(QLatin1String("cycle")).toArray();
    RecordedDeadlock out;
    if (cycle.isEmpty() || !timeOf(o.value(QLatin1String("seen_ns")), out.seen))
        return std::nullopt;
    for (const QJsonValue &v : cycle) {
        const QJsonObject m = v.toObject();
        DeadlockMember member;
        if (!m.value(QLatin1String("pid")).isDouble() || !m.value(QLatin1String("tid")).isDouble() ||
            !timeOf(m.value(QLatin1String("since_ns")), member.since))
            return std::nullopt; // not written by deadlockToChrome
        member.thread = threadOf(m.value(QLatin1String("pid")).toInt(), m.value(QLatin1String("tid")).toInt());
        member.waitsFor = m.value(QLatin1String("waits_for")).toString().toStdString();
        member.loc = m.value(QLatin1String("loc")).toString().toStdString();
        for (const QJsonValue &lock : m.value(QLatin1String("holds")).toArray())
            member.holds.push_back(lock.toString().toStdString());
        out.time = out.members.empty() ? member.since : std::max(out.time, member.since);
        out.members.push_back(std::move(member));
    }
    return out;
}

} // namespace interleave::core
