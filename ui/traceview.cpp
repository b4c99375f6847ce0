// SPDX-License-Identifier: MIT
#include "ui/traceview.h"

#include <QPainter>

namespace interleave::ui {

TraceView::TraceView(QWidget *parent)
    : QWidget(parent)
{}

void TraceView::setModel(const core::TraceModel *model)
{
    m_model = model;
    modelChanged();
    update();
}

void TraceView::setModel(const core::TraceModel *model, Prepared prepared)
{
    m_prepared = std::move(prepared);
    setModel(model);
    m_prepared.reset(); // a view that did not take it
}

void TraceView::setRunInfo(const RunInfo &info)
{
    m_runInfo = info;
    runInfoChanged();
    update();
}

void TraceView::setTheme(const Theme &theme)
{
    m_theme = &theme;
    themeChanged();
    update();
}

void TraceView::setPlayhead(int64_t time)
{
    if (time == m_playhead)
        return;
    m_playhead = time;
    playheadChanged();
    update();
}

int64_t TraceView::exportPlayhead() const
{
    return m_model ? m_model->endTime() : 0;
}

std::pair<int64_t, int64_t> TraceView::visibleRange() const
{
    if (!m_model)
        return {0, 0};
    return {m_model->startTime(), m_model->endTime()};
}

void TraceView::setVisibleRange(int64_t, int64_t) {}

void TraceView::renderContent(QPainter &painter, const QSize &)
{
    render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
}

} // namespace interleave::ui
