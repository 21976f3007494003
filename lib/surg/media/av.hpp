#pragma once
// RAII owners for libav types and the error check every libav call goes through.
#include <memory>
#include <string>
#include <string_view>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include "surg/core/units.hpp"

namespace surg::media {

struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct InputContextDeleter {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
// Closes the AVIO of an output it opened itself (no AVFMT_NOFILE), then frees the context.
struct OutputContextDeleter {
  void operator()(AVFormatContext* f) const;
};
struct FilterGraphDeleter {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
struct SwrDeleter {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
struct DictionaryDeleter {
  void operator()(AVDictionary* d) const { av_dict_free(&d); }
};

using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using InputContextPtr = std::unique_ptr<AVFormatContext, InputContextDeleter>;
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

FramePtr make_frame();
PacketPtr make_packet();
FramePtr clone_frame(const AVFrame& frame);  // new reference to the same buffers
// A new frame with its own buffers (32-byte aligned), pts unset.
FramePtr alloc_video_frame(int width, int height, AVPixelFormat format);
FramePtr alloc_audio_frame(int samples, int channels, int sample_rate, AVSampleFormat format);

std::string av_error_string(int errnum);
// Throws RuntimeError "call(subject): message" when ret < 0 (subject is redacted when it is a URL).
// Returns ret otherwise, so it can wrap calls whose result is also a count.
int av_check(int ret, std::string_view call, std::string_view subject = {});

Micros to_micros(std::int64_t pts, AVRational time_base);
std::string time_base_string(AVRational tb);  // "1/90000"

// Sends FFmpeg's own log lines into spdlog (called once by every opener; idempotent).
void route_ffmpeg_logs();

}  // namespace surg::media
