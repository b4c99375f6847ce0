// SPDX-License-Identifier: MIT
#include "ui/timeline/timelineview.h"
#include "ui/timeline/pauseband.h"
#include "ui/timeline/selectiontext.h"
#include "ui/timeline/timelineviewimpl.h"

#include "ui/timeline/lanepainter.h"

#include <QAction>
#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using core::BlockReason;
using core::FlowKind;
using core::ThreadState;
using timelinedetail::flowStyle;
using timelinedetail::signalName;

namespace {

RowMetrics metricsOf(const LaneFrame &frame, const Theme &theme)
{
    const QFontMetricsF label(frame.labelFont);
    const QFontMetricsF bold(frame.boldFont);
    RowMetrics m;
    m.header = std::ceil(bold.height() * 1.35);
    m.lane = std::max<double>(theme.laneHeight, std::ceil(label.height() * 1.3));
    m.counter = std::ceil(m.lane * 1.6);
    m.gap = 3;
    return m;
}

bool sameMetrics(const RowMetrics &a, const RowMetrics &b)
{
    return a.header == b.header && a.lane == b.lane && a.counter == b.counter && a.gap == b.gap;
}

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : LaneView(parent)
{
    setObjectName(QStringLiteral("timeline"));
    m_nextLost = new QAction(this);
    m_nextLost->setShortcut(Qt::Key_N);
    m_previousLost = new QAction(this);
    m_previousLost->setShortcut(Qt::SHIFT | Qt::Key_N);
    for (QAction *action : {m_nextLost, m_previousLost}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, action] { showLostUpdate(action == m_nextLost); });
        addAction(action);
    }
    changeEvent(nullptr);
}

void TimelineView::changeEvent(QEvent *event)
{
    if (!event || event->type() == QEvent::LanguageChange) {
        m_nextLost->setText(tr("&Next Lost Update"));
        m_previousLost->setText(tr("Pre&vious Lost Update"));
    }
    if (event)
        LaneView::changeEvent(event);
}

bool TimelineView::showLostUpdate(bool forward)
{
    updateData(false);
    const int i = forward ? m_lost.next(playhead()) : m_lost.previous(playhead());
    if (i < 0)
        return false;
    const auto [t0, t1] = m_lost.rangeOf(i);
    setVisibleRange(t0, t1);
    const int64_t t = m_lost.marks()[size_t(i)].storeTime;
    setPlayhead(t);
    Q_EMIT seekRequested(t);
    return true;
}

QString TimelineView::title() const
{
    return tr("Timeline");
}

QString TimelineView::emptyText() const
{
    return tr("No trace yet. Run a scenario or open a trace: every thread's life appears here.");
}

TraceView::Prepare TimelineView::preparer() const
{
    return [](const core::TraceModel &model) -> Prepared {
        auto data = std::make_shared<TimelineData>();
        data->update(model);
        return data;
    };
}

void TimelineView::updateData(bool reset)
{
    if (reset) {
        const Prepared prepared = takePrepared();
        if (prepared)
            m_data = std::move(*static_cast<TimelineData *>(prepared.get()));
        else
            m_data.clear();
    }
    if (!model()) {
        m_data.clear();
        m_lost.clear();
        ++m_generation;
        return;
    }
    if (reset)
        m_lost.clear();
    if (reset | m_data.update(*model()) | m_lost.update(*model()))
        ++m_generation;
}

