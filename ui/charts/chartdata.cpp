// SPDX-License-Identifier: MIT
#include "ui/charts/chartdata.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <utility>

namespace interleave::ui {

using core::kTimeMax;

// ChartChoice ---------------------------------------------------------------------------------

std::vector<ChartKind> ChartChoice::available(const Inputs &in)
{
    std::vector<ChartKind> kinds;
    if (in.prediction)
        kinds.push_back(ChartKind::Prediction);
    if (in.queues)
        kinds.push_back(ChartKind::QueueDepth);
    if (in.lockWaits)
        kinds.push_back(ChartKind::LockWaits);
    if (in.sweep)
        kinds.push_back(ChartKind::Throughput);
    if (in.creation)
        kinds.push_back(ChartKind::CreationCost);
    if (in.outcomes)
        kinds.push_back(ChartKind::Outcomes);
    if (in.counters)
        kinds.push_back(ChartKind::Counters);
    return kinds;
}

ChartKind ChartChoice::preferred(const QString &scenario, const std::vector<ChartKind> &available)
{
    if (available.empty())
        return ChartKind::None;
    // The class asked a question before these runs: its answer is the lesson now.
    if (available.front() == ChartKind::Prediction)
        return ChartKind::Prediction;
    // The chart that carries each scenario's lesson; the race is about what repeated runs give.
    std::vector<ChartKind> order;
    if (scenario == QLatin1String("race"))
        order = {ChartKind::Outcomes};
    else if (scenario == QLatin1String("lock") || scenario == QLatin1String("deadlock"))
        order = {ChartKind::LockWaits, ChartKind::Outcomes};
    else if (scenario == QLatin1String("cpu-vs-io"))
        order = {ChartKind::Throughput};
    else if (scenario == QLatin1String("process-vs-thread"))
        order = {ChartKind::CreationCost};
    else if (scenario == QLatin1String("queue") || scenario == QLatin1String("distributed"))
        order = {ChartKind::QueueDepth};
    for (ChartKind kind : order) {
        if (std::find(available.begin(), available.end(), kind) != available.end())
            return kind;
    }
    return available.front();
}

QString ChartChoice::name(ChartKind kind)
{
    switch (kind) {
    case ChartKind::QueueDepth:
        return QStringLiteral("queue-depth");
    case ChartKind::LockWaits:
        return QStringLiteral("lock-waits");
    case ChartKind::Throughput:
        return QStringLiteral("throughput");
    case ChartKind::CreationCost:
        return QStringLiteral("creation-cost");
    case ChartKind::Outcomes:
        return QStringLiteral("outcomes");
    case ChartKind::Counters:
        return QStringLiteral("counters");
    case ChartKind::Prediction:
        return QStringLiteral("prediction");
    case ChartKind::None:
        break;
    }
    return QStringLiteral("none");
}

ChartKind ChartChoice::byName(const QString &name)
{
    for (ChartKind kind : {ChartKind::QueueDepth, ChartKind::LockWaits, ChartKind::Throughput, ChartKind::CreationCost,
                           ChartKind::Outcomes, ChartKind::Counters, ChartKind::Prediction}) {
        if (ChartChoice::name(kind) == name)
            return kind;
    }
    return ChartKind::None;
}

// Findings ------------------------------------------------------------------------------------

namespace {

std::optional<double> number(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return std::nullopt;
    return v.toDouble();
}

std::vector<SweepPoint> sweepOf(const QJsonValue &value)
{
    std::vector<SweepPoint> points;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        const auto workers = number(o, "workers");
        const auto perSecond = number(o, "tasks_per_s");
        if (workers && perSecond && *workers >= 1)
            points.push_back({int(*workers), *perSecond});
    }
    std::sort(points.begin(), points.end(),
              [](const SweepPoint &a, const SweepPoint &b) { return a.workers < b.workers; });
    return points;
}

} // namespace

ThroughputSweep ThroughputSweep::fromFindings(const QJsonObject &findings)
{
    ThroughputSweep sweep;
    sweep.cpu = sweepOf(findings.value(QStringLiteral("cpu")));
    sweep.io = sweepOf(findings.value(QStringLiteral("io")));
    if (const auto cores = number(findings, "cores"); cores && *cores >= 1)
        sweep.cores = int(*cores);
    return sweep;
}

CreationCost CreationCost::fromFindings(const QJsonObject &findings)
{
    return {number(findings, "thread_create_us_median"), number(findings, "process_create_us_median")};
}

Outcome Outcome::fromFindings(const QJsonObject &findings)
{
    return {number(findings, "final_balance"), number(findings, "lost_updates"), number(findings, "expected"),
            number(findings, "lost_delta"), findings.value(QStringLiteral("cancelled_out")).toBool()};
}

// Histogram -----------------------------------------------------------------------------------

Histogram Histogram::of(const std::vector<double> &values, int maxBars)
{
    Histogram h;
    if (values.empty())
        return h;
    std::map<double, int> distinct;
    for (double v : values)
        ++distinct[v];
    if (int(distinct.size()) <= std::max(1, maxBars)) {
        double gap = 0;
        double previous = 0;
        bool first = true;
        for (const auto &[value, count] : distinct) {
            if (!first)
                gap = gap == 0 ? value - previous : std::min(gap, value - previous);
            previous = value;
            first = false;
            h.centers.push_back(value);
            h.counts.push_back(count);
        }
        h.width = gap > 0 ? gap * 0.7 : 1.0;
        if (distinct.size() == 1)
            h.width = std::max(1.0, std::abs(h.centers.front()) * 0.1);
        return h;
    }
    // Too many different values for a bar each: equal ranges, whole numbers wide when the values are.
    const double lo = distinct.begin()->first;
    const double hi = distinct.rbegin()->first;
    const bool integral = std::all_of(values.begin(), values.end(), [](double v) { return v == std::floor(v); });
    double width = (hi - lo) / maxBars;
    if (integral)
        width = std::max(1.0, std::ceil(width));
    const int bins = std::max(1, int(std::ceil((hi - lo) / width + (integral ? 1e-9 : 0))));
    h.binned = true;
    h.width = width;
    h.counts.assign(size_t(bins) + 1, 0);
    for (double v : values) {
        const int bin = std::clamp(int(std::floor((v - lo) / width)), 0, bins);
        ++h.counts[size_t(bin)];
    }
    if (h.counts.back() == 0)
        h.counts.pop_back();
    for (size_t i = 0; i < h.counts.size(); ++i)
        h.centers.push_back(lo + (double(i) + 0.5) * width);
    return h;
}

int Histogram::total() const
{
    int n = 0;
    for (int c : counts)
        n += c;
    return n;
}

// ChartTimeAxis -------------------------------------------------------------------------------

ChartTimeAxis ChartTimeAxis::forSpan(int64_t origin, int64_t span)
{
    return {origin, span < 2'000'000'000 ? 1e6 : 1e9};
}

int Prediction::totalHands() const
{
    return std::accumulate(hands.begin(), hands.end(), 0);
}

int Prediction::totalRuns() const
{
    return std::accumulate(runs.begin(), runs.end(), 0);
}

} // namespace interleave::ui
