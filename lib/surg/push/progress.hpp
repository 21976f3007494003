#pragma once
// The progress line on stderr (only when stderr is a terminal): frames, fps, speed, bitrate.
#include <chrono>
#include <cstdint>

#include "surg/core/units.hpp"

namespace surg::push {

class Progress {
 public:
  explicit Progress(bool enabled);
  // Called per frame; redraws at most twice a second.
  void update(std::int64_t frames, Micros media_time, std::int64_t encoded_bytes);
  void done();  // ends the line

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
};

// Whether fd 2 is a terminal (the progress line's condition).
bool stderr_is_terminal();

}  // namespace surg::push
