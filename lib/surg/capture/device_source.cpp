// --device /dev/videoN: V4L2 video through libavdevice, with ALSA audio (--audio) read
// beside it. Both are opened non-blocking and polled, so neither device starves the other
// and a stop request is seen within milliseconds. Timestamps are the devices' own.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <thread>

#include <spdlog/spdlog.h>

#include "surg/capture/decode.hpp"
#include "surg/core/error.hpp"
#include "surg/core/signals.hpp"

namespace surg::capture {
namespace {

// A missing device is a runtime failure (unplugged: exit 1); a path that exists but is
// not a character device is a usage error (exit 2).
void check_device(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw RuntimeError("cannot open video device " + path + ": " + std::strerror(errno));
  if (!S_ISCHR(st.st_mode)) throw UsageError(path + " is not a video device (want e.g. /dev/video0)");
}

std::string rate_text(AVRational r) { return std::to_string(r.num) + "/" + std::to_string(r.den); }

struct Dict {
  AVDictionary* d = nullptr;
  ~Dict() { av_dict_free(&d); }
  void set(const char* key, const std::string& value) {
    if (!value.empty()) av_dict_set(&d, key, value.c_str(), 0);
  }
};

class DeviceSource : public Source {
 public:
  DeviceSource(const Plan& plan, const DeviceFormats& formats) : path_(plan.location) {
    Dict v;
    v.set("input_format", plan.input_format);
    if (plan.size)
      v.set("video_size", std::to_string(plan.size->width) + "x" + std::to_string(plan.size->height));
    if (plan.fps) v.set("framerate", rate_text(*plan.fps));
    video_format_ = open_format(path_, formats.video, &v.d, AVFMT_FLAG_NONBLOCK);
    video_.emplace(*video_format_->streams[0]);
    if (plan.audio_enabled()) open_audio(plan.audio, formats.audio);
    describe(plan);
    if (plan.duration) duration_ = *plan.duration;
  }

  const media::StreamInfo& info() const override { return info_; }
  bool live() const override { return true; }
  std::vector<std::string> settings() const override {
    return audio_ ? std::vector<std::string>{"device", "alsa"} : std::vector<std::string>{"device"};
  }

  std::optional<SourceFrame> next() override {
    while (queue_.empty() && !done_ && !stop_requested()) {
      const bool video = poll(*video_format_, *video_);
      const bool audio = audio_format_ && poll(*audio_format_, *audio_);
      if (!video && !audio) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (queue_.empty()) return std::nullopt;
    SourceFrame unit = std::move(queue_.front());
    queue_.pop_front();
    return unit;
  }

 private:
  void open_audio(const std::string& device, const std::string& format) {
    Dict a;
    a.set("sample_rate", std::to_string(media::kAudioRate));
    a.set("channels", "2");
    audio_format_ = open_format(device, format, &a.d, AVFMT_FLAG_NONBLOCK);
    audio_.emplace(*audio_format_->streams[0]);
  }

  void describe(const Plan& plan) {
    const AVStream& st = video_->stream();
    const Size size = plan.size.value_or(Size{st.codecpar->width & ~1, st.codecpar->height & ~1});
    AVRational rate = st.avg_frame_rate.num > 0 ? st.avg_frame_rate : st.r_frame_rate;
    if (rate.num <= 0) rate = plan.fps.value_or(AVRational{30, 1});
    info_.video = media::VideoParams{size.width, size.height, AV_PIX_FMT_YUV420P, st.time_base, rate};
    if (audio_) info_.audio = media::AudioParams{};
    scale_.emplace(size);
    step_ = std::max<std::int64_t>(1, av_rescale_q(1, av_inv_q(rate), st.time_base));
    spdlog::info("{}: {}x{} at {} fps{}", path_, size.width, size.height, av_q2d(rate),
                 audio_ ? ", with ALSA audio" : "");
  }

  // Reads one packet if the device has one; false when it has nothing now.
  bool poll(AVFormatContext& fc, Decoder& decoder) {
    auto packet = media::make_packet();
    const int ret = av_read_frame(&fc, packet.get());
    if (ret == AVERROR(EAGAIN)) return false;
    if (ret == AVERROR_EOF || ret == AVERROR_EXIT) {
      done_ = true;
      return false;
    }
    media::av_check(ret, "read", fc.url);
    decoder.send(packet.get());
    while (auto frame = decoder.receive()) take(&decoder == &*video_, std::move(frame));
    return true;
  }

  void take(bool video, media::FramePtr frame) {
    if (!video) {
      if (auto out = resample_(frame.get())) {
        const std::int64_t pts = out->pts;
        queue_.push_back({media::Kind::audio, std::move(out), pts});
      }
      return;
    }
    const std::int64_t ts = frame_timestamp(*frame, last_, step_);
    last_ = ts;
    if (!first_) first_ = ts;
    if (duration_ && media::to_micros(ts - *first_, video_->stream().time_base) >= *duration_) {
      done_ = true;
      return;
    }
    auto out = (*scale_)(std::move(frame));
    out->pts = ts;
    queue_.push_back({media::Kind::video, std::move(out), ts});
  }

  std::string path_;
  media::InputContextPtr video_format_, audio_format_;
  std::optional<Decoder> video_, audio_;
  std::optional<VideoNormaliser> scale_;
  AudioNormaliser resample_;
  media::StreamInfo info_;
  std::optional<Micros> duration_;
  std::optional<std::int64_t> first_, last_;
  std::int64_t step_ = 1;
  std::deque<SourceFrame> queue_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<Source> open_device_source(const Plan& plan, const DeviceFormats& formats) {
  return std::make_unique<DeviceSource>(plan, formats);
}

std::unique_ptr<Source> open_device_source(const Plan& plan) {
  check_device(plan.location);
  return open_device_source(plan, DeviceFormats{});
}

}  // namespace surg::capture
