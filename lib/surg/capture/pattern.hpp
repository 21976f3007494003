#pragma once
// The built-in test pattern (--test-pattern): an endoscope-like scene — circular field of
// view on black, a scrolling reddish tissue texture — with a fake patient block, a frame
// counter and a capture-time code burned in; a white flash at every whole second with a
// beep on the 1 kHz tone starting on the same sample; optional out-of-body stretches.
// Everything still is rendered once; a frame costs a few row copies.
#include <cstdint>
#include <string>

#include "surg/capture/overlay.hpp"
#include "surg/capture/scene.hpp"
#include "surg/capture/schedule.hpp"
#include "surg/media/av.hpp"

namespace surg::capture {

struct PatternConfig {
  Size size{1280, 720};
  AVRational fps{30, 1};
  Micros oob_every{0};  // 0: never out of body
  Micros oob_length{3000000};
  std::string stamp = "2026-11-28 10:00";  // date and time in the patient block
};

inline constexpr std::int16_t kToneLevel = 3277;   // -20 dBFS
inline constexpr std::int16_t kBeepLevel = 22938;  // -3 dBFS
inline constexpr int kToneHz = 1000;

class TestPattern {
 public:
  explicit TestPattern(const PatternConfig& config);

  const PatternConfig& config() const { return config_; }
  const Schedule& schedule() const { return schedule_; }

  // Renders frame `n` into a writable yuv420p frame of the configured size; sets its pts.
  void render(AVFrame& frame, std::int64_t n, std::int64_t capture_us) const;
  // Interleaved stereo s16 samples [first, first + count): the tone, and the beep (same
  // frequency, louder, starting at its peak so the onset is a sample-exact edge).
  void render_audio(std::int16_t* out, std::int64_t first, int count) const;

 private:
  void render_tissue(AVFrame& frame, std::int64_t n) const;
  void render_still(AVFrame& frame, const Picture& picture) const;
  void flash_field(AVFrame& frame) const;
  void fill(AVFrame& frame, std::uint8_t y) const;

  PatternConfig config_;
  Schedule schedule_;
  FieldOfView field_;
  Picture tissue_, room_;
  TextBlock patient_;
  FrameCounter counter_;
};

}  // namespace surg::capture