const TimelineLayout &TimelineView::layoutFor(const LaneFrame &frame)
{
    // Font metrics cost more than the rest of a hit test: recompute them only for other fonts.
    if (!(frame.labelFont == m_metricsLabelFont && frame.boldFont == m_metricsBoldFont && &theme() == m_metricsTheme)) {
        m_metrics = metricsOf(frame, theme());
        m_metricsLabelFont = frame.labelFont;
        m_metricsBoldFont = frame.boldFont;
        m_metricsTheme = &theme();
    }
    const RowMetrics metrics = m_metrics;
    if (m_layoutGeneration == m_generation && sameMetrics(metrics, m_layoutMetrics))
        return m_layout;
    m_layoutMetrics = metrics;
    m_layoutGeneration = m_generation;
    if (!model()) {
        m_layout = TimelineLayout();
        m_labelWidth = 0;
        return m_layout;
    }
    m_layout = TimelineLayout::build(*model(), m_data, metrics);
    const QFontMetricsF label(frame.labelFont);
    const QFontMetricsF bold(frame.boldFont);
    double w = 0;
    for (const TimelineRow &row : m_layout.rows) {
        switch (row.kind) {
        case TimelineRow::Kind::Thread:
            w = std::max(w, label.horizontalAdvance(threadLabel(row.index)) + metrics.lane * 0.9);
            break;
        case TimelineRow::Kind::Process:
            w = std::max(w, bold.horizontalAdvance(processLabel(row.index)));
            break;
        case TimelineRow::Kind::Lock:
            w = std::max(w, label.horizontalAdvance(lockLabel(row.index)) + metrics.lane * 0.9);
            break;
        case TimelineRow::Kind::InFlight:
            w = std::max(w, QFontMetricsF(frame.smallFont).horizontalAdvance(inFlightLabel(row.index)));
            break;
        case TimelineRow::Kind::Slices:
            w = std::max(w, QFontMetricsF(frame.smallFont).horizontalAdvance(slicesLabel(row.index)));
            break;
        case TimelineRow::Kind::Counter:
            w = std::max(w, label.horizontalAdvance(counterLabel(row.index)) + metrics.lane * 0.5);
            break;
        case TimelineRow::Kind::Queue:
            w = std::max(
                w, label.horizontalAdvance(QString::fromStdString(model()->objectName(m_data.queues()[row.index].id))) +
                       metrics.lane * 0.5);
            break;
        default:
            break;
        }
    }
    m_labelWidth = std::ceil(w + label.height() * 1.2);
    return m_layout;
}

double TimelineView::labelWidth(const LaneFrame &frame)
{
    layoutFor(frame);
    return m_labelWidth;
}

QString TimelineView::threadLabel(uint32_t thread) const
{
    const core::ThreadRecord &t = model()->thread(thread);
    if (t.name != 0 && !model()->data().string(t.name).empty())
        return tr("%1 · %2").arg(QString::fromStdString(model()->threadName(thread))).arg(t.tid);
    return tr("thread %1").arg(t.tid);
}

QString TimelineView::processLabel(uint32_t process) const
{
    const core::ProcessInfo &p = model()->processes()[process];
    QString name = QString::fromStdString(p.name.empty() ? p.command : p.name);
    if (name.isEmpty())
        name = tr("process");
    return p.ppid != 0 ? tr("%1 · pid %2 · parent %3").arg(name).arg(p.pid).arg(p.ppid)
                       : tr("%1 · pid %2").arg(name).arg(p.pid);
}

QString TimelineView::processDetail(uint32_t process) const
{
    const core::ProcessInfo &p = model()->processes()[process];
    QStringList lines;
    lines << processLabel(process);
    if (!p.command.empty())
        lines << tr("command: %1").arg(QString::fromStdString(p.command));
    const int64_t origin = model()->startTime();
    if (p.start != core::kTimeMax)
        lines << tr("started at %1").arg(TimeFormat::duration(p.start - origin));
    if (p.exited) {
        lines << (p.signaled ? tr("killed by %1 at %2").arg(signalName(int(p.exitStatus)))
                             : tr("exited with code %1 at %2").arg(p.exitStatus))
                     .arg(TimeFormat::duration(p.end - origin));
    }
    return lines.join(QLatin1Char('\n'));
}

TimelineView::Bands TimelineView::bandsOf(const LaneFrame &frame, const TimelineRow &row) const
{
    const double top = frame.rowTop(row);
    const double h = frame.rowHeight(row);
    const double pad = std::max(1.0, std::round(h * 0.08));
    const bool locks = m_data.hasHolds() || m_data.hasWaits();
    const double bar = locks ? std::max(2.0, std::round(h * 0.17)) : 0.0;
    Bands b;
    b.holdTop = top + pad;
    b.tileTop = b.holdTop + bar;
    b.waitBottom = top + h - pad;
    b.tileBottom = b.waitBottom - bar;
    if (b.tileBottom <= b.tileTop + 1) {
        b.tileTop = top;
        b.tileBottom = top + h;
    }
    return b;
}

TimelineView::Hit TimelineView::hitTest(QPointF pos)
{
    const LaneFrame &f = currentFrame();
    return hitAt(f, layoutFor(f), pos);
}

