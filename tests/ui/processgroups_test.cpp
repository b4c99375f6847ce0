// SPDX-License-Identifier: MIT
// Process groups on the timeline: folding by default, by click and by key, and the summary lane.
#include "ui/imageexport.h"
#include "ui/timeline/timelineview.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <gtest/gtest.h>

using namespace interleave;
using core::EventType;
using core::testing::TraceBuilder;
using Kind = ui::TimelineRow::Kind;

namespace {

/// main (pid 1) with ten short-lived threads, a worker (pid 2) that runs long, and five short
/// probes (pids 10..14) one after another.
core::TraceModel groupedModel()
{
    TraceBuilder b;
    const uint32_t main = b.thread(1, 1);
    b.ev(main, 0, EventType::ProcessStart, b.str("main"), 0);
    for (int i = 0; i < 10; ++i) {
        const uint32_t t = b.thread(1, 100 + i);
        b.ev(t, 300 + i * 2, EventType::ThreadStart, 0, 1);
        b.ev(t, 301 + i * 2, EventType::ThreadExit);
    }
    auto child = [&](int32_t pid, const char *name, int64_t from, int64_t to) {
        const uint32_t t = b.thread(pid, pid);
        b.ev(t, from, EventType::ProcessStart, b.str(name), 1);
        b.ev(t, to, EventType::ThreadExit);
        b.ev(main, to, EventType::ProcessExit, uint32_t(pid), 0);
    };
    child(2, "worker", 10, 900);
    for (int i = 0; i < 5; ++i)
        child(10 + i, i == 0 ? "P-1" : i == 4 ? "P-5" : "P-x", 100 + i * 2, 101 + i * 2);
    b.ev(main, 1000, EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

/// The row kinds of the layout, in order.
std::vector<Kind> kinds(const ui::TimelineLayout &layout)
{
    std::vector<Kind> out;
    for (const ui::TimelineRow &r : layout.rows)
        out.push_back(r.kind);
    return out;
}

} // namespace

TEST(ProcessGroups, FoldByDefaultAndToggleByClickAndKey)
{
    ui::testing::app();
    const core::TraceModel model = groupedModel();
    ui::TimelineView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setModel(&model);
    view.resize(1000, 600);
    view.show();
    view.refresh();
    const std::vector<Kind> folded = {Kind::Process, Kind::Summary, Kind::Process,
                                      Kind::Thread,  Kind::Group,   Kind::Summary};
    ASSERT_EQ(kinds(view.layout()), folded);
    EXPECT_EQ(view.layout().groups.size(), 3u);
    // Every thread of a folded group points at its summary lane.
    const int summary = 1;
    for (uint32_t t = 0; t < model.threadCount(); ++t) {
        if (model.thread(t).pid == 1) {
            EXPECT_EQ(view.layout().threadRow[t], summary) << t;
        }
    }
    EXPECT_NE(view.hoverText(QPointF(20, view.currentFrame().rowTop(view.layout().rows[0]) + 2))
                  .indexOf(QStringLiteral("G with one of its threads selected")),
              -1)
        << "the header's hover text says how to unfold";

    view.toggleGroup(0);
    EXPECT_EQ(view.layout().count(Kind::Thread), 12u) << "main's eleven threads and the worker";
    EXPECT_EQ(view.layout().count(Kind::Summary), 1u);
    view.toggleGroup(0);
    EXPECT_EQ(kinds(view.layout()), folded);

    // A click on the batch header's name unfolds it: five processes with a lane each. (A click on
    // the header row in the plot selects what is there instead.)
    const ui::LaneFrame &f = view.currentFrame();
    const ui::TimelineRow batch = view.layout().rows[4];
    const QPointF at(f.plot.left() / 2, f.rowTop(batch) + f.rowHeight(batch) / 2);
    const uint64_t version = view.contentVersion();
    QMouseEvent press(QEvent::MouseButtonPress, at, view.surface()->mapToGlobal(at), Qt::LeftButton, Qt::LeftButton,
                      Qt::NoModifier);
    QMouseEvent release(QEvent::MouseButtonRelease, at, view.surface()->mapToGlobal(at), Qt::LeftButton, Qt::NoButton,
                        Qt::NoModifier);
    QCoreApplication::sendEvent(view.surface(), &press);
    QCoreApplication::sendEvent(view.surface(), &release);
    EXPECT_GT(view.contentVersion(), version);
    EXPECT_EQ(view.layout().count(Kind::Group), 0u);
    EXPECT_EQ(view.layout().count(Kind::Process), 7u);
    EXPECT_EQ(view.layout().count(Kind::Thread), 6u);
    // Enter folds the group clicked last again.
    QKeyEvent enter(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier);
    QCoreApplication::sendEvent(&view, &enter);
    EXPECT_EQ(kinds(view.layout()), folded);
    // G does the same from the keyboard alone.
    QKeyEvent g(QEvent::KeyPress, Qt::Key_G, Qt::NoModifier);
    QCoreApplication::sendEvent(&view, &g);
    EXPECT_EQ(view.layout().count(Kind::Process), 7u);
    // With a span of one of its threads selected (probe pid 12), G folds that thread's group.
    view.selectSpan(model.threadByTid(12, 12), TraceBuilder::ms(104));
    ASSERT_EQ(view.selection().kind, ui::TimelineSelection::Kind::Span);
    QCoreApplication::sendEvent(&view, &g);
    EXPECT_EQ(kinds(view.layout()), folded);
    EXPECT_EQ(view.selection().kind, ui::TimelineSelection::Kind::None); // its lane folded away
}

TEST(ProcessGroups, SummaryLaneShowsTheBusiestStateOfItsThreads)
{
    ui::testing::app();
    const core::TraceModel model = groupedModel();
    ui::TimelineView view;
    view.setModel(&model);
    view.setVisibleRange(TraceBuilder::ms(295), TraceBuilder::ms(325));
    QImage image(1000, 400, QImage::Format_ARGB32_Premultiplied);
    {
        QPainter painter(&image);
        view.renderContent(painter, image.size());
    }
    const ui::LaneFrame f = view.frameFor(image.size(), &image, true);
    const ui::TimelineLayout &l = view.layoutOf(f);
    ASSERT_EQ(l.rows[1].kind, Kind::Summary);
    // At 300.5 ms the first short thread runs: the summary lane shows "running" there.
    const double x = f.map.toX(TraceBuilder::ms(300) + 500'000);
    const double y = f.rowTop(l.rows[1]) + f.rowHeight(l.rows[1]) / 2;
    const QColor running = view.theme().stateColor(core::ThreadState::Running, core::BlockReason::None);
    const QColor seen = image.pixelColor(int(x), int(y));
    EXPECT_EQ(seen.rgb(), running.rgb()) << seen.name().toStdString() << " vs " << running.name().toStdString();
}

TEST(ProcessGroups, ProcessVsThreadOpensWithItsWorkersInView)
{
    ui::testing::app();
    const auto run = core::testing::runScenario("process-vs-thread");
    ui::TimelineView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setModel(&run.model());
    view.resize(1800, 900);
    view.show();
    view.refresh();
    const ui::LaneFrame &f = view.currentFrame();
    const ui::TimelineLayout &l = view.layout();
    EXPECT_LE(l.height, f.plot.height()) << "no scrolling: " << l.rows.size() << " rows";
    EXPECT_GE(l.count(Kind::Summary), 2u) << "the main process and the batch of P-n are folded";
    for (const ui::TimelineRow &r : l.rows)
        EXPECT_LE(f.rowTop(r) + f.rowHeight(r), f.plot.bottom() + 0.5);
    // The worker processes and the server are open, each thread on a lane of its own.
    size_t shown = 0;
    const auto &processes = run.model().processes();
    for (size_t p = 0; p < processes.size(); ++p) {
        const QString name = QString::fromStdString(processes[p].name);
        if (!name.startsWith(QStringLiteral("worker")) && name != QStringLiteral("server"))
            continue;
        ASSERT_GE(l.processRow[p], 0) << name.toStdString();
        EXPECT_EQ(l.rows[size_t(l.processRow[p])].kind, Kind::Process);
        for (uint32_t t : processes[p].threads) {
            if (run.model().thread(t).start == core::kTimeMax || run.model().thread(t).recorder)
                continue;
            ASSERT_GE(l.threadRow[t], 0);
            EXPECT_EQ(l.rows[size_t(l.threadRow[t])].kind, Kind::Thread) << name.toStdString();
            ++shown;
        }
    }
    EXPECT_GE(shown, 4u) << "three workers and the server's threads";

    // An export folds the same way.
    std::unique_ptr<ui::TraceView> exported = ui::ImageExport::createView(QStringLiteral("timeline"));
    auto *timeline = static_cast<ui::TimelineView *>(exported.get());
    timeline->setModel(&run.model());
    QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    {
        QPainter painter(&image);
        timeline->renderContent(painter, image.size());
    }
    const ui::TimelineLayout &el = timeline->layoutOf(timeline->frameFor(image.size(), &image, true));
    EXPECT_EQ(el.count(Kind::Summary), l.count(Kind::Summary));
    EXPECT_EQ(el.rows.size(), l.rows.size());
    core::testing::expectNothingLeft(run);
}
