// SPDX-License-Identifier: MIT
// MainWindow's theme, and the presentation mode for a projector.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "ui/inkicon.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QStyle>
#include <QToolBar>

#include <optional>

namespace interleave::ui {

namespace {

/// The application font before the projector theme enlarged it, to come back to; empty while
/// no window is in the projector theme. The font is the application's, so this is too.
std::optional<QFont> g_desktopFont;

QPalette darkPalette(const Theme &theme)
{
    QPalette palette = QApplication::style()->standardPalette();
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
    // setColor above sets every group: disabled controls must look disabled again.
    const QColor disabled(0x7c, 0x7d, 0x82);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabled);
    palette.setColor(QPalette::Disabled, QPalette::Button, QColor(0x2f, 0x30, 0x34));
    palette.setColor(QPalette::Disabled, QPalette::Base, palette.color(QPalette::Window));
    return palette;
}

/// The tool bar's icons in the palette's text colour (inkIcon), also the ones set later (Pause
/// turning into Play).
void inkIcons(QToolBar *toolBar)
{
    static const char *const kInked = "inkedIconKey";
    for (QAction *action : toolBar->actions()) {
        if (action->icon().isNull() || action->property(kInked).isValid())
            continue;
        const auto ink = [action] {
            if (action->icon().isNull() || action->property(kInked).toLongLong() == action->icon().cacheKey())
                return;
            const QIcon inked = inkIcon(action->icon());
            action->setProperty(kInked, inked.cacheKey());
            action->setIcon(inked);
        };
        QObject::connect(action, &QAction::changed, toolBar, ink);
        ink();
    }
}

} // namespace

void MainWindow::setTheme(Theme::Id id)
{
    m_theme = id;
    const Theme &theme = Theme::get(id);
    // The window's own widgets first: the views read the application font in light and dark.
    if (theme.widgetPixelSize > 0) {
        if (!g_desktopFont)
            g_desktopFont = QApplication::font();
        QApplication::setFont(theme.widgetFont(*g_desktopFont));
    } else if (g_desktopFont) {
        QApplication::setFont(*g_desktopFont);
        g_desktopFont.reset();
    }
    // A dock draws its title in the application font of the day it was made, unless its own font
    // differs from the application's: in the projector theme it gets one (the same type, told apart).
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        QFont own = QApplication::font();
        own.setStyleStrategy(QFont::PreferAntialias);
        dock->setFont(theme.widgetPixelSize > 0 ? own : QFont());
    }
    if (!m_presentation)
        m_toolBar->setIconSize(id == Theme::Id::Projector ? QSize(32, 32) : QSize(24, 24));
    inkIcons(m_toolBar);
    for (TraceView *view : m_views)
        view->setTheme(theme);
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(Theme::Id(action->data().toInt()) == id);
    // The window around the views follows: a dark palette for the dark theme.
    QApplication::setPalette(id == Theme::Id::Dark ? darkPalette(theme) : QApplication::style()->standardPalette());
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
        // The views take the screen: the side panels go (E brings the explanation back, a
        // selection on the timeline its details).
        for (const char *dock : {"ScenarioDock", "ExplanationDock", "DetailsDock", "SearchDock"})
            if (auto *widget = findChild<QDockWidget *>(QLatin1String(dock)))
                widget->hide();
        m_toolBar->setIconSize(QSize(40, 40));
        // The projector theme sizes every text for a hall, the window's widgets included.
        setTheme(Theme::Id::Projector);
        showFullScreen();
    } else {
        setTheme(m_themeBeforePresentation);
        restoreState(m_stateBeforePresentation);
        showNormal();
    }
    presentationChanged();
}

} // namespace interleave::ui
