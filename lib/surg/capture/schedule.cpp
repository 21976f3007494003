#include "surg/capture/schedule.hpp"

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavutil/mathematics.h>
}

namespace surg::capture {
namespace {

constexpr std::int64_t kMicros = 1000000;
constexpr int kMpegClock = 90000;

}  // namespace

Schedule::Schedule(AVRational fps, Micros oob_every, Micros oob_length)
    : fps_(fps), oob_every_(oob_every), oob_length_(oob_length) {
  av_reduce(&fps_.num, &fps_.den, fps.num, fps.den, INT32_MAX);
  const bool exact = (std::int64_t{kMpegClock} * fps_.den) % fps_.num == 0;
  time_base_ = exact ? AVRational{1, kMpegClock} : AVRational{fps_.den, fps_.num};
  // A tenth of a second, at least one frame and never the whole second.
  const double per_second = av_q2d(fps_);
  flash_frames_ = static_cast<int>(
      std::clamp(std::lround(per_second / 10), 1L, std::max(1L, std::lround(std::floor(per_second)) - 1)));
}

std::int64_t Schedule::pts(std::int64_t frame) const {
  return av_rescale_q(frame, av_inv_q(fps_), time_base_);
}

Micros Schedule::time(std::int64_t frame) const {
  return Micros(av_rescale(frame, std::int64_t{fps_.den} * kMicros, fps_.num));
}

std::int64_t Schedule::first_sample(std::int64_t frame) const {
  return av_rescale(frame, std::int64_t{fps_.den} * kSampleRate, fps_.num);
}

std::int64_t Schedule::frames_in(Micros duration) const {
  return av_rescale_rnd(duration.count(), fps_.num, std::int64_t{fps_.den} * kMicros, AV_ROUND_UP);
}

std::int64_t Schedule::samples_in(Micros duration) const {
  return av_rescale_rnd(duration.count(), kSampleRate, kMicros, AV_ROUND_UP);
}

std::int64_t Schedule::flash_start(std::int64_t second) const {
  return av_rescale_rnd(second, fps_.num, fps_.den, AV_ROUND_UP);
}

bool Schedule::flash(std::int64_t frame) const {
  const std::int64_t second = av_rescale_rnd(frame, fps_.den, fps_.num, AV_ROUND_DOWN);
  const std::int64_t start = flash_start(second);
  return frame >= start && frame < start + flash_frames_;
}

std::int64_t Schedule::beep_end(std::int64_t second) const {
  return first_sample(flash_start(second) + flash_frames_);
}

std::optional<std::int64_t> Schedule::beep_onset(std::int64_t sample) const {
  // A beep starts within a frame after its whole second, so only this second's and the
  // previous one's can cover `sample`.
  const std::int64_t second = sample / kSampleRate;
  for (std::int64_t k : {second, second - 1}) {
    if (k < 0) continue;
    const std::int64_t onset = first_sample(flash_start(k));
    if (sample >= onset && sample < beep_end(k)) return onset;
  }
  return std::nullopt;
}

bool Schedule::out_of_body(std::int64_t frame) const {
  if (oob_every_.count() <= 0) return false;
  const Micros t = time(frame);
  return t >= oob_every_ && t % oob_every_ < oob_length_;
}

}  // namespace surg::capture
