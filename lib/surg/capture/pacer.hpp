#pragma once
// --realtime: holds each frame back until the wall clock reaches its timestamp, measured
// from the first frame, so a file or the test pattern arrives as a live source would.
#include <chrono>
#include <optional>

#include "surg/core/units.hpp"

namespace surg::capture {

class Pacer {
 public:
  explicit Pacer(bool enabled) : enabled_(enabled) {}
  // Sleeps until `media_time` (from any origin, the first call anchors it) is due.
  // Returns how late the wall clock already was (0 when it slept or is disabled): a
  // live source drops what is due in the past, as a camera loses frames it cannot hand on.
  // Returns early when a stop is requested.
  Micros wait(Micros media_time);

 private:
  bool enabled_;
  std::optional<Micros> origin_;
  std::chrono::steady_clock::time_point start_;
};

// Wall clock now, in microseconds since the epoch (the time code's clock).
std::int64_t wall_clock_us();

}  // namespace surg::capture
