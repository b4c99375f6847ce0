// SPDX-License-Identifier: MIT
// ChartsView's charts of the scenario's findings: the throughput sweep, the creation costs and the
// outcomes of repeated runs.
#include "ui/qcp.h"

#include "ui/charts/chartsview.h"
#include "ui/charts/chartsviewimpl.h"

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using chartsdetail::wholeStep;

namespace {

QString formatNumber(double v)
{
    if (std::abs(v) >= 100 || v == std::floor(v))
        return QString::number(v, 'f', 0);
    return QString::number(v, 'f', std::abs(v) >= 10 ? 1 : 2);
}

} // namespace

// Throughput sweep ----------------------------------------------------------------------------

void ChartsView::buildThroughput()
{
    const ThroughputSweep sweep = ThroughputSweep::fromFindings(m_findings);
    addTitle(tr("Tasks per second against the number of workers"));
    QCPAxisRect *rect = addAxisRect(1);
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    styleAxis(x, tr("worker threads"));
    styleAxis(y, tr("tasks per second"));
    QCPLegend *legend = addLegend(rect, Qt::AlignTop | Qt::AlignLeft);

    // Worker counts double along the sweep: a log scale spaces them evenly, labelled as they are.
    x->setScaleType(QCPAxis::stLogarithmic);
    auto *ticker = new QCPAxisTickerText;
    int most = 1;
    double top = 0;
    for (const auto *series : {&sweep.cpu, &sweep.io}) {
        for (const SweepPoint &p : *series) {
            ticker->addTick(p.workers, QString::number(p.workers));
            most = std::max(most, p.workers);
            top = std::max(top, p.tasksPerSecond);
        }
    }
    x->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    x->setSubTicks(false);
    x->setRange(0.8, std::max(2.0, most * 1.25));
    y->setRange(0, top > 0 ? top * 1.2 : 1.0);

    auto addSeries = [&](const std::vector<SweepPoint> &points, const QString &name, const QColor &color,
                         Qt::PenStyle style, QCPScatterStyle::ScatterShape shape) {
        QCPGraph *graph = m_plot->addGraph(x, y);
        graph->setName(name);
        graph->setPen(QPen(color, theme().lineWidth * 1.4, style));
        graph->setScatterStyle(QCPScatterStyle(shape, color, color, 7 * theme().fontScale));
        QVector<double> keys, values;
        for (const SweepPoint &p : points) {
            keys.push_back(p.workers);
            values.push_back(p.tasksPerSecond);
        }
        graph->setData(keys, values, true);
        graph->addToLegend(legend);
    };
    addSeries(sweep.cpu, tr("compute-bound tasks"), seriesColor(0), Qt::SolidLine, QCPScatterStyle::ssDisc);
    addSeries(sweep.io, tr("IO-bound tasks"), seriesColor(2), Qt::DashLine, QCPScatterStyle::ssSquare);

    if (sweep.cores > 0) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(rect);
        line->point1->setAxes(x, y);
        line->point2->setAxes(x, y);
        line->point1->setCoords(sweep.cores, 0);
        line->point2->setCoords(sweep.cores, 1);
        line->setPen(QPen(theme().foreground, theme().lineWidth, Qt::DotLine));
        auto *label = new QCPItemText(m_plot);
        label->setClipAxisRect(rect);
        label->position->setAxes(x, y);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setAxisRect(rect);
        label->position->setCoords(sweep.cores, 0.03);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setPadding(QMargins(6, 0, 0, 0));
        label->setText(sweep.cores == 1 ? tr("1 core") : tr("%1 cores").arg(sweep.cores));
        label->setFont(theme().font(0.95, true));
        label->setColor(theme().foreground);
    }
}

// Creation cost -------------------------------------------------------------------------------

void ChartsView::buildCreationCost()
{
    const CreationCost cost = CreationCost::fromFindings(m_findings);
    addTitle(tr("Creating one thread vs one process (median)"));
    QCPAxisRect *rect = addAxisRect(1);
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    styleAxis(x, QString());
    styleAxis(y, tr("µs to create and join one"));
    x->grid()->setVisible(false);
    auto *ticker = new QCPAxisTickerText;
    ticker->addTick(1, tr("thread"));
    ticker->addTick(2, tr("process"));
    x->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    x->setSubTicks(false);
    x->setTickLabelFont(theme().font(1.1, true));
    x->setRange(0.4, 2.6);

    double top = 0;
    int index = 0;
    for (const auto &[key, value] : {std::pair{1.0, cost.threadUs}, std::pair{2.0, cost.processUs}}) {
        const QColor color = seriesColor(index++);
        if (!value)
            continue;
        auto *bars = new QCPBars(x, y);
        bars->setWidth(0.55);
        bars->setBrush(color);
        bars->setPen(QPen(color.darker(130), std::max<qreal>(1, theme().lineWidth / 2)));
        bars->setData({key}, {*value}, true);
        top = std::max(top, *value);
        auto *label = new QCPItemText(m_plot);
        label->setClipToAxisRect(false);
        label->position->setAxes(x, y);
        label->position->setCoords(key, *value);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(tr("%1 µs").arg(formatNumber(*value)));
        label->setFont(theme().font(1.1, true));
        label->setColor(theme().foreground);
        label->setPadding(QMargins(0, 0, 0, 4));
    }
    y->setRange(0, top > 0 ? top * 1.25 : 1.0);
    if (cost.threadUs && cost.processUs && *cost.threadUs > 0) {
        auto *ratio = new QCPItemText(m_plot);
        ratio->position->setType(QCPItemPosition::ptAxisRectRatio);
        ratio->position->setAxisRect(rect);
        ratio->position->setCoords(0.02, 0.02);
        ratio->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        ratio->setText(tr("a process costs %1× a thread").arg(formatNumber(*cost.processUs / *cost.threadUs)));
        ratio->setFont(theme().font(1.0));
        ratio->setColor(theme().foreground);
    }
}

