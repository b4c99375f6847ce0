// SPDX-License-Identifier: MIT
#include "run/outcome.h"

#include <QJsonValue>

#include <cmath>
#include <utility>

namespace interleave::core {

QString outcomeFinding(const QString &scenario)
{
    static const std::pair<const char *, const char *> kFindings[] = {
        {"race", "final_balance"},       {"lock", "final_balance"},
        {"deadlock", "deadlocked"},      {"pool", "max_concurrent"},
        {"gil", "max_parallel_running"}, {"distributed", "correct"},
        {"subprocess", "exit_code"},     {"process-vs-thread", "thread_crash_killed_process"},
    };
    for (const auto &[id, finding] : kFindings)
        if (scenario == QLatin1String(id))
            return QLatin1String(finding);
    return {};
}

QString runOutcome(const QJsonObject &summary)
{
    const QString finding = outcomeFinding(summary.value(QStringLiteral("scenario")).toString());
    const QJsonValue value = summary.value(QStringLiteral("findings")).toObject().value(finding);
    if (finding.isEmpty() || value.isUndefined() || value.isNull())
        return summary.value(QStringLiteral("status")).toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::floor(number) == number && std::abs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number);
    }
    if (value.isString())
        return value.toString();
    return summary.value(QStringLiteral("status")).toString();
}

} // namespace interleave::core
