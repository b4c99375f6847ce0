// SPDX-License-Identifier: MIT
#include "ui/timeline/timelineview.h"
#include "ui/timeline/pauseband.h"

#include "ui/timeline/lanepainter.h"

#include <QAction>
#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace interleave::ui {

using core::BlockReason;
using core::EventType;
using core::FlowKind;
using core::ThreadState;

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

/// A font no taller than `pixels` (rows of an export squeezed to fit), or the font itself.
QFont fontForHeight(const QFont &font, double pixels)
{
    const QFontMetricsF m(font);
    if (m.height() <= pixels)
        return font;
    QFont f(font);
    f.setPixelSize(std::max(5, int(pixels * 0.8)));
    return f;
}

QString signalName(int signal)
{
    const char *abbrev = sigabbrev_np(signal);
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}

void drawArrowHead(QPainter &painter, QPointF from, QPointF to, double size, const QColor &color)
{
    const double dx = to.x() - from.x();
    const double dy = to.y() - from.y();
    const double len = std::hypot(dx, dy);
    if (len < 1e-6)
        return;
    const double ux = dx / len;
    const double uy = dy / len;
    QPolygonF head;
    head << to << QPointF(to.x() - ux * size - uy * size * 0.5, to.y() - uy * size + ux * size * 0.5)
         << QPointF(to.x() - ux * size + uy * size * 0.5, to.y() - uy * size - ux * size * 0.5);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(head);
    painter.restore();
}

Qt::PenStyle flowStyle(FlowKind kind)
{
    switch (kind) {
    case FlowKind::Fork:
        return Qt::DashLine;
    case FlowKind::Task:
        return Qt::DotLine;
    case FlowKind::Pipe:
        return Qt::DashDotLine;
    case FlowKind::Queue:
    case FlowKind::Generic:
        break;
    }
    return Qt::SolidLine;
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
        break;
    case TimelineRow::Kind::Lock:
        hit.kind = Hit::Kind::Lock;
        break;
    case TimelineRow::Kind::InFlight:
        hit.kind = Hit::Kind::InFlight;
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

// Painting ---------------------------------------------------------------------------------------

void TimelineView::paintRows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const auto &rows = layout.rows;
    // The rows that intersect the plot vertically.
    const double y0 = frame.contentY(frame.plot.top());
    const double y1 = frame.contentY(frame.plot.bottom());
    auto it = std::upper_bound(rows.begin(), rows.end(), y0, [](double v, const TimelineRow &r) { return v < r.y; });
    const int first = it == rows.begin() ? 0 : int(it - rows.begin()) - 1;
    int last = first;
    while (last + 1 < int(rows.size()) && rows[size_t(last + 1)].y < y1)
        ++last;

    const QRectF full(0, frame.plot.top(), frame.bounds.width(), frame.plot.height());
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (int i = first; i <= last; ++i) {
        const TimelineRow &row = rows[size_t(i)];
        const QRectF band(0, frame.rowTop(row), frame.bounds.width(), frame.rowHeight(row));
        if (row.kind == TimelineRow::Kind::Process || row.kind == TimelineRow::Kind::QueueTitle)
            painter.fillRect(band, LanePainter::mix(th.background, th.muted, 0.16));
        else if (i % 2 == 1)
            painter.fillRect(band, th.laneAlternate);
    }
    paintGrid(painter, frame);

    painter.save();
    painter.setClipRect(frame.plot.intersected(full), Qt::IntersectClip);
    for (int i = first; i <= last; ++i) {
        const TimelineRow &row = rows[size_t(i)];
        switch (row.kind) {
        case TimelineRow::Kind::Thread:
            paintThread(painter, frame, row);
            break;
        case TimelineRow::Kind::Process:
            paintProcess(painter, frame, row);
            break;
        case TimelineRow::Kind::Queue:
            paintQueue(painter, frame, row);
            break;
        case TimelineRow::Kind::Lock:
            paintLock(painter, frame, row);
            break;
        case TimelineRow::Kind::InFlight:
            paintInFlight(painter, frame, row);
            break;
        default:
            break;
        }
    }
    paintPhases(painter, frame);
    paintFlows(painter, frame, layout);
    paintMarks(painter, frame, layout);
    m_lost.paint(painter, frame, layout, theme());
    paintDeadlocks(painter, frame, layout);
    if (model())
        PauseBand::paint(painter, frame, *model(), th);
    painter.restore();

    paintLabels(painter, frame, layout, first, last);
}