// Outcomes of repeated runs -------------------------------------------------------------------

void ChartsView::buildOutcomes()
{
    addTitle(m_outcomes.size() == 1 ? tr("Outcome of 1 run") : tr("Outcomes of %1 runs").arg(m_outcomes.size()));
    std::vector<double> balances, lost;
    std::optional<double> expected;
    for (const Outcome &o : m_outcomes) {
        if (o.finalBalance)
            balances.push_back(*o.finalBalance);
        if (o.lostUpdates)
            lost.push_back(*o.lostUpdates);
        if (o.expected)
            expected = o.expected;
    }
    int row = 1;
    if (!balances.empty())
        addHistogram(addAxisRect(row++), balances, tr("final balance"), expected);
    if (!lost.empty())
        addHistogram(addAxisRect(row++), lost, tr("lost updates"), std::nullopt);
    // A lost +8 and a lost -8 in the same run add up to nothing: the balance looks right although
    // updates were lost. Said below the charts, as a layout element the next rebuild clears.
    const auto cancelled =
        std::count_if(m_outcomes.begin(), m_outcomes.end(), [](const Outcome &o) { return o.cancelledOut; });
    if (cancelled > 0) {
        auto *note =
            new QCPTextElement(m_plot,
                               tr("%n run(s): updates were lost but cancelled out, so the balance came out right",
                                  nullptr, int(cancelled)),
                               theme().font(1.0));
        note->setObjectName(QStringLiteral("cancelledOut"));
        note->setTextColor(theme().foreground);
        m_plot->plotLayout()->addElement(row++, 0, note);
    }
}

void ChartsView::addHistogram(QCPAxisRect *rect, const std::vector<double> &values, const QString &label,
                              const std::optional<double> &expected)
{
    const Histogram h = Histogram::of(values);
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    styleAxis(x, label);
    styleAxis(y, tr("runs"));
    x->grid()->setVisible(false);
    auto yTicker = QSharedPointer<QCPAxisTickerFixed>::create();
    int most = 0;
    for (int c : h.counts)
        most = std::max(most, c);
    yTicker->setTickStep(wholeStep(most));
    y->setTicker(yTicker);
    y->setSubTicks(false); // runs are whole numbers
    y->setRange(0, most * 1.2 + 0.5);

    // Each bar is labelled with the value (or range) it counts, so no tick needs guessing.
    auto *ticker = new QCPAxisTickerText;
    for (double c : h.centers) {
        ticker->addTick(
            c, h.binned ? QStringLiteral("%1…%2").arg(formatNumber(c - h.width / 2), formatNumber(c + h.width / 2))
                        : formatNumber(c));
    }
    x->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    x->setSubTicks(false);
    double lo = h.centers.empty() ? 0 : h.centers.front();
    double hi = h.centers.empty() ? 1 : h.centers.back();
    if (expected) {
        lo = std::min(lo, *expected);
        hi = std::max(hi, *expected);
    }
    x->setRange(lo - h.width * 1.2, hi + h.width * 1.2);

    const QColor color = seriesColor(0);
    auto *bars = new QCPBars(x, y);
    bars->setWidth(h.binned ? h.width * 0.95 : h.width);
    bars->setBrush(color);
    bars->setPen(QPen(color.darker(130), std::max<qreal>(1, theme().lineWidth / 2)));
    bars->setData(QVector<double>(h.centers.begin(), h.centers.end()),
                  QVector<double>(h.counts.begin(), h.counts.end()), true);
    for (size_t i = 0; i < h.centers.size(); ++i) {
        auto *count = new QCPItemText(m_plot);
        count->setClipToAxisRect(false);
        count->position->setAxes(x, y);
        count->position->setCoords(h.centers[i], h.counts[i]);
        count->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        count->setText(QString::number(h.counts[i]));
        count->setFont(theme().font(0.95, true));
        count->setColor(theme().foreground);
    }
    if (expected) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(rect);
        line->point1->setAxes(x, y);
        line->point2->setAxes(x, y);
        line->point1->setCoords(*expected, 0);
        line->point2->setCoords(*expected, 1);
        line->setPen(QPen(theme().foreground, theme().lineWidth, Qt::DashLine));
        auto *text = new QCPItemText(m_plot);
        text->setClipAxisRect(rect);
        text->position->setAxes(x, y);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setAxisRect(rect);
        text->position->setCoords(*expected, 0.02);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        text->setPadding(QMargins(6, 0, 0, 0));
        text->setText(tr("expected %1").arg(formatNumber(*expected)));
        text->setFont(theme().font(0.95));
        text->setColor(theme().foreground);
    }
}

} // namespace interleave::ui
