// SPDX-License-Identifier: MIT
// GIF through giflib (a palette per frame from GifQuantizeBuffer, looping forever) and MP4/WebM
// through libavcodec, libswscale and libavformat.
#include "ui/animationencoder.h"

#include <QFile>
#include <QImage>

#include <gif_lib.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <vector>

namespace interleave::ui {

namespace {

class GifEncoder final : public AnimationEncoder
{
public:
    ~GifEncoder() override
    {
        if (m_gif)
            EGifCloseFile(m_gif, nullptr);
    }

    bool open(const QString &path, const QSize &size, int fps, QString *error) override
    {
        int code = 0;
        m_gif = EGifOpenFileName(QFile::encodeName(path).constData(), false, &code);
        if (!m_gif)
            return fail(code, error);
        m_size = size;
        m_fps = fps;
        EGifSetGifVersion(m_gif, true);
        if (EGifPutScreenDesc(m_gif, size.width(), size.height(), 8, 0, nullptr) == GIF_ERROR)
            return fail(m_gif->Error, error);
        // NETSCAPE2.0 with a loop count of 0: the animation repeats forever.
        static const GifByteType app[] = "NETSCAPE2.0";
        static const GifByteType loop[] = {1, 0, 0};
        if (EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
            EGifPutExtensionBlock(m_gif, 11, app) == GIF_ERROR || EGifPutExtensionBlock(m_gif, 3, loop) == GIF_ERROR ||
            EGifPutExtensionTrailer(m_gif) == GIF_ERROR)
            return fail(m_gif->Error, error);
        const size_t pixels = size_t(size.width()) * size_t(size.height());
        m_red.resize(pixels);
        m_green.resize(pixels);
        m_blue.resize(pixels);
        m_indexes.resize(pixels);
        return true;
    }

    bool addFrame(const QImage &frame, QString *error) override
    {
        const QImage rgb = frame.convertToFormat(QImage::Format_RGB32);
        const int w = m_size.width();
        const int h = m_size.height();
        for (int y = 0; y < h; ++y) {
            const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
            const size_t at = size_t(y) * size_t(w);
            for (int x = 0; x < w; ++x) {
                m_red[at + x] = GifByteType(qRed(line[x]));
                m_green[at + x] = GifByteType(qGreen(line[x]));
                m_blue[at + x] = GifByteType(qBlue(line[x]));
            }
        }
        int colors = 256;
        GifColorType palette[256] = {};
        if (GifQuantizeBuffer(unsigned(w), unsigned(h), &colors, m_red.data(), m_green.data(), m_blue.data(),
                              m_indexes.data(), palette) == GIF_ERROR)
            return fail(E_GIF_ERR_NOT_ENOUGH_MEM, error);
        // GIF delays are in hundredths of a second: spread the rounding so the clock keeps time.
        const auto centi = [this](int64_t k) { return int(std::lround(100.0 * double(k) / m_fps)); };
        GraphicsControlBlock control = {};
        control.DisposalMode = DISPOSAL_UNSPECIFIED;
        control.DelayTime = std::max(2, centi(m_frames + 1) - centi(m_frames));
        control.TransparentColor = NO_TRANSPARENT_COLOR;
        GifByteType extension[4];
        EGifGCBToExtension(&control, extension);
        ColorMapObject *map = GifMakeMapObject(256, palette);
        const bool ok = map && EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, 4, extension) != GIF_ERROR &&
                        EGifPutImageDesc(m_gif, 0, 0, w, h, false, map) != GIF_ERROR;
        GifFreeMapObject(map);
        if (!ok)
            return fail(m_gif->Error, error);
        for (int y = 0; y < h; ++y)
            if (EGifPutLine(m_gif, m_indexes.data() + size_t(y) * size_t(w), w) == GIF_ERROR)
                return fail(m_gif->Error, error);
        ++m_frames;
        return true;
    }