void TimelineView::paintThread(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    if (row.index >= m_data.lanes().size())
        return;
    const Theme &th = theme();
    const ThreadLane &lane = m_data.lanes()[row.index];
    const Bands b = bandsOf(frame, row);
    const bool dark = th.id == Theme::Id::Dark;
    auto stateStyle = [&](uint16_t code) {
        TileStyle s;
        const ThreadState state = TimelineData::codeState(code);
        if (state == ThreadState::None) {
            s.skip = true;
            return s;
        }
        const QColor c = th.stateColor(state, TimelineData::codeReason(code));
        s.pattern = c;
        s.style = th.statePattern(state, TimelineData::codeReason(code));
        s.fill = s.style == Qt::SolidPattern ? c : LanePainter::mix(th.background, c, dark ? 0.45 : 0.3);
        return s;
    };
    m_runs.clear();
    lane.states.pixelRuns(frame.map, m_runs);
    LanePainter::paintTiles(painter, m_runs, frame.map.left, b.tileTop, b.tileBottom - b.tileTop, stateStyle,
                            frame.vector, th.lineWidth);
    auto barStyle = [](const QColor &c) {
        return [c](uint16_t code) {
            TileStyle s;
            s.skip = code == 0;
            s.fill = c;
            s.style = Qt::SolidPattern;
            return s;
        };
    };
    if (b.tileTop > b.holdTop && !lane.holds.empty()) {
        m_runs.clear();
        lane.holds.pixelRuns(frame.map, m_runs);
        LanePainter::paintTiles(painter, m_runs, frame.map.left, b.holdTop, b.tileTop - b.holdTop, barStyle(th.hold),
                                frame.vector, th.lineWidth);
    }
    if (b.waitBottom > b.tileBottom && !lane.waits.empty()) {
        m_runs.clear();
        lane.waits.pixelRuns(frame.map, m_runs);
        LockLanes::widenRuns(m_runs, LockLanes::minWaitWidth(th.lineWidth)); // a 2 µs wait still shows
        LanePainter::paintTiles(painter, m_runs, frame.map.left, b.tileBottom, b.waitBottom - b.tileBottom,
                                barStyle(th.wait), frame.vector, th.lineWidth);
    }
    paintLockNames(painter, frame, row, b.tileTop, b.tileBottom);
}

void TimelineView::paintProcess(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    const core::ProcessInfo &p = model()->processes()[row.index];
    if (p.start == core::kTimeMax)
        return;
    const Theme &th = theme();
    const int64_t end = p.exited ? p.end : model()->endTime();
    const double x0 = std::max(frame.plot.left(), frame.map.toX(p.start));
    const double x1 = std::min(frame.plot.right(), frame.map.toX(end));
    if (x1 < x0)
        return;
    // The process' life as a bar along the bottom of its header.
    const double h = frame.rowHeight(row);
    const double bar = std::max(2.0, std::round(h * 0.18));
    const double top = frame.rowTop(row) + h - bar - std::max(1.0, h * 0.1);
    painter.fillRect(QRectF(x0, top, std::max(1.0, x1 - x0), bar), th.muted);
}

