#pragma once
// How far behind the live stream the tool is, from the wall clock (live mode only).
//
// A frame with stream time t "should" leave at anchor + t. The anchor is the earliest
// (wall - stream time) seen so far, i.e. the moment the stream would have started had every
// frame arrived as early as the earliest one did. When reading a frame had to wait for the
// producer (the read took longer than a third of a frame interval), nothing is queued in the
// pipe, so we are not behind: the anchor is reset to this frame, which makes an upstream
// pause (a source that stalled, then resumed) cost nothing. The lag of a frame is how long
// after anchor + t it is processed; it must leave by anchor + t + max_lag (its deadline).
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "surg/core/units.hpp"

namespace surg::anonymize {

class LagMeter {
 public:
  using Clock = std::chrono::steady_clock;
  LagMeter(Micros max_lag, Micros frame_interval) : max_lag_(max_lag), frame_interval_(frame_interval) {}

  // A frame of stream time t was read at `now`; reading it took `read_wait`.
  void arrived(Micros t, Clock::time_point now, Micros read_wait);
  Micros lag(Clock::time_point now) const;
  Micros lag_at(Micros t, Clock::time_point now) const;  // of the frame of stream time t
  bool behind(Clock::time_point now) const { return lag(now) > max_lag_; }
  Clock::time_point deadline() const;  // when the current frame must have left

 private:
  Micros max_lag_;
  Micros frame_interval_;
  std::optional<Clock::time_point> anchor_;
  Micros t_{0};
};

// The distribution of the lags frames left with (--stats lag_ms: p50, p95, p99, max), in
// 1 ms bins up to kLagBins ms: bounded memory for a stream of any length; a lag beyond the
// last bin counts in it, and the exact maximum is kept apart.
class LagHistogram {
 public:
  static constexpr int kLagBins = 10000;
  void add(Micros lag);
  std::int64_t count() const { return count_; }
  Micros max() const { return max_; }
  // The smallest lag, to the millisecond above, that `share` (0..1] of the frames did not
  // exceed; 0 when nothing was added.
  Micros percentile(double share) const;

 private:
  std::vector<std::int64_t> bins_ = std::vector<std::int64_t>(kLagBins + 1, 0);
  std::int64_t count_ = 0;
  Micros max_{0};
};

}  // namespace surg::anonymize
