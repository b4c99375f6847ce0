// SPDX-License-Identifier: MIT
// MainWindow's theme, and the presentation mode for a projector.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QStyle>
#include <QToolBar>

namespace interleave::ui {

void MainWindow::setTheme(Theme::Id id)
{
    m_theme = id;
    const Theme &theme = Theme::get(id);
    for (TraceView *view : m_views)
        view->setTheme(theme);
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(Theme::Id(action->data().toInt()) == id);
    // The window around the views follows: a dark palette for the dark theme.
    QPalette palette = QApplication::style()->standardPalette();
    if (id == Theme::Id::Dark) {
        palette.setColor(QPalette::Window, QColor(0x2b, 0x2c, 0x30));
        palette.setColor(QPalette::WindowText, theme.foreground);
        palette.setColor(QPalette::Base, theme.background);
        palette.setColor(QPalette::AlternateBase, theme.laneAlternate);
        palette.setColor(QPalette::Text, theme.foreground);
        palette.setColor(QPalette::Button, QColor(0x36, 0x37, 0x3b));
        palette.setColor(QPalette::ButtonText, theme.foreground);
        palette.setColor(QPalette::Highlight, QColor(0x00, 0x72, 0xb2));
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::ToolTipBase, QColor(0x36, 0x37, 0x3b));
        palette.setColor(QPalette::ToolTipText, theme.foreground);
        palette.setColor(QPalette::PlaceholderText, theme.muted);
        palette.setColor(QPalette::Link, QColor(0x56, 0xb4, 0xe9));
    }
    QApplication::setPalette(palette);
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation)
        return;
    m_presentation = on;
    m_presentAction->setChecked(on);
    m_leavePresentAction->setEnabled(on);
    for (QAction *action : m_presentationKeys)
        action->setEnabled(on);
    if (on) {
        m_stateBeforePresentation = saveState();
        m_themeBeforePresentation = m_theme;
        m_fontBeforePresentation = QApplication::font();
        QFont big = m_fontBeforePresentation;
        big.setPointSizeF((big.pointSizeF() > 0 ? big.pointSizeF() : 10.0) * 1.5);
        QApplication::setFont(big);
        findChild<QDockWidget *>(QStringLiteral("ScenarioDock"))->hide();
        findChild<QDockWidget *>(QStringLiteral("ExplanationDock"))->hide();
        m_toolBar->setIconSize(QSize(40, 40));
        setTheme(Theme::Id::Projector);
        showFullScreen();
    } else {
        QApplication::setFont(m_fontBeforePresentation);
        m_toolBar->setIconSize(QSize(24, 24));
        setTheme(m_themeBeforePresentation);
        restoreState(m_stateBeforePresentation);
        showNormal();
    }
    presentationChanged();
}

} // namespace interleave::ui