void TimelineView::paintQueue(QPainter &painter, const LaneFrame &frame, const TimelineRow &row)
{
    if (row.index >= m_data.queues().size())
        return;
    const Theme &th = theme();
    const QueueSeries &q = m_data.queues()[row.index];
    if (q.points.empty())
        return;
    const double h = frame.rowHeight(row);
    const double bottom = frame.rowTop(row) + h - std::max(1.0, h * 0.08);
    const double usable = h * 0.8;
    const double scale = q.maxDepth > 0 ? usable / q.maxDepth : 0;
    const auto &pts = q.points;
    auto first = std::upper_bound(pts.begin(), pts.end(), frame.map.t0,
                                  [](int64_t t, const core::CounterPoint &p) { return t < p.time; });
    if (first != pts.begin())
        --first;
    // A step line; points that share a pixel column collapse into one column with its peak, so a
    // long trace costs O(pixels).
    struct Column
    {
        double x;
        double peak;
        double end;
    };
    std::vector<Column> columns;
    for (auto it = first + 1; it != pts.end(); ++it) {
        const double x = std::clamp(frame.map.toX(it->time), frame.plot.left(), frame.plot.right());
        if (!columns.empty() && int(columns.back().x) == int(x)) {
            columns.back().peak = std::max(columns.back().peak, it->value);
            columns.back().end = it->value;
        } else {
            columns.push_back({x, it->value, it->value});
        }
        if (it->time > frame.map.t1)
            break;
    }
    auto yOf = [&](double v) { return bottom - v * scale; };
    const double startX = std::clamp(frame.map.toX(first->time), frame.plot.left(), frame.plot.right());
    double value = first->value;
    QPainterPath path;
    path.moveTo(startX, bottom);
    path.lineTo(startX, yOf(value));
    double lastX = startX;
    for (const Column &c : columns) {
        path.lineTo(c.x, yOf(value));
        path.lineTo(c.x, yOf(std::max(c.peak, c.end)));
        path.lineTo(c.x, yOf(c.end));
        value = c.end;
        lastX = c.x;
    }
    const int64_t end = std::min(frame.map.t1, model()->endTime());
    const double xEnd = std::max(lastX, std::min(frame.plot.right(), frame.map.toX(end)));
    path.lineTo(xEnd, bottom - value * scale);
    path.lineTo(xEnd, bottom);
    path.closeSubpath();
    const QColor c = th.stateColor(ThreadState::Blocked, BlockReason::Queue);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(c, std::max(1.0, th.lineWidth)));
    painter.setBrush(LanePainter::mix(th.background, c, 0.3));
    painter.drawPath(path);
    painter.restore();
}

void TimelineView::paintFlows(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const auto &flows = m_data.flows();
    if (flows.empty())
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double head = std::max(6.0, th.lineWidth * 4);
    int drawn = 0;
    for (const core::Flow &f : flows) {
        if (std::max(f.fromTime, f.toTime) < frame.map.t0 || std::min(f.fromTime, f.toTime) > frame.map.t1)
            continue;
        if (f.fromThread >= layout.threadRow.size() || f.toThread >= layout.threadRow.size())
            continue;
        const int ra = layout.threadRow[f.fromThread];
        const int rb = layout.threadRow[f.toThread];
        if (ra < 0 || rb < 0)
            continue;
        const TimelineRow &a = layout.rows[size_t(ra)];
        const TimelineRow &b = layout.rows[size_t(rb)];
        const QPointF p0(frame.map.toX(f.fromTime), frame.rowTop(a) + frame.rowHeight(a) / 2);
        const QPointF p1(frame.map.toX(f.toTime), frame.rowTop(b) + frame.rowHeight(b) / 2);
        painter.setPen(QPen(th.flow, std::max(1.0, th.lineWidth), flowStyle(f.kind), Qt::RoundCap));
        painter.setBrush(Qt::NoBrush);
        if (ra == rb) {
            // Within one lane: an arc above it.
            QPainterPath path(p0);
            const double lift = frame.rowHeight(a) * 0.7;
            path.cubicTo(p0 + QPointF(0, -lift), p1 + QPointF(0, -lift), p1);
            painter.drawPath(path);
            drawArrowHead(painter, p1 + QPointF(0, -lift * 0.5), p1, head, th.flow);
        } else {
            painter.drawLine(p0, p1);
            drawArrowHead(painter, p0, p1, head, th.flow);
        }
        if (++drawn > 5000)
            break; // beyond this an arrow per flow is only ink; the lanes still show every state
    }
    painter.restore();
}

