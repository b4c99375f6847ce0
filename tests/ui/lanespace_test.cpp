// SPDX-License-Identifier: MIT
// Lanes that fill their space: exported images and panes, the cores view's rows and shared axis,
// the legend and the subtitle of an export, and tick labels clear of the playhead.
#include "trace/recordedcores.h"
#include "ui/application.h"
#include "ui/imageexport.h"
#include "ui/theme.h"
#include "ui/timeline/coresview.h"
#include "ui/timeline/timelineview.h"
#include "ui/timeline/timelineviewimpl.h"

#include "../core/scenarios/scenariorun.h"
#include "uitest.h"

#include <QImage>
#include <QTemporaryDir>
#include <QVBoxLayout>

#include <gtest/gtest.h>

using namespace interleave;
using ui::LaneView;

namespace {

using Sets = QList<QPair<QString, QString>>;

/// An image device as an export paints on (96 dots per inch).
QImage probeDevice(const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.setDotsPerMeterX(3780);
    image.setDotsPerMeterY(3780);
    return image;
}

struct Export
{
    double laneShare = 0; ///< the rows' total height / the image height
    size_t rows = 0;
    ui::ImageExport::PageGeometry page;
    std::vector<ui::TimelineRow> layoutRows;
};

/// Exports view `name` of `model` in the projector theme, as `interleave run --image` does, and
/// measures the export's geometry.
Export exportOf(const QString &name, const core::TraceModel &model, const char *scenario, const QSize &size)
{
    Export out;
    std::unique_ptr<ui::TraceView> view = ui::ImageExport::createView(name);
    auto *lanes = qobject_cast<LaneView *>(view.get());
    EXPECT_NE(lanes, nullptr);
    if (!lanes)
        return out;
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->setModel(&model);
    view->setRunInfo(
        {QString::fromLatin1(scenario), QString::fromLatin1(scenario), {}, {}, QStringLiteral("finished")});
    view->resize(size);
    view->show();
    view->refresh();
    QTemporaryDir dir;
    ui::ImageRequest request;
    request.path = dir.filePath(QStringLiteral("x.png"));
    request.size = size;
    request.theme = ui::Theme::Id::Projector;
    QString error;
    EXPECT_TRUE(ui::ImageExport::write(*view, request, &error)) << error.toStdString();
    EXPECT_EQ(QImage(request.path).size(), size);

    const QImage probe = probeDevice(size);
    out.page = ui::ImageExport::pageGeometry(*view, ui::Theme::get(request.theme), size, &probe);
    const ui::LaneFrame frame = lanes->frameFor(out.page.body.size(), &probe, true);
    const ui::TimelineLayout &layout = lanes->layoutOf(frame);
    double h = 0;
    for (const ui::TimelineRow &row : layout.rows)
        h += frame.rowHeight(row);
    out.laneShare = h / size.height();
    out.rows = layout.rows.size();
    out.layoutRows = layout.rows;
    return out;
}

} // namespace

TEST(LaneSpace, ProjectorExportsUseMostOfTheImageForLanes)
{
    ui::testing::app();
    ui::Application::setLanguage(QStringLiteral("en"));
    const QSize size(1920, 1080);
    struct Case
    {
        const char *scenario;
        Sets sets;
        const char *view;
    };
    const std::vector<Case> cases = {
        {"deadlock", {}, "timeline"},
        {"pool", {{QStringLiteral("max_sleep_s"), QStringLiteral("0.5")}}, "timeline"},
        {"gil", {{QStringLiteral("duration"), QStringLiteral("0.5")}}, "cores"},
        {"lock", {{QStringLiteral("iterations"), QStringLiteral("2000")}}, "timeline"},
        {"fork", {}, "timeline"},
        {"deadlock", {}, "cores"},
    };
    for (const Case &c : cases) {
        const auto run = core::testing::runScenario(c.scenario, c.sets);
        const Export e = exportOf(QString::fromLatin1(c.view), run.model(), c.scenario, size);
        EXPECT_GE(e.laneShare, 0.70) << c.scenario << " " << c.view << ": " << e.rows << " rows";
        EXPECT_LE(e.laneShare, 1.0) << c.scenario;
        core::testing::expectNothingLeft(run);
    }
}

