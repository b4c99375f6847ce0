// SPDX-License-Identifier: MIT
// TimelineView's process groups: folding and unfolding them, and the summary lane of a folded one.
#include "ui/timeline/timelineview.h"

#include <QKeyEvent>

#include <algorithm>
#include <cmath>

namespace interleave::ui {

using core::ThreadState;

namespace {

/// Which state a folded group's lane shows where its threads differ: the busiest one.
int rank(uint16_t code)
{
    switch (TimelineData::codeState(code)) {
    case ThreadState::Running:
        return 5;
    case ThreadState::Ready:
        return 4;
    case ThreadState::Blocked:
        return 3;
    case ThreadState::Sleeping:
        return 2;
    case ThreadState::Exited:
    case ThreadState::None:
        break;
    }
    return 0;
}

} // namespace

void TimelineView::toggleGroup(int group)
{
    const TimelineLayout &l = layout();
    if (group < 0 || size_t(group) >= l.groups.size())
        return;
    m_data.setFolded(l.groups[size_t(group)].processes.front(), !l.folded[size_t(group)]);
    m_currentGroup = group;
    ++m_generation;
    contentChanged();
}

bool TimelineView::foldSelectedGroup()
{
    const TimelineLayout &l = layout();
    int group = m_currentGroup;
    if (m_selection.kind == TimelineSelection::Kind::Span && model() && m_selection.thread < model()->threadCount()) {
        const auto &processes = model()->processes();
        if (const core::ProcessInfo *p = model()->process(model()->thread(m_selection.thread).pid)) {
            const size_t index = size_t(p - processes.data());
            if (index < l.groupOf.size() && l.groupOf[index] >= 0)
                group = l.groupOf[index];
        }
    }
    if (group < 0 || size_t(group) >= l.groups.size())
        return false;
    clearSelection(); // its lane may fold away
    toggleGroup(group);
    return true;
}

bool TimelineView::clickAt(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos)
{
    // The header's label (with its ▸ / ▾) folds and unfolds; a click in the plot selects what is
    // there (a fork or exit mark on the header row, say) and moves the playhead.
    if (pos.y() < frame.plot.top() || pos.y() > frame.plot.bottom() || pos.x() >= frame.plot.left())
        return false;
    const int row = layout.rowAt(frame.contentY(pos.y()));
    if (row < 0 || layout.rows[size_t(row)].kind == TimelineRow::Kind::Summary)
        return false;
    const int group = layout.groupAtRow(row);
    if (group < 0)
        return false;
    toggleGroup(group);
    return true;
}

bool TimelineView::rowKey(QKeyEvent *event)
{
    if (event->key() != Qt::Key_Return && event->key() != Qt::Key_Enter)
        return false;
    const TimelineLayout &l = layout();
    int group = m_currentGroup;
    if (group < 0 || size_t(group) >= l.groups.size()) {
        // The group at the top of the lanes shown.
        const LaneFrame &f = currentFrame();
        const double top = f.contentY(f.plot.top());
        for (int r = std::max(0, l.rowAt(top)); r < int(l.rows.size()) && group < 0; ++r)
            group = l.groupAtRow(r);
    }
    if (group < 0)
        return false;
    toggleGroup(group);
    return true;
}

QString TimelineView::rowToolTip(const LaneFrame &frame, const TimelineLayout &layout, QPointF pos)
{
    if (!model() || pos.y() < frame.plot.top() || pos.y() > frame.plot.bottom())
        return {};
    const int row = layout.rowAt(frame.contentY(pos.y()));
    const int group = layout.groupAtRow(row);
    if (group < 0)
        return {};
    const TimelineRow &r = layout.rows[size_t(row)];
    const bool folded = layout.folded[size_t(group)];
    const QString how =
        folded ? tr("Click the header's name (or G with one of its threads selected) to show its threads.")
               : tr("Click the header's name (or G with one of its threads selected) to fold it into one lane.");
    QString what;
    if (r.kind == TimelineRow::Kind::Process)
        what = processDetail(r.index);
    else if (r.kind == TimelineRow::Kind::Group)
        what = groupLabel(layout, uint32_t(group));
    else
        what = summaryLabel(layout, uint32_t(group)) + QLatin1Char('\n') +
               tr("Each moment shows the busiest state of any of its threads.");
    return what + QLatin1Char('\n') + how;
}

QString TimelineView::groupLabel(const TimelineLayout &layout, uint32_t group) const
{
    const core::ProcessGroup &g = layout.groups[group];
    const auto &processes = model()->processes();
    auto name = [&](uint32_t p) { return QString::fromStdString(processes[p].name); };
    return tr("%1 … %2 · %n processes", nullptr, int(g.processes.size()))
        .arg(name(g.processes.front()), name(g.processes.back()));
}

QString TimelineView::summaryLabel(const TimelineLayout &layout, uint32_t group) const
{
    return tr("+%n threads", nullptr, int(layout.groups[group].threadCount()));
}

void TimelineView::paintSummary(QPainter &painter, const LaneFrame &frame, const TimelineLayout &layout,
                                const TimelineRow &row)
{
    const core::ProcessGroup &g = layout.groups[row.index];
    // The busiest state of any thread of the group, per pixel column.
    std::vector<uint16_t> best(size_t(std::ceil(frame.map.width)) + 2, 0);
    for (const auto &threads : g.threads) {
        for (uint32_t t : threads) {
            if (t >= m_data.lanes().size())
                continue;
            m_runs.clear();
            m_data.lanes()[t].states.pixelRuns(frame.map, m_runs);
            for (const PixelRun &run : m_runs) {
                const int r = rank(run.code);
                for (int x = std::max(0, run.x0); x < std::min(int(best.size()), run.x1); ++x)
                    if (r > rank(best[size_t(x)]))
                        best[size_t(x)] = run.code;
            }
        }
    }
    m_runs.clear();
    for (int x = 0; x < int(best.size()); ++x) {
        if (best[size_t(x)] == 0)
            continue;
        if (!m_runs.empty() && m_runs.back().x1 == x && m_runs.back().code == best[size_t(x)])
            m_runs.back().x1 = x + 1;
        else
            m_runs.push_back({x, x + 1, best[size_t(x)]});
    }
    const Bands b = bandsOf(frame, row);
    LanePainter::paintTiles(painter, m_runs, frame.map.left, b.tileTop, b.tileBottom - b.tileTop, stateStyle(),
                            frame.vector, theme().lineWidth);
}

} // namespace interleave::ui