void TimelineView::paintMarks(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    const auto &marks = model()->marks();
    const auto &events = model()->data().events;
    if (marks.empty())
        return;
    const double margin = frame.map.nsPerPixel() * 20;
    auto it = std::lower_bound(marks.begin(), marks.end(), frame.map.t0 - int64_t(margin),
                               [&](uint32_t e, int64_t t) { return events[e].time < t; });
    const QFont font = frame.smallFont;
    const QFontMetricsF metrics(font);
    std::vector<double> labelEnd(layout.rows.size(), -1e18);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    int count = 0;
    for (; it != marks.end() && events[*it].time <= frame.map.t1 + int64_t(margin); ++it) {
        if (++count > 3000)
            break;
        const core::Event &e = events[*it];
        int r = -1;
        QString text;
        enum class Glyph
        {
            Fork,
            Exec,
            Exit,
            Signal
        } glyph = Glyph::Fork;
        auto processRow = [&](int32_t pid) {
            const core::ProcessInfo *p = model()->process(pid);
            if (!p)
                return -1;
            const auto index = size_t(p - model()->processes().data());
            return index < layout.processRow.size() ? layout.processRow[index] : -1;
        };
        switch (e.type) {
        case EventType::ForkReturn:
            r = e.thread < layout.threadRow.size() ? layout.threadRow[e.thread] : -1;
            text = tr("fork() = %1").arg(e.arg);
            glyph = Glyph::Fork;
            break;
        case EventType::Exec:
            r = processRow(int32_t(e.arg));
            if (r < 0 && e.thread < layout.threadRow.size())
                r = layout.threadRow[e.thread];
            text =
                tr("exec %1").arg(QString::fromStdString(core::TraceModel::labelOf(model()->data().string(e.object))));
            glyph = Glyph::Exec;
            break;
        case EventType::ProcessExit:
            r = processRow(int32_t(e.object));
            text = (e.flags & core::ExitSignal) ? tr("killed by %1").arg(signalName(int(e.arg)))
                                                : tr("exit %1").arg(e.arg);
            glyph = Glyph::Exit;
            break;
        case EventType::Signal:
            r = processRow(int32_t(e.object));
            if (r < 0 && e.thread < layout.threadRow.size())
                r = layout.threadRow[e.thread];
            text = signalName(int(e.arg));
            glyph = Glyph::Signal;
            break;
        default:
            continue; // deadlocks are drawn on their own
        }
        if (r < 0)
            continue;
        const TimelineRow &row = layout.rows[size_t(r)];
        const double h = frame.rowHeight(row);
        const double top = frame.rowTop(row);
        if (top > frame.plot.bottom() || top + h < frame.plot.top())
            continue;
        const double x = frame.map.toX(e.time);
        const double s = std::clamp(h * 0.32, 3.0, 12.0 * th.fontScale);
        const double cy = top + h / 2;
        painter.setPen(QPen(th.foreground, std::max(1.0, th.lineWidth), Qt::SolidLine, Qt::RoundCap));
        switch (glyph) {
        case Glyph::Fork: {
            QPolygonF tri;
            tri << QPointF(x - s, top + 1) << QPointF(x + s, top + 1) << QPointF(x, top + 1 + s * 1.4);
            painter.setBrush(th.foreground);
            painter.drawPolygon(tri);
            break;
        }
        case Glyph::Exec:
            painter.setBrush(th.background);
            painter.drawRect(QRectF(x - s * 0.7, cy - s * 0.7, s * 1.4, s * 1.4));
            break;
        case Glyph::Exit:
            painter.drawLine(QPointF(x - s * 0.7, cy - s * 0.7), QPointF(x + s * 0.7, cy + s * 0.7));
            painter.drawLine(QPointF(x - s * 0.7, cy + s * 0.7), QPointF(x + s * 0.7, cy - s * 0.7));
            break;
        case Glyph::Signal: {
            painter.setPen(QPen(th.deadlock, std::max(1.5, th.lineWidth * 1.2), Qt::SolidLine, Qt::RoundCap));
            QPolygonF bolt;
            bolt << QPointF(x + s * 0.3, cy - s) << QPointF(x - s * 0.3, cy) << QPointF(x + s * 0.3, cy)
                 << QPointF(x - s * 0.3, cy + s);
            painter.drawPolyline(bolt);
            break;
        }
        }
        // A label when the row is tall enough and the previous label of the row is out of the way.
        const double w = metrics.horizontalAdvance(text);
        const double lx = x + s + 2;
        if (h >= metrics.height() * 0.9 && lx > labelEnd[size_t(r)] && lx + w < frame.plot.right()) {
            const QRectF box(lx, cy - metrics.height() / 2, w + 2, metrics.height());
            painter.setPen(Qt::NoPen);
            QColor bg = th.background;
            bg.setAlpha(200);
            painter.setBrush(bg);
            painter.drawRect(box);
            painter.setFont(font);
            painter.setPen(th.foreground);
            painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, text);
            labelEnd[size_t(r)] = lx + w + 6;
        }
    }
    painter.restore();
}

