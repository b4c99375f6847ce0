// SPDX-License-Identifier: MIT
#include "analysis/lostupdates.h"
#include "trace/tracemodel.h"
#include "ui/timeline/lostupdatemarks.h"
#include "ui/timeline/timelineview.h"

#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QAction>
#include <QCoreApplication>
#include <QImage>
#include <QPainter>

#include <gtest/gtest.h>

using namespace interleave;
using namespace interleave::core;
using core::testing::TraceBuilder;
using ui::LostUpdateMarks;
using ui::TimelineView;

namespace {

/// Two threads running change_it(5) / change_it(8) `rounds` times in the chapter's bad interleaving
/// (both load, both store): every round loses one update per half, stamped 1 ms apart.
TraceData interleavedRounds(int rounds)
{
    TraceBuilder b;
    const uint32_t t1 = b.thread(1, 1);
    const uint32_t t2 = b.thread(1, 2);
    b.object(t1, 0, 5, ObjectKind::SharedVar, "balance");
    int64_t time = 1;
    uint32_t version = 0;
    int32_t balance = 0;
    for (int i = 0; i < rounds; ++i) {
        for (int sign : {1, -1}) {
            b.ev(t1, time++, EventType::VarLoad, 5, VersionedVarArg::pack(version, balance), Versioned);
            b.ev(t2, time++, EventType::VarLoad, 5, VersionedVarArg::pack(version, balance), Versioned);
            const int32_t x1 = balance + sign * 5;
            const int32_t x2 = balance + sign * 8;
            b.ev(t2, time++, EventType::VarStore, 5, VersionedVarArg::pack(version++, x2), Versioned);
            b.ev(t1, time++, EventType::VarStore, 5, VersionedVarArg::pack(version++, x1), Versioned); // t2's lost
            balance = x1;
        }
    }
    return std::move(b.data);
}

} // namespace

TEST(LostUpdateMarks, OneMarkPerLostUpdateOfTheAnalysis)
{
    const TraceModel model(interleavedRounds(10));
    const LostUpdates lost = LostUpdates::find(model);
    ASSERT_EQ(lost.count(), 20u);
    LostUpdateMarks marks;
    EXPECT_TRUE(marks.update(model));
    ASSERT_EQ(marks.marks().size(), lost.count());
    for (size_t i = 0; i < marks.marks().size(); ++i) {
        EXPECT_EQ(marks.marks()[i].storeTime, lost.all()[i].storeTime);
        EXPECT_EQ(marks.marks()[i].otherSeenTime, lost.all()[i].otherSeenTime);
        EXPECT_GE(marks.marks()[i].otherSeenTime, 0); // both loads are known
    }
    EXPECT_EQ(marks.lostDelta(), lost.lostDelta());
    EXPECT_EQ(LostUpdateMarks::label(marks.marks()[0]), QStringLiteral("lost +8"));
    EXPECT_EQ(LostUpdateMarks::label(marks.marks()[1]), QStringLiteral("lost -8"));
    EXPECT_FALSE(marks.update(model)); // nothing new

    // Far apart they are one group each; squeezed into a few pixels they merge with a count.
    const int64_t t0 = model.startTime(), t1 = model.endTime();
    EXPECT_EQ(marks.groups(t0, t1, 1).size(), 20u);
    const auto merged = marks.groups(t0, t1, t1 - t0 + 1);
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_EQ(merged[0].count, 20u);
    // Merged, the label says what they took away together: here +8 and -8 in turn, nothing at all.
    ASSERT_EQ(marks.lostDelta(), 0);
    EXPECT_EQ(marks.groupLabel(merged[0]), QStringLiteral("20 lost updates, cancelled out"));
    EXPECT_EQ(marks.groupLabel({0, 3}), QStringLiteral("3 lost updates, net +8"));
}

TEST(LostUpdateMarks, NextAndPreviousMoveThePlayheadAndShowTheMark)
{
    ui::testing::app();
    const TraceModel model(interleavedRounds(3));
    TimelineView view;
    view.setModel(&model);
    view.resize(900, 300);
    view.setPlayhead(model.startTime());
    const QList<QAction *> actions = view.lostUpdateActions();
    ASSERT_EQ(actions.size(), 2);
    EXPECT_EQ(actions[0]->shortcut(), QKeySequence(Qt::Key_N));
    EXPECT_EQ(actions[1]->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_N));
    actions[0]->trigger();
    const auto &marks = view.lostUpdates().marks();
    ASSERT_EQ(marks.size(), 6u);
    EXPECT_EQ(view.playhead(), marks[0].storeTime);
    auto [a, b] = view.visibleRange();
    EXPECT_LE(a, marks[0].firstTime());
    EXPECT_GE(b, marks[0].storeTime);
    EXPECT_LT(b - a, model.endTime() - model.startTime()); // zoomed in
    actions[0]->trigger();
    EXPECT_EQ(view.playhead(), marks[1].storeTime);
    actions[1]->trigger();
    EXPECT_EQ(view.playhead(), marks[0].storeTime);
    EXPECT_FALSE(view.showLostUpdate(false)); // none before the first

    // Drawn at this zoom: the image has the mark's colour where the store is.
    QImage image(900, 300, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    view.renderContent(painter, image.size());
    painter.end();
    const QColor colour = view.theme().deadlock;
    int marked = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            marked += image.pixelColor(x, y) == colour;
    }
    EXPECT_GT(marked, 20);
}
