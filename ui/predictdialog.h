// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QStringList>

#include <vector>

class QLabel;
class QPushButton;
class QSpinBox;

namespace interleave::ui {

/// "Predict, then run": before the runs the class answers the scenario's question with a show
/// of hands, counted per choice (typed in, or a click on +1 per hand); then N runs answer it.
class PredictDialog : public QDialog
{
    Q_OBJECT
public:
    PredictDialog(const QString &question, const QStringList &choices, QWidget *parent = nullptr);

    /// Hands per choice.
    std::vector<int> hands() const;
    void setHands(int choice, int count);
    /// How many runs to make.
    int runs() const;
    void setRuns(int runs);

private:
    std::vector<QSpinBox *> m_hands;
    QSpinBox *m_runs = nullptr;
    QPushButton *m_go = nullptr;
};

} // namespace interleave::ui
