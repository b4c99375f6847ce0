// SPDX-License-Identifier: MIT
// MainWindow's "predict, then run": the class's show of hands, the runs, and the chart of both.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "run/prediction.h"
#include "ui/charts/chartsview.h"
#include "ui/predictdialog.h"

#include <QAction>
#include <QMenu>
#include <QTabWidget>

#include <algorithm>
#include <optional>

namespace interleave::ui {

void MainWindow::createPrediction()
{
    m_predictAction = new QAction(this);
    m_predictAction->setShortcut(QKeySequence(Qt::Key_F8));
    connect(m_predictAction, &QAction::triggered, this, [this] { predictThenRun(); });
    m_runMenu->insertAction(m_stopAction, m_predictAction);
}

void MainWindow::retranslatePrediction()
{
    m_predictAction->setText(tr("&Predict, Then Run..."));
    m_predictAction->setToolTip(tr("Ask the class what will happen, then run it several times and compare "
                                   "(F8)"));
}

bool MainWindow::predictThenRun()
{
    const auto question = core::predictionFor(selectedScenario());
    if (!question || running())
        return false;
    PredictDialog dialog(question->text(), question->choices(), this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    return startPrediction(dialog.hands(), dialog.runs());
}

bool MainWindow::startPrediction(const std::vector<int> &hands, int runs)
{
    const auto question = core::predictionFor(selectedScenario());
    auto *chart = qobject_cast<ChartsView *>(view(QStringLiteral("chart")));
    if (!question || !chart || running() || !runRepeatedly(runs))
        return false;
    // Set after the first run started: a run of other parameters clears what was predicted before.
    Prediction prediction;
    prediction.question = question->text();
    prediction.choices = question->choices();
    prediction.hands.assign(size_t(prediction.choices.size()), 0);
    for (size_t i = 0; i < hands.size() && i < prediction.hands.size(); ++i)
        prediction.hands[i] = std::max(0, hands[i]);
    prediction.runs.assign(size_t(prediction.choices.size()), 0);
    chart->setPrediction(prediction);
    m_predictionKey = m_outcomeKey;
    m_tabs->setCurrentWidget(chart); // the answer comes in there, run by run
    return true;
}

void MainWindow::countPrediction(const QJsonObject &findings)
{
    auto *chart = qobject_cast<ChartsView *>(view(QStringLiteral("chart")));
    const auto question = core::predictionFor(m_info.scenario);
    if (!chart || !question || m_predictionKey.isEmpty() || m_predictionKey != m_outcomeKey ||
        chart->prediction().empty())
        return;
    const std::optional<int> choice = question->choiceOf(findings);
    if (!choice)
        return;
    Prediction prediction = chart->prediction();
    if (size_t(*choice) < prediction.runs.size())
        ++prediction.runs[size_t(*choice)];
    chart->setPrediction(prediction);
}

} // namespace interleave::ui
