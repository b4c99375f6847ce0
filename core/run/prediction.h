// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace interleave::core {

struct PredictionTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::PredictionTr)
};

/// "Predict, then run": the question a scenario asks the class before it runs N times, its
/// choices, and which choice a run's findings fall in.
struct PredictionQuestion
{
    QString scenario; ///< "race"
    QString finding;  ///< the finding that answers it ("final_balance")
    QString text() const;
    QStringList choices() const;
    /// The choice (index into choices()) a finished run's findings answer; none when they lack the finding.
    std::optional<int> choiceOf(const QJsonObject &findings) const;
};

/// The question of `scenario`, or nothing when it has none.
std::optional<PredictionQuestion> predictionFor(const QString &scenario);

} // namespace interleave::core
