// SPDX-License-Identifier: MIT
#include "ui/qcp.h"

#include "ui/charts/chartsview.h"

#include "scenarios/scenario.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPicture>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using core::kTimeMax;

namespace {

// A tick step of 1, 2 or 5 times a power of ten giving about `ticks` ticks up to `max`, never
// below 1: depths and run counts are whole numbers.
double wholeStep(double max, int ticks = 5)
{
    const double raw = std::max(1.0, max / ticks);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= raw)
            return m * power;
    }
    return 10 * power;
}

QString formatNumber(double v)
{
    if (std::abs(v) >= 100 || v == std::floor(v))
        return QString::number(v, 'f', 0);
    return QString::number(v, 'f', std::abs(v) >= 10 ? 1 : 2);
}

} // namespace

ChartsView::ChartsView(QWidget *parent)
    : TraceView(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 0);
    m_selectorLabel = new QLabel(this);
    m_selector = new QComboBox(this);
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_selectorLabel->setBuddy(m_selector);
    bar->addWidget(m_selectorLabel);
    bar->addWidget(m_selector);
    bar->addStretch(1);
    layout->addLayout(bar);
    m_plot = new QCustomPlot(this);
    m_plot->setAutoAddPlottableToLegend(false);
    m_plot->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    layout->addWidget(m_plot, 1);

    connect(m_selector, &QComboBox::activated, this,
            [this](int index) { setChart(ChartKind(m_selector->itemData(index).toInt())); });
    // A click on a time axis chart moves the playhead there.
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        if (m_shown != ChartKind::QueueDepth || !m_timeRect || !model())
            return;
        if (!m_timeRect->rect().contains(event->pos()))
            return;
        const double key = m_timeRect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
        const int64_t t = m_time.origin + int64_t(std::llround(key * m_time.unitNs));
        Q_EMIT seekRequested(std::clamp(t, model()->startTime(), model()->endTime()));
    });
    retranslate();
    rebuild();
}

ChartsView::~ChartsView() = default;

QString ChartsView::title() const
{
    return tr("Charts");
}

QString ChartsView::chartTitle(ChartKind kind)
{
    switch (kind) {
    case ChartKind::QueueDepth:
        return tr("Queue depth");
    case ChartKind::LockWaits:
        return tr("Lock waits per thread");
    case ChartKind::Throughput:
        return tr("Throughput against workers");
    case ChartKind::CreationCost:
        return tr("Thread vs process creation cost");
    case ChartKind::Outcomes:
        return tr("Outcomes of repeated runs");
    case ChartKind::None:
        break;
    }
    return tr("No chart");
}

void ChartsView::setChart(ChartKind kind)
{
    m_userChoice = kind;
    sync();
}

void ChartsView::addOutcome(const QJsonObject &findings)
{
    const Outcome outcome = Outcome::fromFindings(findings);
    if (outcome.empty())
        return; // a scenario without these findings has nothing to add to the histogram
    m_outcomes.push_back(outcome);
    if (m_shown == ChartKind::Outcomes)
        m_rebuild = true;
    sync();
}

void ChartsView::clearOutcomes()
{
    m_outcomes.clear();
    if (m_shown == ChartKind::Outcomes)
        m_rebuild = true;
    sync();
}

void ChartsView::refresh()
{
    if (!isVisible()) {
        m_dirty = true; // catch up when shown (or painted for an export)
        return;
    }
    sync();
}

TraceView::Prepare ChartsView::preparer() const
{
    return [](const core::TraceModel &model) -> Prepared {
        return std::make_shared<LockWaitTable>(LockWaitTable::build(model));
    };
}

void ChartsView::modelChanged()
{
    m_syncedEvents = size_t(-1);
    m_lockTableEvents = size_t(-1);
    m_hasLockWaits = false;
    m_lockTable = {};
    m_preparedLockTable = std::static_pointer_cast<LockWaitTable>(takePrepared());
    m_rebuild = true;
    m_dirty = true;
    sync();
}

void ChartsView::runInfoChanged()
{
    m_syncedEvents = size_t(-1);
    m_rebuild = true;
    sync();
}

void ChartsView::themeChanged()
{
    const QFont font = theme().font();
    m_selector->setFont(font);
    m_selectorLabel->setFont(font);
    m_rebuild = true;
    sync();
}

void ChartsView::playheadChanged()
{
    if (m_shown == ChartKind::LockWaits)
        updateLockWaits(); // the bars show the waits up to the playhead
    updatePlayhead();
}

void ChartsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        m_rebuild = true;
        sync();
    }
    TraceView::changeEvent(event);
}

void ChartsView::showEvent(QShowEvent *event)
{
    TraceView::showEvent(event);
    if (m_dirty)
        sync();
}

void ChartsView::retranslate()
{
    m_selectorLabel->setText(tr("&Chart:"));
    m_selector->setToolTip(tr("Which chart of this run to show"));
    for (int i = 0; i < m_selector->count(); ++i)
        m_selector->setItemText(i, chartTitle(ChartKind(m_selector->itemData(i).toInt())));
}

// Data ----------------------------------------------------------------------------------------

