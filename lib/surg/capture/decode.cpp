#include "surg/capture/decode.hpp"

#include <dlfcn.h>

#include <cstring>
#include <mutex>

#include <spdlog/spdlog.h>

extern "C" {
#include <libavdevice/version.h>
#include <libavformat/avformat.h>
#include <libavutil/macros.h>
}

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"
#include "surg/core/signals.hpp"

namespace surg::capture {
namespace {

extern "C" int stop_interrupt(void*) { return surg::stop_requested() ? 1 : 0; }

// The device demuxers (v4l2, alsa, lavfi, ...) live in libavdevice, which brings SDL,
// PulseAudio, X11 and GL with it: linked, it cost every start of surg-capture ~50 ms of
// loading (doc/architecture.md, "Start-up"), for a test pattern or a file that never uses it.
// It is loaded the first time a demuxer libavformat lacks is asked for, the way ffmpeg would
// find it had it been linked: same major version, so the same ABI as the headers.
void load_device_demuxers() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    const char* name = "libavdevice.so." AV_STRINGIFY(LIBAVDEVICE_VERSION_MAJOR);
    void* library = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    void* register_all = library ? dlsym(library, "avdevice_register_all") : nullptr;
    if (!register_all) {
      failure = std::string("cannot load the device demuxers: ") + dlerror();
      return;
    }
    reinterpret_cast<void (*)()>(register_all)();
  });
  if (!failure.empty()) throw RuntimeError(failure);
}

const AVInputFormat* find_demuxer(const std::string& name) {
  if (const AVInputFormat* known = av_find_input_format(name.c_str())) return known;
  load_device_demuxers();
  return av_find_input_format(name.c_str());
}

}  // namespace

media::InputContextPtr open_format(const std::string& url, const std::string& format, AVDictionary** options,
                                   int flags) {
  media::route_ffmpeg_logs();
  const AVInputFormat* demuxer = nullptr;
  if (!format.empty() && !(demuxer = find_demuxer(format)))
    throw UsageError("unknown input format '" + format + "' (see ffmpeg -demuxers)");
  AVFormatContext* fc = avformat_alloc_context();
  if (!fc) throw std::bad_alloc();
  fc->interrupt_callback = {stop_interrupt, nullptr};
  fc->flags |= flags;
  const std::string shown = url == "-" ? "stdin" : redact_url(url);
  const std::string target = url == "-" ? "pipe:0" : url;
  if (const int ret = avformat_open_input(&fc, target.c_str(), demuxer, options); ret < 0) {
    if (ret == AVERROR_INVALIDDATA) throw InputError(shown + ": not a media file or stream");
    throw RuntimeError("cannot open " + shown + ": " + media::av_error_string(ret));
  }
  media::InputContextPtr owned(fc);
  if (const int ret = avformat_find_stream_info(fc, nullptr); ret < 0)
    throw InputError(shown + ": cannot read stream parameters: " + media::av_error_string(ret));
  return owned;
}

Decoder::Decoder(AVStream& stream) : stream_(&stream) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (!codec) throw InputError(std::string("no decoder for ") + avcodec_get_name(stream.codecpar->codec_id));
  codec_.reset(avcodec_alloc_context3(codec));
  if (!codec_) throw std::bad_alloc();
  media::av_check(avcodec_parameters_to_context(codec_.get(), stream.codecpar),
                  "avcodec_parameters_to_context");
  codec_->pkt_timebase = stream.time_base;
  if (const int ret = avcodec_open2(codec_.get(), codec, nullptr); ret < 0)
    throw InputError(std::string("cannot open the ") + codec->name +
                     " decoder: " + media::av_error_string(ret));
}

void Decoder::send(const AVPacket* packet) {
  const int ret = avcodec_send_packet(codec_.get(), packet);
  if (ret == AVERROR_EOF) return;  // already flushed
  if (ret < 0 && ret != AVERROR(EAGAIN))
    spdlog::warn("skipping a corrupt {} packet: {}", avcodec_get_name(codec_->codec_id),
                 media::av_error_string(ret));
}

media::FramePtr Decoder::receive() {
  auto frame = media::make_frame();
  const int ret = avcodec_receive_frame(codec_.get(), frame.get());
  if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return nullptr;
  if (ret < 0) {
    spdlog::warn("decoding failed: {}", media::av_error_string(ret));
    return nullptr;
  }
  frame->time_base = stream_->time_base;
  return frame;
}

media::FramePtr VideoNormaliser::operator()(media::FramePtr frame) {
  if (frame->format == AV_PIX_FMT_YUV420P && frame->width == size_.width && frame->height == size_.height)
    return frame;
  auto out = converter_.convert(*frame);
  out->pts = frame->pts;
  return out;
}

media::FramePtr trim_audio(media::FramePtr frame, const Window& window) {
  const AVRational tb{1, media::kAudioRate};
  const std::int64_t first = frame->pts, last = frame->pts + frame->nb_samples;
  const std::int64_t begin = window.begin.count() == INT64_MIN
                                 ? first
                                 : std::max(first, av_rescale_q(window.begin.count(), {1, 1000000}, tb));
  const std::int64_t end =
      window.end ? std::min(last, av_rescale_q(window.end->count(), {1, 1000000}, tb)) : last;
  if (end <= begin) return nullptr;
  if (begin == first && end == last) return frame;
  const int channels = frame->ch_layout.nb_channels;
  auto out =
      media::alloc_audio_frame(static_cast<int>(end - begin), channels, media::kAudioRate, AV_SAMPLE_FMT_S16);
  std::memcpy(out->data[0], frame->data[0] + (begin - first) * channels * 2,
              static_cast<std::size_t>((end - begin) * channels * 2));
  out->pts = begin;
  return out;
}

std::int64_t frame_timestamp(const AVFrame& frame, std::optional<std::int64_t> previous, std::int64_t step) {
  if (frame.best_effort_timestamp != AV_NOPTS_VALUE) return frame.best_effort_timestamp;
  if (frame.pts != AV_NOPTS_VALUE) return frame.pts;
  return previous ? *previous + step : 0;
}

}  // namespace surg::capture
