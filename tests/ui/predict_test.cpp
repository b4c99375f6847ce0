// SPDX-License-Identifier: MIT
// "Predict, then run": the class's show of hands, the runs, and the chart that puts both side by side.
#include "ui/qcp.h"

#include "run/prediction.h"
#include "ui/application.h"
#include "ui/charts/chartsview.h"
#include "ui/mainwindow.h"
#include "ui/parameterform.h"
#include "ui/predictdialog.h"

#include "uitest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace interleave;
using ui::testing::app;
using ui::testing::waitFor;

namespace {

/// Makes `runs` predicted runs of the race (1000 iterations each, 0: the default) with `hands`
/// per answer.
void predictRace(ui::MainWindow &window, const std::vector<int> &hands, int runs, int iterationsEach = 1000)
{
    ASSERT_TRUE(window.selectScenario(QStringLiteral("race")));
    auto *iterations = qobject_cast<QSpinBox *>(window.parameterForm()->editor(QStringLiteral("iterations")));
    ASSERT_NE(iterations, nullptr);
    if (iterationsEach > 0)
        iterations->setValue(iterationsEach);
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.startPrediction(hands, runs));
    ASSERT_TRUE(waitFor([&] { return finished.size() >= runs && !window.running(); }, 120'000));
}

} // namespace

TEST(Predict, TheDialogCountsHandsPerAnswer)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    const auto question = core::predictionFor(QStringLiteral("race"));
    ASSERT_TRUE(question);
    ui::PredictDialog dialog(question->text(), question->choices());
    EXPECT_EQ(dialog.hands(), (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(dialog.runs(), 10);
    dialog.setHands(2, 7);
    // +1 per hand: the second answer's button, twice.
    std::vector<QPushButton *> plus;
    for (QPushButton *button : dialog.findChildren<QPushButton *>())
        if (button->text() == QLatin1String("+1"))
            plus.push_back(button);
    ASSERT_EQ(plus.size(), 3u);
    QTest::mouseClick(plus[1], Qt::LeftButton);
    QTest::mouseClick(plus[1], Qt::LeftButton);
    EXPECT_EQ(dialog.hands(), (std::vector<int>{0, 2, 7}));
}

TEST(Predict, TheChartPutsTheHandsBesideWhatTheRunsGave)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    predictRace(window, {4, 9, 17}, 3);
    auto *chart = qobject_cast<ui::ChartsView *>(window.view(QStringLiteral("chart")));
    ASSERT_NE(chart, nullptr);
    EXPECT_EQ(chart->chart(), ui::ChartKind::Prediction);
    const ui::Prediction &p = chart->prediction();
    EXPECT_EQ(p.hands, (std::vector<int>{4, 9, 17}));
    EXPECT_EQ(p.totalRuns(), 3);
    // Each run counted under the answer its final balance gives.
    const auto question = core::predictionFor(QStringLiteral("race"));
    std::vector<int> expected(3, 0);
    ASSERT_EQ(chart->outcomes().size(), 3u);
    for (const ui::Outcome &o : chart->outcomes()) {
        ASSERT_TRUE(o.finalBalance);
        const auto choice =
            question->choiceOf({{QStringLiteral("final_balance"), *o.finalBalance}, {QStringLiteral("expected"), 0}});
        ASSERT_TRUE(choice);
        ++expected[size_t(*choice)];
    }
    EXPECT_EQ(p.runs, expected);
    // The plot draws two bars per answer: hands and runs.
    EXPECT_EQ(chart->plot()->plottableCount(), 2);
    // An export draws a new view: it gets the window's runs and prediction, not "nothing to chart".
    ui::ChartsView drawn;
    drawn.setModel(window.model());
    drawn.copyRunsFrom(*chart);
    EXPECT_EQ(drawn.chart(), ui::ChartKind::Prediction);
    EXPECT_EQ(drawn.prediction().runs, p.runs);
    EXPECT_EQ(drawn.outcomes().size(), 3u);

    // Other parameters are other runs: the prediction goes.
    auto *iterations = qobject_cast<QSpinBox *>(window.parameterForm()->editor(QStringLiteral("iterations")));
    ASSERT_NE(iterations, nullptr);
    iterations->setValue(2000);
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(waitFor([&] { return !finished.isEmpty() && !window.running(); }, 60'000));
    EXPECT_TRUE(chart->prediction().empty());
    EXPECT_NE(chart->chart(), ui::ChartKind::Prediction);
}

// INTERLEAVE_SHOTS=DIR: the dialog and the chart as a class sees them, in English and Chinese,
// light and projector (F5), for the documentation. Without it, one export is checked.
TEST(Predict, TheChartExportsInEveryLanguageAndTheme)
{
    app();
    const QString shots = QString::fromLocal8Bit(qgetenv("INTERLEAVE_SHOTS"));
    QTemporaryDir temp;
    const QDir out(shots.isEmpty() ? temp.path() : shots);
    for (const char *lang : {"en", "zh_CN"}) {
        ui::Application::setLanguage(QLatin1String(lang));
        ui::MainWindow window;
        window.resize(1600, 900);
        window.show();
        // The documentation's pictures are of the lesson as a class runs it: default parameters.
        predictRace(window, {6, 11, 13}, shots.isEmpty() ? 5 : 10, shots.isEmpty() ? 1000 : 0);
        for (bool projector : {false, true}) {
            window.setPresentationMode(projector);
            const QString name =
                QStringLiteral("predict-%1-%2.png")
                    .arg(QLatin1String(lang), projector ? QLatin1String("f5") : QLatin1String("light"));
            QString error;
            ASSERT_TRUE(window.exportImage(QStringLiteral("chart"), out.filePath(name), QSize(1600, 900), 1.0, &error))
                << error.toStdString();
            const QImage image(out.filePath(name));
            EXPECT_EQ(image.size(), QSize(1600, 900));
            if (!shots.isEmpty()) {
                const auto question = core::predictionFor(QStringLiteral("race"));
                ui::PredictDialog dialog(question->text(), question->choices(), &window);
                dialog.setHands(0, 6);
                dialog.setHands(1, 11);
                dialog.setHands(2, 13);
                dialog.show();
                QTest::qWait(50);
                dialog.grab().save(out.filePath(
                    QStringLiteral("predict-dialog-%1-%2.png")
                        .arg(QLatin1String(lang), projector ? QLatin1String("f5") : QLatin1String("light"))));
            }
        }
        window.setPresentationMode(false);
    }
    ui::Application::setLanguage(QStringLiteral("en"));
}