TimelineView::Hit TimelineView::hitAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos) const
{
    Hit hit;
    if (!model() || pos.y() < frame.plot.top() || pos.y() > frame.plot.bottom())
        return hit;
    hit.row = layout.rowAt(frame.contentY(pos.y()));
    if (hit.row < 0)
        return hit;
    const TimelineRow &row = layout.rows[size_t(hit.row)];
    hit.index = row.index;
    hit.time = frame.map.toTime(pos.x());
    switch (row.kind) {
    case TimelineRow::Kind::Process:
        hit.kind = Hit::Kind::Process;
        break;
    case TimelineRow::Kind::QueueTitle:
        hit.kind = Hit::Kind::QueueTitle;
        break;
    case TimelineRow::Kind::Queue:
        hit.kind = Hit::Kind::Queue;
        break;
    case TimelineRow::Kind::Core:
    case TimelineRow::Kind::Group:
    case TimelineRow::Kind::Summary:
        break;
    case TimelineRow::Kind::Lock:
        hit.kind = Hit::Kind::Lock;
        break;
    case TimelineRow::Kind::InFlight:
        hit.kind = Hit::Kind::InFlight;
        break;
    case TimelineRow::Kind::Slices:
        hit.kind = Hit::Kind::Slices;
        break;
    case TimelineRow::Kind::Counter:
        hit.kind = Hit::Kind::Counter;
        break;
    case TimelineRow::Kind::Thread: {
        const Bands b = bandsOf(frame, row);
        hit.kind = pos.y() < b.tileTop ? Hit::Kind::Hold : pos.y() >= b.tileBottom ? Hit::Kind::Wait : Hit::Kind::State;
        hit.span = m_data.stateAt(row.index, hit.time);
        break;
    }
    }
    return hit;
}

// Hover texts ------------------------------------------------------------------------------------

QString TimelineView::stateText(uint32_t thread, int64_t t) const
{
    const core::StateSpan span = model()->stateAt(thread, t);
    if (m_data.unscheduled() && span.state == ThreadState::Running)
        return tr("alive; the file does not say when it ran on a core");
    return SelectionText::state(*model(), span);
}

QString TimelineView::deadlockTip(const LaneFrame &frame, QPointF pos) const
{
    for (const DeadlockMark &d : m_data.deadlocks()) {
        if (std::abs(frame.map.toX(d.time) - pos.x()) <= std::max(4.0, theme().lineWidth * 3)) {
            QStringList lines{tr("Deadlock at %1").arg(TimeFormat::duration(d.time - model()->startTime()))};
            for (const core::DeadlockStep &step : d.cycle)
                lines << tr("%1 waits for %2, held by %3")
                             .arg(QString::fromStdString(model()->threadName(step.thread)),
                                  QString::fromStdString(model()->objectName(step.waitsFor)),
                                  QString::fromStdString(model()->threadName(step.heldBy)));
            return lines.join(QLatin1Char('\n'));
        }
    }
    return {};
}

QString TimelineView::toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos)
{
    const Hit hit = hitAt(frame, layout, pos);
    if (!model())
        return {};
    if (const int flow = flowAt(frame, layout, pos); flow >= 0)
        return SelectionText::flowTip(*model(), m_data.flows()[size_t(flow)]);
    const int64_t origin = model()->startTime();
    if (QString tip = deadlockTip(frame, pos); !tip.isEmpty())
        return tip;
    switch (hit.kind) {
    case Hit::Kind::None:
    case Hit::Kind::QueueTitle:
        return {};
    case Hit::Kind::Process:
        return processDetail(hit.index);
    case Hit::Kind::Lock:
        return lockText(hit.index, hit.time,
                        int64_t(frame.map.nsPerPixel() * LockLanes::minWaitWidth(theme().lineWidth)));
    case Hit::Kind::InFlight:
        return inFlightText(frame, layout.rows[size_t(hit.row)], pos);
    case Hit::Kind::Slices:
        return slicesText(frame, layout.rows[size_t(hit.row)], pos);
    case Hit::Kind::Counter:
        return counterText(hit.index, hit.time);
    case Hit::Kind::Queue: {
        const QueueSeries &q = m_data.queues()[hit.index];
        double depth = 0;
        auto it = std::upper_bound(q.points.begin(), q.points.end(), hit.time,
                                   [](int64_t t, const core::CounterPoint &p) { return t < p.time; });
        if (it != q.points.begin())
            depth = (it - 1)->value;
        return tr("%1: %2 items at %3")
            .arg(QString::fromStdString(model()->objectName(q.id)))
            .arg(depth)
            .arg(TimeFormat::duration(hit.time - origin));
    }
    case Hit::Kind::Hold:
    case Hit::Kind::Wait: {
        const int64_t slack = int64_t(frame.map.nsPerPixel() * 2);
        QStringList lines{threadLabel(hit.index)};
        for (const core::LockInterval &li :
             model()->lockIntervalsOfThread(hit.index, hit.time - slack, hit.time + slack + 1)) {
            if ((li.kind == core::LockInterval::Hold) != (hit.kind == Hit::Kind::Hold))
                continue;
            const QString name = QString::fromStdString(model()->objectName(li.object));
            const int64_t end = li.open ? model()->endTime() : li.end;
            const QString what =
                li.kind == core::LockInterval::Hold ? tr("holds %1").arg(name) : tr("waits for %1").arg(name);
            lines << tr("%1 from %2 for %3")
                         .arg(what, TimeFormat::duration(li.start - origin), TimeFormat::duration(end - li.start));
            if (lines.size() > 6)
                break;
        }
        if (lines.size() > 1)
            return lines.join(QLatin1Char('\n'));
        [[fallthrough]];
    }
    case Hit::Kind::State: {
        if (!hit.span.found)
            return threadLabel(hit.index);
        const core::ThreadRecord &t = model()->thread(hit.index);
        return tr("%1 (tid %2, pid %3)\n%4\nfrom %5 for %6")
            .arg(QString::fromStdString(model()->threadName(hit.index)))
            .arg(t.tid)
            .arg(t.pid)
            .arg(stateText(hit.index, hit.time), TimeFormat::duration(hit.span.start - origin),
                 TimeFormat::duration(hit.span.end - hit.span.start));
    }
    }
    return {};
}

