// SPDX-License-Identifier: MIT
// Perfetto-like navigation of the timeline: W A S D, selecting spans, arrows, marks and ranges,
// stepping between spans with the keyboard, and the Details panel that shows the selection.
#include "analysis/rangesummary.h"
#include "trace/tracemodel.h"
#include "ui/detailspanel.h"
#include "ui/timeline/selectiontext.h"
#include "ui/timeline/timelineview.h"
#include "ui/timeline/timemapping.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QCoreApplication>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace interleave;
using core::EventType;
using core::ObjectKind;
using core::testing::TraceBuilder;
using ui::DetailsPanel;
using ui::TimeFormat;
using ui::TimelineSelection;
using ui::TimelineView;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Main (pid 100) and a worker sharing lock 7, and a queue from the worker to main:
///   main:   running 0-10, blocked on the lock 10-20, holds it 20-25, running to 30, waits on the queue
///           30-40 (the worker put an item at 35, main gets it at 40), running to 50, exits
///   worker: running 1-5, holds the lock 5-20, sleeps 20-34, puts at 35, running to 60
struct Fixture
{
    core::TraceModel model;
    uint32_t main = 0;
    uint32_t worker = 0;
};

Fixture fixture()
{
    TraceBuilder b;
    Fixture s;
    s.main = b.thread(100, 100);
    s.worker = b.thread(100, 101);
    b.ev(s.main, 0, EventType::ProcessStart, b.str("python"), 1);
    b.ev(s.main, 0, EventType::ThreadName, b.str("MainThread"));
    b.object(s.main, 0, 7, ObjectKind::Mutex, "balance_lock");
    b.object(s.main, 0, 9, ObjectKind::Queue, "jobs");
    b.ev(s.worker, 1, EventType::ThreadStart, 0, 100);
    b.ev(s.worker, 1, EventType::ThreadName, b.str("Worker"));
    b.ev(s.worker, 5, EventType::LockObtain, 7);
    b.ev(s.main, 10, EventType::LockWait, 7).loc = b.str("core/scenarios/lessons/lock.cpp:42");
    b.ev(s.worker, 20, EventType::LockRelease, 7);
    b.ev(s.main, 20, EventType::LockObtain, 7);
    b.ev(s.worker, 20, EventType::SleepBegin, 0, ms(14));
    b.ev(s.main, 25, EventType::LockRelease, 7);
    b.ev(s.main, 30, EventType::QueueGetWait, 9);
    b.ev(s.worker, 34, EventType::SleepEnd);
    b.ev(s.worker, 35, EventType::QueuePut, 9, 1);
    b.ev(s.main, 40, EventType::QueueGet, 9, 1);
    b.ev(s.main, 50, EventType::ThreadExit);
    b.ev(s.worker, 60, EventType::Output, b.str("done"), 1);
    s.model = core::TraceModel(std::move(b.data));
    s.model.update();
    return s;
}

void key(QWidget &w, int k, Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    QKeyEvent e(QEvent::KeyPress, k, mods);
    QCoreApplication::sendEvent(&w, &e);
}

void mouse(TimelineView &view, QEvent::Type type, QPointF at, Qt::MouseButton button, Qt::MouseButtons buttons,
           Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    QMouseEvent e(type, at, at, button, buttons, mods);
    QCoreApplication::sendEvent(view.surface(), &e);
}

