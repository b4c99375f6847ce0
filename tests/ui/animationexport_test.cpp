// SPDX-License-Identifier: MIT
// Animated exports: how many frames a replay takes, what a GIF holds, and a cancelled export
// leaving nothing behind.
#include "trace/tracemodel.h"
#include "ui/animationexport.h"
#include "ui/mainwindow.h"
#include "ui/traceview.h"

#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gif_lib.h>

#include <cstring>

#include <gtest/gtest.h>

using namespace interleave;

namespace {

/// A 300 ms trace: one thread that starts and ends.
core::TraceModel threeHundredMs()
{
    core::testing::TraceBuilder b;
    const uint32_t t = b.thread(10, 10);
    b.ev(t, 0, core::EventType::ThreadStart);
    b.ev(t, 300, core::EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

/// Files left in `dir` and in the temporary folder that an export makes its frames in.
QStringList leftovers(const QTemporaryDir &dir)
{
    QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    files << QDir::temp().entryList({QStringLiteral("interleave-animation-*")}, QDir::Files | QDir::Hidden);
    return files;
}

} // namespace

TEST(AnimationExport, FramesFollowFpsAndSpeed)
{
    // A 0.3 s trace at speed 0.1 lasts 3 s: 45 frame steps at 15 fps, both ends drawn.
    EXPECT_EQ(ui::AnimationExport::frameCount(300'000'000, 15, 0.1), 46);
    EXPECT_EQ(ui::AnimationExport::frameCount(300'000'000, 15, 1.0), 5);
    EXPECT_EQ(ui::AnimationExport::frameCount(0, 15, 1.0), 1);
    EXPECT_EQ(ui::AnimationExport::frameTime(45, 15, 0.1), 300'000'000);
    EXPECT_EQ(ui::AnimationExport::frameTime(1, 10, 2.0), 200'000'000);
}

TEST(AnimationExport, GifHoldsEveryFrameAndLoops)
{
    ui::testing::app();
    QTemporaryDir dir;
    const core::TraceModel model = threeHundredMs();
    ui::AnimationRequest request;
    request.path = dir.filePath(QStringLiteral("a.gif"));
    request.size = QSize(320, 200);
    request.fps = 10;
    request.speed = 0.25; // 1.2 s: 13 frames
    std::vector<int64_t> seen;
    QString error;
    ASSERT_TRUE(ui::AnimationExport::write(
        QStringLiteral("timeline"), model, {}, request,
        [&](int64_t done, int64_t total) {
            seen.push_back(done * 100 + total);
            return true;
        },
        &error))
        << error.toStdString();
    ASSERT_EQ(seen.size(), 13u);
    EXPECT_EQ(seen.front(), 113);
    EXPECT_EQ(seen.back(), 1313);

    int code = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(request.path).constData(), &code);
    ASSERT_NE(gif, nullptr) << GifErrorString(code);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK) << GifErrorString(gif->Error);
    EXPECT_EQ(gif->ImageCount, 13);
    EXPECT_EQ(gif->SWidth, 320);
    EXPECT_EQ(gif->SHeight, 200);
    // NETSCAPE2.0 with a loop count of 0 before the first frame; a delay of 1/10 s on each.
    const SavedImage &first = gif->SavedImages[0];
    bool loops = false;
    for (int i = 0; i + 1 < first.ExtensionBlockCount; ++i) {
        const ExtensionBlock &b = first.ExtensionBlocks[i];
        if (b.Function == APPLICATION_EXT_FUNC_CODE && b.ByteCount == 11 &&
            std::memcmp(b.Bytes, "NETSCAPE2.0", 11) == 0) {
            const ExtensionBlock &loop = first.ExtensionBlocks[i + 1];
            loops = loop.ByteCount == 3 && loop.Bytes[0] == 1 && loop.Bytes[1] == 0 && loop.Bytes[2] == 0;
        }
    }
    EXPECT_TRUE(loops);
    GraphicsControlBlock control{};
    ASSERT_EQ(DGifSavedExtensionToGCB(gif, 5, &control), GIF_OK);
    EXPECT_EQ(control.DelayTime, 10);
    DGifCloseFile(gif, &code);
}

TEST(AnimationExport, CancelledExportLeavesNoFile)
{
    ui::testing::app();
    QTemporaryDir dir;
    const core::TraceModel model = threeHundredMs();
    for (const char *name : {"a.gif", "a.mp4", "a.webm"}) {
        ui::AnimationRequest request;
        request.path = dir.filePath(QString::fromLatin1(name));
        request.size = QSize(320, 200);
        request.speed = 0.1;
        int frames = 0;
        QString error = QStringLiteral("not set");
        EXPECT_FALSE(ui::AnimationExport::write(
            QStringLiteral("graph"), model, {}, request, [&](int64_t, int64_t) { return ++frames < 3; }, &error));
        EXPECT_EQ(frames, 3) << name;
        EXPECT_TRUE(error.isEmpty()) << error.toStdString();
        EXPECT_EQ(leftovers(dir), QStringList()) << name;
    }
}

TEST(AnimationExport, TheWindowExportsARunAndACancelLeavesNothing)
{
    ui::testing::app();
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("fork")));
    QSignalSpy finished(&window, &ui::MainWindow::runFinished);
    ASSERT_TRUE(window.runScenario());
    ASSERT_TRUE(finished.wait(60000));
    QTemporaryDir dir;
    ui::AnimationRequest request;
    request.path = dir.filePath(QStringLiteral("fork.gif"));
    request.size = QSize(320, 200);
    request.fps = 5;
    // Trace time per second chosen so the replay has 21 frames whatever the run's length.
    const int64_t span = window.model()->endTime() - window.model()->startTime();
    request.speed = double(span) / 1e9 / 4.0;
    QString error = QStringLiteral("not set");
    int64_t cancelledAt = 0;
    EXPECT_FALSE(window.exportAnimation(
        QStringLiteral("graph"), request, [&](int64_t done, int64_t) { return (cancelledAt = done) < 2; }, &error));
    EXPECT_EQ(cancelledAt, 2);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_EQ(leftovers(dir), QStringList());

    int64_t total = 0;
    ASSERT_TRUE(window.exportAnimation(
        QStringLiteral("graph"), request, [&](int64_t, int64_t all) { return (total = all) > 0; }, &error))
        << error.toStdString();
    EXPECT_EQ(total, ui::AnimationExport::frameCount(span, 5, request.speed));
    int code = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(request.path).constData(), &code);
    ASSERT_NE(gif, nullptr) << GifErrorString(code);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK);
    EXPECT_EQ(gif->ImageCount, total);
    EXPECT_GE(gif->ImageCount, 20);
    DGifCloseFile(gif, &code);
}
