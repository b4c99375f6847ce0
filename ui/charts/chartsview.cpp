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
    case ChartKind::Counters:
        return tr("Counters of the trace");
    case ChartKind::Prediction:
        return tr("Prediction and outcome");
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

void ChartsView::setPrediction(const Prediction &prediction)
{
    m_prediction = prediction;
    if (m_shown == ChartKind::Prediction || m_prediction.empty())
        m_rebuild = true;
    sync();
}

void ChartsView::copyRunsFrom(const ChartsView &other)
{
    m_outcomes = other.m_outcomes;
    m_prediction = other.m_prediction;
    m_userChoice = other.m_userChoice;
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
    inputs.counters = m && !m->counterNames().empty();
    inputs.prediction = !m_prediction.empty();
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
    case ChartKind::Counters:
        rebuild(); // an imported trace: read once
        break;
    case ChartKind::Outcomes:
    case ChartKind::Prediction:
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
    case ChartKind::Counters:
        buildCounters();
        break;
    case ChartKind::Prediction:
        buildPrediction();
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
        model() ? tr("Nothing to chart yet: this trace has no queue, no lock wait, no counter, no measured\n"
                     "sweep and no repeated runs.")
                : tr("No run to chart."),
        theme().font(1.1));
    text->setTextColor(theme().muted);
    m_plot->plotLayout()->addElement(0, 0, text);
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
