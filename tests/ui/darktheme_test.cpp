// SPDX-License-Identifier: MIT
// The dark theme's tool bar: icons that read on its background, disabled controls that look disabled.
#include "ui/application.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"
#include "uitest.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QToolBar>
#include <QToolButton>

#include <gtest/gtest.h>

#include <cmath>

using namespace interleave;
using ui::Theme;
using ui::testing::app;

namespace {

double luminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

/// The mean colour of an icon's opaque pixels (what the eye takes for its colour).
QColor dominantColour(const QIcon &icon, QIcon::Mode mode)
{
    const QImage image = icon.pixmap(QSize(24, 24), 1.0, mode).toImage().convertToFormat(QImage::Format_ARGB32);
    double r = 0, g = 0, b = 0;
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 128)
                continue;
            r += c.redF();
            g += c.greenF();
            b += c.blueF();
            ++n;
        }
    return n == 0 ? QColor() : QColor::fromRgbF(float(r / n), float(g / n), float(b / n));
}

} // namespace

TEST(DarkTheme, ToolBarIconsReadOnTheDarkBackgroundAndDisabledOnesLookDisabled)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.setTheme(Theme::Id::Dark);
    window.show();
    QApplication::processEvents();
    auto *toolBar = window.findChild<QToolBar *>(QStringLiteral("ControlBar"));
    ASSERT_NE(toolBar, nullptr);
    const QColor background = toolBar->palette().color(QPalette::Active, QPalette::Window);
    EXPECT_LT(luminance(background), 0.05) << "the tool bar is dark";
    int icons = 0;
    for (QAction *action : toolBar->actions()) {
        if (action->icon().isNull())
            continue;
        ++icons;
        const QColor normal = dominantColour(action->icon(), QIcon::Normal);
        const QColor disabled = dominantColour(action->icon(), QIcon::Disabled);
        ASSERT_TRUE(normal.isValid()) << action->objectName().toStdString();
        EXPECT_GE(contrast(normal, background), 3.0)
            << action->text().toStdString() << " " << normal.name().toStdString() << " on "
            << background.name().toStdString();
        // Disabled is dimmer than enabled, and still there.
        EXPECT_LT(contrast(disabled, background), contrast(normal, background) - 1.0) << action->text().toStdString();
        EXPECT_GE(contrast(disabled, background), 1.5) << action->text().toStdString();
    }
    EXPECT_GE(icons, 5);
    // A button's text: enabled and disabled differ.
    const QPalette palette = QApplication::palette();
    for (QPalette::ColorRole role : {QPalette::ButtonText, QPalette::WindowText, QPalette::Text}) {
        const QColor enabled = palette.color(QPalette::Active, role);
        const QColor off = palette.color(QPalette::Disabled, role);
        EXPECT_GE(contrast(enabled, background), 7.0);
        EXPECT_GE(contrast(enabled, off), 2.0) << int(role);
        EXPECT_GE(contrast(off, palette.color(QPalette::Disabled, QPalette::Button)), 2.0) << int(role);
    }

    // The icons follow the theme: dark again on light.
    window.setTheme(Theme::Id::Light);
    QApplication::processEvents();
    const QColor lightBackground = toolBar->palette().color(QPalette::Active, QPalette::Window);
    for (QAction *action : toolBar->actions()) {
        if (action->icon().isNull())
            continue;
        EXPECT_GE(contrast(dominantColour(action->icon(), QIcon::Normal), lightBackground), 3.0)
            << action->text().toStdString();
    }
}
