// SPDX-License-Identifier: MIT
#pragma once

#include "ui/charts/chartdata.h"
#include "ui/traceview.h"

#include <QColor>
#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
// QCustomPlot's header must come before every other Qt header (ui/qcp.h), so this header, which
// the window includes among others, only names its classes.
class QCustomPlot;
class QCPAxis;
class QCPAxisRect;
class QCPBars;
class QCPBarsGroup;
class QCPGraph;
class QCPItemStraightLine;
class QCPLegend;

namespace interleave::ui {

/// The charts of a run: queue depth over time, lock waits per thread, the cpu-vs-io throughput
/// sweep, the process-vs-thread creation costs and the outcomes of repeated runs. It picks the
/// chart that carries the scenario's lesson; a selector (and the `chart` property) switches.
/// QCustomPlot is only the drawing surface: the numbers come from chartdata.h. (A file that
/// uses plot() includes "ui/qcp.h" first.)
class ChartsView : public TraceView
{
    Q_OBJECT
    Q_PROPERTY(interleave::ui::ChartKind chart READ chart WRITE setChart NOTIFY chartChanged)
public:
    explicit ChartsView(QWidget *parent = nullptr);
    ~ChartsView() override;

    QString title() const override;
    QString viewName() const override { return QStringLiteral("chart"); }
    std::vector<LegendEntry> legend() const override;
    /// Works out the lock-wait table of the whole trace on the opening thread.
    Prepare preparer() const override;
    /// Vector drawing (QCustomPlot::toPainter through a QPicture), so SVG and PDF stay sharp.
    void renderContent(QPainter &painter, const QSize &size) override;

    /// The chart shown now.
    ChartKind chart() const { return m_shown; }
    /// Shows `kind` whenever it has data (the user's choice); ChartKind::None: choose automatically.
    void setChart(ChartKind kind);
    /// The charts that have data now, as the selector lists them.
    const std::vector<ChartKind> &availableCharts() const { return m_available; }
    static QString chartTitle(ChartKind kind);

    /// The window calls this after each finished run of the same scenario and parameters.
    void addOutcome(const QJsonObject &findings);
    /// ... and this when they change.
    void clearOutcomes();
    size_t outcomeCount() const { return m_outcomes.size(); }
    const std::vector<Outcome> &outcomes() const { return m_outcomes; }

    /// The repeated runs, the prediction and the chart chosen of `other` (an export draws a new
    /// view of the window's).
    void copyRunsFrom(const ChartsView &other);
    /// "Predict, then run": the class's show of hands and the runs' answers so far (empty: none);
    /// drawn as the Prediction chart, which is then the one shown.
    void setPrediction(const Prediction &prediction);
    const Prediction &prediction() const { return m_prediction; }

    /// The plot, for tests that read back what it draws.
    QCustomPlot *plot() const { return m_plot; }
    /// The findings the charts use: the run's, or for a live run the scenario's own findings()
    /// computed from the model so far.
    const QJsonObject &findings() const { return m_findings; }

public Q_SLOTS:
    void refresh() override;

Q_SIGNALS:
    void chartChanged(interleave::ui::ChartKind kind);

protected:
    void modelChanged() override;
    void playheadChanged() override;
    void themeChanged() override;
    void runInfoChanged() override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    /// Brings data and plot up to date with the model (cheaply when only appended to).
    void sync();
    void updateFindings();
    void updateSelector();
    void rebuild();
    void clearPlot();
    QCPAxisRect *addAxisRect(int row);
    QCPLegend *addLegend(QCPAxisRect *rect, Qt::Alignment where);
    void addTitle(const QString &text);
    void styleAxis(QCPAxis *axis, const QString &label) const;
    QColor seriesColor(int index) const;

    void buildQueueDepth();
    /// An imported trace's counters: a small step chart each, on one time axis (chartsviewtrace.cpp).
    void buildCounters();
    void appendQueueDepth();
    void buildLockWaits();
    void updateLockWaits();
    void buildThroughput();
    void buildCreationCost();
    void buildOutcomes();
    /// The show of hands beside the runs, per choice (chartsviewprediction.cpp).
    void buildPrediction();
    void addHistogram(QCPAxisRect *rect, const std::vector<double> &values, const QString &label,
                      const std::optional<double> &expected);
    void buildEmpty();
    void updatePlayhead();
    void retranslate();

    QComboBox *m_selector = nullptr;
    QLabel *m_selectorLabel = nullptr;
    QCustomPlot *m_plot = nullptr;

    ChartKind m_userChoice = ChartKind::None;
    ChartKind m_shown = ChartKind::None;
    std::vector<ChartKind> m_available;
    bool m_dirty = true;   ///< the model grew while hidden
    bool m_rebuild = true; ///< the plot must be rebuilt from scratch
    size_t m_syncedEvents = size_t(-1);

    QJsonObject m_findings;
    bool m_liveFindings = false;
    bool m_hasLockWaits = false;
    LockWaitTable m_lockTable;
    std::shared_ptr<LockWaitTable> m_preparedLockTable; ///< the preparer's, until the chart is built
    size_t m_lockTableEvents = size_t(-1);
    std::vector<Outcome> m_outcomes;
    Prediction m_prediction;

    // Queue depth: what is plotted so far, so a live refresh appends only what is new.
    ChartTimeAxis m_time;
    std::vector<uint32_t> m_queues;
    std::vector<QCPGraph *> m_queueGraphs;
    std::vector<size_t> m_queuePoints;
    std::vector<int64_t> m_queueLastTime;
    double m_queueMax = 0;
    QCPItemStraightLine *m_playheadLine = nullptr;
    QCPAxisRect *m_timeRect = nullptr;

    // Lock waits: one bar series per lock and statistic.
    std::vector<uint32_t> m_lockThreads;
    std::vector<uint32_t> m_lockIds;
    std::vector<QCPBars *> m_totalBars; ///< by lock
    std::vector<QCPBars *> m_maxBars;
    QCPAxisRect *m_lockRect = nullptr;
    QCPBarsGroup *m_barsGroup = nullptr;
};

} // namespace interleave::ui