TEST(LaneSpace, CoresShowEveryCoreTheTraceRecorded)
{
    ui::testing::app();
    const auto run = core::testing::runScenario("deadlock");
    core::RecordedCores recorded;
    recorded.update(run.model());
    ASSERT_GE(recorded.count(), 1);
    const Export e = exportOf(QStringLiteral("cores"), run.model(), "deadlock", QSize(1920, 1080));
    ASSERT_EQ(e.rows, size_t(recorded.count()));
    for (size_t i = 0; i < e.layoutRows.size(); ++i) {
        EXPECT_EQ(e.layoutRows[i].kind, ui::TimelineRow::Kind::Core);
        EXPECT_EQ(e.layoutRows[i].index, i) << "core " << i << " has its row";
    }
    core::testing::expectNothingLeft(run);
}

TEST(LaneSpace, WindowLanesGrowToFillThePaneAndScrollWhenTheyDoNot)
{
    ui::testing::app();
    const auto run = core::testing::runScenario("deadlock");
    ui::TimelineView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setModel(&run.model());
    view.resize(1200, 900);
    view.show();
    view.refresh();
    const ui::LaneFrame &f = view.currentFrame();
    const ui::TimelineLayout &l = view.layout();
    ASSERT_FALSE(l.rows.empty());
    EXPECT_GT(f.scale, 1.0);
    EXPECT_NEAR(l.height * f.scale, f.plot.height(), 1.0) << "the rows fill the pane";
    // Labels and state bars stay centred in a grown lane.
    for (const ui::TimelineRow &row : l.rows)
        EXPECT_NEAR(f.rowHeight(row), row.height * f.scale, 1e-9);

    // A pane too small for the rows: natural size, and a scroll bar.
    view.resize(1200, 150);
    const ui::LaneFrame &small = view.currentFrame();
    EXPECT_EQ(small.scale, 1.0);
    view.scrollBy(1e6);
    EXPECT_NEAR(view.scrollY(), view.layout().height - small.plot.height(), 1.0);
    core::testing::expectNothingLeft(run);
}

TEST(LaneSpace, CoresViewSharesTheTimelinesTimeAxis)
{
    ui::testing::app();
    const auto run = core::testing::runScenario("deadlock");
    QWidget window;
    window.setAttribute(Qt::WA_DontShowOnScreen);
    auto *box = new QVBoxLayout(&window);
    auto *timeline = new ui::TimelineView;
    auto *cores = new ui::CoresView;
    box->addWidget(timeline);
    box->addWidget(cores);
    cores->followAxisOf(timeline);
    timeline->setModel(&run.model());
    cores->setModel(&run.model());
    window.resize(1400, 900);
    window.show();
    QCoreApplication::processEvents();
    const auto [lo, hi] = timeline->visibleRange();
    timeline->setVisibleRange(lo + (hi - lo) / 4, lo + (hi - lo) / 2);
    EXPECT_EQ(cores->visibleRange(), timeline->visibleRange());
    for (int k = 0; k <= 4; ++k) {
        const int64_t t = lo + (hi - lo) / 4 + (hi - lo) * k / 16;
        const double xt = timeline->mapTo(&window, QPointF(timeline->xOf(t), 0)).x();
        const double xc = cores->mapTo(&window, QPointF(cores->xOf(t), 0)).x();
        EXPECT_NEAR(xt, xc, 0.01) << k;
    }
    EXPECT_NEAR(timeline->mapTo(&window, QPointF(timeline->currentFrame().labels.right(), 0)).x(),
                cores->mapTo(&window, QPointF(cores->currentFrame().labels.right(), 0)).x(), 0.01)
        << "the same label column";
    // Zooming the cores view zooms both.
    cores->showAll();
    EXPECT_EQ(timeline->visibleRange(), std::make_pair(lo, hi));
    core::testing::expectNothingLeft(run);
}

