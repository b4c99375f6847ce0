// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "ui/imageexport.h"
#include "ui/traceview.h"

#include "../core/trace/tracebuilder.h"
#include "filesizelimit.h"
#include "uitest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTemporaryFile>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

using namespace interleave;

namespace {

/// A view that fills its whole area with one colour, so the page layout can be checked by pixels.
class SolidView : public ui::TraceView
{
public:
    static constexpr QRgb kFill = 0xff123456;
    QString title() const override { return QStringLiteral("Solid view"); }
    QString viewName() const override { return QStringLiteral("solid"); }
    std::vector<ui::LegendEntry> legend() const override
    {
        return {{QStringLiteral("running"), QBrush(QColor(0, 158, 115)), QPen(Qt::NoPen)},
                {QStringLiteral("holds"), QBrush(Qt::NoBrush), QPen(Qt::blue, 3)}};
    }
    void refresh() override {}
    void renderContent(QPainter &painter, const QSize &size) override
    {
        painter.fillRect(QRect(QPoint(), size), QColor::fromRgb(kFill));
        rendered = size;
    }
    QSize rendered;
};

core::TraceModel smallModel()
{
    core::testing::TraceBuilder b;
    const uint32_t t = b.thread(10, 10);
    b.ev(t, 0, core::EventType::ThreadStart);
    b.ev(t, 20, core::EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));
    model.update();
    return model;
}

} // namespace

TEST(ImageExport, PngHasTitleViewAndLegendAtTheRequestedScale)
{
    ui::testing::app();
    const core::TraceModel model = smallModel();
    SolidView view;
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("fork"),
                     QStringLiteral("fork()"),
                     QJsonObject{{QStringLiteral("n"), 4}},
                     {},
                     QStringLiteral("finished")});
    QTemporaryDir dir;
    ui::ImageRequest request;
    request.path = dir.filePath(QStringLiteral("view.png"));
    request.size = QSize(800, 500);
    request.scale = 2;
    QString error;
    ASSERT_TRUE(ui::ImageExport::write(view, request, &error)) << error.toStdString();
    QImage image(request.path);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(1600, 1000));
    // The view fills the middle; the title band above and the legend below are not the view.
    EXPECT_EQ(image.pixel(800, 500), SolidView::kFill);
    EXPECT_NE(image.pixel(800, 4), SolidView::kFill);
    EXPECT_NE(image.pixel(800, 996), SolidView::kFill);
    EXPECT_GT(view.rendered.height(), 300);
    EXPECT_LT(view.rendered.height(), 500);
    // Something (the title's text) is drawn in the top band on the white background.
    bool ink = false;
    for (int x = 0; x < 800 && !ink; ++x)
        for (int y = 0; y < 60 && !ink; ++y)
            ink = qGray(image.pixel(x, y)) < 128;
    EXPECT_TRUE(ink);
}

TEST(ImageExport, SvgAndPdfAreVectorFilesWithTheTitle)
{
    ui::testing::app();
    const core::TraceModel model = smallModel();
    SolidView view;
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("fork"), QStringLiteral("fork()"), {}, {}, QStringLiteral("finished")});
    QTemporaryDir dir;
    QString error;
    ui::ImageRequest svg;
    svg.path = dir.filePath(QStringLiteral("view.svg"));
    ASSERT_TRUE(ui::ImageExport::write(view, svg, &error)) << error.toStdString();
    QFile svgFile(svg.path);
    ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    EXPECT_TRUE(svgText.contains("<svg"));
    EXPECT_TRUE(svgText.contains("#123456")); // the view's fill, as a vector shape
    EXPECT_FALSE(svgText.contains("<image")); // not a bitmap

    ui::ImageRequest pdf;
    pdf.path = dir.filePath(QStringLiteral("view.pdf"));
    ASSERT_TRUE(ui::ImageExport::write(view, pdf, &error)) << error.toStdString();
    QFile pdfFile(pdf.path);
    ASSERT_TRUE(pdfFile.open(QIODevice::ReadOnly));
    const QByteArray pdfBytes = pdfFile.readAll();
    EXPECT_TRUE(pdfBytes.startsWith("%PDF-"));
    EXPECT_GT(pdfBytes.size(), 1000);
}

