#pragma once
// The progress line of a long offline job, on stderr and only when stderr is a terminal:
//   frames 1800  fps 61.2  speed 2.04x  1:00 of 2:00 (50%)  ETA 0:29
// One stage draws it: the source, which knows how long the input is (surg-capture), or a
// sink reading a file; stages reading a pipe stay quiet, so lines never interleave.
#include <chrono>
#include <cstdint>
#include <string>

#include "surg/core/units.hpp"

namespace surg::cli {

bool stderr_is_terminal();

class Progress {
 public:
  Progress() = default;  // disabled
  // `total`: the media duration expected (0 = unknown: no percentage, no ETA).
  Progress(bool enabled, Micros total) : enabled_(enabled), total_(total) {}
  // Per frame; redraws at most twice a second. `extra` is appended (e.g. a bitrate).
  void update(std::int64_t frames, Micros media_time, const std::string& extra = {});
  void done();                               // ends the line
  bool enabled() const { return enabled_; }  // callers skip building `extra` when false

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_ = false;
  Micros total_{0};
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_ - std::chrono::seconds(1);  // the first frame draws at once
};

}  // namespace surg::cli
