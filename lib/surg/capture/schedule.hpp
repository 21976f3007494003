#pragma once
// The test pattern's timeline, in exact integer arithmetic: frame timestamps, the audio
// samples that belong to each frame, the once-a-second flash and its beep, and the
// out-of-body stretches. Kept apart from the pixels so tests can check alignment cheaply.
#include <cstdint>
#include <optional>

extern "C" {
#include <libavutil/rational.h>
}

#include "surg/core/units.hpp"

namespace surg::capture {

inline constexpr int kSampleRate = 48000;

class Schedule {
 public:
  // fps > 0; oob_every 0 means never; oob_length < oob_every otherwise.
  Schedule(AVRational fps, Micros oob_every = Micros(0), Micros oob_length = Micros(0));

  AVRational fps() const { return fps_; }
  // 1/90000 when every frame lands on it exactly (25, 30, 30000/1001, 60...), else 1/fps.
  AVRational time_base() const { return time_base_; }
  std::int64_t pts(std::int64_t frame) const;
  Micros time(std::int64_t frame) const;                // frame start, from 0
  std::int64_t first_sample(std::int64_t frame) const;  // first 48 kHz sample of the frame
  std::int64_t frames_in(Micros duration) const;        // frames starting before `duration`
  std::int64_t samples_in(Micros duration) const;       // samples before `duration`

  // At each whole second k the flash starts on the first frame at or after k seconds and
  // lasts flash_frames(); the beep covers exactly the samples of those frames, so the
  // first beep sample is the first sample of the first flash frame.
  std::int64_t flash_start(std::int64_t second) const;
  int flash_frames() const { return flash_frames_; }
  bool flash(std::int64_t frame) const;
  // The first sample of the beep `sample` belongs to, nullopt outside beeps.
  std::optional<std::int64_t> beep_onset(std::int64_t sample) const;

  // Out of body from k * oob_every for oob_length, k = 1, 2, ...
  bool out_of_body(std::int64_t frame) const;

 private:
  std::int64_t beep_end(std::int64_t second) const;
  AVRational fps_;
  AVRational time_base_;
  Micros oob_every_, oob_length_;
  int flash_frames_;
};

}  // namespace surg::capture
