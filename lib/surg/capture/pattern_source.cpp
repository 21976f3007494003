// The test pattern as a Source: video frame n, then the audio samples of frame n.
#include <ctime>

#include "surg/capture/pacer.hpp"
#include "surg/capture/pattern.hpp"
#include "surg/capture/source.hpp"
#include "surg/media/pool.hpp"

namespace surg::capture {
namespace {

// "2026-11-28 10:00" in local time, as a tower prints it: rendered once at start.
std::string stamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
  return text;
}

class PatternSource : public Source {
 public:
  explicit PatternSource(const Plan& plan)
      : pattern_(config_of(plan)), pacer_(plan.realtime), audio_(plan.audio_enabled()) {
    const Schedule& s = pattern_.schedule();
    if (plan.duration) {
      frames_ = s.frames_in(*plan.duration);
      samples_ = s.samples_in(*plan.duration);
    }
    const Size size = pattern_.config().size;
    info_.video = media::VideoParams{size.width, size.height, AV_PIX_FMT_YUV420P, s.time_base(), s.fps()};
    if (audio_) info_.audio = media::AudioParams{};
    // One packed frame, drawn again for each frame once the writer has let go of it: no
    // allocation and no copy per frame.
    pool_.emplace(size.width, size.height, AV_PIX_FMT_YUV420P);
    frame_ = pool_->get();
    realtime_ = plan.realtime;
    expected_ = plan.duration.value_or(Micros(0));
  }

  const media::StreamInfo& info() const override { return info_; }
  bool live() const override { return realtime_; }
  Micros expected_duration() const override { return expected_; }
  std::vector<std::string> settings() const override {
    const Size s = pattern_.config().size;
    std::vector<std::string> out{"test-pattern", std::to_string(s.width) + "x" + std::to_string(s.height)};
    if (pattern_.config().oob_every.count() > 0) out.emplace_back("oob");
    if (realtime_) out.emplace_back("realtime");
    return out;
  }

  std::optional<SourceFrame> next() override {
    if (audio_pending_) {
      audio_pending_ = false;
      if (auto audio = audio_of(n_ - 1)) {
        const std::int64_t pts = audio->pts;
        return SourceFrame{media::Kind::audio, std::move(audio), pts};
      }
    }
    if (frames_ && n_ >= *frames_) return std::nullopt;
    const Schedule& s = pattern_.schedule();
    const Micros late = pacer_.wait(s.time(n_));
    audio_pending_ = audio_;
    if (late > s.time(n_ + 1) - s.time(n_)) {  // its moment has passed: missed, as a camera's
      return SourceFrame{media::Kind::video, nullptr, s.pts(n_++)};
    }
    media::av_check(av_frame_make_writable(frame_.get()), "av_frame_make_writable");
    pattern_.render(*frame_, n_, wall_clock_us());
    ++n_;
    return SourceFrame{media::Kind::video, media::clone_frame(*frame_), frame_->pts};
  }

 private:
  static PatternConfig config_of(const Plan& plan) {
    PatternConfig c;
    if (plan.size) c.size = *plan.size;
    if (plan.fps) c.fps = *plan.fps;
    c.oob_every = plan.oob_every;
    c.oob_length = plan.oob_length;
    c.stamp = stamp_now();
    return c;
  }

  // The samples from frame n's start to frame n+1's, cut at --duration.
  media::FramePtr audio_of(std::int64_t n) const {
    const Schedule& s = pattern_.schedule();
    std::int64_t first = s.first_sample(n), end = s.first_sample(n + 1);
    if (samples_) end = std::min(end, *samples_);
    if (end <= first) return nullptr;
    auto f = media::alloc_audio_frame(static_cast<int>(end - first), 2, kSampleRate, AV_SAMPLE_FMT_S16);
    pattern_.render_audio(reinterpret_cast<std::int16_t*>(f->data[0]), first, f->nb_samples);
    f->pts = first;
    return f;
  }

  TestPattern pattern_;
  Pacer pacer_;
  bool audio_;
  bool realtime_ = false;
  media::StreamInfo info_;
  Micros expected_{0};
  std::optional<media::FramePool> pool_;
  media::FramePtr frame_;
  std::optional<std::int64_t> frames_, samples_;
  std::int64_t n_ = 0;
  bool audio_pending_ = false;
};

}  // namespace

std::unique_ptr<Source> open_pattern_source(const Plan& plan) {
  return std::make_unique<PatternSource>(plan);
}

std::unique_ptr<Source> open_source(const Plan& plan) {
  switch (plan.kind) {
    case SourceKind::device:
      return open_device_source(plan);
    case SourceKind::input:
      return open_input_source(plan);
    case SourceKind::test_pattern:
      break;
  }
  return open_pattern_source(plan);
}

}  // namespace surg::capture