TEST(ImageExport, BadPathsGiveOneClearErrorAndLeaveNoFile)
{
    ui::testing::app();
    const core::TraceModel model = smallModel();
    SolidView view;
    view.setModel(&model);
    QTemporaryDir dir;
    QString error;
    ui::ImageRequest request;
    request.path = dir.filePath(QStringLiteral("view.bmp"));
    EXPECT_FALSE(ui::ImageExport::write(view, request, &error));
    EXPECT_TRUE(error.contains(QStringLiteral(".png, .svg or .pdf"))) << error.toStdString();
    EXPECT_FALSE(QFile::exists(request.path));

    request.path = dir.filePath(QStringLiteral("missing/folder/view.png"));
    EXPECT_FALSE(ui::ImageExport::write(view, request, &error));
    EXPECT_TRUE(error.startsWith(QStringLiteral("cannot save image"))) << error.toStdString();

    {
        // A write that fails midway, as on a full disk: a file size limit makes write() fail with
        // EFBIG (SIGXFSZ ignored). Never point a test at /dev/full through a path: a save that
        // renames a temporary file over its target would replace the device node when run as root.
        struct sigaction ignore
        {};
        struct sigaction previous
        {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGXFSZ, &ignore, &previous);
        rlimit old{};
        getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 512;
        setrlimit(RLIMIT_FSIZE, &small);
        request.path = dir.filePath(QStringLiteral("big.png"));
        const bool written = ui::ImageExport::write(view, request, &error);
        setrlimit(RLIMIT_FSIZE, &old);
        sigaction(SIGXFSZ, &previous, nullptr);
        EXPECT_FALSE(written);
        EXPECT_TRUE(error.startsWith(QStringLiteral("cannot save image"))) << error.toStdString();
        EXPECT_FALSE(QFile::exists(request.path));                         // no half-written image left behind
        EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList()); // nor its temporary file
    }

    request.path = dir.filePath(QStringLiteral("view.png"));
    request.size = QSize(10, 10);
    EXPECT_FALSE(ui::ImageExport::write(view, request, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("out of range"))) << error.toStdString();
    EXPECT_FALSE(QFile::exists(request.path));
}

TEST(ImageExport, AFullDiskKeepsTheOldImageInEveryFormatWithOneClearLine)
{
    // SVG and PDF used to be cut short and committed over the old image, with success; PNG said
    // "Unknown error" after libpng's own line on stderr.
    ui::testing::app();
    const core::TraceModel model = smallModel();
    SolidView view;
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("fork"), QStringLiteral("fork()"), {}, {}, QStringLiteral("finished")});
    for (const char *suffix : {"png", "svg", "pdf"}) {
        QTemporaryDir dir;
        QString error;
        ui::ImageRequest request;
        request.path = dir.filePath(QStringLiteral("view.") + QLatin1String(suffix));
        ASSERT_TRUE(ui::ImageExport::write(view, request, &error)) << error.toStdString();
        QFile file(request.path);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        const QByteArray old = file.readAll();
        file.close();
        ASSERT_GT(old.size(), 1000) << suffix;

        // What the process prints on stderr meanwhile goes to a file.
        QTemporaryFile said;
        ASSERT_TRUE(said.open());
        std::fflush(stderr);
        const int savedStderr = ::dup(2);
        ::dup2(int(said.handle()), 2);
        bool written = true;
        {
            interleave::test::FileSizeLimit limit(777);
            written = ui::ImageExport::write(view, request, &error);
        }
        std::fflush(stderr);
        ::dup2(savedStderr, 2);
        ::close(savedStderr);

        EXPECT_FALSE(written) << suffix;
        const QString expected = QStringLiteral("cannot save image '%1': %2; ")
                                     .arg(request.path, QString::fromLocal8Bit(std::strerror(EFBIG)));
        EXPECT_TRUE(error.startsWith(expected)) << suffix << ": " << error.toStdString();
        EXPECT_TRUE(error.contains(QStringLiteral("left unchanged"))) << error.toStdString();
        EXPECT_FALSE(error.contains(QLatin1Char('\n')));
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        EXPECT_EQ(file.readAll(), old) << suffix << ": the old image was replaced";
        EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                  QStringList{QFileInfo(request.path).fileName()});
        said.seek(0);
        EXPECT_FALSE(said.readAll().contains("libpng")) << suffix;
    }
}
