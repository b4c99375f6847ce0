// SPDX-License-Identifier: MIT
#pragma once
// What the charts show, computed from a TraceModel and a run's findings as plain data (no
// drawing), so every number on a chart is unit-tested without painting.

#include "analysis/lockwaittable.h"
#include "trace/tracemodel.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace interleave::ui {

/// The charts the charts view can draw.
enum class ChartKind
{
    None,         ///< nothing in this trace to chart
    QueueDepth,   ///< items waiting in each queue over time (step lines)
    LockWaits,    ///< per thread: total and longest wait for each lock (bars)
    Throughput,   ///< cpu-vs-io: tasks/s against the number of workers, CPU- and IO-bound
    CreationCost, ///< process-vs-thread: cost of creating one thread vs one process (bars)
    Outcomes,     ///< repeated runs: histograms of final_balance and lost_updates
    Counters,     ///< an imported trace's counters over time, one small chart each (step lines)
    Prediction,   ///< predict, then run: the class's show of hands beside what the runs gave
};

/// Which charts have data, and which one fits a run best.
struct ChartChoice
{
    /// What a trace and its findings have to chart.
    struct Inputs
    {
        bool queues = false;     ///< a queue with depth points
        bool lockWaits = false;  ///< a thread that waited for a lock
        bool sweep = false;      ///< throughput sweep findings
        bool creation = false;   ///< creation cost findings
        bool outcomes = false;   ///< at least one repeated run's outcome
        bool counters = false;   ///< an imported trace's counter ('C' events)
        bool prediction = false; ///< the class predicted before repeated runs
    };
    /// The charts with something to show, in the order the selector lists them.
    static std::vector<ChartKind> available(const Inputs &inputs);
    /// The chart that tells the lesson of `scenario` when it is available, else the first available.
    static ChartKind preferred(const QString &scenario, const std::vector<ChartKind> &available);
    /// "queue-depth", "lock-waits", ... (stable names for settings and the command line).
    static QString name(ChartKind kind);
    static ChartKind byName(const QString &name);
};

using core::LockWaitTable;

/// One point of a throughput sweep.
struct SweepPoint
{
    int workers = 0;
    double tasksPerSecond = 0;
};

/// The cpu-vs-io findings: {"cores": N, "cpu": [{workers, tasks_per_s}], "io": [...]}.
struct ThroughputSweep
{
    std::vector<SweepPoint> cpu;
    std::vector<SweepPoint> io;
    int cores = 0; ///< 0: unknown

    static ThroughputSweep fromFindings(const QJsonObject &findings);
    bool empty() const { return cpu.empty() && io.empty(); }
};

/// The process-vs-thread findings thread_create_us_median and process_create_us_median.
struct CreationCost
{
    std::optional<double> threadUs;
    std::optional<double> processUs;

    static CreationCost fromFindings(const QJsonObject &findings);
    bool empty() const { return !threadUs && !processUs; }
};

/// How many runs ended with each value: one bar per distinct value while they are few, else
/// equal-width bins over [min, max].
struct Histogram
{
    std::vector<double> centers; ///< bar positions, ascending
    std::vector<int> counts;     ///< runs per bar
    double width = 1;            ///< bar (bin) width in value units
    bool binned = false;         ///< true: bars stand for ranges, not single values

    static Histogram of(const std::vector<double> &values, int maxBars = 20);
    int total() const;
};

/// "Predict, then run": the question the class answered before the runs, its show of hands
/// per choice, and how many runs came out in each choice.
struct Prediction
{
    QString question;
    QStringList choices;
    std::vector<int> hands; ///< per choice
    std::vector<int> runs;  ///< per choice
    bool empty() const { return choices.isEmpty(); }
    int totalHands() const;
    int totalRuns() const;
};

/// The outcome of one finished run, as the repeated-runs histogram keeps it.
struct Outcome
{
    std::optional<double> finalBalance; ///< findings "final_balance"
    std::optional<double> lostUpdates;  ///< findings "lost_updates"
    std::optional<double> expected;     ///< findings "expected"
    std::optional<double> lostDelta;    ///< findings "lost_delta": expected - final_balance
    bool cancelledOut = false;          ///< findings "cancelled_out": updates lost, balance right anyway

    static Outcome fromFindings(const QJsonObject &findings);
    bool empty() const { return !finalBalance && !lostUpdates; }
};

/// A time axis in the unit that keeps its numbers short: ms below 2 s of trace, else s.
struct ChartTimeAxis
{
    int64_t origin = 0;  ///< trace time shown as 0
    double unitNs = 1e6; ///< ns per axis unit

    static ChartTimeAxis forSpan(int64_t origin, int64_t span);
    double key(int64_t time) const { return double(time - origin) / unitNs; }
    bool milliseconds() const { return unitNs < 1e9; }
};

} // namespace interleave::ui

Q_DECLARE_METATYPE(interleave::ui::ChartKind)
