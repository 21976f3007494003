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
#include <optional>

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

}  // namespace surg::anonymize
