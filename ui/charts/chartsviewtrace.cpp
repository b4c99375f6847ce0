// SPDX-License-Identifier: MIT
// ChartsView's charts of the trace's events: queue depth over time and lock waits per thread.
#include "ui/qcp.h"

#include "ui/charts/chartsview.h"
#include "ui/charts/chartsviewimpl.h"

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using chartsdetail::wholeStep;
using core::kTimeMax;

// Queue depth ---------------------------------------------------------------------------------

void ChartsView::buildQueueDepth()
{
    const core::TraceModel *m = model();
    if (!m)
        return;
    addTitle(tr("Items waiting in each queue"));
    m_timeRect = addAxisRect(1);
    m_time = ChartTimeAxis::forSpan(m->startTime(), m->endTime() - m->startTime());
    styleAxis(m_timeRect->axis(QCPAxis::atBottom), m_time.milliseconds() ? tr("time (ms)") : tr("time (s)"));
    styleAxis(m_timeRect->axis(QCPAxis::atLeft), tr("items in the queue"));
    m_timeRect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTickerFixed>::create());
    m_timeRect->axis(QCPAxis::atLeft)->setSubTicks(false); // depths are whole numbers
    QCPLegend *legend = addLegend(m_timeRect, Qt::AlignTop | Qt::AlignRight);

    m_playheadLine = new QCPItemStraightLine(m_plot);
    m_playheadLine->setClipAxisRect(m_timeRect);
    m_playheadLine->point1->setAxes(m_timeRect->axis(QCPAxis::atBottom), m_timeRect->axis(QCPAxis::atLeft));
    m_playheadLine->point2->setAxes(m_timeRect->axis(QCPAxis::atBottom), m_timeRect->axis(QCPAxis::atLeft));
    m_playheadLine->setPen(QPen(theme().playhead, std::max<qreal>(1.5, theme().lineWidth)));
    legend->setVisible(false);
    appendQueueDepth();
    legend->setVisible(m_queueGraphs.size() > 0);
}

void ChartsView::buildCounters()
{
    const core::TraceModel *m = model();
    if (!m)
        return;
    addTitle(tr("Counters of the trace"));
    const std::vector<uint32_t> names = m->counterNames();
    // A chart each (their units differ: bytes beside counts), at most eight; the timeline has them all.
    constexpr size_t kMost = 8;
    m_time = ChartTimeAxis::forSpan(m->startTime(), m->endTime() - m->startTime());
    const size_t shown = std::min(names.size(), kMost);
    for (size_t i = 0; i < shown; ++i) {
        QCPAxisRect *rect = addAxisRect(int(i) + 1);
        QCPAxis *x = rect->axis(QCPAxis::atBottom);
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        const QString name = QString::fromStdString(core::TraceModel::labelOf(m->data().string(names[i])));
        styleAxis(x, i + 1 == shown ? (m_time.milliseconds() ? tr("time (ms)") : tr("time (s)")) : QString());
        styleAxis(y, name);
        QCPGraph *graph = m_plot->addGraph(x, y);
        graph->setName(name);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        graph->setPen(QPen(seriesColor(int(i)), theme().lineWidth * 1.4));
        QVector<double> keys, values;
        for (const core::CounterPoint &p : m->counter(names[i])) {
            keys.push_back(m_time.key(p.time));
            values.push_back(p.value);
        }
        graph->setData(keys, values, true);
        graph->rescaleValueAxis(false, true);
        x->setRange(0, std::max(m_time.key(m->endTime()), 1e-9));
    }
}

