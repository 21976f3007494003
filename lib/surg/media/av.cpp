#include "surg/media/av.hpp"

#include <mutex>

#include <spdlog/spdlog.h>

extern "C" {
#include <libavutil/imgutils.h>
}

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::media {

void OutputContextDeleter::operator()(AVFormatContext* f) const {
  if (f && f->pb && !(f->oformat->flags & AVFMT_NOFILE)) avio_closep(&f->pb);
  avformat_free_context(f);
}

FramePtr make_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw std::bad_alloc();
  return f;
}

PacketPtr make_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw std::bad_alloc();
  return p;
}

FramePtr clone_frame(const AVFrame& frame) {
  FramePtr f(av_frame_clone(&frame));
  if (!f) throw std::bad_alloc();
  return f;
}

FramePtr alloc_video_frame(int width, int height, AVPixelFormat format) {
  auto f = make_frame();
  f->width = width;
  f->height = height;
  f->format = format;
  av_check(av_frame_get_buffer(f.get(), 32), "av_frame_get_buffer");
  return f;
}

FramePtr alloc_audio_frame(int samples, int channels, int sample_rate, AVSampleFormat format) {
  auto f = make_frame();
  f->nb_samples = samples;
  f->format = format;
  f->sample_rate = sample_rate;
  av_channel_layout_default(&f->ch_layout, channels);
  av_check(av_frame_get_buffer(f.get(), 0), "av_frame_get_buffer");
  return f;
}

std::string av_error_string(int errnum) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(errnum, buf, sizeof buf);
  return buf;
}

int av_check(int ret, std::string_view call, std::string_view subject) {
  if (ret >= 0) return ret;
  std::string message(call);
  if (!subject.empty()) message += "(" + redact_url(subject) + ")";
  throw RuntimeError(message + ": " + av_error_string(ret));
}

Micros to_micros(std::int64_t pts, AVRational time_base) {
  return Micros(av_rescale_q(pts, time_base, AVRational{1, 1000000}));
}

std::string time_base_string(AVRational tb) { return std::to_string(tb.num) + "/" + std::to_string(tb.den); }

namespace {

extern "C" void ffmpeg_log(void* avcl, int level, const char* fmt, va_list vl) {
  if (level > av_log_get_level()) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  // Libraries such as libass log in pieces: a line with nothing after its "[name @ 0x..] "
  // prefix carries no message.
  if (text.empty() || text.ends_with("] ")) return;
  text = redact_urls_in(text);  // FFmpeg may quote a URL, and so a key
  // FFmpeg's errors are usually followed by our own error with context: keep them at warn.
  if (level <= AV_LOG_WARNING)
    spdlog::warn("ffmpeg: {}", text);
  else if (level <= AV_LOG_INFO)
    spdlog::debug("ffmpeg: {}", text);
  else
    spdlog::trace("ffmpeg: {}", text);
}

}  // namespace

void route_ffmpeg_logs() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(spdlog::get_level() <= spdlog::level::debug ? AV_LOG_VERBOSE : AV_LOG_WARNING);
    av_log_set_callback(ffmpeg_log);
  });
}

}  // namespace surg::media
