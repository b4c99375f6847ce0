// SPDX-License-Identifier: MIT
// Every text of the window at 1920x1080 is 20 px or more in the projector theme and in F5.
#include "ui/application.h"
#include "ui/mainwindow.h"
#include "ui/parameterform.h"
#include "ui/theme.h"
#include "ui/traceview.h"
#include "uitest.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFontInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextEdit>
#include <QToolBar>
#include <QTreeWidget>

#include <gtest/gtest.h>

#include <map>

using namespace interleave;
using ui::Theme;
using ui::testing::app;

namespace {

int pixels(const QFont &font)
{
    return QFontInfo(font).pixelSize();
}

QString nameOf(const QWidget *w)
{
    return QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(' ') + w->objectName();
}

/// The smallest type in a text document: its default font, as each fragment changes it.
int smallestInDocument(const QTextDocument *doc)
{
    int smallest = pixels(doc->defaultFont());
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (it.fragment().text().trimmed().isEmpty())
                continue;
            const QFont font = format.font().resolve(doc->defaultFont());
            int px = pixels(font);
            // <small> and friends: each step down is a fifth smaller, as QTextDocument lays it out.
            if (format.hasProperty(QTextFormat::FontSizeAdjustment) &&
                format.intProperty(QTextFormat::FontSizeAdjustment) < 0)
                px = px * 4 / 5;
            smallest = std::min(smallest, px);
        }
    return smallest;
}

/// Every visible widget that shows text, with the pixel size of its smallest text.
std::map<QString, int> textSizes(QMainWindow &window)
{
    std::map<QString, int> out;
    auto add = [&out](const QWidget *w, int px) {
        QString key = nameOf(w);
        for (int n = 2; out.count(key); ++n)
            key = nameOf(w) + QLatin1Char('#') + QString::number(n);
        out[key] = px;
    };
    for (QWidget *w : window.findChildren<QWidget *>()) {
        if (!w->isVisible())
            continue;
        if (auto *label = qobject_cast<QLabel *>(w)) {
            if (!label->text().isEmpty())
                add(w, pixels(w->font()));
        } else if (auto *text = qobject_cast<QTextEdit *>(w)) {
            add(w, std::min(pixels(w->font()), smallestInDocument(text->document())));
        } else if (auto *plain = qobject_cast<QPlainTextEdit *>(w)) {
            add(w, std::min(pixels(w->font()), pixels(plain->document()->defaultFont())));
        } else if (auto *view = qobject_cast<QAbstractItemView *>(w)) {
            int px = pixels(w->font());
            if (QAbstractItemModel *model = view->model())
                for (int r = 0; r < model->rowCount(); ++r) {
                    const QVariant f = model->index(r, 0).data(Qt::FontRole);
                    if (f.isValid())
                        px = std::min(px, pixels(f.value<QFont>().resolve(w->font())));
                }
            if (auto *tree = qobject_cast<QTreeWidget *>(w))
                for (QTreeWidgetItemIterator it(tree); *it; ++it)
                    px = std::min(px, pixels((*it)->font(0).resolve(w->font())));
            add(w, px);
        } else if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QTabBar *>(w) || qobject_cast<QLineEdit *>(w) ||
                   qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QToolBar *>(w) ||
                   qobject_cast<QMenuBar *>(w) || qobject_cast<QStatusBar *>(w) || qobject_cast<QGroupBox *>(w) ||
                   qobject_cast<QDockWidget *>(w)) {
            add(w, pixels(w->font()));
        }
    }
    // Menus are hidden until opened; what they will show is theirs all the same.
    for (QMenu *menu : window.findChildren<QMenu *>())
        add(menu, pixels(menu->font()));
    return out;
}

/// textSizes() with each tab of the views shown in turn (a hidden tab's texts are not on screen).
std::map<QString, int> textSizesOfEveryTab(QMainWindow &window)
{
    std::map<QString, int> out;
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("ViewTabs"));
    const int before = tabs->currentIndex();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QApplication::processEvents();
        for (const auto &[name, px] : textSizes(window)) {
            auto [it, fresh] = out.emplace(name, px);
            if (!fresh)
                it->second = std::min(it->second, px);
        }
    }
    tabs->setCurrentIndex(before);
    return out;
}

QAction *themeAction(QMainWindow &window, Theme::Id id)
{
    for (QAction *action : window.findChildren<QAction *>())
        if (action->actionGroup() && action->isCheckable() && action->data() == QVariant(int(id)))
            return action;
    return nullptr;
}

void expectAllAtLeast(const std::map<QString, int> &sizes, size_t count, int minimum, const char *where)
{
    ASSERT_GE(sizes.size(), count) << where << ": the walk found the window's widgets";
    for (const auto &[name, px] : sizes)
        EXPECT_GE(px, minimum) << where << ": " << name.toStdString();
}

/// The fonts the views paint with (lane labels 0.95, axis 0.85, small labels 0.8, legend 1.0,
/// graph details 0.9 times a shrinking scale): never under 20 px in the projector theme.
void expectViewFontsAtLeast(const Theme &theme, int minimum)
{
    for (qreal relative : {0.5, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.45})
        for (bool bold : {false, true})
            EXPECT_GE(pixels(theme.font(relative, bold)), minimum) << "relative " << relative;
}

} // namespace

