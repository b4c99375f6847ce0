// SPDX-License-Identifier: MIT
// `--animation`: a GIF read back with giflib, MP4 and WebM read back with ffprobe (or, without
// it, with libavformat), and bad values refused before the run.
#include "cliresult.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gif_lib.h>

extern "C" {
#include <libavformat/avformat.h>
}

#include <gtest/gtest.h>

namespace {

using cli::Result;

Result interleave(const QStringList &args)
{
    return cli::run(args);
}

/// What a video file holds: its first video stream's codec, size and frame count.
struct VideoFacts
{
    QString codec;
    int width = 0;
    int height = 0;
    int64_t frames = 0;
};

VideoFacts probe(const QString &path)
{
    VideoFacts facts;
    const QString ffprobe = QStandardPaths::findExecutable(QStringLiteral("ffprobe"));
    if (!ffprobe.isEmpty()) {
        QProcess p;
        p.start(ffprobe, {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-select_streams"),
                          QStringLiteral("v:0"), QStringLiteral("-count_packets"), QStringLiteral("-show_entries"),
                          QStringLiteral("stream=codec_name,width,height,nb_read_packets"), QStringLiteral("-of"),
                          QStringLiteral("json"), path});
        EXPECT_TRUE(p.waitForFinished(60000));
        const QJsonObject stream = QJsonDocument::fromJson(p.readAllStandardOutput())
                                       .object()
                                       .value(QStringLiteral("streams"))
                                       .toArray()
                                       .at(0)
                                       .toObject();
        facts.codec = stream.value(QStringLiteral("codec_name")).toString();
        facts.width = stream.value(QStringLiteral("width")).toInt();
        facts.height = stream.value(QStringLiteral("height")).toInt();
        facts.frames = stream.value(QStringLiteral("nb_read_packets")).toString().toLongLong();
        return facts;
    }
    // Without ffprobe: the same libraries a player uses read the stream back, packet by packet.
    AVFormatContext *format = nullptr;
    if (avformat_open_input(&format, QFile::encodeName(path).constData(), nullptr, nullptr) < 0)
        return facts;
    if (avformat_find_stream_info(format, nullptr) >= 0) {
        const int video = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        if (video >= 0) {
            const AVCodecParameters *par = format->streams[video]->codecpar;
            facts.codec = QString::fromLatin1(avcodec_get_name(par->codec_id));
            facts.width = par->width;
            facts.height = par->height;
            AVPacket *packet = av_packet_alloc();
            while (av_read_frame(format, packet) >= 0) {
                facts.frames += packet->stream_index == video;
                av_packet_unref(packet);
            }
            av_packet_free(&packet);
        }
    }
    avformat_close_input(&format);
    return facts;
}

/// A saved fork run, and a speed that replays it in several seconds: its trace is shorter than
/// the run's wall time, which includes starting the runner, so 20 frame steps per wall second of
/// trace at 15 fps give between 10 and 300 frames.
struct ForkTrace
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("fork.iltrace"));
    double speed = 0;
};
constexpr int kMinFrames = 10;
constexpr int kMaxFrames = 301;

const ForkTrace &forkTrace()
{
    // Destroyed when the tests end, and its folder with it (scripts/test looks for leftovers).
    static ForkTrace trace;
    static const bool saved = [] {
        const Result run = interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--save"),
                                       trace.path, QStringLiteral("--json")});
        EXPECT_EQ(run.exitCode, 0) << run.err.constData();
        const double wallMs = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("wall_ms")).toDouble();
        EXPECT_GT(wallMs, 0) << run.out.constData();
        trace.speed = wallMs / 1000.0 / 20.0;
        return true;
    }();
    static_cast<void>(saved);
    return trace;
}

} // namespace

TEST(CommandLineAnimation, ForkGifHasItsFramesAtTheRequestedSize)
{
    const ForkTrace &fork = forkTrace();
    QTemporaryDir dir;
    const QString gifPath = dir.filePath(QStringLiteral("a.gif"));
    const Result r =
        interleave({QStringLiteral("open"), fork.path, QStringLiteral("--animation"), gifPath, QStringLiteral("--size"),
                    QStringLiteral("400x300"), QStringLiteral("--speed"), QString::number(fork.speed, 'g', 12)});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_TRUE(r.err.isEmpty()) << r.err.constData(); // no progress line: stderr is no terminal
    int code = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(gifPath).constData(), &code);
    ASSERT_NE(gif, nullptr) << GifErrorString(code);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK) << GifErrorString(gif->Error);
    EXPECT_GE(gif->ImageCount, kMinFrames);
    EXPECT_LE(gif->ImageCount, kMaxFrames);
    EXPECT_EQ(gif->SWidth, 400);
    EXPECT_EQ(gif->SHeight, 300);
    DGifCloseFile(gif, &code);
}

