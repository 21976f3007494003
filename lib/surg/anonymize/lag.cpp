#include "surg/anonymize/lag.hpp"

#include <chrono>

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

}  // namespace surg::anonymize
