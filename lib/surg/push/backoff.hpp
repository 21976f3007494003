#pragma once
// Reconnect delays: 1 s, then 2 s; back to 1 s after a good connection. The cap is low on
// purpose: a live push must be back within seconds of its server (within 5 s in the soak,
// doc/testing.md, on a loaded machine too), and an attempt costs one refused connection.
#include "surg/core/units.hpp"

namespace surg::push {

inline constexpr Micros kFirstRetryDelay{1000000};
inline constexpr Micros kMaxRetryDelay{2000000};

class Backoff {
 public:
  explicit Backoff(Micros first = kFirstRetryDelay, Micros max = kMaxRetryDelay) : first_(first), max_(max) {}
  Micros next();  // the delay before the next attempt; counts a failure
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }  // failures in a row

 private:
  Micros first_, max_;
  int failures_ = 0;
};

}  // namespace surg::push
