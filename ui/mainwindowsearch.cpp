// SPDX-License-Identifier: MIT
// MainWindow's Ctrl+F: the search panel, and jumping to what it found.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "ui/playback.h"
#include "ui/searchpanel.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

namespace interleave::ui {

void MainWindow::createSearch()
{
    m_search = new SearchPanel(this);
    auto *dock = new QDockWidget(this);
    dock->setObjectName(QStringLiteral("SearchDock"));
    dock->setWidget(m_search);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::TopDockWidgetArea, dock);
    dock->hide();
    m_findAction = new QAction(this);
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this, dock] {
        m_search->setModel(model());
        dock->show();
        dock->raise();
        m_search->focusQuery();
    });
    m_viewMenu->insertAction(m_viewMenu->actions().value(0), m_findAction);
    connect(m_search, &SearchPanel::closeRequested, this, [this, dock] {
        dock->hide();
        if (!m_views.empty())
            m_views.front()->setFocus();
    });
    connect(m_search, &SearchPanel::hitChosen, this, &MainWindow::jumpTo);
}

void MainWindow::retranslateSearch()
{
    m_findAction->setText(tr("&Find..."));
    m_findAction->setToolTip(tr("Find a thread, process, lock, queue or printed line and go to it (Ctrl+F)"));
    findChild<QDockWidget *>(QStringLiteral("SearchDock"))->setWindowTitle(tr("Find"));
}

void MainWindow::jumpTo(const core::SearchHit &hit)
{
    const core::TraceModel *m = model();
    if (!m)
        return;
    m_playback->pause();
    m_playback->seek(hit.start);
    // A life or a use spans a range: show all of it, with a margin. A line or a phase is a moment:
    // keep the zoom and centre it.
    for (TraceView *view : m_views) {
        const auto [t0, t1] = view->visibleRange();
        if (hit.end > hit.start) {
            const int64_t margin = std::max<int64_t>(1, (hit.end - hit.start) / 20);
            view->setVisibleRange(hit.start - margin, hit.end + margin);
        } else if (hit.start < t0 || hit.start > t1) {
            const int64_t width = t1 - t0;
            view->setVisibleRange(hit.start - width / 2, hit.start - width / 2 + width);
        }
    }
    statusBar()->showMessage(SearchPanel::hitText(*m, hit));
}

} // namespace interleave::ui
