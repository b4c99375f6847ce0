// SPDX-License-Identifier: MIT
// The "Details" dock: what is selected on the timeline, in words and numbers.
#pragma once

#include "ui/timeline/timelineselection.h"

#include <QDockWidget>
#include <QPointer>

class QTextBrowser;

namespace interleave::ui {

class TimelineView;

/// Shows the timeline's selection: a span (thread, state, what it waits for, start, duration, code
/// line), an arrow (what it carries, from, to, send and receive time, latency), an instant, or a
/// range with what happened in it per thread.
class DetailsPanel : public QDockWidget
{
    Q_OBJECT
public:
    /// Follows `timeline`'s selection.
    explicit DetailsPanel(TimelineView *timeline, QWidget *parent = nullptr);

    /// The text shown now (for tests and screen readers).
    QString text() const;

public Q_SLOTS:
    void showSelection(const interleave::ui::TimelineSelection &selection);

protected:
    void changeEvent(QEvent *event) override;

private:
    QString html() const;

    QPointer<TimelineView> m_timeline;
    QTextBrowser *m_browser;
    TimelineSelection m_selection;
};

} // namespace interleave::ui
