#pragma once
// Reconnect delays: 2 s, then 4 s; back to 2 s after a good connection. The cap is low on
// purpose: a live push must be back within seconds of its server (a longer wait loses
// viewers, while an attempt costs one refused connection).
#include "surg/core/units.hpp"

namespace surg::push {

inline constexpr Micros kMaxRetryDelay{4000000};

class Backoff {
 public:
  explicit Backoff(Micros first = Micros(2000000), Micros max = kMaxRetryDelay) : first_(first), max_(max) {}
  Micros next();  // the delay before the next attempt; counts a failure
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }  // failures in a row

 private:
  Micros first_, max_;
  int failures_ = 0;
};

}  // namespace surg::push