TEST(CommandLineAnimation, RunWritesAGifBesideItsOtherOutputs)
{
    QTemporaryDir dir;
    const QString gifPath = dir.filePath(QStringLiteral("fork.gif"));
    const QString png = dir.filePath(QStringLiteral("fork.png"));
    const Result r = interleave({QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--animation"), gifPath,
                                 QStringLiteral("--image"), png, QStringLiteral("--size"), QStringLiteral("320x240"),
                                 QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    int code = 0;
    GifFileType *gif = DGifOpenFileName(QFile::encodeName(gifPath).constData(), &code);
    ASSERT_NE(gif, nullptr) << GifErrorString(code);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK);
    EXPECT_GE(gif->ImageCount, 1);
    EXPECT_EQ(gif->SWidth, 320);
    DGifCloseFile(gif, &code);
    EXPECT_TRUE(QFile::exists(png));
}

TEST(CommandLineAnimation, Mp4AndWebmPlayInAStandardPlayer)
{
    const ForkTrace &fork = forkTrace();
    QTemporaryDir dir;
    for (const auto &[name, codecs] :
         {std::pair{"a.mp4", QStringList{QStringLiteral("h264")}},
          std::pair{"a.webm", QStringList{QStringLiteral("vp8"), QStringLiteral("vp9")}}}) {
        const QString path = dir.filePath(QString::fromLatin1(name));
        const Result r =
            interleave({QStringLiteral("open"), fork.path, QStringLiteral("--animation"), path,
                        QStringLiteral("--size"), QStringLiteral("320x240"), QStringLiteral("--view"),
                        QStringLiteral("graph"), QStringLiteral("--speed"), QString::number(fork.speed, 'g', 12)});
        ASSERT_EQ(r.exitCode, 0) << name << r.err.constData();
        const VideoFacts facts = probe(path);
        EXPECT_TRUE(codecs.contains(facts.codec)) << name << " " << facts.codec.toStdString();
        EXPECT_EQ(facts.width, 320) << name;
        EXPECT_EQ(facts.height, 240) << name;
        EXPECT_GE(facts.frames, kMinFrames) << name;
        EXPECT_LE(facts.frames, kMaxFrames) << name;
    }
}

TEST(CommandLineAnimation, BadValuesAreRefusedBeforeTheRun)
{
    QTemporaryDir dir;
    const QString gifPath = dir.filePath(QStringLiteral("a.gif"));
    const QList<std::pair<QStringList, QByteArray>> cases = {
        {{QStringLiteral("--animation"), gifPath, QStringLiteral("--fps"), QStringLiteral("0")}, "--fps"},
        {{QStringLiteral("--animation"), gifPath, QStringLiteral("--fps"), QStringLiteral("fast")}, "--fps"},
        {{QStringLiteral("--animation"), gifPath, QStringLiteral("--speed"), QStringLiteral("-1")}, "--speed"},
        {{QStringLiteral("--animation"), gifPath, QStringLiteral("--range"), QStringLiteral("2s-1s")}, "--range"},
        {{QStringLiteral("--animation"), dir.filePath(QStringLiteral("a.avi"))}, "a.avi"},
        {{QStringLiteral("--fps"), QStringLiteral("10")}, "--animation"},
    };
    for (const auto &[options, word] : cases) {
        const Result r = interleave(QStringList{QStringLiteral("run"), QStringLiteral("fork")} + options);
        EXPECT_EQ(r.exitCode, 2) << options.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.err.count('\n'), 1) << r.err.constData();
        EXPECT_TRUE(r.err.startsWith("interleave: ") && r.err.contains(word)) << r.err.constData();
        EXPECT_TRUE(r.out.isEmpty()) << "the run started: " << r.out.constData();
    }
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
}