void ChartsView::appendQueueDepth()
{
    const core::TraceModel *m = model();
    if (!m || !m_timeRect)
        return;
    // The time unit and origin are fixed per build; a live run that outgrows them is rebuilt once.
    const ChartTimeAxis wanted = ChartTimeAxis::forSpan(m->startTime(), m->endTime() - m->startTime());
    if (wanted.origin != m_time.origin || wanted.unitNs != m_time.unitNs) {
        rebuild();
        return;
    }
    QCPAxis *x = m_timeRect->axis(QCPAxis::atBottom);
    QCPAxis *y = m_timeRect->axis(QCPAxis::atLeft);
    QCPLegend *legend = nullptr;
    if (m_timeRect->insetLayout()->elementCount() > 0)
        legend = qobject_cast<QCPLegend *>(m_timeRect->insetLayout()->elementAt(0));
    for (uint32_t queue : m->queueIds()) {
        auto it = std::find(m_queues.begin(), m_queues.end(), queue);
        size_t i = size_t(it - m_queues.begin());
        if (it == m_queues.end()) {
            QCPGraph *graph = m_plot->addGraph(x, y);
            graph->setName(QString::fromStdString(m->objectName(queue)));
            graph->setLineStyle(QCPGraph::lsStepLeft);
            QPen pen(seriesColor(int(m_queues.size())), theme().lineWidth * 1.4);
            pen.setStyle(m_queues.size() % 2 ? Qt::DashLine : Qt::SolidLine); // not by colour alone
            graph->setPen(pen);
            if (legend)
                graph->addToLegend(legend);
            m_queues.push_back(queue);
            m_queueGraphs.push_back(graph);
            m_queuePoints.push_back(0);
            m_queueLastTime.push_back(kTimeMax);
        }
        const std::vector<core::CounterPoint> points = m->queueDepth(queue);
        size_t &have = m_queuePoints[i];
        // Points normally only get appended; one that arrived late, out of order, changes the
        // prefix: then the graph is filled again.
        if (points.size() < have || (have > 0 && points[have - 1].time != m_queueLastTime[i])) {
            m_queueGraphs[i]->data()->clear();
            have = 0;
        }
        if (points.size() > have) {
            QVector<double> keys, values;
            keys.reserve(qsizetype(points.size() - have));
            values.reserve(qsizetype(points.size() - have));
            for (size_t k = have; k < points.size(); ++k) {
                keys.push_back(m_time.key(points[k].time));
                values.push_back(points[k].value);
                m_queueMax = std::max(m_queueMax, points[k].value);
            }
            m_queueGraphs[i]->addData(keys, values, true);
            have = points.size();
            m_queueLastTime[i] = points.back().time;
        }
    }
    if (legend)
        legend->setVisible(!m_queueGraphs.empty());
    const double upper = std::max(1.0, m_queueMax) * 1.15 + 0.3;
    y->setRange(-upper * 0.04, upper);
    static_cast<QCPAxisTickerFixed *>(y->ticker().data())->setTickStep(wholeStep(upper));
    x->setRange(0, std::max(m_time.key(m->endTime()), 1e-9));
    updatePlayhead();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartsView::updatePlayhead()
{
    if (!m_playheadLine || !model())
        return;
    const double key = m_time.key(std::clamp(playhead(), model()->startTime(), model()->endTime()));
    m_playheadLine->point1->setCoords(key, 0);
    m_playheadLine->point2->setCoords(key, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// Lock waits ----------------------------------------------------------------------------------

void ChartsView::buildLockWaits()
{
    const core::TraceModel *m = model();
    if (!m)
        return;
    addTitle(tr("How long each thread waited for a lock"));
    m_lockRect = addAxisRect(1);
    QCPAxis *x = m_lockRect->axis(QCPAxis::atBottom);
    QCPAxis *y = m_lockRect->axis(QCPAxis::atLeft);
    styleAxis(x, tr("thread"));
    styleAxis(y, tr("wait (ms)"));
    x->grid()->setVisible(false);
    QCPLegend *legend = addLegend(m_lockRect, Qt::AlignTop | Qt::AlignRight);

    if (m_preparedLockTable) // made of this finished model when it was opened
        m_lockTable = std::move(*m_preparedLockTable);
    else
        m_lockTable = LockWaitTable::build(*m);
    m_preparedLockTable.reset();
    m_lockTableEvents = m->ingestedEvents();
    m_lockThreads = m_lockTable.threads();
    m_lockIds = m_lockTable.locks();
    auto *ticker = new QCPAxisTickerText;
    for (size_t i = 0; i < m_lockThreads.size(); ++i)
        ticker->addTick(double(i + 1), QString::fromStdString(m->threadName(m_lockThreads[i])));
    x->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    x->setSubTicks(false);
    x->setRange(0.4, double(m_lockThreads.size()) + 0.6);

    auto *group = new QCPBarsGroup(m_plot);
    m_barsGroup = group;
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(2);
    const double barsPerThread = double(m_lockIds.size() * 2);
    for (size_t k = 0; k < m_lockIds.size(); ++k) {
        const QString name = QString::fromStdString(m->objectName(m_lockIds[k]));
        const QColor color = seriesColor(int(k));
        auto *total = new QCPBars(x, y);
        total->setName(tr("%1: total wait").arg(name));
        total->setBrush(color);
        total->setPen(QPen(color.darker(130), std::max<qreal>(1, theme().lineWidth / 2)));
        total->setWidth(0.7 / barsPerThread);
        total->setBarsGroup(group);
        total->addToLegend(legend);
        auto *longest = new QCPBars(x, y);
        longest->setName(tr("%1: longest wait").arg(name));
        longest->setBrush(QBrush(color, Qt::BDiagPattern)); // hatched: tells the two apart without colour
        longest->setPen(QPen(color.darker(130), std::max<qreal>(1, theme().lineWidth / 2)));
        longest->setWidth(0.7 / barsPerThread);
        longest->setBarsGroup(group);
        longest->addToLegend(legend);
        m_totalBars.push_back(total);
        m_maxBars.push_back(longest);
    }
    updateLockWaits();
}

void ChartsView::updateLockWaits()
{
    const core::TraceModel *m = model();
    if (!m || !m_lockRect)
        return;
    if (m->ingestedEvents() != m_lockTableEvents) {
        const LockWaitTable table = LockWaitTable::build(*m);
        if (table.locks() != m_lockIds || table.threads() != m_lockThreads) {
            rebuild(); // new bars or categories
            return;
        }
        m_lockTable = table;
        m_lockTableEvents = m->ingestedEvents();
    }
    // During a live run the playhead is the end; in a replay the bars grow with it.
    const std::vector<LockWaitTable::Bar> bars = m_lockTable.at(playhead() >= m->endTime() ? kTimeMax : playhead());
    double top = 0;
    for (size_t k = 0; k < m_lockIds.size(); ++k) {
        QVector<double> keys, totals, maxima;
        for (const LockWaitTable::Bar &b : bars) {
            if (b.lock != m_lockIds[k])
                continue;
            const auto pos = std::find(m_lockThreads.begin(), m_lockThreads.end(), b.thread) - m_lockThreads.begin();
            keys.push_back(double(pos + 1));
            totals.push_back(b.totalMs);
            maxima.push_back(b.maxMs);
            top = std::max(top, b.totalMs);
        }
        m_totalBars[k]->setData(keys, totals, true);
        m_maxBars[k]->setData(keys, maxima, true);
    }
    QCPAxis *y = m_lockRect->axis(QCPAxis::atLeft);
    y->setRange(0, top > 0 ? top * 1.25 : 1.0);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace interleave::ui
