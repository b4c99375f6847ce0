// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "ui/console/consolemodel.h"
#include "ui/console/consoleview.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QImage>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTranslator>

#include <gtest/gtest.h>

using namespace interleave;
using core::EventType;
using core::testing::TraceBuilder;
using ui::ConsoleModel;
using ui::ConsoleView;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// A parent (pid 10) and a child (pid 20) printing; the child also writes to stderr.
core::TraceModel printingModel()
{
    TraceBuilder b;
    const uint32_t parent = b.thread(10, 10);
    const uint32_t child = b.thread(20, 20);
    b.ev(parent, 0, EventType::ThreadStart);
    b.ev(parent, 0, EventType::ThreadName, b.str("MainThread"));
    b.ev(parent, 1, EventType::Output, b.str("parent says hello"), 1);
    b.ev(child, 2, EventType::ProcessStart, b.str("child"), 10);
    b.ev(child, 3, EventType::Output, b.str("child says hello"), 1);
    b.ev(child, 4, EventType::Output, b.str("child complains"), 2);
    b.ev(parent, 5, EventType::Output, b.str("parent is done"), 1);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

/// The darkest pixel (lowest r+g+b) in a rectangle: how strong its text is.
int darkest(const QImage &image, const QRect &rect)
{
    int best = 3 * 255;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            best = std::min(best, c.red() + c.green() + c.blue());
        }
    return best;
}

} // namespace

TEST(ConsoleLayout, WindowEndsJustAfterThePlayheadRow)
{
    using ui::ConsoleLayout;
    EXPECT_EQ(ConsoleLayout::firstRow(5, 10, 3), 0);      // all fit
    EXPECT_EQ(ConsoleLayout::firstRow(100, 10, 50), 42);  // rows 42..51: 48, 49 after the playhead's last
    EXPECT_EQ(ConsoleLayout::firstRow(100, 10, 100), 90); // the end
    EXPECT_EQ(ConsoleLayout::firstRow(100, 10, 0), 0);
}

TEST(ConsoleModel, RowsAreTheOutputsTaggedWithPidThreadAndStream)
{
    ui::testing::app();
    const core::TraceModel model = printingModel();
    ConsoleModel lines;
    lines.setTraceModel(&model);
    ASSERT_EQ(lines.rowCount(), 4);
    const QStringList texts{QStringLiteral("parent says hello"), QStringLiteral("child says hello"),
                            QStringLiteral("child complains"), QStringLiteral("parent is done")};
    const QList<int> pids{10, 20, 20, 10};
    for (int row = 0; row < 4; ++row) {
        const QModelIndex i = lines.index(row);
        EXPECT_EQ(i.data().toString(), texts[row]);
        EXPECT_EQ(i.data(ConsoleModel::PidRole).toInt(), pids[row]);
        EXPECT_EQ(i.data(ConsoleModel::StderrRole).toBool(), row == 2);
    }
    EXPECT_EQ(lines.index(0).data(ConsoleModel::ThreadNameRole).toString(), QStringLiteral("MainThread"));

    lines.setPlayhead(ms(3));
    EXPECT_EQ(lines.rowsAtPlayhead(), 2);
    EXPECT_FALSE(lines.index(1).data(ConsoleModel::AfterPlayheadRole).toBool());
    EXPECT_TRUE(lines.index(2).data(ConsoleModel::AfterPlayheadRole).toBool());
}

TEST(ConsoleModel, ALiveRunAppendsRowsWithoutAReset)
{
    ui::testing::app();
    core::TraceModel model = printingModel();
    ConsoleModel lines;
    lines.setTraceModel(&model);
    QSignalSpy inserted(&lines, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&lines, &QAbstractItemModel::modelReset);
    for (int i = 0; i < 3000; ++i) {
        core::Event e{};
        e.thread = 1;
        e.time = ms(10) + i;
        e.type = EventType::Output;
        e.object = model.data().addString("line " + std::to_string(i));
        e.arg = 1;
        model.data().events.push_back(e);
        if (i % 500 == 499) {
            model.update();
            lines.sync();
        }
    }
    EXPECT_EQ(lines.rowCount(), 3004);
    EXPECT_EQ(inserted.count(), 6);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(lines.index(3003).data().toString(), QStringLiteral("line 2999"));
}