void ChartsView::updateFindings()
{
    // The run's findings once it has ended. While it runs, a scenario whose chart is made of
    // findings has them computed by its own findings() from the model so far (cheap for these two).
    m_findings = runInfo().findings;
    m_liveFindings = false;
    const QString id = runInfo().scenario;
    const bool wanted = (id == QLatin1String("cpu-vs-io") && ThroughputSweep::fromFindings(m_findings).empty()) ||
                        (id == QLatin1String("process-vs-thread") && CreationCost::fromFindings(m_findings).empty());
    if (!wanted || !model())
        return;
    if (const core::Scenario *scenario = core::ScenarioRegistry::instance().find(id.toStdString())) {
        const QJsonObject live = scenario->findings(*model(), runInfo().params);
        for (auto it = live.begin(); it != live.end(); ++it) {
            if (!m_findings.contains(it.key()))
                m_findings.insert(it.key(), it.value());
        }
        m_liveFindings = true;
    }
}

void ChartsView::sync()
{
    m_dirty = false;
    const core::TraceModel *m = model();
    const size_t events = m ? m->ingestedEvents() : 0;
    const bool grew = events != m_syncedEvents;
    m_syncedEvents = events;

    if (grew) {
        updateFindings();
        // Waits never disappear from a growing trace: once one is seen the chart stays available.
        if (m && !m_hasLockWaits) {
            for (uint32_t lock : m->lockIds()) {
                auto waited = [](const core::Acquisition &a) { return a.wait != core::kNoEvent; };
                const auto &done = m->acquisitions(lock);
                const auto &open = m->openAcquisitions(lock);
                if (std::any_of(done.begin(), done.end(), waited) || std::any_of(open.begin(), open.end(), waited)) {
                    m_hasLockWaits = true;
                    break;
                }
            }
        }
    }

    ChartChoice::Inputs inputs;
    inputs.queues = m && !m->queueIds().empty();
    inputs.lockWaits = m_hasLockWaits;
    inputs.sweep = !ThroughputSweep::fromFindings(m_findings).empty();
    inputs.creation = !CreationCost::fromFindings(m_findings).empty();
    inputs.outcomes = !m_outcomes.empty();
    const std::vector<ChartKind> available = ChartChoice::available(inputs);
    const bool availableChanged = available != m_available;
    m_available = available;

    ChartKind next = ChartChoice::preferred(runInfo().scenario, m_available);
    if (m_userChoice != ChartKind::None &&
        std::find(m_available.begin(), m_available.end(), m_userChoice) != m_available.end())
        next = m_userChoice;
    if (next != m_shown) {
        m_shown = next;
        m_rebuild = true;
        Q_EMIT chartChanged(m_shown);
    }
    if (availableChanged || m_selector->currentIndex() < 0 || ChartKind(m_selector->currentData().toInt()) != m_shown)
        updateSelector();

    if (m_rebuild) {
        rebuild();
        return;
    }
    if (!grew)
        return;
    switch (m_shown) {
    case ChartKind::QueueDepth:
        appendQueueDepth();
        break;
    case ChartKind::LockWaits:
        updateLockWaits();
        break;
    case ChartKind::Throughput:
    case ChartKind::CreationCost:
        if (m_liveFindings)
            rebuild(); // a handful of points
        break;
    case ChartKind::Outcomes:
    case ChartKind::None:
        break;
    }
}

void ChartsView::updateSelector()
{
    const QSignalBlocker block(m_selector);
    m_selector->clear();
    for (ChartKind kind : m_available)
        m_selector->addItem(chartTitle(kind), int(kind));
    m_selector->setCurrentIndex(m_selector->findData(int(m_shown)));
    m_selector->setEnabled(m_available.size() > 1);
}

// Plot scaffolding ------------------------------------------------------------------------------

void ChartsView::clearPlot()
{
    m_plot->clearItems();
    m_plot->clearPlottables();
    delete m_barsGroup; // after its bars
    m_barsGroup = nullptr;
    m_plot->plotLayout()->clear();
    m_plot->plotLayout()->simplify();
    m_playheadLine = nullptr;
    m_timeRect = nullptr;
    m_lockRect = nullptr;
    m_queues.clear();
    m_queueGraphs.clear();
    m_queuePoints.clear();
    m_queueLastTime.clear();
    m_queueMax = 0;
    m_lockThreads.clear();
    m_lockIds.clear();
    m_totalBars.clear();
    m_maxBars.clear();
}

void ChartsView::addTitle(const QString &text)
{
    auto *title = new QCPTextElement(m_plot, text, theme().font(1.2, true));
    title->setTextColor(theme().foreground);
    m_plot->plotLayout()->addElement(0, 0, title);
}

QCPAxisRect *ChartsView::addAxisRect(int row)
{
    auto *rect = new QCPAxisRect(m_plot, true);
    m_plot->plotLayout()->addElement(row, 0, rect);
    rect->setBackground(theme().background);
    rect->axis(QCPAxis::atTop)->setVisible(false);
    rect->axis(QCPAxis::atRight)->setVisible(false);
    const int pad = int(std::round(8 * theme().fontScale));
    rect->setMinimumMargins(QMargins(pad, pad, pad * 2, pad));
    return rect;
}