std::vector<LegendEntry> TimelineView::legend() const
{
    const Theme &th = theme();
    std::vector<LegendEntry> out;
    const auto &present = m_data.presentCodes();
    for (size_t code = 1; code < present.size(); ++code) {
        if (!present.test(code))
            continue;
        const ThreadState s = TimelineData::codeState(uint16_t(code));
        const BlockReason r = TimelineData::codeReason(uint16_t(code));
        if (m_data.unscheduled() && s == ThreadState::Running)
            out.push_back({tr("alive (the file has no scheduling data)"),
                           QBrush(LanePainter::mix(th.background, th.muted, th.id == Theme::Id::Dark ? 0.3 : 0.22)),
                           QPen(Qt::NoPen)});
        else
            out.push_back({Theme::stateLabel(s, r), th.stateBrush(s, r), QPen(Qt::NoPen)});
    }
    if (m_data.hasHolds())
        out.push_back({tr("holds a lock"), QBrush(th.hold), QPen(Qt::NoPen)});
    if (m_data.hasWaits())
        out.push_back({tr("waits for a lock"), QBrush(th.wait), QPen(Qt::NoPen)});
    if (!m_data.lockLanes().lanes().empty())
        out.push_back({tr("lock lane: holder in its thread's colour"), QBrush(th.threadColor(0)), QPen(Qt::NoPen)});
    if (!m_data.inFlight().lanes().empty())
        out.push_back(
            {tr("in flight: one bar per wait"),
             QBrush(LanePainter::mix(th.background, th.stateColor(ThreadState::Blocked, BlockReason::Io), 0.5)),
             QPen(th.stateColor(ThreadState::Blocked, BlockReason::Io))});
    if (!m_data.inFlight().phases().empty())
        out.push_back(
            {tr("phase"), QBrush(Qt::NoBrush), QPen(th.foreground, std::max(1.0, th.lineWidth), Qt::DashLine)});
    bool kinds[5] = {};
    for (const core::Flow &f : m_data.flows())
        kinds[size_t(f.kind)] = true;
    const QString flowNames[5] = {tr("queue: put → get"), tr("pipe: send → receive"), tr("task: submit → start"),
                                  tr("fork: parent → child"), tr("flow")};
    for (size_t k = 0; k < 5; ++k)
        if (kinds[k])
            out.push_back({flowNames[k], QBrush(Qt::NoBrush),
                           QPen(th.flow, std::max(1.0, th.lineWidth), flowStyle(FlowKind(k)))});
    if (!m_data.deadlocks().empty())
        out.push_back({tr("deadlock"), QBrush(Qt::NoBrush),
                       QPen(th.deadlock, std::max(3.0, th.lineWidth * 2.5), Theme::deadlockStyle)});
    if (model() && !model()->pauses().empty())
        out.push_back({tr("paused (threads held)"), PauseBand::brush(th), QPen(th.muted, 1, Qt::DotLine)});
    out.push_back({tr("playhead"), QBrush(Qt::NoBrush), QPen(th.playhead, std::max(2.0, th.lineWidth * 1.2))});
    return out;
}

} // namespace interleave::ui