TEST(ClassroomText, ProjectorThemeSizesEveryTextForAHallAndLightRestoresTheDesktop)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.setTheme(Theme::Id::Light);
    window.resize(1920, 1080);
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("deadlock")));
    QApplication::processEvents();
    const QFont desktop = QApplication::font();
    const std::map<QString, int> light = textSizesOfEveryTab(window);

    QAction *projector = themeAction(window, Theme::Id::Projector);
    ASSERT_NE(projector, nullptr);
    projector->trigger();
    QApplication::processEvents();
    EXPECT_EQ(window.theme(), Theme::Id::Projector);
    expectAllAtLeast(textSizesOfEveryTab(window), 30, 20, "projector");
    expectViewFontsAtLeast(Theme::get(Theme::Id::Projector), 20);
    // A dock draws its title in the application font of the day it was made unless its own font
    // differs from the application's (qdockwidget.cpp): the title must follow the projector.
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        EXPECT_NE(dock->font(), QApplication::font("QDockWidget")) << dock->objectName().toStdString();
    for (ui::TraceView *view : window.views())
        EXPECT_GE(pixels(view->theme().font(0.85)), 20) << view->objectName().toStdString();

    // Back to light: the desktop's own sizes, not forced big.
    themeAction(window, Theme::Id::Light)->trigger();
    QApplication::processEvents();
    EXPECT_EQ(QApplication::font(), desktop);
    EXPECT_EQ(textSizesOfEveryTab(window), light);
    EXPECT_EQ(Theme::get(Theme::Id::Light).font().pointSizeF(), desktop.pointSizeF());
    EXPECT_LT(pixels(Theme::get(Theme::Id::Light).font(0.85)), pixels(Theme::get(Theme::Id::Projector).font(0.85)));
}

TEST(ClassroomText, PresentationModeSizesEveryTextForAHall)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.setTheme(Theme::Id::Dark);
    window.resize(1920, 1080);
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("pool")));
    const QFont desktop = QApplication::font();
    window.setPresentationMode(true);
    QApplication::processEvents();
    EXPECT_EQ(window.theme(), Theme::Id::Projector);
    expectAllAtLeast(textSizesOfEveryTab(window), 15, 20, "F5");
    window.setPresentationMode(false);
    EXPECT_EQ(window.theme(), Theme::Id::Dark);
    EXPECT_EQ(QApplication::font(), desktop);
    window.setTheme(Theme::Id::Light);
}

TEST(ClassroomText, ParametersShowTheirRangeAndHelpBesideThem)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    ui::MainWindow window;
    window.setTheme(Theme::Id::Light);
    window.show();
    ASSERT_TRUE(window.selectScenario(QStringLiteral("race")));
    QApplication::processEvents();
    ui::ParameterForm *form = window.parameterForm();
    const core::Scenario *scenario = form->scenario();
    ASSERT_NE(scenario, nullptr);
    for (const core::ParamSpec &spec : scenario->parameters()) {
        QLabel *hint = form->hint(spec.name);
        ASSERT_NE(hint, nullptr) << spec.name.toStdString();
        EXPECT_TRUE(hint->isVisible()) << spec.name.toStdString();
        EXPECT_TRUE(hint->text().contains(core::ScenarioTr::tr(spec.help))) << hint->text().toStdString();
        if (spec.kind == core::ParamSpec::Kind::Int) {
            const QLocale locale;
            EXPECT_TRUE(hint->text().contains(locale.toString(qlonglong(spec.minimum))));
            EXPECT_TRUE(hint->text().contains(locale.toString(qlonglong(spec.maximum)))) << hint->text().toStdString();
        }
        // Beside its editor: on the line under it and its label, as wide as both.
        QWidget *editor = form->editor(spec.name);
        const QRect e(editor->mapTo(form, QPoint(0, 0)), editor->size());
        const QRect h(hint->mapTo(form, QPoint(0, 0)), hint->size());
        EXPECT_GE(h.top(), e.bottom());
        EXPECT_LT(h.top() - e.bottom(), QFontMetrics(hint->font()).height());
        EXPECT_GE(h.right(), e.right() - 1);
        EXPECT_LT(h.left(), e.left());
    }
    const core::ParamSpec iterations = scenario->parameters().front();
    EXPECT_EQ(iterations.name, QStringLiteral("iterations"));
    EXPECT_EQ(form->hint(iterations.name)->text(),
              core::ScenarioTr::tr(iterations.help) + QStringLiteral(" (1 to 10,000,000)"));
}

TEST(ClassroomText, ScenarioNamesAreNotCutAtTheDefaultWidth)
{
    app();
    ui::Application::setLanguage(QStringLiteral("en"));
    for (Theme::Id id : {Theme::Id::Light, Theme::Id::Projector}) {
        ui::MainWindow window;
        window.setTheme(id);
        window.resize(1440, 900); // the window's size on first start
        window.show();
        QApplication::processEvents();
        QTreeWidget *tree = window.scenarioBrowser();
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            const QRect rect = tree->visualItemRect(*it);
            ASSERT_TRUE(rect.isValid());
            const QFont font = (*it)->font(0).resolve(tree->font());
            const QFontMetrics fm(font);
            // The text's room: the item's rectangle less the style's margins on both sides.
            const int margin = tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1;
            const int room = rect.width() - 2 * margin;
            const QRect needed = fm.boundingRect(QRect(0, 0, room, 10000), Qt::TextWordWrap, (*it)->text(0));
            EXPECT_LE(needed.width(), room) << (*it)->text(0).toStdString();
            EXPECT_LE(needed.height(), rect.height())
                << Theme::name(id).toStdString() << ": " << (*it)->text(0).toStdString() << " in " << rect.height();
            EXPECT_LE(rect.right(), tree->viewport()->width()) << (*it)->text(0).toStdString();
        }
        window.setTheme(Theme::Id::Light);
    }
}
