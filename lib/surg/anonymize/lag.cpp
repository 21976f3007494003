#include "surg/anonymize/lag.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace surg::anonymize {

void LagMeter::arrived(Micros t, Clock::time_point now, Micros read_wait) {
  const Clock::time_point start = now - std::chrono::duration_cast<Clock::duration>(t);
  const bool waited = read_wait * 3 > frame_interval_;
  if (!anchor_ || waited || start < *anchor_) anchor_ = start;
  t_ = t;
}

Micros LagMeter::lag(Clock::time_point now) const {
  if (!anchor_) return Micros(0);
  return std::chrono::duration_cast<Micros>(now - (*anchor_ + t_));
}

Micros LagMeter::lag_at(Micros t, Clock::time_point now) const {
  if (!anchor_) return Micros(0);
  return std::chrono::duration_cast<Micros>(now - (*anchor_ + t));
}

LagMeter::Clock::time_point LagMeter::deadline() const {
  return anchor_.value_or(Clock::now()) + t_ + max_lag_;
}

void LagHistogram::add(Micros lag) {
  const std::int64_t ms = (std::max<std::int64_t>(lag.count(), 0) + 999) / 1000;  // rounded up
  ++bins_[static_cast<std::size_t>(std::min<std::int64_t>(ms, kLagBins))];
  ++count_;
  max_ = std::max(max_, lag);
}

Micros LagHistogram::percentile(double share) const {
  if (count_ == 0) return Micros(0);
  const auto rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(share * count_)));
  std::int64_t seen = 0;
  for (std::size_t ms = 0; ms < bins_.size(); ++ms) {
    seen += bins_[ms];
    if (seen < rank) continue;
    // The overflow bin holds everything from kLagBins ms on: only the maximum is known there.
    return ms == kLagBins ? max_ : std::min(Micros(static_cast<std::int64_t>(ms) * 1000), max_);
  }
  return max_;
}

}  // namespace surg::anonymize