void TimelineView::paintDeadlocks(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout)
{
    const Theme &th = theme();
    if (m_data.deadlocks().empty())
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double w = std::max(3.0, th.lineWidth * 2.5);
    for (const DeadlockMark &d : m_data.deadlocks()) {
        // The threads of the cycle: their blocked spans outlined, and who waits for whom.
        for (const core::DeadlockStep &step : d.cycle) {
            if (step.thread >= layout.threadRow.size() || layout.threadRow[step.thread] < 0)
                continue;
            const TimelineRow &row = layout.rows[size_t(layout.threadRow[step.thread])];
            const Bands b = bandsOf(frame, row);
            // The wait began before the Deadlock event, which may be the last instant of the trace.
            TimelineData::Hit span = m_data.stateAt(step.thread, d.time - 1);
            if (!span.found)
                span = m_data.stateAt(step.thread, d.time);
            if (span.found) {
                const double x0 = std::max(frame.plot.left() - w, frame.map.toX(span.start));
                const double x1 = std::min(frame.plot.right() + w, frame.map.toX(span.end));
                painter.setPen(QPen(th.deadlock, w, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(x0, b.holdTop, std::max(2.0, x1 - x0), b.waitBottom - b.holdTop));
            }
            if (step.heldBy < layout.threadRow.size() && layout.threadRow[step.heldBy] >= 0) {
                const TimelineRow &to = layout.rows[size_t(layout.threadRow[step.heldBy])];
                const double x = frame.map.toX(d.time) + w * 3;
                const QPointF p0(x, frame.rowTop(row) + frame.rowHeight(row) / 2);
                const QPointF p1(x, frame.rowTop(to) + frame.rowHeight(to) / 2);
                QPainterPath path(p0);
                const double bend = std::max(12.0, std::abs(p1.y() - p0.y()) * 0.35);
                path.cubicTo(p0 + QPointF(bend, 0), p1 + QPointF(bend, 0), p1);
                painter.setPen(QPen(th.deadlock, w * 0.8, Qt::SolidLine, Qt::RoundCap));
                painter.drawPath(path);
                drawArrowHead(painter, p1 + QPointF(bend, 0), p1, std::max(8.0, w * 3), th.deadlock);
            }
        }
        const double x = frame.map.toX(d.time);
        if (x < frame.plot.left() - w || x > frame.plot.right() + w)
            continue;
        painter.setPen(QPen(th.deadlock, w, Theme::deadlockStyle, Qt::FlatCap));
        painter.drawLine(QPointF(x, frame.plot.top()), QPointF(x, frame.plot.bottom()));
        const QString text = tr("DEADLOCK");
        const QFont font = frame.boldFont;
        const QFontMetricsF m(font);
        const double tw = m.horizontalAdvance(text) + m.height();
        double left = x + w;
        if (left + tw > frame.plot.right())
            left = x - w - tw;
        const QRectF box(left, frame.plot.top() + 2, tw, m.height() * 1.2);
        painter.setPen(Qt::NoPen);
        painter.setBrush(th.deadlock);
        painter.drawRect(box);
        painter.setFont(font);
        painter.setPen(LanePainter::textOn(th.deadlock));
        painter.drawText(box, Qt::AlignCenter, text);
    }
    painter.restore();
}

void TimelineView::paintLabels(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout, int first,
                               int last)
{
    const Theme &th = theme();
    painter.save();
    painter.setClipRect(frame.labels, Qt::IntersectClip);
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double pad = std::max(4.0, QFontMetricsF(frame.labelFont).height() * 0.35);
    const double width = frame.labels.width() - pad * 2;
    for (int i = first; i <= last; ++i) {
        const TimelineRow &row = layout.rows[size_t(i)];
        const double top = frame.rowTop(row);
        const double h = frame.rowHeight(row);
        if (h < 4)
            continue;
        QFont font = row.kind == TimelineRow::Kind::Process || row.kind == TimelineRow::Kind::QueueTitle
                         ? frame.boldFont
                         : frame.labelFont;
        font = fontForHeight(font, h);
        const QFontMetricsF m(font);
        painter.setFont(font);
        QRectF box(pad, top, width, h);
        QString text;
        switch (row.kind) {
        case TimelineRow::Kind::Thread: {
            // The thread's colour, as the cores view shows it.
            const double s = std::min(h * 0.55, m.height() * 0.75);
            painter.setPen(Qt::NoPen);
            painter.setBrush(threadColor(row.index));
            painter.drawRect(QRectF(pad, top + (h - s) / 2, s, s));
            box.setLeft(pad + s + pad * 0.6);
            text = threadLabel(row.index);
            painter.setPen(th.foreground);
            break;
        }
        case TimelineRow::Kind::Process:
            text = processLabel(row.index);
            painter.setPen(th.foreground);
            break;
        case TimelineRow::Kind::Lock: {
            // A padlock: body and shackle.
            const double s = std::min(h * 0.55, m.height() * 0.75);
            const QRectF body(pad, top + (h - s) / 2 + s * 0.35, s, s * 0.65);
            painter.setPen(QPen(th.foreground, std::max(1.0, s * 0.14)));
            painter.setBrush(Qt::NoBrush);
            painter.drawArc(QRectF(pad + s * 0.2, body.top() - s * 0.45, s * 0.6, s * 0.9), 0, 180 * 16);
            painter.setPen(Qt::NoPen);
            painter.setBrush(th.foreground);
            painter.drawRect(body);
            box.setLeft(pad + s + pad * 0.6);
            text = lockLabel(row.index);
            painter.setPen(th.foreground);
            break;
        }
        case TimelineRow::Kind::InFlight:
            painter.setFont(fontForHeight(frame.smallFont, h));
            text = inFlightLabel(row.index);
            box.setLeft(pad * 2);
            painter.setPen(th.muted);
            break;
        case TimelineRow::Kind::QueueTitle:
            text = tr("Queue depth");
            painter.setPen(th.foreground);
            break;
        case TimelineRow::Kind::Queue: {
            const QueueSeries &q = m_data.queues()[row.index];
            text = tr("%1 (max %2)").arg(QString::fromStdString(model()->objectName(q.id))).arg(q.maxDepth);
            painter.setPen(th.foreground);
            break;
        }
        case TimelineRow::Kind::Core:
            break;
        }
        painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, m.elidedText(text, Qt::ElideRight, box.width()));
    }
    // A rule between the labels and the lanes.
    painter.setPen(QPen(th.muted, 1));
    painter.drawLine(QPointF(frame.labels.right() - 0.5, frame.labels.top()),
                     QPointF(frame.labels.right() - 0.5, frame.labels.bottom()));
    painter.restore();
}

