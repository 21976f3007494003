// --input FILE|URL: any libavformat input, decoded, cut to --start/--duration, paced with
// --realtime. Timestamps are the source's own; --start counts from the input's start time.
#include <deque>

#include <spdlog/spdlog.h>

#include "surg/capture/decode.hpp"
#include "surg/capture/pacer.hpp"
#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::capture {
namespace {

class InputSource : public Source {
 public:
  explicit InputSource(const Plan& plan)
      : format_(open_format(plan.location, plan.input_format)),
        pacer_(plan.realtime),
        realtime_(plan.realtime),
        url_(plan.location) {
    pick_streams(plan);
    describe(plan);
    cut(plan);
  }

  const media::StreamInfo& info() const override { return info_; }
  bool live() const override { return realtime_; }
  Micros expected_duration() const override { return expected_; }
  std::vector<std::string> settings() const override {
    std::vector<std::string> out{url_.find("://") == std::string::npos ? "file" : "url"};
    if (cut_) out.emplace_back("cut");
    if (realtime_) out.emplace_back("realtime");
    return out;
  }

  std::optional<SourceFrame> next() override {
    while (queue_.empty()) {
      if (finished()) return std::nullopt;
      pump();
    }
    SourceFrame unit = std::move(queue_.front());
    queue_.pop_front();
    const AVRational tb =
        unit.kind == media::Kind::video ? video_->stream().time_base : AVRational{1, media::kAudioRate};
    const Micros late = pacer_.wait(media::to_micros(unit.pts, tb));
    if (unit.kind == media::Kind::video && late > frame_step_) unit.frame.reset();
    return unit;
  }

 private:
  void pick_streams(const Plan& plan) {
    AVFormatContext* fc = format_.get();
    const int v = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (v < 0) throw InputError(redact_url(url_) + ": no video stream");
    const int a = plan.audio_enabled() ? av_find_best_stream(fc, AVMEDIA_TYPE_AUDIO, -1, v, nullptr, 0) : -1;
    for (unsigned i = 0; i < fc->nb_streams; ++i)
      if (static_cast<int>(i) != v && static_cast<int>(i) != a) fc->streams[i]->discard = AVDISCARD_ALL;
    video_.emplace(*fc->streams[v]);
    if (a >= 0) audio_.emplace(*fc->streams[a]);
  }

  void describe(const Plan& plan) {
    AVStream& st = video_->stream();
    const AVCodecParameters& par = *st.codecpar;
    const Size size = plan.size.value_or(Size{par.width & ~1, par.height & ~1});
    AVRational rate = av_guess_frame_rate(format_.get(), &st, nullptr);
    if (rate.num <= 0 || rate.den <= 0) rate = {25, 1};
    AVRational sar = par.sample_aspect_ratio.num > 0 ? par.sample_aspect_ratio : AVRational{1, 1};
    info_.video = media::VideoParams{size.width, size.height, AV_PIX_FMT_YUV420P, st.time_base, rate, sar};
    if (audio_) info_.audio = media::AudioParams{};
    // A surg recording names its case and consent: a clip cut from it stays under them.
    info_.tags = media::session_tags(format_->metadata);
    scale_.emplace(size);
    frame_step_ = media::to_micros(1, av_inv_q(rate));
    video_step_ = std::max<std::int64_t>(1, av_rescale_q(1, av_inv_q(rate), st.time_base));
  }

  // --start counts from the input's start time; seeking lands on a keyframe before it and
  // the frames up to it are decoded and dropped.
  void cut(const Plan& plan) {
    const std::int64_t origin = format_->start_time == AV_NOPTS_VALUE ? 0 : format_->start_time;
    if (plan.start.count() > 0) {
      window_.begin = Micros(origin) + plan.start;
      const std::int64_t ts = window_.begin.count();
      if (avformat_seek_file(format_.get(), -1, INT64_MIN, ts, ts, 0) < 0)
        spdlog::warn("{}: cannot seek; decoding from the start", redact_url(url_));
    }
    if (plan.duration)
      window_.end = (plan.start.count() > 0 ? window_.begin : Micros(origin)) + *plan.duration;
    cut_ = plan.start.count() > 0 || plan.duration.has_value();
    if (plan.duration)
      expected_ = *plan.duration;
    else if (format_->duration > 0)
      expected_ = Micros(format_->duration) - plan.start;
  }

  bool finished() const { return eof_ || (video_done_ && (!audio_ || audio_done_)); }

  void pump() {
    auto packet = media::make_packet();
    const int ret = av_read_frame(format_.get(), packet.get());
    if (ret == AVERROR_EOF || ret == AVERROR_EXIT) return flush();
    if (ret == AVERROR(EAGAIN)) return;
    if (ret < 0) read_failed(ret);
    if (packet->stream_index == video_->stream().index && !video_done_) {
      video_->send(packet.get());
      drain_video();
    } else if (audio_ && packet->stream_index == audio_->stream().index && !audio_done_) {
      audio_->send(packet.get());
      drain_audio();
    }
  }

  // Past the header, a read error in a local file means damaged data (exit 4); on a
  // network input it is an I/O failure (exit 1).
  [[noreturn]] void read_failed(int ret) const {
    const std::string message = redact_url(url_) + ": cannot read: " + media::av_error_string(ret);
    if (ret == AVERROR_INVALIDDATA || url_.find("://") == std::string::npos) throw InputError(message);
    throw RuntimeError(message);
  }

  void flush() {
    eof_ = true;
    video_->send(nullptr);
    drain_video();
    if (!audio_) return;
    audio_->send(nullptr);
    drain_audio();
    if (auto rest = resample_(nullptr)) push_audio(std::move(rest));
  }

  void drain_video() {
    while (auto frame = video_->receive()) {
      const std::int64_t ts = frame_timestamp(*frame, last_video_, video_step_);
      last_video_ = ts;
      const Micros t = media::to_micros(ts, video_->stream().time_base);
      if (window_.before(t) || video_done_) continue;
      if (window_.after(t)) {
        video_done_ = true;
        continue;
      }
      auto out = (*scale_)(std::move(frame));
      out->pts = ts;
      queue_.push_back({media::Kind::video, std::move(out), ts});
    }
  }

  void drain_audio() {
    while (auto frame = audio_->receive())
      if (auto out = resample_(frame.get())) push_audio(std::move(out));
  }

  void push_audio(media::FramePtr frame) {
    if (audio_done_) return;
    if (window_.after(media::to_micros(frame->pts, {1, media::kAudioRate}))) {
      audio_done_ = true;
      return;
    }
    if (auto kept = trim_audio(std::move(frame), window_)) {
      const std::int64_t pts = kept->pts;
      queue_.push_back({media::Kind::audio, std::move(kept), pts});
    }
  }

  media::InputContextPtr format_;
  std::optional<Decoder> video_, audio_;
  std::optional<VideoNormaliser> scale_;
  AudioNormaliser resample_;
  media::StreamInfo info_;
  Micros expected_{0};
  Window window_;
  Pacer pacer_;
  bool realtime_;
  bool cut_ = false;
  std::string url_;
  Micros frame_step_{33333};
  std::int64_t video_step_ = 1;
  std::optional<std::int64_t> last_video_;
  std::deque<SourceFrame> queue_;
  bool eof_ = false, video_done_ = false, audio_done_ = false;
};

}  // namespace

std::unique_ptr<Source> open_input_source(const Plan& plan) { return std::make_unique<InputSource>(plan); }

}  // namespace surg::capture