TEST(LaneSpace, ChineseProjectorLegendStaysOnTheImage)
{
    ui::testing::app();
    ui::Application::setLanguage(QStringLiteral("zh_CN"));
    const auto run = core::testing::runScenario("pool", {{QStringLiteral("max_sleep_s"), QStringLiteral("0.3")}});
    for (const QSize size : {QSize(1920, 1080), QSize(1280, 720)}) {
        const Export e = exportOf(QStringLiteral("timeline"), run.model(), "pool", size);
        EXPECT_GT(e.page.legend.height(), 0);
        EXPECT_LE(e.page.legend.bottom(), size.height()) << size.width();
        EXPECT_GE(e.page.legend.top(), e.page.body.bottom()) << "the legend lies under the lanes";
        EXPECT_LE(e.page.legend.right(), size.width());
    }
    ui::Application::setLanguage(QStringLiteral("en"));
    core::testing::expectNothingLeft(run);
}

TEST(LaneSpace, SubtitleSpanReadsInOneUnit)
{
    ui::testing::app();
    ui::Application::setLanguage(QStringLiteral("en"));
    EXPECT_EQ(ui::ImageExport::spanText(0, 493'000'000), QStringLiteral("0 – 493 ms"));
    EXPECT_EQ(ui::ImageExport::spanText(1'200'000'000, 3'500'000'000), QStringLiteral("1.20 – 3.50 s"));
    EXPECT_EQ(ui::ImageExport::spanText(0, 12'300), QStringLiteral("0 – 12.3 µs"));
    EXPECT_EQ(ui::ImageExport::spanText(0, 800), QStringLiteral("0 – 800 ns"));
}

TEST(LaneSpace, PlayheadHandleNeverCoversATickLabel)
{
    using Tick = LaneView::TickLabel;
    // Labels 40 px wide centred every 100 px from x = 100.
    std::vector<Tick> ticks;
    for (int i = 0; i < 6; ++i)
        ticks.push_back({100.0 + i * 100, QString::number(i), QRectF(80 + i * 100, 0, 40, 20)});
    const double s = 10;
    for (double x : {100.0, 300.0, 318.0, 290.0, 600.0, 655.0}) {
        const auto placed = LaneView::clearOfHandle(ticks, x, s, 50, 640);
        for (const Tick &t : placed) {
            EXPECT_TRUE(t.box.right() < x - s || t.box.left() > x + s)
                << "x " << x << " covers " << t.label.toStdString();
            EXPECT_GE(t.box.left(), 50);
            EXPECT_LE(t.box.right(), 640);
        }
        for (size_t i = 1; i < placed.size(); ++i)
            EXPECT_LT(placed[i - 1].box.right(), placed[i].box.left()) << "labels do not overlap";
        EXPECT_GE(placed.size(), ticks.size() - 1) << "at most one label goes";
    }
    // A playhead between labels leaves them all where they were.
    const auto untouched = LaneView::clearOfHandle(ticks, 150, s, 50, 640);
    ASSERT_EQ(untouched.size(), ticks.size());
    for (size_t i = 0; i < ticks.size(); ++i)
        EXPECT_EQ(untouched[i].box, ticks[i].box);
}

TEST(LaneSpace, FlowArrowsAreThickOnAProjector)
{
    ui::testing::app();
    EXPECT_GE(ui::timelinedetail::flowWidth(ui::Theme::get(ui::Theme::Id::Projector).lineWidth), 3.0);
    EXPECT_GE(ui::timelinedetail::flowWidth(ui::Theme::get(ui::Theme::Id::Light).lineWidth), 1.0);
}

TEST(LaneSpace, AHundredMarksInAFewPixelsDrawAsARowNotABand)
{
    // 100 forks spread over 50 px, glyphs 8 px apart at least: one every 8 px or more.
    ui::timelinedetail::Spacing spacing(8);
    int taken = 0;
    double last = -1e9;
    for (int i = 0; i < 100; ++i) {
        const double x = 100 + i * 0.5;
        if (spacing.take({3, 1}, x)) {
            EXPECT_GE(x - last, 8);
            last = x;
            ++taken;
        }
    }
    EXPECT_EQ(taken, 7); // at 100, 108, ..., 148
    // Another row, or another glyph on the same row, is spaced on its own.
    EXPECT_TRUE(spacing.take({4, 1}, 149));
    EXPECT_TRUE(spacing.take({3, 2}, 149));
    EXPECT_FALSE(spacing.take({3, 1}, 150));
    EXPECT_TRUE(spacing.take({3, 1}, 150, 1)); // a glyph of its own size decides for itself
}