    bool finish(QString *error) override
    {
        int code = 0;
        const int result = EGifCloseFile(m_gif, &code);
        m_gif = nullptr;
        return result == GIF_OK || fail(code, error);
    }

private:
    static bool fail(int code, QString *error)
    {
        const char *text = GifErrorString(code);
        *error = text ? QString::fromUtf8(text) : AnimationEncoder::tr("GIF error %1").arg(code);
        return false;
    }

    GifFileType *m_gif = nullptr;
    QSize m_size;
    int m_fps = 15;
    int64_t m_frames = 0;
    std::vector<GifByteType> m_red, m_green, m_blue, m_indexes;
};

/// MP4 with H.264 or WebM with VP8, in yuv420p so every standard player shows it.
class VideoEncoder final : public AnimationEncoder
{
public:
    explicit VideoEncoder(bool webm)
        : m_webm(webm)
    {}
    ~VideoEncoder() override { close(); }

    bool open(const QString &path, const QSize &size, int fps, QString *error) override
    {
        // Errors come back as return codes, each said in one line; the encoders' chatter stays out of stderr.
        av_log_set_level(AV_LOG_QUIET);
        const char *format = m_webm ? "webm" : "mp4";
        if (avformat_alloc_output_context2(&m_format, nullptr, format, nullptr) < 0 || !m_format)
            return failText(tr("this FFmpeg cannot write %1").arg(QLatin1String(format)), error);
        const AVCodec *codec =
            m_webm ? avcodec_find_encoder_by_name("libvpx") : avcodec_find_encoder_by_name("libx264");
        if (!codec)
            codec = avcodec_find_encoder(m_webm ? AV_CODEC_ID_VP8 : AV_CODEC_ID_H264);
        if (!codec)
            return failText(
                tr("this FFmpeg has no %1 encoder").arg(m_webm ? QStringLiteral("VP8") : QStringLiteral("H.264")),
                error);
        m_stream = avformat_new_stream(m_format, nullptr);
        m_codec = avcodec_alloc_context3(codec);
        if (!m_stream || !m_codec)
            return failText(tr("out of memory"), error);
        // yuv420p halves the chroma: the frame's sides must be even.
        m_codec->width = size.width() & ~1;
        m_codec->height = size.height() & ~1;
        m_codec->pix_fmt = AV_PIX_FMT_YUV420P;
        m_codec->time_base = AVRational{1, fps};
        m_codec->framerate = AVRational{fps, 1};
        m_codec->gop_size = fps * 2;
        m_codec->thread_count = 0;
        if (m_webm) {
            m_codec->bit_rate = 2'000'000;
            av_opt_set(m_codec->priv_data, "deadline", "realtime", 0);
            av_opt_set_int(m_codec->priv_data, "cpu-used", 16, 0);
            av_opt_set_int(m_codec->priv_data, "lag-in-frames", 0, 0);
        } else {
            av_opt_set(m_codec->priv_data, "preset", "veryfast", 0);
            av_opt_set(m_codec->priv_data, "crf", "23", 0);
        }
        if (m_format->oformat->flags & AVFMT_GLOBALHEADER)
            m_codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        int rc = avcodec_open2(m_codec, codec, nullptr);
        if (rc < 0)
            return failAv(rc, error);
        if ((rc = avcodec_parameters_from_context(m_stream->codecpar, m_codec)) < 0)
            return failAv(rc, error);
        m_stream->time_base = m_codec->time_base;
        m_stream->avg_frame_rate = m_codec->framerate;
        if ((rc = avio_open(&m_format->pb, QFile::encodeName(path).constData(), AVIO_FLAG_WRITE)) < 0)
            return failAv(rc, error);
        if ((rc = avformat_write_header(m_format, nullptr)) < 0)
            return failAv(rc, error);
        m_headerWritten = true;
        m_frame = av_frame_alloc();
        m_packet = av_packet_alloc();
        if (!m_frame || !m_packet)
            return failText(tr("out of memory"), error);
        m_frame->format = AV_PIX_FMT_YUV420P;
        m_frame->width = m_codec->width;
        m_frame->height = m_codec->height;
        if ((rc = av_frame_get_buffer(m_frame, 0)) < 0)
            return failAv(rc, error);
        m_scale = sws_getContext(size.width(), size.height(), AV_PIX_FMT_BGRA, m_codec->width, m_codec->height,
                                 AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (!m_scale)
            return failText(tr("cannot convert the frames to YUV"), error);
        return true;
    }

    bool addFrame(const QImage &frame, QString *error) override
    {
        // Format_RGB32 is 0xffRRGGBB per pixel: BGRA in memory on a little-endian machine.
        const QImage rgb = frame.convertToFormat(QImage::Format_RGB32);
        int rc = av_frame_make_writable(m_frame);
        if (rc < 0)
            return failAv(rc, error);
        const uint8_t *src[] = {rgb.constBits()};
        const int stride[] = {int(rgb.bytesPerLine())};
        sws_scale(m_scale, src, stride, 0, rgb.height(), m_frame->data, m_frame->linesize);
        m_frame->pts = m_frames++;
        return send(m_frame, error);
    }

    bool finish(QString *error) override
    {
        if (!send(nullptr, error))
            return false;
        const int rc = av_write_trailer(m_format);
        m_headerWritten = false;
        if (rc < 0)
            return failAv(rc, error);
        return close() || failText(tr("the file could not be closed"), error);
    }

private:
    /// Encodes `frame` (nullptr: drains the encoder) and writes every packet it gives.
    bool send(AVFrame *frame, QString *error)
    {
        int rc = avcodec_send_frame(m_codec, frame);
        if (rc < 0)
            return failAv(rc, error);
        while ((rc = avcodec_receive_packet(m_codec, m_packet)) >= 0) {
            av_packet_rescale_ts(m_packet, m_codec->time_base, m_stream->time_base);
            m_packet->stream_index = m_stream->index;
            rc = av_interleaved_write_frame(m_format, m_packet);
            av_packet_unref(m_packet);
            if (rc < 0)
                return failAv(rc, error);
        }
        return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF || failAv(rc, error);
    }

    bool close()
    {
        bool closed = true;
        if (m_format && m_headerWritten)
            av_write_trailer(m_format);
        m_headerWritten = false;
        if (m_format && m_format->pb)
            closed = avio_closep(&m_format->pb) >= 0;
        sws_freeContext(m_scale);
        m_scale = nullptr;
        av_packet_free(&m_packet);
        av_frame_free(&m_frame);
        avcodec_free_context(&m_codec);
        avformat_free_context(m_format);
        m_format = nullptr;
        return closed;
    }

    static bool failText(const QString &text, QString *error)
    {
        *error = text;
        return false;
    }
    static bool failAv(int code, QString *error)
    {
        char text[AV_ERROR_MAX_STRING_SIZE] = {};
        av_strerror(code, text, sizeof text);
        return failText(QString::fromUtf8(text), error);
    }

    bool m_webm;
    AVFormatContext *m_format = nullptr;
    AVStream *m_stream = nullptr;
    AVCodecContext *m_codec = nullptr;
    AVFrame *m_frame = nullptr;
    AVPacket *m_packet = nullptr;
    SwsContext *m_scale = nullptr;
    bool m_headerWritten = false;
    int64_t m_frames = 0;
};

} // namespace

bool AnimationEncoder::supportedSuffix(const QString &suffix)
{
    const QString s = suffix.toLower();
    return s == QLatin1String("gif") || s == QLatin1String("mp4") || s == QLatin1String("webm");
}

std::unique_ptr<AnimationEncoder> AnimationEncoder::create(const QString &suffix)
{
    const QString s = suffix.toLower();
    if (s == QLatin1String("gif"))
        return std::make_unique<GifEncoder>();
    if (s == QLatin1String("mp4") || s == QLatin1String("webm"))
        return std::make_unique<VideoEncoder>(s == QLatin1String("webm"));
    return nullptr;
}

} // namespace interleave::ui