// Hover texts ------------------------------------------------------------------------------------

QString TimelineView::stateText(uint32_t thread, int64_t t) const
{
    const core::StateSpan s = model()->stateAt(thread, t);
    QString text = Theme::stateLabel(s.state, s.reason);
    if (s.state != ThreadState::Blocked)
        return text;
    QString object;
    switch (s.reason) {
    case BlockReason::Join:
        if (s.flags & core::OnProcess) {
            object = tr("process %1").arg(s.object);
        } else {
            const uint32_t target = model()->threadByTid(int32_t(s.object));
            object = target != core::kNoEvent ? tr("thread %1").arg(QString::fromStdString(model()->threadName(target)))
                                              : tr("thread %1").arg(s.object);
        }
        break;
    case BlockReason::Io:
        object = QString::fromStdString(core::TraceModel::labelOf(model()->data().string(s.object)));
        break;
    case BlockReason::None:
    case BlockReason::Held:
        break;
    default:
        object = QString::fromStdString(model()->objectName(s.object));
        break;
    }
    return object.isEmpty() ? text : tr("%1: %2").arg(text, object);
}

QString TimelineView::toolTipAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos)
{
    const Hit hit = hitAt(frame, layout, pos);
    if (!model())
        return {};
    const int64_t origin = model()->startTime();
    for (const DeadlockMark &d : m_data.deadlocks()) {
        if (std::abs(frame.map.toX(d.time) - pos.x()) <= std::max(4.0, theme().lineWidth * 3)) {
            QStringList lines{tr("Deadlock at %1").arg(TimeFormat::duration(d.time - origin))};
            for (const core::DeadlockStep &step : d.cycle)
                lines << tr("%1 waits for %2, held by %3")
                             .arg(QString::fromStdString(model()->threadName(step.thread)),
                                  QString::fromStdString(model()->objectName(step.waitsFor)),
                                  QString::fromStdString(model()->threadName(step.heldBy)));
            return lines.join(QLatin1Char('\n'));
        }
    }
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