QCPLegend *ChartsView::addLegend(QCPAxisRect *rect, Qt::Alignment where)
{
    auto *legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, where);
    rect->insetLayout()->setMargins(QMargins(10, 10, 10, 10));
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(theme().font(0.95));
    legend->setTextColor(theme().foreground);
    QColor fill = theme().background;
    fill.setAlpha(225);
    legend->setBrush(fill);
    legend->setBorderPen(QPen(theme().muted, std::max<qreal>(1, theme().lineWidth / 2)));
    const int swatch = int(std::round(24 * theme().fontScale));
    legend->setIconSize(swatch, int(swatch * 0.6));
    return legend;
}

void ChartsView::styleAxis(QCPAxis *axis, const QString &label) const
{
    const Theme &t = theme();
    const QPen pen(t.foreground, t.lineWidth);
    axis->setBasePen(pen);
    axis->setTickPen(pen);
    axis->setSubTickPen(QPen(t.foreground, std::max<qreal>(1, t.lineWidth / 2)));
    axis->setTickLengthOut(int(std::round(4 * t.fontScale)));
    axis->setTickLengthIn(0);
    axis->setSubTickLengthIn(0);
    axis->setSubTickLengthOut(int(std::round(2 * t.fontScale)));
    axis->setLabel(label);
    axis->setLabelColor(t.foreground);
    axis->setLabelFont(t.font(1.0));
    axis->setTickLabelColor(t.foreground);
    axis->setTickLabelFont(t.font(0.95));
    QColor grid = t.muted;
    grid.setAlpha(t.id == Theme::Id::Projector ? 110 : 70);
    axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

QColor ChartsView::seriesColor(int index) const
{
    // Okabe-Ito, vermillion (the colour of waiting) first and yellow, which a projector washes
    // out on white, last.
    static constexpr uint32_t order[] = {5, 0, 2, 3, 1, 4, 6};
    return theme().threadColor(order[size_t(index) % std::size(order)]);
}

void ChartsView::rebuild()
{
    m_rebuild = false;
    clearPlot();
    m_plot->setBackground(theme().background);
    switch (m_shown) {
    case ChartKind::QueueDepth:
        buildQueueDepth();
        break;
    case ChartKind::LockWaits:
        buildLockWaits();
        break;
    case ChartKind::Throughput:
        buildThroughput();
        break;
    case ChartKind::CreationCost:
        buildCreationCost();
        break;
    case ChartKind::Outcomes:
        buildOutcomes();
        break;
    case ChartKind::None:
        buildEmpty();
        break;
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartsView::buildEmpty()
{
    auto *text = new QCPTextElement(
        m_plot,
        model() ? tr("Nothing to chart yet: this trace has no queue, no lock wait, no measured sweep\n"
                     "and no repeated runs.")
                : tr("No run to chart."),
        theme().font(1.1));
    text->setTextColor(theme().muted);
    m_plot->plotLayout()->addElement(0, 0, text);
}

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

// Legend and export -----------------------------------------------------------------------------

std::vector<LegendEntry> ChartsView::legend() const
{
    std::vector<LegendEntry> entries;
    for (int i = 0; i < m_plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = m_plot->plottable(i);
        if (p->name().isEmpty())
            continue;
        if (qobject_cast<QCPBars *>(p))
            entries.push_back({p->name(), p->brush(), p->pen()});
        else
            entries.push_back({p->name(), Qt::NoBrush, p->pen()});
    }
    if (m_playheadLine)
        entries.push_back({tr("playhead"), Qt::NoBrush, m_playheadLine->pen()});
    return entries;
}

void ChartsView::renderContent(QPainter &painter, const QSize &size)
{
    sync(); // a fresh view for an export was never shown
    if (m_plot->plotLayout()->elementCount() == 0)
        return;
    // The exported image has a legend of its own (legend()): the plot's would repeat it.
    std::vector<std::pair<QCPLegend *, bool>> legends;
    for (int i = 0; i < m_plot->plotLayout()->elementCount(); ++i) {
        auto *rect = qobject_cast<QCPAxisRect *>(m_plot->plotLayout()->elementAt(i));
        if (!rect)
            continue;
        for (int k = 0; k < rect->insetLayout()->elementCount(); ++k) {
            if (auto *l = qobject_cast<QCPLegend *>(rect->insetLayout()->elementAt(k))) {
                legends.emplace_back(l, l->visible());
                l->setVisible(false);
            }
        }
    }
    // QCustomPlot paints into its own QCPPainter; a QPicture records that as vector commands,
    // which the exporter's painter replays into PNG, SVG or PDF alike.
    QPicture picture;
    {
        QCPPainter recorder(&picture);
        recorder.setMode(QCPPainter::pmVectorized);
        recorder.setMode(QCPPainter::pmNoCaching);
        m_plot->toPainter(&recorder, size.width(), size.height());
    }
    for (const auto &[l, visible] : legends)
        l->setVisible(visible);
    painter.drawPicture(0, 0, picture);
}

} // namespace interleave::ui
