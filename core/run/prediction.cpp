// SPDX-License-Identifier: MIT
// The questions "predict, then run" asks, and how a run answers them.
#include "run/prediction.h"

#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace interleave::core {

namespace {

bool balance(const QString &scenario)
{
    return scenario == QLatin1String("race") || scenario == QLatin1String("lock");
}

} // namespace

std::optional<PredictionQuestion> predictionFor(const QString &scenario)
{
    if (balance(scenario))
        return PredictionQuestion{scenario, QStringLiteral("final_balance")};
    if (scenario == QLatin1String("pool"))
        return PredictionQuestion{scenario, QStringLiteral("max_concurrent")};
    if (scenario == QLatin1String("gil"))
        return PredictionQuestion{scenario, QStringLiteral("max_parallel_running")};
    return std::nullopt;
}

QString PredictionQuestion::text() const
{
    if (balance(scenario))
        return PredictionTr::tr("Two threads add to the balance and take it back, many times. What is the "
                                "final balance?");
    if (scenario == QLatin1String("pool"))
        return PredictionTr::tr("More tasks than workers go to a process pool. How many tasks run at once, at most?");
    return PredictionTr::tr("Busy threads, one per core. How many cores are busy at once, at most?");
}

QStringList PredictionQuestion::choices() const
{
    if (balance(scenario))
        return {PredictionTr::tr("0, as it should be"), PredictionTr::tr("a little off (1 to 100)"),
                PredictionTr::tr("far off (more than 100)")};
    if (scenario == QLatin1String("pool"))
        return {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4"),
                PredictionTr::tr("5 or more")};
    return {QStringLiteral("1"), QStringLiteral("2"), PredictionTr::tr("3 or more")};
}

std::optional<int> PredictionQuestion::choiceOf(const QJsonObject &findings) const
{
    const QJsonValue value = findings.value(finding);
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return std::nullopt;
    const double v = value.toDouble();
    if (balance(scenario)) {
        const double off = std::abs(v - findings.value(QStringLiteral("expected")).toDouble(0));
        return off == 0 ? 0 : off <= 100 ? 1 : 2;
    }
    const int last = int(choices().size()) - 1;
    return std::clamp(int(std::lround(v)), 1, last + 1) - 1;
}

} // namespace interleave::core