TEST(ConsoleView, ForkRunShowsWhatEachProcessPrintedWithItsPid)
{
    ui::testing::app();
    auto run = core::testing::runScenario("fork");
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    const core::TraceModel &model = run.model();
    const auto &data = model.data();

    ConsoleView view;
    view.resize(1000, 500);
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("fork"), QString(), {}, {}, QStringLiteral("finished")});
    view.setPlayhead(model.endTime());
    view.show();
    view.refresh();

    ConsoleModel *lines = view.consoleModel();
    ASSERT_EQ(size_t(lines->rowCount()), model.outputs().size());
    ASSERT_GE(lines->rowCount(), 3);
    for (int row = 0; row < lines->rowCount(); ++row) {
        const core::Event &e = data.events[model.outputs()[size_t(row)]];
        EXPECT_EQ(lines->index(row).data().toString().toStdString(), data.string(e.object));
        EXPECT_EQ(lines->index(row).data(ConsoleModel::PidRole).toInt(), model.thread(e.thread).pid);
    }
    // What the lines say about pids agrees with the tags: each process printed its own getpid().
    static const QRegularExpression child(QStringLiteral(R"(^I am child process \((\d+)\) and my parent is (\d+)\.$)"));
    static const QRegularExpression parent(QStringLiteral(R"(^I \((\d+)\) just created a child process \((\d+)\)\.$)"));
    int childPid = 0, parentPid = 0, createdPid = 0;
    for (int row = 0; row < lines->rowCount(); ++row) {
        const QString text = lines->index(row).data().toString();
        const int tag = lines->index(row).data(ConsoleModel::PidRole).toInt();
        if (const auto m = child.match(text); m.hasMatch()) {
            childPid = m.captured(1).toInt();
            EXPECT_EQ(tag, childPid);
            EXPECT_EQ(m.captured(2).toInt(), model.process(childPid)->ppid);
        } else if (const auto p = parent.match(text); p.hasMatch()) {
            parentPid = p.captured(1).toInt();
            createdPid = p.captured(2).toInt();
            EXPECT_EQ(tag, parentPid);
        }
    }
    EXPECT_NE(childPid, 0);
    EXPECT_NE(parentPid, 0);
    EXPECT_EQ(createdPid, childPid);
    EXPECT_NE(childPid, parentPid);

    // The playhead just before the last line: that line is dimmed, the one before it is not.
    const QSize size(1000, 400);
    auto draw = [&] {
        QImage image(size, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        view.renderContent(painter, size);
        return image;
    };
    const int last = lines->rowCount() - 1;
    const int64_t lastTime = data.events[model.outputs().back()].time;
    view.setPlayhead(lastTime - 1);
    EXPECT_TRUE(lines->index(last).data(ConsoleModel::AfterPlayheadRole).toBool());
    EXPECT_FALSE(lines->index(last - 1).data(ConsoleModel::AfterPlayheadRole).toBool());
    const QImage dimmed = draw();
    const ui::ConsoleLayout layout = ui::ConsoleLayout::compute(QFontMetricsF(view.rowFont(), &dimmed));
    auto textRect = [&](int row) {
        // All rows fit: row r is drawn at r * rowHeight.
        return QRect(int(layout.textLeft), int(row * layout.rowHeight) + 2, 300, int(layout.rowHeight) - 4);
    };
    ASSERT_LT(lines->rowCount() * layout.rowHeight, size.height());
    const int dimLast = darkest(dimmed, textRect(last));
    const int plainBefore = darkest(dimmed, textRect(last - 1));
    EXPECT_GT(dimLast, plainBefore + 150) << "the line after the playhead is not dimmed";
    view.setPlayhead(model.endTime());
    const QImage all = draw();
    EXPECT_LT(darkest(all, textRect(last)), dimLast - 150) << "the line is still dimmed at the end";
    core::testing::expectNothingLeft(run);
}

TEST(ConsoleView, FollowsTheEndOfALiveRunAndRetranslates)
{
    ui::testing::app();
    core::TraceModel model = printingModel();
    ConsoleView view;
    view.resize(700, 200);
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("fork"), QString(), {}, {}, QString()}); // live: no status yet
    view.show();
    view.refresh();
    for (int i = 0; i < 500; ++i) {
        core::Event e{};
        e.thread = 0;
        e.time = ms(6) + i;
        e.type = EventType::Output;
        e.object = model.data().addString("tick " + std::to_string(i));
        e.arg = 1;
        model.data().events.push_back(e);
    }
    model.update();
    view.setPlayhead(model.endTime());
    view.refresh();
    const QRect viewport = view.list()->viewport()->rect();
    // The newest line is wholly in view and no further row would fit below it. Whether a partial row's worth of
    // space is left at the bottom depends on the font's line height (rows scroll whole), so that is not asked.
    const QRect newest = view.list()->visualRect(view.consoleModel()->index(view.consoleModel()->rowCount() - 1));
    ASSERT_GT(newest.height(), 0);
    EXPECT_TRUE(viewport.contains(newest)) << "the newest line is not in view";
    EXPECT_LT(viewport.bottom() - newest.bottom(), newest.height()) << "the view is not at the end";

    class Marker : public QTranslator
    {
    public:
        QString translate(const char *context, const char *source, const char *, int) const override
        {
            return QLatin1String(context) == QLatin1String("interleave::ui::ConsoleView")
                       ? QStringLiteral("ZH ") + QString::fromUtf8(source)
                       : QString();
        }
        bool isEmpty() const override { return false; }
    } marker;
    QCoreApplication::installTranslator(&marker);
    QCoreApplication::processEvents();
    EXPECT_TRUE(view.title().startsWith(QStringLiteral("ZH ")));
    EXPECT_TRUE(view.list()->toolTip().startsWith(QStringLiteral("ZH ")));
    QCoreApplication::removeTranslator(&marker);
    QCoreApplication::processEvents();
}