void click(TimelineView &view, QPointF at)
{
    mouse(view, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    mouse(view, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
}

double rowCentre(const ui::LaneFrame &frame, const ui::TimelineLayout &layout, uint32_t thread)
{
    const ui::TimelineRow &row = layout.rows[size_t(layout.threadRow[thread])];
    return frame.rowTop(row) + frame.rowHeight(row) / 2;
}

/// The view as it is on screen now (the surface replotted first: a replot is normally queued).
QImage shot(TimelineView &view)
{
    view.replotNow();
    return view.grab().toImage();
}

/// Pixels of `colour` in the rectangle.
int countColour(const QImage &image, QRect r, QRgb colour)
{
    int n = 0;
    for (int y = std::max(0, r.top()); y <= std::min(image.height() - 1, r.bottom()); ++y)
        for (int x = std::max(0, r.left()); x <= std::min(image.width() - 1, r.right()); ++x)
            n += (image.pixel(x, y) | 0xff000000u) == (colour | 0xff000000u);
    return n;
}

} // namespace

TEST(TimelineNavigation, WAndSZoomAroundThePointerAAndDPan)
{
    ui::testing::app();
    Fixture s = fixture();
    TimelineView view;
    view.setModel(&s.model);
    view.resize(1000, 300);
    const int64_t full = s.model.endTime() - s.model.startTime();

    // The pointer outside: W zooms in by 0.8 around the centre.
    key(view, Qt::Key_W);
    auto [a, b] = view.visibleRange();
    EXPECT_NEAR(double(b - a), full * 0.8, 2);
    EXPECT_NEAR(double(a + b) / 2, double(s.model.startTime() + s.model.endTime()) / 2, full / 500.0);

    // With the pointer over the plot, the time under it stays under it.
    const ui::LaneFrame f = view.currentFrame();
    const double x = f.map.left + f.map.width * 0.25;
    const int64_t under = f.map.toTime(x);
    mouse(view, QEvent::MouseMove, QPointF(x, f.plot.center().y()), Qt::NoButton, Qt::NoButton);
    key(view, Qt::Key_W);
    const ui::LaneFrame g = view.currentFrame();
    EXPECT_NEAR(double(g.map.t1 - g.map.t0), (b - a) * 0.8, 2);
    EXPECT_NEAR(double(g.map.toTime(x)), double(under), g.map.nsPerPixel());
    key(view, Qt::Key_S);
    const ui::LaneFrame h = view.currentFrame();
    EXPECT_NEAR(double(h.map.t1 - h.map.t0), double(b - a), h.map.nsPerPixel());
    EXPECT_NEAR(double(h.map.toTime(x)), double(under), h.map.nsPerPixel());

    // A pans a tenth of the plot earlier, D back.
    const auto before = view.visibleRange();
    key(view, Qt::Key_A);
    const auto left = view.visibleRange();
    EXPECT_NEAR(double(before.first - left.first), h.map.width * 0.1 * h.map.nsPerPixel(), h.map.nsPerPixel());
    EXPECT_EQ(left.second - left.first, before.second - before.first);
    key(view, Qt::Key_D);
    EXPECT_NEAR(double(view.visibleRange().first), double(before.first), h.map.nsPerPixel());
    // S all the way out shows the whole trace again.
    for (int i = 0; i < 5; ++i)
        key(view, Qt::Key_S);
    EXPECT_TRUE(view.showsAll());
}

TEST(TimelineNavigation, AClickSelectsTheSpanAndTheDetailsShowIt)
{
    ui::testing::app();
    Fixture s = fixture();
    TimelineView view;
    DetailsPanel panel(&view);
    view.setModel(&s.model);
    view.resize(1000, 300);
    view.show();
    const ui::LaneFrame frame = view.currentFrame();
    const ui::TimelineLayout layout = view.layout();
    const QImage plain = shot(view);

    QSignalSpy seek(&view, &ui::TraceView::seekRequested);
    const QPointF at(frame.map.toX(ms(15)), rowCentre(frame, layout, s.main));
    click(view, at);
    const TimelineSelection &sel = view.selection();
    ASSERT_EQ(sel.kind, TimelineSelection::Kind::Span);
    EXPECT_EQ(sel.thread, s.main);
    EXPECT_EQ(sel.span.start, ms(10));
    EXPECT_EQ(sel.span.end, ms(20));
    EXPECT_EQ(sel.span.reason, core::BlockReason::Lock);
    EXPECT_EQ(sel.file, "core/scenarios/lessons/lock.cpp");
    EXPECT_EQ(sel.line, 42);
    EXPECT_EQ(seek.count(), 1) << "a click still moves the playhead";

    const QString text = panel.text();
    EXPECT_TRUE(text.contains(QStringLiteral("MainThread"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("balance_lock"))) << text.toStdString();
    EXPECT_TRUE(text.contains(TimeFormat::duration(ms(10)))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("lock.cpp:42"))) << text.toStdString();
    EXPECT_EQ(panel.windowTitle(), DetailsPanel::tr("Details"));

    // The span is outlined in the foreground colour: many more such pixels on its lane than before.
    const QImage selected = shot(view);
    const ui::TimelineRow &row = layout.rows[size_t(layout.threadRow[s.main])];
    const QRect lane(int(frame.map.toX(ms(9))), int(frame.rowTop(row)) - 2,
                     int(frame.map.toX(ms(21)) - frame.map.toX(ms(9))), int(frame.rowHeight(row)) + 4);
    const QRgb fg = view.theme().foreground.rgb();
    EXPECT_GT(countColour(selected, lane, fg), countColour(plain, lane, fg) + int(lane.width()));

    // Esc clears the selection and the panel.
    key(view, Qt::Key_Escape);
    EXPECT_EQ(view.selection().kind, TimelineSelection::Kind::None);
    EXPECT_FALSE(panel.text().contains(QStringLiteral("MainThread")));
    // A click on the process header selects nothing.
    click(view, QPointF(frame.map.toX(ms(15)), frame.rowTop(layout.rows[size_t(layout.processRow[0])]) + 3));
    EXPECT_EQ(view.selection().kind, TimelineSelection::Kind::None);
}

TEST(TimelineNavigation, ArrowsHighlightOnHoverAndSelectOnClick)
{
    ui::testing::app();
    Fixture s = fixture();
    TimelineView view;
    DetailsPanel panel(&view);
    view.setModel(&s.model);
    view.resize(1000, 300);
    view.show();
    ASSERT_EQ(view.data().flows().size(), 1u);
    const core::Flow flow = view.data().flows()[0];
    EXPECT_EQ(flow.fromTime, ms(35));
    EXPECT_EQ(flow.toTime, ms(40));
    const ui::LaneFrame frame = view.currentFrame();
    const ui::TimelineLayout layout = view.layout();
    const QPointF from(frame.map.toX(ms(35)), rowCentre(frame, layout, s.worker));
    const QPointF to(frame.map.toX(ms(40)), rowCentre(frame, layout, s.main));
    const QPointF mid = (from + to) / 2;
    const QImage plain = shot(view);
    const QRect around(int(mid.x()) - 20, int(std::min(from.y(), to.y())), 40, int(std::abs(to.y() - from.y())));
    const QRgb flowColour = view.theme().flow.rgb();

    EXPECT_EQ(view.flowAt(mid), 0);
    EXPECT_EQ(view.flowAt(mid + QPointF(0, -40)), -1);
    mouse(view, QEvent::MouseMove, mid, Qt::NoButton, Qt::NoButton);
    EXPECT_EQ(view.hoveredFlow(), 0);
    const QImage hovered = shot(view);
    EXPECT_GT(countColour(hovered, around, flowColour), countColour(plain, around, flowColour) * 3 / 2)
        << "the hovered arrow is drawn thicker";
    const QString tip = view.hoverText(mid);
    EXPECT_TRUE(tip.contains(QStringLiteral("jobs"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("Worker"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("MainThread"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(ui::SelectionText::tr("latency %1").arg(TimeFormat::duration(ms(5)))))
        << tip.toStdString();
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(view.surface(), &leave);
    EXPECT_EQ(view.hoveredFlow(), -1);

    click(view, mid);
    ASSERT_EQ(view.selection().kind, TimelineSelection::Kind::Arrow);
    EXPECT_EQ(view.selection().flow.fromTime, ms(35));
    const QString text = panel.text();
    EXPECT_TRUE(text.contains(ui::SelectionText::tr("Latency"))) << text.toStdString();
    EXPECT_TRUE(text.contains(TimeFormat::duration(ms(5)))) << text.toStdString();
    EXPECT_TRUE(text.contains(TimeFormat::duration(ms(35)))) << text.toStdString();
    EXPECT_TRUE(text.contains(TimeFormat::duration(ms(40)))) << text.toStdString();
}

TEST(TimelineNavigation, ArrowKeysStepBetweenSpansAndLanes)
{
    ui::testing::app();
    Fixture s = fixture();
    TimelineView view;
    view.setModel(&s.model);
    view.resize(1000, 300);
    // Without a selection the arrows still pan, as before.
    key(view, Qt::Key_Plus);
    const auto zoomed = view.visibleRange();
    key(view, Qt::Key_Right);
    EXPECT_GT(view.visibleRange().first, zoomed.first);
    key(view, Qt::Key_Home);

    view.setPlayhead(ms(15));
    key(view, Qt::Key_Return); // the span at the playhead on the first lane
    ASSERT_EQ(view.selection().kind, TimelineSelection::Kind::Span);
    EXPECT_EQ(view.selection().thread, s.main);
    EXPECT_EQ(view.selection().span.start, ms(10));
    const auto range = view.visibleRange();
    key(view, Qt::Key_Right);
    EXPECT_EQ(view.selection().thread, s.main);
    EXPECT_EQ(view.selection().span.start, ms(20));
    EXPECT_EQ(view.visibleRange(), range) << "stepping selects, it does not pan";
    key(view, Qt::Key_Right);
    EXPECT_EQ(view.selection().span.start, s.model.stateAt(s.main, ms(20)).end);
    key(view, Qt::Key_Left);
    key(view, Qt::Key_Left);
    EXPECT_EQ(view.selection().span.start, ms(10));
    EXPECT_EQ(view.selection().span.end, ms(20));
    // Down: the worker's span at the middle of the selected one (15 ms: holding the lock, running).
    key(view, Qt::Key_Down);
    EXPECT_EQ(view.selection().thread, s.worker);
    EXPECT_EQ(view.selection().span.state, core::ThreadState::Running);
    EXPECT_LE(view.selection().span.start, ms(15));
    EXPECT_GT(view.selection().span.end, ms(15));
    key(view, Qt::Key_Up);
    EXPECT_EQ(view.selection().thread, s.main);
    // M makes the selected span the range.
    key(view, Qt::Key_M);
    ASSERT_EQ(view.selection().kind, TimelineSelection::Kind::Range);
    EXPECT_EQ(view.selection().range.start, ms(10));
    EXPECT_EQ(view.selection().range.end, ms(20));
}

TEST(TimelineNavigation, AShiftDragOnARealRunSelectsARangeAndSummarisesIt)
{
    ui::testing::app();
    const auto run = core::testing::runScenario("queue");
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    const core::TraceModel &model = run.model();
    TimelineView view;
    DetailsPanel panel(&view);
    view.setModel(&model);
    view.resize(1200, 500);
    const ui::LaneFrame f = view.currentFrame();
    const QPointF a(f.map.left + f.map.width * 0.2, f.plot.top() + 30);
    const QPointF b(f.map.left + f.map.width * 0.7, f.plot.top() + 60);
    QSignalSpy seek(&view, &ui::TraceView::seekRequested);
    mouse(view, QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
    mouse(view, QEvent::MouseMove, (a + b) / 2, Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
    mouse(view, QEvent::MouseMove, b, Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
    mouse(view, QEvent::MouseButtonRelease, b, Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
    EXPECT_EQ(seek.count(), 0) << "a Shift-drag neither seeks";
    EXPECT_EQ(view.visibleRange(), std::make_pair(model.startTime(), model.endTime())) << "nor pans";
    const TimelineSelection &sel = view.selection();
    ASSERT_EQ(sel.kind, TimelineSelection::Kind::Range);
    EXPECT_NEAR(double(sel.range.start), double(f.map.toTime(a.x())), f.map.nsPerPixel());
    EXPECT_NEAR(double(sel.range.end), double(f.map.toTime(b.x())), f.map.nsPerPixel());
    const core::RangeSummary expected = core::summarizeRange(model, sel.range.start, sel.range.end);
    EXPECT_EQ(sel.range.threads.size(), expected.threads.size());
    EXPECT_GE(sel.range.threads.size(), 2u);
    EXPECT_EQ(sel.range.messagesSent, expected.messagesSent);
    EXPECT_GT(sel.range.messagesSent, 0u) << "the producer put items in the middle half of the run";
    EXPECT_EQ(sel.range.lockAcquisitions, expected.lockAcquisitions);
    EXPECT_EQ(sel.range.lockWaits, expected.lockWaits);
    EXPECT_EQ(sel.range.lockWaitTime, expected.lockWaitTime);
    EXPECT_EQ(sel.range.forks, expected.forks);
    EXPECT_EQ(sel.range.processExits, expected.processExits);
    for (size_t i = 0; i < sel.range.threads.size() && i < expected.threads.size(); ++i)
        EXPECT_EQ(sel.range.threads[i].running, expected.threads[i].running) << i;

    // The panel shows the duration and the counts; the shaded range carries the duration too.
    const QString duration = TimeFormat::duration(sel.range.end - sel.range.start);
    const QString text = panel.text();
    EXPECT_TRUE(text.contains(ui::SelectionText::tr("Range %1").arg(duration))) << text.toStdString();
    EXPECT_TRUE(text.contains(ui::SelectionText::tr("Messages sent"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QString::number(sel.range.messagesSent))) << text.toStdString();
    // Per thread: the sender's line says how many it sent.
    for (const core::ThreadRangeSummary &t : sel.range.threads) {
        if (t.messagesSent > 0) {
            EXPECT_TRUE(text.contains(ui::SelectionText::tr("sent %1").arg(t.messagesSent))) << text.toStdString();
        }
    }
    key(view, Qt::Key_Escape);
    EXPECT_EQ(view.selection().kind, TimelineSelection::Kind::None);
    core::testing::expectNothingLeft(run);
}
